"""``protect queue``'s whole answer for an estimate: sizing, hours, pre-scaling, findings.

The arrival curve is the estimate's ingestion-queue target (messages per second, each
scenario); the pool is the profile's ``ingestion``. The workers per hour and the
pre-scale windows are sized on the **high** scenario: pre-scaling for the expected case
only would leave the high case's leads late, and idle workers cost less than late leads.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from campaign_guard.defaults import Scenario
from campaign_guard.errors import UsageError
from campaign_guard.loadmodel.engine import Estimate
from campaign_guard.protect.queue import HourWorkers, Sizing, hourly, size
from campaign_guard.protect.queue_checks import QueueFinding, check_settings, lasting
from campaign_guard.safe_text import one_line
from campaign_guard.spec.capacity import CapacityProfile, Ingestion
from campaign_guard.spec.queue_settings import QueueSettings

SCENARIOS: tuple[Scenario, ...] = ("expected", "high")
SIZED_ON: Scenario = "high"
KEDA_MAX_REPLICAS = 100
"""KEDA "ScaledObject specification": maxReplicaCount defaults to 100."""
MINUTE = 60.0


@dataclass(frozen=True)
class PreScale:
    """Run at least ``replicas`` workers from ``start`` to ``end`` (epoch seconds)."""

    start: float
    end: float
    replicas: int


@dataclass(frozen=True)
class QueuePlan:
    queue: str
    """The queue's kind: sqs, sqs-fifo, rabbitmq, …"""
    timezone: str
    """The profile's IANA zone: the pre-scale windows' clock."""
    workers_now: int
    per_worker: float
    max_workers: int | None
    max_delay: float
    sizing: dict[Scenario, Sizing]
    hours: list[HourWorkers]
    prescale: list[PreScale]
    queue_length: int
    """Messages one worker should have in front of it: per-worker rate × max delay
    (KEDA's ``queueLength`` / ``value``)."""
    max_replicas: int
    scale_up_lead_time: float
    campaigns: list[str] = field(default_factory=list)
    findings: list[QueueFinding] = field(default_factory=list)
    settings: QueueSettings | None = None

    @property
    def needed(self) -> int:
        """Workers the sized-on scenario needs at its busiest."""
        return max((row.workers for row in self.hours), default=self.workers_now)


def ingestion_of(profile: CapacityProfile) -> Ingestion:
    """The profile's ingestion queue, or a UsageError that says what is missing."""
    if profile.ingestion is None:
        raise UsageError(
            f"the capacity profile '{profile.name}' has no ingestion queue to size; "
            "add `ingestion:` (queue, workers, per_worker_rate, routes)"
        )
    return profile.ingestion


def plan_queue(estimate: Estimate, profile: CapacityProfile, max_delay: float) -> QueuePlan:
    """Size ``profile``'s ingestion queue for ``estimate`` (``max_delay`` in seconds)."""
    ingestion = ingestion_of(profile)
    settings = ingestion.settings
    lead = settings.scale_up_lead_time.total_seconds() if settings is not None else 300.0
    max_workers = settings.max_workers if settings is not None else None
    target = next(
        (t for t in estimate.targets if t.kind == "queue" and t.name == ingestion.queue), None
    )
    times = estimate.times
    series = {s: target.series[s] if target is not None else [0.0] * len(times) for s in SCENARIOS}
    workers, rate = ingestion.workers, ingestion.per_worker_rate
    sizing = {s: size(times, series[s], workers, rate, max_delay) for s in SCENARIOS}
    hours = hourly(times, series[SIZED_ON], rate, max_delay, floor=workers)
    high = sizing[SIZED_ON]
    needed = max((row.workers for row in hours), default=workers)
    findings = _findings(
        ingestion,
        high,
        unused=target is None,
        needed=needed,
        max_workers=max_workers,
        max_delay=max_delay,
    )
    findings += check_settings(
        ingestion.queue,
        settings,
        per_worker=rate,
        peak_rate=high.peak_rate,
        workers=max(needed, max_workers or 0),
        drain_time=high.drain_time,
    )
    return QueuePlan(
        queue=ingestion.queue,
        timezone=profile.timezone,
        workers_now=workers,
        per_worker=rate,
        max_workers=max_workers,
        max_delay=max_delay,
        sizing=sizing,
        hours=hours,
        prescale=prescale_windows(hours, workers, lead),
        queue_length=max(1, math.floor(round(rate * max_delay, 9))),
        max_replicas=max_workers or max(KEDA_MAX_REPLICAS, needed),
        scale_up_lead_time=lead,
        campaigns=[one_line(c.name) for c in estimate.campaigns],
        findings=findings,
        settings=settings,
    )


def prescale_windows(hours: list[HourWorkers], floor: int, lead: float) -> list[PreScale]:
    """The stretches that need more than ``floor`` workers, started ``lead`` seconds
    early (to the whole minute); stretches that then touch are merged."""
    windows: list[PreScale] = []
    for row in hours:
        if row.workers <= floor:
            continue
        start = math.floor((row.start - lead) / MINUTE) * MINUTE
        if windows and start <= windows[-1].end:
            last = windows[-1]
            windows[-1] = PreScale(last.start, row.end, max(last.replicas, row.workers))
        else:
            windows.append(PreScale(start, row.end, row.workers))
    return windows


def _findings(
    ingestion: Ingestion,
    high: Sizing,
    *,
    unused: bool,
    needed: int,
    max_workers: int | None,
    max_delay: float,
) -> list[QueueFinding]:
    found: list[QueueFinding] = []
    if ingestion.workers <= 0 or ingestion.per_worker_rate <= 0:
        found.append(
            QueueFinding(
                "queue-no-workers",
                "error",
                "no worker drains the queue: every lead would wait for ever; give the "
                "queue at least one worker and its rate",
                "ingestion.workers",
            )
        )
        return found
    if unused:
        found.append(
            QueueFinding(
                "queue-unused",
                "warning",
                f"no campaign sends leads through the {ingestion.queue} queue (its routes: "
                f"{', '.join(ingestion.routes)}); nothing to size",
                "ingestion.routes",
            )
        )
    if high.worst_delay > max_delay:
        found.append(
            QueueFinding(
                "queue-late",
                "warning",
                f"with today's {ingestion.workers} workers a lead waits up to "
                f"{lasting(high.worst_delay)} in the high case (the limit is "
                f"{lasting(max_delay)}); run {needed} workers in the hours the table lists",
                "ingestion.workers",
            )
        )
    if max_workers is not None and needed > max_workers:
        found.append(
            QueueFinding(
                "queue-max-workers",
                "error",
                f"the high case needs {needed} workers to keep leads under "
                f"{lasting(max_delay)}, but the autoscaler stops at {max_workers}; raise "
                "max_workers or accept the longer delay (--max-delay)",
                "ingestion.settings.max_workers",
            )
        )
    return found
