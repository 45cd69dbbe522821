"""Pre-scaling: when to scale each service up for the campaigns, and when back down.

Pure: it reads the estimate and the capacity profile and returns data. The scale-ups
are the actions ``review`` lists (:func:`campaign_guard.protect.actions.scale_actions`):
per campaign and service, the instances its expected peak needs at the service's target
utilisation, due one scale-up lead time before the load first exceeds what today's
instances hold (the launch, for most campaigns). The schedule starts each a safety
margin earlier, holds it through the campaign's run until the load is back under
today's capacity for good, waits a cool-down, then scales back to the profile's
``instances``. Never below ``instances``, never above ``max_instances`` (a finding when
the peak needs more). Overlapping windows of one service are merged: the larger count,
from the first start to the last end.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field

from campaign_guard.loadmodel.engine import CampaignEstimate, Estimate, TargetEstimate
from campaign_guard.protect.actions import scale_actions
from campaign_guard.protect.queue_checks import QueueFinding, lasting
from campaign_guard.safe_text import one_line
from campaign_guard.spec.capacity import CapacityProfile, Service

MARGIN = 600.0
"""Seconds of safety added before each scale-up's lead time: instance start-up varies
(image pulls, node provisioning by the cluster autoscaler take minutes: Kubernetes
"Cluster Autoscaler FAQ", scale-up "up to ~10 minutes" on large clusters), and the
command is run by a person."""
COOL_DOWN = 300.0
"""Seconds to wait after the load is back under today's capacity before scaling down:
the wait both autoscalers use by default before removing capacity (Kubernetes
"Horizontal Pod Autoscaling": the downscale stabilisation window defaults to 300 s;
EC2 Auto Scaling User Guide, "Scaling cooldowns": the default cooldown is 300 s)."""
MINUTE = 60.0

PrescaleFinding = QueueFinding


@dataclass(frozen=True)
class Window:
    """Run at least ``instances`` from ``start`` to ``end`` (epoch seconds)."""

    start: float
    end: float
    instances: int
    needed: int
    """What the peak needs (more than ``instances`` when capped at the maximum)."""
    campaigns: tuple[str, ...]
    zone: str
    """The first campaign's IANA zone: the clock its marketer reads."""


@dataclass(frozen=True)
class ServiceSchedule:
    service: str
    normal: int
    """The profile's ``instances``: what the service scales back to."""
    max_instances: int
    lead: float
    """The profile's ``scale_up_lead_time``, in seconds."""
    windows: tuple[Window, ...]


@dataclass(frozen=True)
class PrescalePlan:
    profile: str
    now: float
    margin: float
    cool_down: float
    services: list[ServiceSchedule]
    campaigns: list[str] = field(default_factory=list)
    findings: list[QueueFinding] = field(default_factory=list)


def plan_prescale(
    estimate: Estimate,
    profile: CapacityProfile,
    now: float,
    *,
    margin: float = MARGIN,
    cool_down: float = COOL_DOWN,
) -> PrescalePlan:
    """The pre-scale schedule of every service of ``profile`` that a campaign of
    ``estimate`` needs scaled (``now``: epoch seconds, to see what is already late)."""
    totals = {t.name: t for t in estimate.targets if t.kind == "service"}
    found: dict[str, list[Window]] = {}
    for campaign in estimate.campaigns:
        for name, window in _windows(campaign, estimate, totals, profile, (margin, cool_down)):
            found.setdefault(name, []).append(window)
    services = [
        _schedule(name, profile.services[name], merge(windows))
        for name, windows in sorted(found.items())
    ]
    findings = [f for s in services for f in _findings(s, now)]
    findings += [_no_instances(n) for n, s in sorted(profile.services.items()) if s.instances <= 0]
    return PrescalePlan(
        profile=one_line(profile.name),
        now=now,
        margin=margin,
        cool_down=cool_down,
        services=services,
        campaigns=[one_line(c.name) for c in estimate.campaigns],
        findings=findings,
    )


