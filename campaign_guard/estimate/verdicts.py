"""Verdicts: does today's capacity hold, and if not, what to do and by when.

A service is **ok** when its peak stays under its current instances at the target
utilisation; it needs to **scale** when more instances (within its autoscaling
maximum) would hold the peak, and then scaling must start one scale-up lead time
before the load first exceeds today's capacity; it is in **overload** when even the
maximum would not hold it, and the load must be shaped: a rate limit at the edge,
and a queue in front of the writes.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from campaign_guard.estimate.timeline import drain, first_above, peak
from campaign_guard.spec.capacity import DataStore, Ingestion, Service

Status = Literal["ok", "scale", "overload"]


@dataclass(frozen=True)
class Verdict:
    status: Status
    utilisation: float
    """Peak ÷ what the target can take now (1.0 = 100 %)."""
    instances_needed: int | None = None
    scale_by: float | None = None
    """Epoch seconds by which scaling must have started."""
    backlog: float | None = None
    """Queues: the most messages waiting at once."""
    cleared_at: float | None = None
    """Queues: when the backlog is gone."""


def judge_service(service: Service, times: Sequence[float], values: Sequence[float]) -> Verdict:
    top, _ = peak(times, values)
    per_instance = service.requests_per_second_per_instance * service.target_utilisation
    holds_now = service.instances * per_instance
    utilisation = (
        top / (service.instances * service.requests_per_second_per_instance)
        if (service.instances > 0)
        else math.inf
    )
    needed = max(1, _ceil(top / per_instance)) if top > 0 else service.instances
    if top <= holds_now:
        return Verdict("ok", utilisation, service.instances)
    exceeds = first_above(times, values, holds_now)
    lead = service.scale_up_lead_time.total_seconds()
    scale_by = exceeds - lead if exceeds is not None else None
    status: Status = "scale" if needed <= service.max_instances else "overload"
    return Verdict(status, utilisation, needed, scale_by)


def judge_store(store: DataStore, times: Sequence[float], values: Sequence[float]) -> Verdict:
    top, _ = peak(times, values)
    utilisation = top / store.writes_per_second
    return Verdict("ok" if utilisation <= 1.0 else "overload", utilisation)


def judge_queue(ingestion: Ingestion, times: Sequence[float], values: Sequence[float]) -> Verdict:
    capacity = ingestion.workers * ingestion.per_worker_rate
    top, _ = peak(times, values)
    _, backlog, cleared = drain(times, values, capacity)
    utilisation = top / capacity if capacity > 0 else math.inf
    if backlog <= 0:
        return Verdict("ok", utilisation)
    needed = _ceil(top / ingestion.per_worker_rate) if ingestion.per_worker_rate > 0 else None
    return Verdict("scale", utilisation, needed, None, backlog, cleared)


def _ceil(value: float) -> int:
    """Whole units needed for ``value``, ignoring float noise (0.1 × 3 = 0.30000000000000004)."""
    return math.ceil(round(value, 9))
