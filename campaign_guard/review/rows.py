"""The review queue and one ticket's line: what Jira holds, estimated again today.

A row of the queue is a campaign ticket (:class:`~campaign_guard.jira.queue.QueueItem`)
put into the reviewer's words: its campaign, its launch in the reviewer's time zone and
the campaign's, the days of notice left, the verdict written on the ticket and the
verdict *now*, the other campaigns whose runs overlap it, and the decision recorded on
it (``stale`` when the spec changed after the decision).

The verdict now is the estimate run again against today's capacity profile, from the
spec's text that submit keeps in the ticket's snapshot: it costs no request (Cloud's
search returns the snapshots with the page; Data Center reads each ticket's properties
once anyway). Reading the attached spec instead would cost one more request per ticket
on both deployments (150 tickets: 152 requests on Cloud instead of 2). Tickets whose
snapshot predates that (or whose spec was too large to keep) show no verdict now, and
say why. Each campaign is estimated on its own, as the ticket's verdict was.

Pure: the clock, the reader's time zone and the gateway come in as arguments.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone, tzinfo
from typing import Any, Literal

from campaign_guard.jira.queue import QueueItem
from campaign_guard.loadmodel.engine import estimate
from campaign_guard.loadmodel.summary import actions, headline, overall_verdict
from campaign_guard.spec.campaign import CampaignSpec
from campaign_guard.spec.capacity import CapacityProfile
from campaign_guard.spec.load import parse, validate_document

DecisionState = Literal["none", "current", "stale"]


@dataclass(frozen=True)
class Reestimate:
    """The campaign estimated again, or why it could not be."""

    verdict: str | None
    """``ok``, ``scale``, ``overload``; None when unknown (see :attr:`why_unknown`)."""
    headline: str | None = None
    actions: tuple[str, ...] = ()
    spec: CampaignSpec | None = None
    why_unknown: str | None = None


@dataclass(frozen=True)
class QueueRow:
    """One campaign ticket as the review queue shows it."""

    key: str
    url: str
    campaign: str
    campaign_id: str | None
    launch: datetime | None
    """The launch in the campaign's own zone (None: only the launch day is known)."""
    launch_day: date | None
    ends: datetime | None
    reader_zone: str
    days_left: int | None
    """Calendar days from today to the launch day, in the reader's zone (negative: past)."""
    verdict_then: str | None
    """The verdict word recorded at submit (None for snapshots older than ``review``)."""
    verdict_then_text: str | None
    """The estimate's headline recorded at submit."""
    now: Reestimate
    overlaps: tuple[str, ...]
    """Keys of the other listed tickets whose campaign runs intersect this one."""
    assignee: str | None
    status: str
    decision: str | None
    """``approve``, ``reject`` or ``request-changes``; None when none was recorded."""
    decision_state: DecisionState
    decided_by: str | None = None

    @property
    def verdict_changed(self) -> bool:
        """True when both verdicts are known and differ."""
        return (
            self.verdict_then is not None
            and self.now.verdict is not None
            and self.verdict_then != self.now.verdict
        )

    def launch_in(self, zone: tzinfo) -> datetime | None:
        return None if self.launch is None else self.launch.astimezone(zone)

    def to_json(self) -> dict[str, Any]:
        """The row as ``review --json`` (and, flattened, ``--plain`` and ``--csv``) shows it."""
        return {
            "key": self.key,
            "url": self.url,
            "campaign": self.campaign,
            "campaign_id": self.campaign_id,
            "launch": None if self.launch is None else self.launch.isoformat(),
            "launch_zone": None if self.launch is None else _zone_name(self.launch),
            "launch_day": None if self.launch_day is None else self.launch_day.isoformat(),
            "ends": None if self.ends is None else self.ends.isoformat(),
            "days_left": self.days_left,
            "verdict_on_ticket": self.verdict_then,
            "verdict_now": self.now.verdict,
            "verdict_now_unknown_because": self.now.why_unknown,
            "verdict_changed": self.verdict_changed,
            "overlaps": list(self.overlaps),
            "assignee": self.assignee,
            "status": self.status,
            "decision": self.decision,
            "decision_state": self.decision_state,
            "decided_by": self.decided_by,
        }


def _zone_name(moment: datetime) -> str:
    zone = moment.tzinfo
    return str(getattr(zone, "key", None) or moment.tzname() or "UTC")


