"""The estimate as a JSON document, for machines (``estimate --json``)."""

from __future__ import annotations

import math
from datetime import datetime, timezone
from typing import Any

from campaign_guard.defaults import SCENARIOS
from campaign_guard.loadmodel.engine import Estimate, Judged, OverlapWindow, TargetEstimate
from campaign_guard.loadmodel.summary import (
    VERDICT_ORDER,
    JudgedTarget,
    actions,
    headline,
    window_actions,
)
from campaign_guard.loadmodel.verdicts import Verdict

FORMAT_VERSION = 1


CYCLE = 146_097 * 86_400.0
"""400 years of the Gregorian calendar, in seconds: its dates repeat after it exactly."""


def iso(epoch: float | None) -> str | None:
    """UTC ISO 8601 with a ``Z``, or ``None``; past the year 9999 (a campaign at 20:00 in
    New York on 9999-12-31), with a year of five digits and a sign: ``+10000-01-01T…``."""
    if epoch is None:
        return None
    try:
        moment = datetime.fromtimestamp(epoch, timezone.utc)
    except (OverflowError, ValueError):
        moment = datetime.fromtimestamp(epoch - CYCLE, timezone.utc)
        return f"+{moment.year + 400}{moment.isoformat()[4:]}".replace("+00:00", "Z")
    return moment.isoformat().replace("+00:00", "Z")


def to_json(
    estimate: Estimate, notes: list[dict[str, Any]], uncounted: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    """The whole estimate; ``notes`` are already placed (path, line, column), and so is
    ``uncounted`` (default: the uncounted load without its place in the files)."""
    return {
        "version": FORMAT_VERSION,
        "capacity_profile": estimate.profile,
        "headline": headline(estimate),
        "actions": actions(estimate),
        "campaigns": [
            {
                "id": c.campaign_id,
                "name": c.name,
                "start": iso(c.start),
                "end": iso(c.end),
                "visits": {s: round(c.visits[s]) for s in SCENARIOS},
                "leads": {s: round(c.leads[s]) for s in SCENARIOS},
                "verdict": _worst(c.targets),
                "window": c.window,
                "targets": [_judged(t) for t in c.targets],
            }
            for c in estimate.campaigns
        ],
        "windows": [_window(w, a) for w, a in window_actions(estimate)],
        "targets": [_target(t) for t in estimate.targets],
        "requests_per_visit": [
            {
                "match": v.what,
                "service": v.service,
                "requests_per_visit": round(v.requests, 6),
                "basis": v.basis,
                "requests_per_submission": v.per_submission,
                "conversion_rate": v.conversion,
            }
            for v in estimate.per_visit
        ],
        "uncounted": uncounted
        if uncounted is not None
        else [
            {"campaign": u.campaign_id, "what": u.what, "code": u.note.code}
            for u in estimate.uncounted
        ],
        "times": [iso(t) for t in estimate.times],
        "notes": notes,
    }


def _target(target: TargetEstimate) -> dict[str, Any]:
    return {
        **_judged(target),
        "baseline_at_peak": round(target.baseline_at_peak, 3),
        "sources": {
            s: {source: round(value, 3) for source, value in target.sources[s].items()}
            for s in SCENARIOS
            if s in target.sources
        },
        "capacity": None
        if target.holds_now is None
        else {
            "at_target": round(target.holds_now, 3),
            "full": None if target.full_capacity is None else round(target.full_capacity, 3),
            "target_utilisation": target.target_utilisation,
            "instances": target.instances,
        },
        "series": {s: [round(v, 3) for v in target.series[s]] for s in SCENARIOS},
    }


def _window(window: OverlapWindow, todo: list[str]) -> dict[str, Any]:
    return {
        "campaigns": list(window.campaign_ids),
        "start": iso(window.start),
        "end": iso(window.end),
        "verdict": _worst(window.targets),
        "actions": todo,
        "targets": [_judged(t) for t in window.targets],
    }


def _judged(target: JudgedTarget) -> dict[str, Any]:
    """Kind, name, unit, and the peak and verdict of each scenario."""
    return {
        "kind": target.kind,
        "name": target.name,
        "unit": target.unit,
        "peak": {
            s: {"value": round(target.peak[s].value, 3), "at": iso(target.peak[s].at)}
            for s in SCENARIOS
        },
        "verdict": None
        if target.verdict is None
        else {s: _verdict(target.verdict[s]) for s in SCENARIOS},
    }


def _worst(targets: list[Judged]) -> dict[str, str] | None:
    """The worst status of any judged target in each scenario; None if none was judged."""
    judged = [t.verdict for t in targets if t.verdict is not None]
    if not judged:
        return None
    return {s: max((v[s].status for v in judged), key=VERDICT_ORDER.index) for s in SCENARIOS}


def _verdict(verdict: Verdict) -> dict[str, Any]:
    return {
        "status": verdict.status,
        # None when nothing runs now (a service that scales from zero): JSON has no infinity
        "utilisation": _finite(verdict.utilisation),
        "of_target": _finite(verdict.of_target),
        "instances_needed": verdict.instances_needed,
        "scale_by": iso(verdict.scale_by),
        "backlog": None if verdict.backlog is None else round(verdict.backlog),
        "cleared_at": iso(verdict.cleared_at),
    }


def _finite(value: float) -> float | None:
    return round(value, 4) if math.isfinite(value) else None
