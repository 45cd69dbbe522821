"""What the estimate means, in sentences and rows: the verdict first, then the detail.

Pure: it returns text and data; the CLI decides how they look on a terminal.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, tzinfo

from campaign_guard.estimate.engine import Estimate, TargetEstimate
from campaign_guard.estimate.verdicts import Verdict

_RANK = {"ok": 0, "scale": 1, "overload": 2}


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


def number(value: float) -> str:
    """``1,234`` or ``3.4`` or ``0.05``: enough digits to read, no false precision."""
    if value >= 9.95:
        return f"{math.floor(value + 0.5):,}"  # half up: 12.5 reads 13, not 12
    if value >= 0.095:
        return f"{value:.1f}"
    return f"{value:.2f}" if value > 0 else "0"


def when(epoch: float, zone: tzinfo) -> str:
    """``Tue 7 Dec 09:00 EST``."""
    moment = datetime.fromtimestamp(epoch, zone)
    return f"{moment:%a} {moment.day} {moment:%b %H:%M %Z}".strip()


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
        busiest = max(judged, key=lambda t: _verdict(t, "expected").utilisation)
        share = _verdict(busiest, "expected").utilisation
        text = (
            f"Today's capacity holds: the busiest part, {busiest.name}, peaks at "
            f"{share:.0%} of what it can take"
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
    """Concrete things to do, most urgent first.

    Urgency: what the expected traffic needs before what only the high estimate needs;
    then overloads before scaling; then the earliest deadline.
    """
    found: list[tuple[tuple[int, int, float], str]] = []
    for target in estimate.targets:
        if target.verdict is None:
            continue
        for rank, scenario in enumerate(("expected", "high")):
            verdict = target.verdict[scenario]  # type: ignore[index]
            if verdict.status != "ok":
                label = "" if scenario == "expected" else " (high estimate)"
                text = _action(target, verdict, scenario, estimate.zone) + label
                deadline = verdict.scale_by or target.peak[scenario].at  # type: ignore[index]
                found.append(((rank, -_RANK[verdict.status], deadline), text))
                break
    return [text for _, text in sorted(found)]


def rows(estimate: Estimate) -> list[Row]:
    return [
        Row(
            target.name,
            target.kind.replace("_", " "),
            target.unit,
            span(target),
            when(target.peak["expected"].at, estimate.zone),
            _verdict_word(target),
            _detail(target),
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
        f"{when(busiest.peak['expected'].at, estimate.zone)}."
    )


def _verdict(target: TargetEstimate, scenario: str) -> Verdict:
    assert target.verdict is not None
    return target.verdict[scenario]  # type: ignore[index]


def _rank(target: TargetEstimate, scenario: str) -> int:
    return _RANK[_verdict(target, scenario).status]


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


def _action(target: TargetEstimate, verdict: Verdict, scenario: str, zone: tzinfo) -> str:
    peak = target.peak[scenario]  # type: ignore[index]
    if target.kind == "service" and verdict.status == "scale":
        by = f" by {when(verdict.scale_by, zone)}" if verdict.scale_by is not None else ""
        return f"Scale {target.name} to {verdict.instances_needed} instances{by}"
    if target.kind == "service":
        return (
            f"{target.name}: even its autoscaling maximum cannot take "
            f"{number(peak.value)} {target.unit}; rate-limit the campaign's pages at the "
            "edge, queue the form submissions, or raise the maximum"
        )
    if target.kind == "queue":
        cleared = when(verdict.cleared_at, zone) if verdict.cleared_at else "later"
        return (
            f"{target.name}: a backlog of {number(verdict.backlog or 0)} messages builds up "
            f"and is cleared by {cleared}; {verdict.instances_needed} workers would keep up"
        )
    return (
        f"{target.name}: writes peak at {verdict.utilisation:.0%} of what it sustains; "
        "put the lead writes on a queue drained at a safe rate"
    )


def _verdict_word(target: TargetEstimate) -> str:
    if target.verdict is None:
        return ""
    expected, high = target.verdict["expected"].status, target.verdict["high"].status
    return expected if expected == high else f"{expected} ({high} if high)"


def _detail(target: TargetEstimate) -> str:
    if target.verdict is None:
        return ""
    verdict = target.verdict["expected"]
    parts = [
        f"{verdict.utilisation:.0%} of capacity"
        if math.isfinite(verdict.utilisation)
        else "nothing running now"
    ]
    if verdict.status != "ok" and target.kind == "service":
        parts.append(f"needs {verdict.instances_needed} (runs {target.instances})")
    if target.baseline_at_peak:
        parts.append(f"baseline {number(target.baseline_at_peak)}")
    return "; ".join(parts)
