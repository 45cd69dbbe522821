"""The estimate: every campaign's flows, summed per target over time, with verdicts.

For each scenario (low, expected, high) the flows of every campaign are mapped onto
the capacity profile, sampled on one shared timeline (so campaigns that overlap add
up), the hourly baseline is added, and each target's peak is found. Verdicts compare
the peaks with what the services and data stores can take.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone, tzinfo

from campaign_guard.estimate.channels import flows_for
from campaign_guard.estimate.flows import SCENARIOS, Flow, Note, Scenario
from campaign_guard.estimate.kernels import Burst
from campaign_guard.estimate.loads import (
    DEFAULT_CONVERSION,
    LoadMap,
    Target,
    TargetKind,
    map_loads,
)
from campaign_guard.estimate.timeline import (
    TAIL,
    Window,
    drain,
    peak,
    sample_flows,
    sample_times,
    total,
)
from campaign_guard.estimate.verdicts import Verdict, judge_queue, judge_service, judge_store
from campaign_guard.spec.campaign import CampaignSpec
from campaign_guard.spec.capacity import Baseline, CapacityProfile

TargetKey = tuple[TargetKind, str]

LEAD_IN = 600.0
"""Seconds shown before the first launch, to see the level the load starts from."""


@dataclass(frozen=True)
class Peak:
    value: float
    at: float
    """Epoch seconds."""


@dataclass(frozen=True)
class TargetEstimate:
    """One service, data store, queue, page or endpoint over time, per scenario."""

    kind: str
    name: str
    unit: str
    series: dict[Scenario, list[float]]
    """Total rate (campaigns + baseline) at each of :attr:`Estimate.times`."""
    peak: dict[Scenario, Peak]
    baseline_at_peak: float
    verdict: dict[Scenario, Verdict] | None
    holds_now: float | None = None
    """What it takes today without trouble, in ``unit`` (services: current instances
    at their target utilisation)."""
    instances: int | None = None


@dataclass(frozen=True)
class CampaignEstimate:
    campaign_id: str
    name: str
    start: float
    end: float
    visits: dict[Scenario, float]
    leads: dict[Scenario, float]
    zone: tzinfo
    """The campaign's own time zone, to show its times as the marketer wrote them."""


@dataclass(frozen=True)
class Estimate:
    campaigns: list[CampaignEstimate]
    times: list[float]
    targets: list[TargetEstimate]
    notes: list[Note]
    profile: str | None
    zone: tzinfo


def estimate(specs: Sequence[CampaignSpec], profile: CapacityProfile | None) -> Estimate:
    """Estimate the load of ``specs`` together (overlaps add up) against ``profile``."""
    with _collector_paused():
        return _estimate(specs, profile)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while estimating.

    The estimate allocates millions of floats in lists that live until it returns and
    form no reference cycles; the collector's repeated scans of them cost a quarter of
    a large calendar's time and can free nothing.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _estimate(specs: Sequence[CampaignSpec], profile: CapacityProfile | None) -> Estimate:
    by_scenario: dict[Scenario, tuple[list[Flow], LoadMap]] = {}
    notes: list[Note] = []
    for scenario in SCENARIOS:
        flows: list[Flow] = []
        for spec in specs:
            spec_flows, spec_notes = flows_for(spec, scenario)
            flows.extend(spec_flows)
            if scenario == "expected":
                notes.extend(spec_notes)
        load_map = map_loads(specs, flows, profile)
        by_scenario[scenario] = (flows, load_map)
    notes.extend(by_scenario["expected"][1].notes)
    ends = {spec.campaign_id: spec.launch.ends.timestamp() for spec in specs}
    curves = [f.curve for flows, _ in by_scenario.values() for f in flows]
    anchors = [a for c in curves if isinstance(c, Burst) for a in c.anchors()]
    edges = [e for c in curves if not isinstance(c, Burst) for e in c.support()]
    window = _window(specs, [*anchors, *edges])
    times = sample_times(anchors, window, edges)
    targets = _targets(by_scenario, times, ends, profile)
    visits = _human_visits(by_scenario)
    return Estimate(
        campaigns=[_campaign(spec, visits, profile) for spec in specs],
        times=times,
        targets=targets,
        notes=notes,
        profile=profile.name if profile is not None else None,
        zone=specs[0].launch.zone if specs else timezone.utc,
    )


