"""The estimate: every campaign's flows, summed per target over time, with verdicts.

For each scenario (low, expected, high) the flows of every campaign are mapped onto
the capacity profile, sampled on one shared timeline (so campaigns that overlap add
up), the hourly baseline is added, and each target's peak is found. Verdicts compare
the peaks with what the services and data stores can take: over the whole timeline,
for each overlap window and for each campaign (:mod:`~campaign_guard.loadmodel.judge`).
Each peak is split by where it comes from (:mod:`~campaign_guard.loadmodel.sources`), and
load that could not be counted is listed (:mod:`~campaign_guard.loadmodel.uncounted`).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timezone, tzinfo

from campaign_guard.defaults import SCENARIOS, Scenario
from campaign_guard.loadmodel.channels import flows_for
from campaign_guard.loadmodel.flows import Flow, Note
from campaign_guard.loadmodel.horizon import beyond_notes, coarse_note, horizon
from campaign_guard.loadmodel.judge import (
    RESPONSE_TAIL,
    Judge,
    Judged,
    OverlapWindow,
    Peak,
    Run,
    TargetKey,
)
from campaign_guard.loadmodel.kernels import Burst, Spots
from campaign_guard.loadmodel.loads import DEFAULT_CONVERSION, LoadMap, RouteCache, map_loads
from campaign_guard.loadmodel.sources import PerVisit, Source, per_visit, split
from campaign_guard.loadmodel.timeline import (
    TAIL,
    Samples,
    Window,
    sample_flows,
    sample_limit,
    sample_times,
)
from campaign_guard.loadmodel.totals import (
    KIND_ORDER,
    Mapped,
    baseline_series,
    local_clock,
    route_queues_to_stores,
)
from campaign_guard.loadmodel.uncounted import Uncounted, uncounted
from campaign_guard.loadmodel.verdicts import Verdict
from campaign_guard.spec.campaign import CampaignSpec
from campaign_guard.spec.capacity import CapacityProfile

__all__ = [
    "CampaignEstimate",
    "Estimate",
    "Judged",
    "OverlapWindow",
    "Peak",
    "TargetEstimate",
    "Uncounted",
    "estimate",
]

LEAD_IN = 600.0
"""Seconds shown before the first launch, to see the level the load starts from."""


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
    full_capacity: float | None = None
    """All it can take today, in ``unit`` (services: current instances at 100 %)."""
    target_utilisation: float | None = None
    """Services: the share of :attr:`full_capacity` DevOps aim to use at most."""
    sources: dict[Scenario, dict[Source, float]] = field(default_factory=dict)
    """Each scenario's peak by where it comes from (sums to the peak)."""


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
    targets: list[Judged] = field(default_factory=list)
    """The targets its traffic reaches, judged over its run (overlapping campaigns'
    load included: it adds up)."""
    window: int = 0
    """Index of its overlap window in :attr:`Estimate.windows`."""


@dataclass(frozen=True)
class Estimate:
    campaigns: list[CampaignEstimate]
    times: list[float]
    targets: list[TargetEstimate]
    notes: list[Note]
    profile: str | None
    zone: tzinfo
    windows: list[OverlapWindow] = field(default_factory=list)
    """Campaigns whose runs overlap, judged together; in order of time."""
    per_visit: list[PerVisit] = field(default_factory=list)
    """What a visit costs behind each page and endpoint (with a profile)."""
    uncounted: list[Uncounted] = field(default_factory=list)
    """The load left out of this estimate (one per note that says so); empty when
    everything was counted."""


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
    routes = RouteCache(profile) if profile is not None else None
    for scenario in SCENARIOS:
        flows: list[Flow] = []
        for spec in specs:
            spec_flows, spec_notes = flows_for(spec, scenario)
            flows.extend(spec_flows)
            if scenario == "expected":
                notes.extend(spec_notes)
        load_map = map_loads(specs, flows, profile, routes)
        by_scenario[scenario] = (flows, load_map)
    notes.extend(by_scenario["expected"][1].notes)
    ends = {spec.campaign_id: spec.launch.ends.timestamp() for spec in specs}
    every_flow = [f for flows, _ in by_scenario.values() for f in flows]
    curves = [f.curve for f in every_flow]
    anchors = [a for c in curves if isinstance(c, Burst | Spots) for a in c.anchors()]
    edges = [e for c in curves if not isinstance(c, Burst | Spots) for e in c.support()]
    window = _window(specs, [*anchors, *edges])
    notes.extend(beyond_notes(specs, by_scenario["expected"][0], horizon(specs)))
    size = len({key for _, load_map in by_scenario.values() for key in load_map.targets})
    times, fine = sample_times(anchors, window, edges, sample_limit(size))
    if not fine:
        notes.append(coarse_note(specs, len(times)))
    combined = [f for _, load_map in by_scenario.values() for f in load_map.combined]
    samples = sample_flows([*every_flow, *combined], times, ends)
    mapped = Mapped.of(by_scenario, samples, len(times))
    drained = route_queues_to_stores(mapped, times, profile)
    clock = local_clock(times, profile)
    baselines = {
        key: baseline_series(t, clock, profile, len(times)) for key, t in mapped.kinds.items()
    }
    totals = {
        key: {s: [c + b for c, b in zip(v, baselines[key], strict=True)] for s, v in by.items()}
        for key, by in mapped.series.items()
    }
    judge = Judge(times, totals, mapped.kinds, profile, drained)
    keys = sorted(mapped.kinds, key=lambda k: (KIND_ORDER.index(k[0]), k[1]))
    targets = [
        _target(judge, mapped, samples, key, baseline=baselines[key], profile=profile)
        for key in keys
    ]
    runs = _runs(specs, every_flow)
    windows = judge.windows(runs, keys)
    in_window = {c: i for i, w in enumerate(windows) for c in w.campaign_ids}
    visits = _human_visits(by_scenario)
    campaigns = [
        _campaign(spec, visits, profile, in_window[run.campaign_id], _judged(judge, mapped, run))
        for spec, run in zip(specs, runs, strict=True)
    ]
    return Estimate(
        campaigns=campaigns,
        times=times,
        targets=targets,
        notes=notes,
        profile=profile.name if profile is not None else None,
        zone=specs[0].launch.zone if specs else timezone.utc,
        windows=windows,
        per_visit=per_visit(specs, by_scenario["expected"][0], routes),
        uncounted=uncounted(notes, specs),
    )