def reestimate(
    item: QueueItem, profile: CapacityProfile | None, *, with_actions: bool = False
) -> Reestimate:
    """The ticket's campaign estimated against ``profile`` from the spec in its snapshot."""
    spec, why = kept_spec(item)
    if spec is None:
        return Reestimate(None, why_unknown=why)
    if profile is None:
        return Reestimate(None, spec=spec, why_unknown="no capacity profile configured")
    result = estimate([spec], profile)
    verdict = overall_verdict(result)
    listed = tuple(actions(result)) if with_actions else ()
    reached = None if verdict is not None else "nothing in the capacity profile is reached"
    return Reestimate(verdict, headline(result), listed, spec, reached)


def kept_spec(item: QueueItem) -> tuple[CampaignSpec | None, str]:
    """The spec submit kept in the ticket's snapshot, validated as a spec file is; or
    None and why it is not there."""
    submission = item.submission
    if submission is None or submission.spec_text is None:
        return (
            None,
            "no spec kept on the ticket (filed by an earlier version, or too large to keep)",
        )
    document, problems = parse(submission.spec_text.encode("utf-8"))
    if document is None or problems:
        return None, "the spec kept on the ticket cannot be read"
    spec = validate_document(document, CampaignSpec, item.key).value
    if spec is None:
        return None, "the spec kept on the ticket is not valid for this version"
    return spec, ""


def queue_rows(
    items: Sequence[QueueItem],
    *,
    site: str,
    profile: CapacityProfile | None,
    now: datetime,
    reader_zone: tzinfo,
    with_actions: bool = False,
) -> list[QueueRow]:
    """The rows for ``items``, in launch order, with their overlaps."""
    zone = reader_zone
    rows = [
        _row(item, site, reestimate(item, profile, with_actions=with_actions), now, zone)
        for item in items
    ]
    rows = [_with_overlaps(row, rows) for row in rows]
    far = date.max
    return sorted(rows, key=lambda r: (r.launch_day or far, r.launch or _FAR, r.key))


_FAR = datetime.max.replace(tzinfo=timezone.utc)


def _row(
    item: QueueItem, site: str, now_estimate: Reestimate, now: datetime, zone: tzinfo
) -> QueueRow:
    submission = item.submission
    spec = now_estimate.spec
    launch = ends = None
    launch_day = day_of(item.launch_date)
    if spec is not None:
        launch = spec.launch.start.astimezone(spec.launch.zone)
        ends = spec.launch.ends.astimezone(spec.launch.zone)
        launch_day = launch.astimezone(zone).date()
    today = now.astimezone(zone).date()
    record = item.decision
    state: DecisionState = "none"
    if record is not None:
        same = submission is not None and record.current.spec_digest == submission.spec_digest
        state = "current" if same else "stale"
    name = (submission.name if submission else None) or item.summary
    return QueueRow(
        key=item.key,
        url=f"{site.rstrip('/')}/browse/{item.key}",
        campaign=name,
        campaign_id=submission.campaign_id if submission else None,
        launch=launch,
        launch_day=launch_day,
        ends=ends,
        reader_zone=str(getattr(zone, "key", None) or zone),
        days_left=None if launch_day is None else (launch_day - today).days,
        verdict_then=submission.verdict_word if submission else None,
        verdict_then_text=submission.verdict if submission else None,
        now=now_estimate,
        overlaps=(),
        assignee=item.assignee.display_name if item.assignee else None,
        status=item.status,
        decision=record.current.decision if record else None,
        decision_state=state,
        decided_by=record.current.reviewer if record else None,
    )


def day_of(text: str | None) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None


def _window(row: QueueRow) -> tuple[datetime, datetime] | None:
    """The campaign's run; the whole launch day (UTC) when only the day is known."""
    if row.launch is not None and row.ends is not None:
        return row.launch, max(row.ends, row.launch + timedelta(minutes=1))
    if row.launch_day is None:
        return None
    start = datetime.combine(row.launch_day, datetime.min.time(), tzinfo=timezone.utc)
    return start, start + timedelta(days=1)


def _with_overlaps(row: QueueRow, rows: Sequence[QueueRow]) -> QueueRow:
    mine = _window(row)
    if mine is None:
        return row
    found = []
    for other in rows:
        theirs = _window(other)
        if other.key == row.key or theirs is None:
            continue
        if mine[0] < theirs[1] and theirs[0] < mine[1]:
            found.append(other.key)
    if not found:
        return row
    return QueueRow(**{**row.__dict__, "overlaps": tuple(found)})


__all__: Sequence[str] = (
    "DecisionState",
    "QueueRow",
    "Reestimate",
    "day_of",
    "kept_spec",
    "queue_rows",
    "reestimate",
)
