"""What the estimate means, in sentences and rows: the verdict first, then the detail.

Pure: it returns text and data; the CLI decides how they look on a terminal.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import tzinfo
from typing import Protocol

from campaign_guard.defaults import Scenario
from campaign_guard.loadmodel.engine import (
    CampaignEstimate,
    Estimate,
    OverlapWindow,
    Peak,
    TargetEstimate,
)
from campaign_guard.loadmodel.explain import capacity_detail, needs_text
from campaign_guard.loadmodel.verdicts import Verdict
from campaign_guard.loadmodel.words import number, period, when

__all__ = [
    "VERDICT_ORDER",
    "JudgedTarget",
    "Row",
    "actions",
    "campaign_verdict",
    "headline",
    "number",
    "overall_verdict",
    "period",
    "rows",
    "span",
    "when",
    "window_actions",
    "window_title",
    "window_zone",
    "worst_first",
    "zone_at",
]

_RANK = {"ok": 0, "scale": 1, "overload": 2}


class JudgedTarget(Protocol):
    """A target with peaks and verdicts: over the whole estimate, a window or a campaign."""

    @property
    def kind(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def unit(self) -> str: ...
    @property
    def peak(self) -> dict[Scenario, Peak]: ...
    @property
    def verdict(self) -> dict[Scenario, Verdict] | None: ...
    @property
    def instances(self) -> int | None: ...


@dataclass(frozen=True)
class Row:
    target: str
    kind: str
    unit: str
    peak: str
    """``expected (low–high)``."""
    at: str
    verdict: str
    detail: str
    """The peak against today's capacity (services: at their target utilisation and at
    100 %)."""
    needs: str = ""
    """Services that must scale: ``5 instances (runs 4)``."""


def span(target: TargetEstimate) -> str:
    low, expected, high = (target.peak[s].value for s in ("low", "expected", "high"))
    return f"{number(expected)} ({number(low)}–{number(high)})"


def headline(estimate: Estimate) -> str:
    """One sentence a marketer can read: does it hold, and if not, what must happen."""
    if estimate.profile is None:
        return _without_capacity(estimate)
    judged = [t for t in estimate.targets if t.verdict is not None]
    if not judged:
        return "Nothing in the capacity profile is reached by these campaigns."
    worst_expected = max(judged, key=lambda t: _rank(t, "expected"))
    worst_high = max(judged, key=lambda t: _rank(t, "high"))
    if _rank(worst_expected, "expected") == 0:
        busiest = max(judged, key=lambda t: _verdict(t, "expected").of_target)
        text = (
            f"Today's capacity holds: the busiest part, {busiest.name}, peaks at "
            f"{_share(busiest, _verdict(busiest, 'expected'))}"
        )
        if _rank(worst_high, "high") > 0:
            return text + f"; at the high estimate {_needs(worst_high, 'high')}."
        return text + ", even at the high estimate."
    urgent = [t for t in judged if _rank(t, "expected") > 0]
    urgent.sort(key=lambda t: -_rank(t, "expected"))
    needs = "; ".join(_needs(t, "expected") for t in urgent[:2])
    more = f" (and {len(urgent) - 2} more)" if len(urgent) > 2 else ""
    return f"Action needed before launch: {needs}{more}."


VERDICT_ORDER = ("ok", "scale", "overload")


def overall_verdict(estimate: Estimate, scenario: str = "expected") -> str | None:
    """The worst status of any judged target in ``scenario``: ok, scale or overload.

    None when nothing was judged (no capacity profile, or nothing in it is reached).
    """
    statuses = [
        t.verdict[scenario].status  # type: ignore[index]
        for t in estimate.targets
        if t.verdict is not None
    ]
    return max(statuses, key=VERDICT_ORDER.index) if statuses else None


def actions(estimate: Estimate) -> list[str]:
    """Concrete things to do, most urgent first, for every overlap window.

    Urgency: what the expected traffic needs before what only the high estimate needs;
    then overloads before scaling; then the earliest deadline. Each window's times are in
    the time zone of its first campaign.
    """
    found = [
        action
        for window in estimate.windows
        for action in _window_actions(window, window_zone(estimate, window))
    ]
    return [text for _, text in sorted(found)]


def window_actions(estimate: Estimate) -> list[tuple[OverlapWindow, list[str]]]:
    """Each overlap window and what it needs, most urgent first."""
    return [
        (w, [text for _, text in sorted(_window_actions(w, window_zone(estimate, w)))])
        for w in estimate.windows
    ]


def window_zone(estimate: Estimate, window: OverlapWindow) -> tzinfo:
    """The time zone of the window's first campaign: the one its marketer wrote in."""
    zones = {c.campaign_id: c.zone for c in estimate.campaigns}
    return zones.get(window.campaign_ids[0], estimate.zone)


def zone_at(estimate: Estimate, epoch: float) -> tzinfo:
    """The time zone to show ``epoch`` in: that of the campaigns running then (the last
    overlap window to start by then), so each campaign's times read as its marketer wrote
    them."""
    starts = [window.start for window in estimate.windows]
    if not starts:
        return estimate.zone
    index = max(bisect.bisect_right(starts, epoch) - 1, 0)
    return window_zone(estimate, estimate.windows[index])


def window_title(estimate: Estimate, window: OverlapWindow) -> str:
    """``Black Friday Flash Sale (Fri 26 Nov 12:00 → 15:00 CET)`` or, when campaigns
    overlap, ``A and B, which overlap (…)``."""
    names = {c.campaign_id: c.name for c in estimate.campaigns}
    listed = [names[i] for i in window.campaign_ids]
    runs = period(window.start, window.end, window_zone(estimate, window))
    if len(listed) == 1:
        return f"{listed[0]} ({runs})"
    together = ", ".join(listed[:-1]) + f" and {listed[-1]}"
    return f"{together}, which overlap ({runs})"


