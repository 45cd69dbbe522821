"""The estimate as a JSON document, for machines (``estimate --json``)."""

from __future__ import annotations

import math
from datetime import datetime, timezone
from typing import Any

from campaign_guard.estimate.engine import Estimate, TargetEstimate
from campaign_guard.estimate.flows import SCENARIOS
from campaign_guard.estimate.summary import actions, headline
from campaign_guard.estimate.verdicts import Verdict

FORMAT_VERSION = 1


def iso(epoch: float | None) -> str | None:
    """UTC ISO 8601 with a ``Z``, or ``None``."""
    if epoch is None:
        return None
    return datetime.fromtimestamp(epoch, timezone.utc).isoformat().replace("+00:00", "Z")


def to_json(estimate: Estimate, notes: list[dict[str, Any]]) -> dict[str, Any]:
    """The whole estimate; ``notes`` are already placed (path, line, column)."""
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
            }
            for c in estimate.campaigns
        ],
        "targets": [_target(t) for t in estimate.targets],
        "times": [iso(t) for t in estimate.times],
        "notes": notes,
    }


def _target(target: TargetEstimate) -> dict[str, Any]:
    return {
        "kind": target.kind,
        "name": target.name,
        "unit": target.unit,
        "peak": {
            s: {"value": round(target.peak[s].value, 3), "at": iso(target.peak[s].at)}
            for s in SCENARIOS
        },
        "baseline_at_peak": round(target.baseline_at_peak, 3),
        "verdict": None
        if target.verdict is None
        else {s: _verdict(target.verdict[s]) for s in SCENARIOS},
        "series": {s: [round(v, 3) for v in target.series[s]] for s in SCENARIOS},
    }


def _verdict(verdict: Verdict) -> dict[str, Any]:
    return {
        "status": verdict.status,
        # None when nothing runs now (a service that scales from zero): JSON has no infinity
        "utilisation": round(verdict.utilisation, 4)
        if math.isfinite(verdict.utilisation)
        else None,
        "instances_needed": verdict.instances_needed,
        "scale_by": iso(verdict.scale_by),
        "backlog": None if verdict.backlog is None else round(verdict.backlog),
        "cleared_at": iso(verdict.cleared_at),
    }
