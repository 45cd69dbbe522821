"""The one-campaign review screen, as data, in the order a reviewer reads it.

:func:`review` re-estimates the campaign under review with every other campaign whose
run overlaps it summed in, then states: the verdict and a risk tier; when it launches
and how much notice was given; the load against capacity on each target it reaches;
the actions with their deadlines; the checklist the tool decides itself and the items
left to the reviewer; the people and links. Pure: no printing, no network.

Risk tiers:

* **low** — every target the campaign reaches peaks less than :data:`LOW_INCREASE`
  (10 %) above its baseline in the expected scenario, no target needs anything done,
  and no personal data is collected. Such a campaign changes nothing DevOps must act on.
* **high** — some target is in *overload* in the expected scenario (even the
  autoscaling maximum would not hold it, so the load must be shaped), or it needs
  scaling and the launch is sooner than the lead time (no time to prepare).
* **medium** — everything else: scaling with enough notice, a larger increase that
  today's capacity still holds, or personal data collected. Someone must look, but
  the estimate says how to be ready.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timezone, tzinfo
from typing import Literal

from campaign_guard.lint.rules.short_lead_time import business_days_between
from campaign_guard.loadmodel.engine import Estimate, TargetEstimate, estimate
from campaign_guard.loadmodel.judge import Judged
from campaign_guard.loadmodel.summary import campaign_verdict
from campaign_guard.oncall.base import OnCallPerson
from campaign_guard.protect.actions import Action, edge_actions, queue_actions, scale_actions
from campaign_guard.spec.campaign import CampaignSpec, DataField
from campaign_guard.spec.capacity import CapacityProfile

Tier = Literal["low", "medium", "high"]
Check = Literal["pass", "fail", "unknown"]

LOW_INCREASE = 0.10
"""A peak this much above the baseline (or less) is a low-risk change."""

TIGHT = 0.8
"""A peak at this share of what a target holds today (or more) leaves little headroom."""

Headroom = Literal["ok", "tight", "scale", "over", "queues"]

HUMAN_ITEMS: tuple[tuple[str, str], ...] = (
    (
        "The traffic figures are plausible",
        "the estimate trusts the spec's numbers; only someone who knows the channels "
        "can tell whether they are right",
    ),
    (
        "Third parties can take the load",
        "payment, email and CDN providers are not in the capacity profile",
    ),
    (
        "Someone can respond during the launch",
        "the rota says who is on call, not whether they are free at that hour",
    ),
)
"""What the reviewer decides, and why the tool cannot."""


@dataclass(frozen=True)
class Load:
    """One target the campaign reaches: its expected peak against today's capacity."""

    kind: str
    name: str
    unit: str
    peak: float
    peak_at: float
    """Epoch seconds."""
    baseline: float
    holds_now: float | None
    status: str | None
    """``ok``, ``scale`` or ``overload``; ``None`` when its capacity is not known."""
    of_target: float | None
    """Peak ÷ what it holds now (1.0 = all of it)."""
    contributors: tuple[str, ...]
    """The campaigns running at the peak (names)."""
    drains: bool = False
    """A queue whose backlog today's workers clear with every lead's wait in bounds."""

    @property
    def headroom(self) -> Headroom | None:
        """``ok``; ``tight`` at :data:`TIGHT` or more of what it holds; ``scale`` when it
        needs more instances; ``over`` when even its maximum would not hold the peak;
        ``queues``: a queue that takes the peak as a backlog its workers clear in time."""
        if self.status is None:
            return None
        if self.status == "overload":
            return "over"
        if self.status == "scale":
            return "queues" if self.drains else "scale"
        return "tight" if (self.of_target or 0.0) >= TIGHT else "ok"


@dataclass(frozen=True)
class ChecklistItem:
    name: str
    result: Check
    why: str


@dataclass(frozen=True)
class HumanItem:
    name: str
    reason: str