def _window(specs: Sequence[CampaignSpec], anchors: Sequence[float]) -> Window:
    starts = [spec.launch.start.timestamp() for spec in specs] + list(anchors)
    ends = [spec.launch.ends.timestamp() for spec in specs] + list(anchors)
    if not starts:
        return Window(0.0, 0.0)  # nothing to estimate: an empty timeline
    return Window(min(starts) - LEAD_IN, max(ends) + TAIL)


def _targets(
    by_scenario: dict[Scenario, tuple[list[Flow], LoadMap]],
    times: list[float],
    ends: dict[str, float],
    profile: CapacityProfile | None,
) -> list[TargetEstimate]:
    series: dict[TargetKey, dict[Scenario, list[float]]] = {}
    kinds: dict[TargetKey, Target] = {}
    samples = sample_flows((f for flows, _ in by_scenario.values() for f in flows), times, ends)
    for scenario, (_, load_map) in by_scenario.items():
        for key, target in load_map.targets.items():
            kinds.setdefault(key, target)
            series.setdefault(key, {})[scenario] = total(target.loads, samples, len(times))
    for key in kinds:  # a target reached in one scenario only is zero in the others
        for scenario in SCENARIOS:
            series[key].setdefault(scenario, [0.0] * len(times))
    if profile is not None:
        _route_queues_to_stores(series, kinds, times, profile)
    clock = _local_clock(times, profile)
    return [
        _target(kinds[key], series[key], times, profile, clock)
        for key in sorted(kinds, key=lambda k: (_KIND_ORDER.index(k[0]), k[1]))
    ]


_KIND_ORDER = ("service", "data_store", "queue", "page", "endpoint")


def _route_queues_to_stores(
    series: dict[TargetKey, dict[Scenario, list[float]]],
    kinds: dict[TargetKey, Target],
    times: list[float],
    profile: CapacityProfile,
) -> None:
    """Writes that go through the ingestion queue reach the store at the drain rate."""
    ingestion = profile.ingestion
    if ingestion is None or ("queue", ingestion.queue) not in series:
        return
    capacity = ingestion.workers * ingestion.per_worker_rate
    stores = {route.data_store for route in profile.routes if ingestion.covers(route.match)}
    for store in sorted(s for s in stores if s is not None):
        key: TargetKey = ("data_store", store)
        kinds.setdefault(key, Target("data_store", store, "writes/s"))
        for scenario in SCENARIOS:
            outflow, _, _ = drain(times, series[("queue", ingestion.queue)][scenario], capacity)
            current = series.setdefault(key, {}).setdefault(scenario, [0.0] * len(times))
            series[key][scenario] = [a + b for a, b in zip(current, outflow, strict=True)]


def _target(
    target: Target,
    campaign_series: dict[Scenario, list[float]],
    times: list[float],
    profile: CapacityProfile | None,
    clock: list[tuple[int, bool]],
) -> TargetEstimate:
    baseline = _baseline_series(target, clock, profile, len(times))
    totals = {
        scenario: [c + b for c, b in zip(values, baseline, strict=True)]
        for scenario, values in campaign_series.items()
    }
    peaks = {scenario: Peak(*peak(times, values)) for scenario, values in totals.items()}
    at_peak = times.index(peaks["expected"].at) if times else 0
    verdict = _verdicts(target, totals, times, profile)
    holds_now, instances = _capacity(target, profile)
    return TargetEstimate(
        target.kind,
        target.name,
        target.unit,
        totals,
        peaks,
        baseline[at_peak] if baseline else 0.0,
        verdict,
        holds_now,
        instances,
    )


