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
from campaign_guard.spec.campaign import CampaignSpec
from campaign_guard.spec.capacity import CapacityProfile

Artefact = Literal["prescale", "queue", "edge"]
"""The ``campaign-guard protect`` command that writes what an action needs: the
pre-scale schedule, the queue's workers and KEDA ScaledObject, the edge rate limit."""


@dataclass(frozen=True)
class Action:
    kind: Literal["scale", "prescale_workers", "rate_limit"]
    target: str
    """A service or queue; for ``rate_limit``, the endpoint (``POST /api/signup``)."""
    amount: float
    """Instances to scale to, or the rate to limit at."""
    unit: str
    by: float
    """Epoch seconds by which it must be done."""
    artefact: Artefact


def scale_actions(judged: Judged, launch: float) -> list[Action]:
    """What to do on one target, by the estimate's deadline (else by the launch)."""
    verdict = judged.verdict["expected"] if judged.verdict else None
    if verdict is None or verdict.status == "ok" or verdict.instances_needed is None:
        return []
    by = verdict.scale_by if verdict.scale_by is not None else launch
    if judged.kind == "queue":
        return [
            Action(
                "prescale_workers", judged.name, verdict.instances_needed, "instances", by, "queue"
            )
        ]
    return [Action("scale", judged.name, verdict.instances_needed, "instances", by, "prescale")]


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
