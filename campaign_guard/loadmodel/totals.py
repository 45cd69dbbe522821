"""Every target's load over time: the campaigns' loads summed, the queue's drain passed
on to its data stores, and the hourly baselines.

Part of the estimate (:mod:`campaign_guard.loadmodel.engine`); pure.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from campaign_guard.defaults import SCENARIOS, Scenario
from campaign_guard.loadmodel.flows import Flow
from campaign_guard.loadmodel.judge import TargetKey
from campaign_guard.loadmodel.loads import Load, LoadMap, Target
from campaign_guard.loadmodel.queueing import Drained, drain
from campaign_guard.loadmodel.timeline import Samples, total
from campaign_guard.spec.capacity import Baseline, CapacityProfile

KIND_ORDER = ("service", "data_store", "queue", "page", "endpoint")
"""The order targets are listed in."""


@dataclass
class Mapped:
    """Every target's campaign load (no baseline yet), its loads, and who reaches it."""

    kinds: dict[TargetKey, Target]
    series: dict[TargetKey, dict[Scenario, list[float]]]
    loads: dict[TargetKey, dict[Scenario, list[Load]]]
    reach: dict[TargetKey, set[str]]
    """Campaign ids whose traffic reaches each target."""

    @classmethod
    def of(
        cls,
        by_scenario: dict[Scenario, tuple[list[Flow], LoadMap]],
        samples: dict[int, Samples],
        size: int,
    ) -> Mapped:
        mapped = cls({}, {}, {}, {})
        for scenario, (_, load_map) in by_scenario.items():
            for key, target in load_map.targets.items():
                known = mapped.kinds.setdefault(key, target)
                if target.unit != known.unit:  # link scanners in one scenario only
                    mapped.kinds[key] = Target(key[0], key[1], "requests/s")
                mapped.series.setdefault(key, {})[scenario] = total(target.loads, samples, size)
                mapped.loads.setdefault(key, {})[scenario] = target.loads
                mapped.reach.setdefault(key, set()).update(
                    load.flow.campaign_id for load in target.loads
                )
        for key in mapped.kinds:  # a target reached in one scenario only is zero in the others
            for scenario in SCENARIOS:
                mapped.series[key].setdefault(scenario, [0.0] * size)
                mapped.loads[key].setdefault(scenario, [])
        return mapped


def route_queues_to_stores(
    mapped: Mapped, times: list[float], profile: CapacityProfile | None
) -> dict[Scenario, Drained] | None:
    """Writes that go through the ingestion queue reach the store at the drain rate."""
    ingestion = profile.ingestion if profile is not None else None
    if profile is None or ingestion is None or ("queue", ingestion.queue) not in mapped.series:
        return None
    queue: TargetKey = ("queue", ingestion.queue)
    capacity = ingestion.workers * ingestion.per_worker_rate
    drained = {s: drain(times, mapped.series[queue][s], capacity) for s in SCENARIOS}
    stores = {route.data_store for route in profile.routes if ingestion.covers(route.match)}
    for store in sorted(s for s in stores if s is not None):
        key: TargetKey = ("data_store", store)
        mapped.kinds.setdefault(key, Target("data_store", store, "writes/s"))
        mapped.reach.setdefault(key, set()).update(mapped.reach[queue])
        for scenario in SCENARIOS:
            current = mapped.series.setdefault(key, {}).get(scenario, [0.0] * len(times))
            outflow = drained[scenario].outflow
            mapped.series[key][scenario] = [a + b for a, b in zip(current, outflow, strict=True)]
            mapped.loads.setdefault(key, {}).setdefault(scenario, [])
    return drained


def baseline_series(
    target: Target, clock: list[tuple[int, bool]], profile: CapacityProfile | None, size: int
) -> list[float]:
    """The target's baseline at each sample (``clock``: the samples' hours)."""
    baseline: Baseline | None = None
    if profile is not None and target.kind == "service":
        baseline = profile.services[target.name].baseline
    elif profile is not None and target.kind == "data_store":
        baseline = profile.data_stores[target.name].baseline
    if baseline is None:
        return [0.0] * size
    return [baseline.at(hour, weekend=weekend) for hour, weekend in clock]


def local_clock(times: list[float], profile: CapacityProfile | None) -> list[tuple[int, bool]]:
    """``(hour, is weekend)`` of each sample time in the profile's zone (baselines' hours)."""
    if profile is None:
        return []
    zone = profile.zone
    clock = []
    for t in times:
        local = datetime.fromtimestamp(t, zone)
        clock.append((local.hour, local.weekday() >= 5))
    return clock