def campaign_verdict(campaign: CampaignEstimate) -> str:
    """``scale (overload if high): web, checkout``: its worst verdict over its own run, and
    the parts that need action; empty when nothing it reaches was judged."""
    judged = [t for t in campaign.targets if t.verdict is not None]
    if not judged:
        return ""
    expected = max((_verdict(t, "expected").status for t in judged), key=VERDICT_ORDER.index)
    high = max((_verdict(t, "high").status for t in judged), key=VERDICT_ORDER.index)
    word = expected if expected == high else f"{expected} ({high} if high)"
    worst = expected if expected != "ok" else high
    parts = [t.name for t in judged if worst != "ok" and _needs_action(t)]
    return f"{word}: {', '.join(parts)}" if parts else word


def _needs_action(target: JudgedTarget) -> bool:
    return target.verdict is not None and any(
        target.verdict[s].status != "ok" for s in ("expected", "high")
    )


def _window_actions(
    window: OverlapWindow, zone: tzinfo
) -> list[tuple[tuple[int, int, float], str]]:
    found: list[tuple[tuple[int, int, float], str]] = []
    for target in window.targets:
        if target.verdict is None:
            continue
        for rank, scenario in enumerate(("expected", "high")):
            verdict = target.verdict[scenario]  # type: ignore[index]
            if verdict.status != "ok":
                label = "" if scenario == "expected" else " (high estimate)"
                text = _action(target, verdict, scenario, zone) + label
                deadline = verdict.scale_by or target.peak[scenario].at  # type: ignore[index]
                found.append(((rank, -_RANK[verdict.status], deadline), text))
                break
    return found


def rows(estimate: Estimate) -> list[Row]:
    return [
        Row(
            target.name,
            target.kind.replace("_", " "),
            target.unit,
            span(target),
            when(target.peak["expected"].at, zone_at(estimate, target.peak["expected"].at)),
            _verdict_word(target),
            capacity_detail(target),
            needs_text(target),
        )
        for target in estimate.targets
    ]


def _without_capacity(estimate: Estimate) -> str:
    if not estimate.targets:
        return "No traffic could be estimated: see the notes below."
    busiest = max(estimate.targets, key=lambda t: t.peak["expected"].value)
    return (
        f"No capacity profile was given, so nothing is checked against capacity: the "
        f"busiest target, {busiest.name}, peaks at {number(busiest.peak['expected'].value)} "
        f"{busiest.unit} (high estimate {number(busiest.peak['high'].value)}) at "
        f"{when(busiest.peak['expected'].at, zone_at(estimate, busiest.peak['expected'].at))}."
    )


def _verdict(target: JudgedTarget, scenario: str) -> Verdict:
    assert target.verdict is not None
    return target.verdict[scenario]  # type: ignore[index]


def _rank(target: JudgedTarget, scenario: str) -> int:
    return _RANK[_verdict(target, scenario).status]


def _share(target: TargetEstimate, verdict: Verdict) -> str:
    """``58% of its 70% target (41% of its full capacity)``."""
    if target.target_utilisation is None or target.target_utilisation >= 1.0:
        return f"{verdict.of_target:.0%} of what it can take"
    return (
        f"{verdict.of_target:.0%} of its {target.target_utilisation:.0%} target "
        f"({verdict.utilisation:.0%} of its full capacity)"
    )


def _needs(target: TargetEstimate, scenario: str) -> str:
    verdict = _verdict(target, scenario)
    if target.kind == "service" and verdict.status == "scale":
        return (
            f"{target.name} needs {verdict.instances_needed} instances "
            f"(it runs {target.instances} now)"
        )
    if target.kind == "service":
        return f"{target.name} would be overloaded even at its autoscaling maximum"
    if target.kind == "queue":
        return f"the {target.name} queue falls behind"
    return f"{target.name} would get more writes than it can take"


def _action(target: JudgedTarget, verdict: Verdict, scenario: str, zone: tzinfo) -> str:
    peak = target.peak[scenario]  # type: ignore[index]
    if target.kind == "service" and verdict.status == "scale":
        by = f" by {when(verdict.scale_by, zone)}" if verdict.scale_by is not None else ""
        return f"Scale {target.name} to {verdict.instances_needed} instances{by}"
    if target.kind == "service":
        return (
            f"{target.name}: even its autoscaling maximum cannot take "
            f"{number(peak.value)} {target.unit} (at {when(peak.at, zone)}); rate-limit the "
            "campaign's pages at the edge, queue the form submissions, or raise the maximum"
        )
    if target.kind == "queue":
        cleared = when(verdict.cleared_at, zone) if verdict.cleared_at else "later"
        return (
            f"{target.name}: a backlog of {number(verdict.backlog or 0)} messages builds up "
            f"and is cleared by {cleared}; {verdict.instances_needed} workers would keep up"
        )
    return (
        f"{target.name}: writes peak at {verdict.utilisation:.0%} of what it sustains (at "
        f"{when(peak.at, zone)}); put the lead writes on a queue drained at a safe rate"
    )


def _verdict_word(target: TargetEstimate) -> str:
    if target.verdict is None:
        return ""
    expected, high = target.verdict["expected"].status, target.verdict["high"].status
    return expected if expected == high else f"{expected} ({high} if high)"


def worst_first(targets: Sequence[TargetEstimate]) -> list[TargetEstimate]:
    """``targets`` that need action (expected or high), most urgent first."""
    ranked = [
        ((-_rank(t, "expected"), -_rank(t, "high")), i, t)
        for i, t in enumerate(targets)
        if _needs_action(t)
    ]
    return [t for _, _, t in sorted(ranked, key=lambda r: (r[0], r[1]))]