@dataclass(frozen=True)
class ReviewScreen:
    campaign_id: str
    name: str
    sentence: str
    """The verdict in one sentence."""
    tier: Tier
    launch: datetime
    ends: datetime
    campaign_zone: tzinfo
    reader_zone: tzinfo
    notice_days: int
    """Business days from ``now`` to the launch."""
    required_days: int
    loads: list[Load]
    actions: list[Action]
    checklist: list[ChecklistItem]
    human: list[HumanItem]
    overlapping: list[str]
    """The names of the other campaigns whose runs overlap this one."""
    owner: str
    oncall: OnCallPerson | None
    ticket: str | None
    ticket_url: str | None
    now: datetime
    estimate: Estimate
    overlapping_ids: tuple[str, ...] = ()
    """The campaign ids of :attr:`overlapping`, in the same order."""


def review(
    spec: CampaignSpec,
    others: Sequence[CampaignSpec],
    profile: CapacityProfile | None,
    *,
    lead_time: int,
    now: datetime,
    reader_zone: tzinfo = timezone.utc,
    oncall: OnCallPerson | None = None,
    ticket: str | None = None,
    ticket_url: str | None = None,
) -> ReviewScreen:
    """The review screen of ``spec``, with ``others`` that overlap it summed in (one with
    the same campaign id is another version of the same campaign, and is left out)."""
    rest = [other for other in others if other.campaign_id != spec.campaign_id]
    result = estimate([spec, *rest], profile)
    mine = next(c for c in result.campaigns if c.campaign_id == spec.campaign_id)
    window = result.windows[mine.window] if result.windows else None
    names = {c.campaign_id: c.name for c in result.campaigns}
    overlapping_ids = [i for i in (window.campaign_ids if window else ()) if i != mine.campaign_id]
    overlapping = [names[i] for i in overlapping_ids]
    by_key = {(t.kind, t.name): t for t in result.targets}
    loads = [_load(t, by_key[(t.kind, t.name)], result) for t in mine.targets]
    zone = spec.launch.zone
    launch = spec.launch.start.astimezone(zone)
    notice = business_days_between(now.astimezone(zone).date(), launch.date())
    if launch <= now:
        notice = 0
    actions = [a for t in mine.targets for a in scale_actions(t, mine.start)]
    if profile is not None:
        actions += queue_actions(profile, result, (mine.start, mine.end))
        drains = {a.target for a in actions if a.kind == "queue_backlog"}
        loads = [replace(x, drains=x.kind == "queue" and x.name in drains) for x in loads]
        short = {x.name for x in loads if x.kind == "service" and x.headroom not in (None, "ok")}
        actions += edge_actions(spec, [spec, *rest], profile, result, short)
    personal = [f for f in spec.new_data_fields if f.personal_data]
    checklist = [
        _lead_time(notice, lead_time),
        _headroom(loads),
        _overlap(overlapping, loads),
        _privacy(personal),
    ]
    return ReviewScreen(
        campaign_id=mine.campaign_id,
        name=mine.name,
        sentence=campaign_verdict(mine),
        tier=tier(loads, notice >= lead_time, bool(personal)),
        launch=launch,
        ends=spec.launch.ends.astimezone(zone),
        campaign_zone=zone,
        reader_zone=reader_zone,
        notice_days=notice,
        required_days=lead_time,
        loads=loads,
        actions=actions,
        checklist=checklist,
        human=[HumanItem(n, r) for n, r in HUMAN_ITEMS],
        overlapping=overlapping,
        owner=str(spec.owner),
        oncall=oncall,
        ticket=ticket,
        ticket_url=ticket_url,
        now=now,
        estimate=result,
        overlapping_ids=tuple(overlapping_ids),
    )


def tier(loads: Sequence[Load], notice_met: bool, personal_data: bool) -> Tier:
    """The risk tier (see the module's documentation for the reasoning)."""
    statuses = {"ok" if load.drains else load.status for load in loads}
    if "overload" in statuses or ("scale" in statuses and not notice_met):
        return "high"
    small = all(load.peak <= load.baseline * (1 + LOW_INCREASE) for load in loads)
    if small and statuses <= {"ok", None} and not personal_data:
        return "low"
    return "medium"