def _windows(
    campaign: CampaignEstimate,
    estimate: Estimate,
    totals: dict[str, TargetEstimate],
    profile: CapacityProfile,
    waits: tuple[float, float],
) -> list[tuple[str, Window]]:
    """``waits``: the margin before each scale-up and the cool-down after each peak."""
    margin, cool_down = waits
    zone = str(campaign.zone)
    windows = []
    for judged in campaign.targets:
        if judged.kind != "service":
            continue
        service = profile.services[judged.name]
        total = totals[judged.name]
        for action in scale_actions(judged, campaign.start):
            needed = math.ceil(action.amount)
            start = math.floor((action.by - margin) / MINUTE) * MINUTE
            calm = back_under(
                estimate.times,
                total.series["expected"],
                total.holds_now or 0.0,
                (campaign.start, campaign.end),
            )
            end = math.ceil((calm + cool_down) / MINUTE) * MINUTE
            count = max(min(needed, service.max_instances), service.instances)
            windows.append(
                (judged.name, Window(start, end, count, needed, (one_line(campaign.name),), zone))
            )
    return windows


def back_under(
    times: Sequence[float], values: Sequence[float], level: float, run: tuple[float, float]
) -> float:
    """The first sample after the last one above ``level`` within ``run`` (its start
    and end): when the load is back under it for good (the run's end if it never
    falls back inside the timeline)."""
    first, stop = bisect_left(times, run[0]), bisect_right(times, run[1])
    for i in range(stop - 1, first - 1, -1):
        if values[i] > level:
            return times[i + 1] if i + 1 < len(times) else run[1]
    return run[0]


def merge(windows: Sequence[Window]) -> tuple[Window, ...]:
    """Windows that overlap or touch become one: the most instances, from the first
    start to the last end, every campaign named once."""
    merged: list[Window] = []
    for window in sorted(windows, key=lambda w: (w.start, w.end)):
        if merged and window.start <= merged[-1].end:
            last = merged[-1]
            names = last.campaigns + tuple(c for c in window.campaigns if c not in last.campaigns)
            merged[-1] = Window(
                last.start,
                max(last.end, window.end),
                max(last.instances, window.instances),
                max(last.needed, window.needed),
                names,
                last.zone,
            )
        else:
            merged.append(window)
    return tuple(merged)


def _schedule(name: str, service: Service, windows: tuple[Window, ...]) -> ServiceSchedule:
    lead = service.scale_up_lead_time.total_seconds()
    return ServiceSchedule(one_line(name), service.instances, service.max_instances, lead, windows)


def _findings(schedule: ServiceSchedule, now: float) -> list[QueueFinding]:
    found: list[QueueFinding] = []
    name = schedule.service
    for window in schedule.windows:
        if window.needed > schedule.max_instances:
            found.append(
                QueueFinding(
                    "prescale-above-max",
                    "error",
                    f"{name} needs {window.needed} instances at its peak but stops at "
                    f"{schedule.max_instances} (max_instances); raise max_instances, or "
                    "shape the load with a rate limit at the edge and a queue",
                    f"services.{name}.max_instances",
                )
            )
        if window.start < now < window.end:
            found.append(
                QueueFinding(
                    "prescale-late",
                    "warning",
                    f"{name} should have started scaling {lasting(now - window.start)} ago "
                    f"(a new instance takes {lasting(schedule.lead)}): scale it to "
                    f"{window.instances} instances now",
                    f"services.{name}.scale_up_lead_time",
                )
            )
    return found


def _no_instances(name: str) -> QueueFinding:
    shown = one_line(name)
    return QueueFinding(
        "prescale-no-instances",
        "warning",
        f"{shown} runs no instance today (instances: 0), so there is no normal count to "
        "scale back to: the schedule goes back to 0 on AWS and to 1 on Kubernetes (an "
        "HPA's minReplicas is at least 1); set instances to what runs outside campaigns",
        f"services.{shown}.instances",
    )
