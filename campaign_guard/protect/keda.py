"""The KEDA ScaledObject for the lead workers, with the pre-scale windows as cron triggers.

KEDA's cron scaler (keda.sh "Cron" scaler docs; ``pkg/scalers/cron_scaler.go``) takes a
five-field Linux cron for ``start`` and ``end`` (minute hour day month weekday) and is
active while the next ``end`` comes before the next ``start``. There is no year field:
a window written for 7 Dec runs again every 7 Dec. Each window is therefore pinned to
its day and month, and the YAML says to delete it after the campaign.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from campaign_guard.protect.queue_checks import lasting
from campaign_guard.protect.queue_plan import PreScale, QueuePlan

TRIGGERS = {"sqs": "aws-sqs-queue", "sqs-fifo": "aws-sqs-queue", "rabbitmq": "rabbitmq"}
"""The KEDA scaler for each queue kind (keda.sh "AWS SQS Queue" and "RabbitMQ Queue")."""
POLLING_INTERVAL = 15
"""Seconds between KEDA's looks at the queue: half its default of 30 (keda.sh
"ScaledObject specification"), as in the AWS SQS scaler's example."""
LISTED = 20
"""Campaigns named in the YAML's header; more are counted."""
COOLDOWN_PERIOD = 300
"""KEDA's default cooldownPeriod (seconds before scaling to zero after the last activity)."""


@dataclass(frozen=True)
class CronWindow:
    start: str
    end: str
    replicas: int
    period: str
    last_day: str


def cron(epoch: float, zone: ZoneInfo) -> str:
    """The five-field cron for ``epoch``'s minute, day and month in ``zone``."""
    moment = datetime.fromtimestamp(epoch, zone)
    return f"{moment.minute} {moment.hour} {moment.day} {moment.month} *"


def cron_window(window: PreScale, zone: ZoneInfo) -> CronWindow:
    first = datetime.fromtimestamp(window.start, zone)
    last = datetime.fromtimestamp(window.end, zone)
    period = f"{first:%a %d %b %Y %H:%M} → {last:%a %d %b %Y %H:%M} {zone.key}"
    return CronWindow(
        cron(window.start, zone),
        cron(window.end, zone),
        window.replicas,
        period,
        f"{last:%d %b %Y}",
    )


def supported(queue: str) -> bool:
    """Whether a ScaledObject is written for a ``queue`` of this kind."""
    return queue in TRIGGERS


def scaled_object_text(plan: QueuePlan, name: str = "lead-workers") -> str:
    """The ScaledObject YAML for ``plan`` (an SQS or RabbitMQ queue)."""
    from campaign_guard.render import render

    zone = ZoneInfo(plan.timezone)
    trigger = TRIGGERS[plan.queue]
    if plan.max_workers is not None:
        max_reason = "the profile's max_workers"
    else:
        max_reason = f"KEDA's default, or the {plan.needed} workers the high case needs if more"
    return render(
        "protect/keda-scaledobject.yaml.j2",
        name=name,
        queue=plan.queue,
        campaigns=plan.campaigns[:LISTED],
        more=max(0, len(plan.campaigns) - LISTED),
        trigger=trigger,
        length_key="queueLength" if trigger == "aws-sqs-queue" else "value",
        queue_length=plan.queue_length,
        per_worker=f"{plan.per_worker:g}",
        max_delay=lasting(plan.max_delay),
        min_replicas=plan.workers_now,
        max_replicas=plan.max_replicas,
        max_reason=max_reason,
        polling_interval=POLLING_INTERVAL,
        cooldown_period=COOLDOWN_PERIOD,
        timezone=plan.timezone,
        lead=lasting(plan.scale_up_lead_time),
        windows=[cron_window(w, zone) for w in plan.prescale],
    )
