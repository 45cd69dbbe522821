"""Verdicts: does today's capacity hold, and if not, what to do and by when.

A service is **ok** when its peak stays under its current instances at the target
utilisation; it needs to **scale** when more instances (within its autoscaling
maximum) would hold the peak, and then scaling must start one scale-up lead time
before the load first exceeds today's capacity; it is in **overload** when even the
maximum would not hold it, and the load must be shaped: a rate limit at the edge,
and a queue in front of the writes.

Each judge looks at one stretch of a series (the whole timeline, one overlap window or
one campaign's run): ``top`` is its highest value there, ``first`` to ``last`` (exclusive)
its samples.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, NamedTuple

from campaign_guard.loadmodel.queueing import emptied_at, keep_up_workers
from campaign_guard.loadmodel.timeline import RangeMax, first_above
from campaign_guard.spec.capacity import DataStore, Ingestion, Service

Status = Literal["ok", "scale", "overload"]


@dataclass(frozen=True)
class Verdict:
    status: Status
    utilisation: float
    """Peak ÷ all the target can take now, at 100 % (1.0 = 100 %)."""
    of_target: float
    """Peak ÷ what the target takes now at its target utilisation: the ratio the status
    is judged on (services aim below 100 %; data stores and queues have no such aim, so
    there it equals :attr:`utilisation`)."""
    instances_needed: int | None = None
    scale_by: float | None = None
    """Epoch seconds by which scaling must have started."""
    backlog: float | None = None
    """Queues: the most messages waiting at once."""
    cleared_at: float | None = None
    """Queues: when the backlog is gone."""


class Stretch(NamedTuple):
    """Samples ``first`` to ``last`` (exclusive) of ``values``, taken at ``times``."""

    times: Sequence[float]
    values: Sequence[float]
    first: int
    last: int
    maxima: RangeMax | None = None
    """The maxima of ``values``' blocks, to skip those under a level."""


def judge_service(service: Service, top: float, stretch: Stretch) -> Verdict:
    full = service.instances * service.requests_per_second_per_instance
    per_instance = service.requests_per_second_per_instance * service.target_utilisation
    holds_now = service.instances * per_instance
    utilisation = _ratio(top, full)
    of_target = _ratio(top, holds_now)
    needed = max(1, _ceil(top / per_instance)) if top > 0 else service.instances
    if top <= holds_now:
        return Verdict("ok", utilisation, of_target, service.instances)
    exceeds = _first_above(stretch, holds_now)
    lead = service.scale_up_lead_time.total_seconds()
    scale_by = exceeds - lead if exceeds is not None else None
    status: Status = "scale" if needed <= service.max_instances else "overload"
    return Verdict(status, utilisation, of_target, needed, scale_by)


def judge_store(store: DataStore, top: float) -> Verdict:
    utilisation = _ratio(top, store.writes_per_second)
    return Verdict("ok" if utilisation <= 1.0 else "overload", utilisation, utilisation)


def judge_queue(
    ingestion: Ingestion,
    top: float,
    stretch: Stretch,
    backlog: Sequence[float],
    most: float,
) -> Verdict:
    """``stretch`` is the queue's inflow; ``backlog`` its backlog at every sample of the
    whole timeline (:func:`~campaign_guard.loadmodel.timeline.drain`), so a backlog left by
    earlier samples counts too; ``most`` is the highest backlog in the stretch."""
    capacity = ingestion.workers * ingestion.per_worker_rate
    utilisation = _ratio(top, capacity)
    if most <= 0:
        return Verdict("ok", utilisation, utilisation)
    needed = keep_up_workers(top, ingestion.per_worker_rate)
    cleared = _cleared(stretch, backlog, capacity)
    return Verdict("scale", utilisation, utilisation, needed, None, most, cleared)


def _first_above(stretch: Stretch, level: float) -> float | None:
    """When the stretch first goes above ``level``."""
    if stretch.maxima is None:
        return first_above(stretch.times, stretch.values, level, stretch.first, stretch.last)
    index = stretch.maxima.first_above(level, stretch.first, stretch.last)
    return None if index is None else stretch.times[index]


def _cleared(stretch: Stretch, backlog: Sequence[float], capacity: float) -> float:
    """When the stretch's last backlog is gone (after it, if it outlasts the stretch).

    The backlog reaches zero between two samples, at the pace of that interval's net
    outflow; if it never does, the last sample time.
    """
    times, inflow, first, last, _ = stretch
    i = last - 1
    while i > first and backlog[i] <= 0:
        i -= 1
    cleared = emptied_at(times, inflow, backlog, capacity, i)
    return times[-1] if cleared is None else cleared


MOST = 1e18
"""The largest ratio or count a verdict holds: a rate of 10^18 against a capacity of
10^-300 per instance would need more instances than a float can count."""


def _ratio(value: float, capacity: float) -> float:
    return min(value / capacity, MOST) if capacity > 0 else math.inf


def _ceil(value: float) -> int:
    """Whole units needed for ``value``, ignoring float noise (0.1 × 3 = 0.30000000000000004)."""
    return math.ceil(round(min(value, MOST), 9))