def _capacity(target: Target, profile: CapacityProfile | None) -> tuple[float | None, int | None]:
    if profile is None:
        return None, None
    if target.kind == "service":
        service = profile.services[target.name]
        per_instance = service.requests_per_second_per_instance * service.target_utilisation
        return service.instances * per_instance, service.instances
    if target.kind == "data_store":
        return profile.data_stores[target.name].writes_per_second, None
    if target.kind == "queue" and profile.ingestion is not None:
        return profile.ingestion.workers * profile.ingestion.per_worker_rate, None
    return None, None


def _local_clock(times: list[float], profile: CapacityProfile | None) -> list[tuple[int, bool]]:
    """``(hour, is weekend)`` of each sample time in the profile's zone (baselines' hours)."""
    if profile is None:
        return []
    zone = profile.zone
    clock = []
    for t in times:
        local = datetime.fromtimestamp(t, zone)
        clock.append((local.hour, local.weekday() >= 5))
    return clock


def _baseline_series(
    target: Target, clock: list[tuple[int, bool]], profile: CapacityProfile | None, size: int
) -> list[float]:
    baseline: Baseline | None = None
    if profile is not None and target.kind == "service":
        baseline = profile.services[target.name].baseline
    elif profile is not None and target.kind == "data_store":
        baseline = profile.data_stores[target.name].baseline
    if baseline is None:
        return [0.0] * size
    return [baseline.at(hour, weekend=weekend) for hour, weekend in clock]


def _verdicts(
    target: Target,
    totals: dict[Scenario, list[float]],
    times: list[float],
    profile: CapacityProfile | None,
) -> dict[Scenario, Verdict] | None:
    if profile is None:
        return None
    if target.kind == "service":
        service = profile.services[target.name]
        return {s: judge_service(service, times, v) for s, v in totals.items()}
    if target.kind == "data_store":
        store = profile.data_stores[target.name]
        return {s: judge_store(store, times, v) for s, v in totals.items()}
    if target.kind == "queue" and profile.ingestion is not None:
        ingestion = profile.ingestion
        return {s: judge_queue(ingestion, times, v) for s, v in totals.items()}
    return None


def _human_visits(
    by_scenario: dict[Scenario, tuple[list[Flow], LoadMap]],
) -> dict[tuple[Scenario, str], float]:
    """People who visit, per scenario and campaign id (one pass over every flow)."""
    visits: dict[tuple[Scenario, str], float] = {}
    for scenario, (flows, _) in by_scenario.items():
        for flow in flows:
            if flow.kind == "visit":
                key = (scenario, flow.campaign_id)
                visits[key] = visits.get(key, 0.0) + flow.curve.total
    return visits


def _campaign(
    spec: CampaignSpec,
    visits: dict[tuple[Scenario, str], float],
    profile: CapacityProfile | None,
) -> CampaignEstimate:
    conversion = _conversion(spec, profile)
    campaign_id = spec.campaign_id
    human = {s: visits.get((s, campaign_id), 0.0) for s in SCENARIOS}
    return CampaignEstimate(
        campaign_id,
        spec.name,
        spec.launch.start.timestamp(),
        spec.launch.ends.timestamp(),
        human,
        {s: human[s] * conversion for s in SCENARIOS},
        spec.launch.zone,
    )


def _conversion(spec: CampaignSpec, profile: CapacityProfile | None) -> float:
    """Share of visits that become a lead: the first form endpoint's conversion."""
    for endpoint in spec.endpoints:
        if not endpoint.startswith(("POST ", "PUT ", "PATCH ")):
            continue
        route = profile.route_for_endpoint(endpoint) if profile is not None else None
        return route.conversion_rate if route is not None else DEFAULT_CONVERSION
    return 0.0
