"""What a campaign needs done before its launch, and the ``protect`` command that writes it.

``review`` lists these actions; ``protect prescale`` turns the scale actions into a
schedule, ``protect queue`` sizes the workers and ``protect edge`` writes the limits.
Pure: no printing, no files.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Literal

from campaign_guard.loadmodel.engine import Estimate
from campaign_guard.loadmodel.judge import Judged
from campaign_guard.protect.edge import plan_edge
from campaign_guard.protect.queue import DEFAULT_MAX_DELAY, Sizing, size
from campaign_guard.protect.queue_plan import SIZED_ON, QueuePlan, plan_queue
from campaign_guard.spec.campaign import CampaignSpec
from campaign_guard.spec.capacity import CapacityProfile

Artefact = Literal["prescale", "queue", "edge"]
"""The ``campaign-guard protect`` command that writes what an action needs: the
pre-scale schedule, the queue's workers and KEDA ScaledObject, the edge rate limit."""


@dataclass(frozen=True)
class Action:
    kind: Literal["scale", "prescale_workers", "rate_limit", "queue_backlog"]
    target: str
    """A service or queue; for ``rate_limit``, the endpoint (``POST /api/signup``)."""
    amount: float
    """Instances to scale to, or the rate to limit at."""
    unit: str
    by: float
    """Epoch seconds by which it must be done."""
    artefact: Artefact
    waiting: float | None = None
    """``queue_backlog``: the most leads waiting at once (high case)."""
    wait: float | None = None
    """``queue_backlog``: seconds the unluckiest lead waits (high case)."""


def scale_actions(judged: Judged, launch: float) -> list[Action]:
    """What to do on one service, by the estimate's deadline (else by the launch)."""
    verdict = judged.verdict["expected"] if judged.verdict else None
    if judged.kind != "service" or verdict is None or verdict.status == "ok":
        return []
    if verdict.instances_needed is None:
        return []
    by = verdict.scale_by if verdict.scale_by is not None else launch
    return [Action("scale", judged.name, verdict.instances_needed, "instances", by, "prescale")]


def queue_actions(
    profile: CapacityProfile, result: Estimate, run: tuple[float, float]
) -> list[Action]:
    """The ingestion queue's workers to pre-scale during ``run`` (epoch seconds), as
    ``protect queue`` sizes them: enough to keep every lead's wait under its default
    5 minutes in the high case, a scale-up lead time early. A backlog that drains in
    time needs no more workers, so the estimate's "keep up with the peak" count is not
    what is asked for: when today's workers let a backlog form and drain in time, the
    action is to let the queue take the peak (``queue_backlog``)."""
    if profile.ingestion is None:
        return []
    plan = plan_queue(result, profile, DEFAULT_MAX_DELAY)
    start, end = run
    found = [
        Action("prescale_workers", plan.queue, w.replicas, "workers", w.start, "queue")
        for w in plan.prescale
        if w.start < end and w.end > start - plan.scale_up_lead_time
    ]
    high = _run_sizing(result, plan, run)
    if found or high is None or high.peak_backlog <= 0 or high.worst_delay > DEFAULT_MAX_DELAY:
        return found
    return [
        Action(
            "queue_backlog",
            plan.queue,
            plan.workers_now,
            "workers",
            start,
            "queue",
            waiting=high.peak_backlog,
            wait=high.worst_delay,
        )
    ]


def _run_sizing(result: Estimate, plan: QueuePlan, run: tuple[float, float]) -> Sizing | None:
    """The queue's high case against today's workers over ``run`` alone (a backlog other
    campaigns cause outside it is theirs)."""
    target = next((t for t in result.targets if t.kind == "queue" and t.name == plan.queue), None)
    inside = [i for i, t in enumerate(result.times) if run[0] <= t <= run[1]]
    if target is None or not inside:
        return None
    first, last = inside[0], inside[-1] + 1
    rates = target.series[SIZED_ON][first:last]
    times = result.times[first:last]
    return size(times, rates, plan.workers_now, plan.per_worker, DEFAULT_MAX_DELAY)


def edge_actions(
    spec: CampaignSpec,
    specs: Sequence[CampaignSpec],
    profile: CapacityProfile,
    result: Estimate,
    short: Collection[str],
) -> list[Action]:
    """An edge rate limit, in place by the launch, on each of ``spec``'s endpoints whose
    service is in ``short`` (short of headroom at the peak: tight, to be scaled, or over
    even at its maximum): the safety net if the estimate is low. The limit is the one
    ``protect edge`` writes for ``specs`` (the campaign and those it overlaps, which
    share the service's spare capacity)."""
    endpoints = [
        e
        for e in spec.endpoints
        if (route := profile.route_for_endpoint(e)) and route.service in short
    ]
    if not endpoints:
        return []
    limits = {p.endpoint: p for p in plan_edge(specs, profile, result).endpoints}
    launch = spec.launch.start.timestamp()
    return [
        Action(
            "rate_limit", e, limits[e].whole.rate.per_second, "requests/s per proxy", launch, "edge"
        )
        for e in dict.fromkeys(endpoints)
        if e in limits
    ]