def _window(specs: Sequence[CampaignSpec], anchors: Sequence[float]) -> Window:
    """From just before the first launch to a day after the last end or anchor, within
    the horizon."""
    if not specs:
        return Window(0.0, 0.0)  # nothing to estimate: an empty timeline
    start = min(spec.launch.start.timestamp() for spec in specs) - LEAD_IN
    ends = [spec.launch.ends.timestamp() for spec in specs] + list(anchors)
    return Window(start, max(start, min(max(ends) + TAIL, horizon(specs))))


def _target(
    judge: Judge,
    mapped: Mapped,
    samples: dict[int, Samples],
    key: TargetKey,
    *,
    baseline: list[float],
    profile: CapacityProfile | None,
) -> TargetEstimate:
    whole = judge.judge(key)
    totals = judge.totals[key]
    times = judge.times
    indices = {s: times.index(whole.peak[s].at) for s in SCENARIOS} if times else {}
    sources = {
        s: split(mapped.loads[key][s], samples, i, totals[s][i], baseline[i])
        for s, i in indices.items()
    }
    capacity = _capacity(whole.kind, whole.name, profile)
    return TargetEstimate(
        whole.kind,
        whole.name,
        mapped.kinds[key].unit,
        totals,
        whole.peak,
        baseline[indices["expected"]] if times else 0.0,
        whole.verdict,
        capacity.holds_now,
        capacity.instances,
        capacity.full,
        capacity.target_utilisation,
        sources,
    )


@dataclass(frozen=True)
class _Capacity:
    holds_now: float | None = None
    instances: int | None = None
    full: float | None = None
    target_utilisation: float | None = None


def _capacity(kind: str, name: str, profile: CapacityProfile | None) -> _Capacity:
    if profile is None:
        return _Capacity()
    if kind == "service":
        service = profile.services[name]
        per_instance = service.requests_per_second_per_instance
        at_target = service.instances * (per_instance * service.target_utilisation)
        full = service.instances * per_instance
        return _Capacity(at_target, service.instances, full, service.target_utilisation)
    if kind == "data_store":
        writes = profile.data_stores[name].writes_per_second
        return _Capacity(writes, full=writes)
    if kind == "queue" and profile.ingestion is not None:
        drains = profile.ingestion.workers * profile.ingestion.per_worker_rate
        return _Capacity(drains, full=drains)
    return _Capacity()


def _runs(specs: Sequence[CampaignSpec], flows: Sequence[Flow]) -> list[Run]:
    """Each campaign from its launch (or its first send) to an hour after its end (or its
    last send or spot)."""
    anchors: dict[str, list[float]] = {}
    for flow in flows:
        anchors.setdefault(flow.campaign_id, []).extend(flow.curve.anchors())
    runs = []
    for spec in specs:
        mine = anchors.get(spec.campaign_id, [])
        launch = (spec.launch.start.timestamp(), spec.launch.ends.timestamp())
        start = min([launch[0], *mine])
        end = max([launch[1], *mine]) + RESPONSE_TAIL
        runs.append(Run(spec.campaign_id, start, end, launch))
    return runs


def _judged(judge: Judge, mapped: Mapped, run: Run) -> list[Judged]:
    """The targets ``run``'s campaign reaches, judged over its run."""
    first, last = judge.index(run.start, run.end)
    keys = [key for key in mapped.kinds if run.campaign_id in mapped.reach.get(key, ())]
    keys.sort(key=lambda k: (KIND_ORDER.index(k[0]), k[1]))
    return [judge.judge(key, first, last) for key in keys]


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
    window: int,
    targets: list[Judged],
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
        targets,
        window,
    )


def _conversion(spec: CampaignSpec, profile: CapacityProfile | None) -> float:
    """Share of visits that become a lead: the first form endpoint's conversion."""
    for endpoint in spec.endpoints:
        if not endpoint.startswith(("POST ", "PUT ", "PATCH ")):
            continue
        route = profile.route_for_endpoint(endpoint) if profile is not None else None
        return route.conversion_rate if route is not None else DEFAULT_CONVERSION
    return 0.0