def _load(judged: Judged, total: TargetEstimate, result: Estimate) -> Load:
    peak = judged.peak["expected"]
    verdict = judged.verdict["expected"] if judged.verdict else None
    running = [c.name for c in result.campaigns if c.start <= peak.at <= c.end]
    return Load(
        kind=judged.kind,
        name=judged.name,
        unit=judged.unit,
        peak=peak.value,
        peak_at=peak.at,
        baseline=total.baseline_at_peak,
        holds_now=total.holds_now,
        status=verdict.status if verdict else None,
        of_target=verdict.of_target if verdict else None,
        contributors=tuple(running),
    )


def _lead_time(notice: int, needed: int) -> ChecklistItem:
    met = notice >= needed
    return ChecklistItem(
        "Lead time met",
        "pass" if met else "fail",
        f"{notice} business days of notice; {needed} needed",
    )


def _headroom(loads: Sequence[Load]) -> ChecklistItem:
    judged = [load for load in loads if load.status is not None]
    if not judged:
        return ChecklistItem("Headroom at peak", "unknown", "no capacity known for its targets")
    short = [load.name for load in judged if load.status != "ok" and not load.drains]
    if short:
        return ChecklistItem("Headroom at peak", "fail", "not enough today: " + ", ".join(short))
    return ChecklistItem("Headroom at peak", "pass", "today's capacity holds every peak")


def _overlap(others: Sequence[str], loads: Sequence[Load]) -> ChecklistItem:
    if not others:
        return ChecklistItem("Overlap with other campaigns", "pass", "no other campaign overlaps")
    shared = [load.name for load in loads if len(load.contributors) > 1 and load.status != "ok"]
    result: Check = "fail" if shared else "pass"
    return ChecklistItem(
        "Overlap with other campaigns",
        result,
        "overlaps "
        + ", ".join(others)
        + ("; together they need more on " + ", ".join(shared) if shared else "; counted in"),
    )


def _privacy(personal: Sequence[DataField]) -> ChecklistItem:
    if not personal:
        return ChecklistItem("Privacy review", "pass", "no personal data collected")
    missing = [f.name for f in personal if not f.privacy_review]
    if missing:
        return ChecklistItem(
            "Privacy review", "fail", "no review reference for " + ", ".join(missing)
        )
    return ChecklistItem("Privacy review", "pass", "every personal data field has a review")


def screen_json(screen: ReviewScreen) -> dict[str, object]:
    """The screen as the JSON document ``review --json`` prints (times in ISO 8601 UTC)."""

    def iso(epoch: float | None) -> str | None:
        return None if epoch is None else datetime.fromtimestamp(epoch, timezone.utc).isoformat()

    return {
        "campaign": screen.campaign_id,
        "name": screen.name,
        "verdict": screen.sentence,
        "tier": screen.tier,
        "launch": screen.launch.isoformat(),
        "ends": screen.ends.isoformat(),
        "notice_business_days": screen.notice_days,
        "required_business_days": screen.required_days,
        "loads": [
            {
                "kind": load.kind,
                "name": load.name,
                "unit": load.unit,
                "peak": load.peak,
                "peak_at": iso(load.peak_at),
                "baseline": load.baseline,
                "holds_now": load.holds_now,
                "status": load.status,
                "of_target": load.of_target,
                "campaigns_at_peak": list(load.contributors),
            }
            for load in screen.loads
        ],
        "actions": [
            {
                "kind": a.kind,
                "target": a.target,
                "amount": a.amount,
                "unit": a.unit,
                "by": iso(a.by),
                "written_by": f"campaign-guard protect {a.artefact}",
            }
            for a in screen.actions
        ],
        "checklist": [{"item": c.name, "result": c.result, "why": c.why} for c in screen.checklist],
        "for_the_reviewer": [{"item": h.name, "reason": h.reason} for h in screen.human],
        "overlapping": list(screen.overlapping),
        "owner": screen.owner,
        "on_call": None
        if screen.oncall is None
        else {"name": screen.oncall.name, "email": screen.oncall.email},
        "ticket": screen.ticket,
        "ticket_url": screen.ticket_url,
    }
