"""Why the numbers are what they are: each peak by source, what a visit costs, what
"target" means. Pure: text and rows for the terminal and the ticket."""

from __future__ import annotations

import math

from campaign_guard.loadmodel.engine import Estimate, TargetEstimate
from campaign_guard.loadmodel.sources import SOURCES, PerVisit
from campaign_guard.loadmodel.words import number
from campaign_guard.spec.routes import REQUESTS_PER_VISIT_NO_CDN


def source_rows(estimate: Estimate) -> list[tuple[str, str, list[str]]]:
    """``(target, kind, [people, link scanners, image prefetch, email opens, baseline])`` at each
    target's expected peak. Endpoints are left out: only people call them."""
    found = []
    for target in estimate.targets:
        parts = target.sources.get("expected")
        if parts is None or target.kind == "endpoint":
            continue
        found.append(
            (target.name, target.kind.replace("_", " "), [number(parts[s]) for s in SOURCES])
        )
    return found


def per_visit_lines(estimate: Estimate) -> list[str]:
    """``https://www.example.com/winter → web: 1 request per visit (…why)``."""
    return [
        f"{v.what} → {v.service}: {_requests(v.requests)} {_why(v)}" for v in estimate.per_visit
    ]


def capacity_legend(estimate: Estimate) -> str:
    """What "target" means, with each service's target utilisation."""
    aims = [
        f"{t.name} {t.target_utilisation:.0%}"
        for t in estimate.targets
        if t.target_utilisation is not None
    ]
    if not aims:
        return "Verdicts compare each peak with what the target takes today."
    return (
        "Verdicts compare each service's peak with its instances at their target "
        f"utilisation ({', '.join(aims)}: the most DevOps want to use), data stores with "
        "the writes they sustain, the queue with what its workers drain."
    )


def _requests(value: float) -> str:
    return f"{_plain(value)} request{'' if value == 1 else 's'} per visit"


def _plain(value: float) -> str:
    """``3``, ``0.6``, ``0.246``: a factor as written, without float noise."""
    return f"{value:.3g}"


def _why(visit: PerVisit) -> str:
    if visit.basis == "cdn":
        return "(behind the CDN the server sends the HTML only)"
    if visit.basis == "no-cdn":
        return (
            f"(the profile has no `cdn: true`, so each visit loads the whole page from the "
            f"server: {_plain(REQUESTS_PER_VISIT_NO_CDN)} requests, the median web page in "
            "the HTTP Archive Web Almanac 2019; set `cdn: true` if a CDN serves the images, "
            "scripts and styles)"
        )
    if visit.basis == "submission":
        assert visit.per_submission is not None
        assert visit.conversion is not None
        return (
            f"({_plain(visit.per_submission)} per form submission × the "
            f"{_plain(visit.conversion * 100)}% of visits that submit)"
        )
    return "(from the capacity profile)"


def uncounted_text(estimate: Estimate) -> str | None:
    """``Not counted: tv_radio "Prime time" (Spring Sale); …``, or ``None``."""
    if not estimate.uncounted:
        return None
    several = len(estimate.campaigns) > 1
    parts = [u.what + (f" ({u.campaign})" if several else "") for u in estimate.uncounted]
    return (
        f"Not counted: {'; '.join(dict.fromkeys(parts))}. The estimate leaves this load out: "
        "see the notes below."
    )


def capacity_detail(target: TargetEstimate) -> str:
    """The expected peak against what the target takes today."""
    if target.verdict is None:
        return ""
    verdict = target.verdict["expected"]
    if not math.isfinite(verdict.utilisation):
        return "nothing running now"
    if target.kind == "service" and (target.target_utilisation or 1.0) < 1.0:
        assert target.holds_now is not None
        assert target.full_capacity is not None
        return (
            f"{verdict.of_target:.0%} of {number(target.holds_now)} at its "
            f"{target.target_utilisation:.0%} target; {verdict.utilisation:.0%} of "
            f"{number(target.full_capacity)} at 100%"
        )
    full = number(target.full_capacity or 0.0)
    if target.kind == "queue":
        return f"{verdict.utilisation:.0%} of {full}, what its workers drain"
    if target.kind == "service":
        return f"{verdict.utilisation:.0%} of {full} at 100%"
    return f"{verdict.utilisation:.0%} of {full}, all it sustains"


def needs_text(target: TargetEstimate) -> str:
    """``5 instances (runs 4)`` for a service that must scale (expected); else empty."""
    if target.verdict is None or target.kind != "service":
        return ""
    verdict = target.verdict["expected"]
    if verdict.status == "ok":
        return ""
    return f"{verdict.instances_needed} instances (runs {target.instances})"
