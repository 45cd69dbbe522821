"""The queue's settings against the vendors' limits and advice: findings, as data.

Each check cites its source. A setting the profile leaves out is checked at the
vendor's default where there is one; where there is none, the check says which setting
it needs.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

from campaign_guard.spec.queue_settings import (
    SQS_DEFAULT_RETENTION,
    SQS_DEFAULT_VISIBILITY,
    QueueSettings,
)

Severity = Literal["error", "warning"]

SQS_IN_FLIGHT = 120_000
"""AWS SQS Developer Guide, "Amazon SQS message quotas": about 120,000 in-flight messages
per standard queue; past it, receives get OverLimit errors."""
FIFO_CALLS = 300
"""AWS SQS Developer Guide, "Amazon SQS FIFO queue quotas": 300 API calls per second per
action (send, receive, delete) without high throughput mode; 3,000 messages/s in batches
of 10."""
FIFO_BATCH = 10
LAMBDA_VISIBILITY_FACTOR = 6
"""AWS Lambda Developer Guide, "Using Lambda with Amazon SQS": set the queue's visibility
timeout to at least six times the function's timeout."""
LEAST_RECEIVES = 5
"""AWS Lambda Developer Guide, SQS best practices: a redrive policy's maxReceiveCount of
at least 5, so a throttled batch is not sent to the dead-letter queue too soon."""
RABBITMQ_QUEUE_RATE = 10_000.0
"""Messages/s one RabbitMQ queue takes comfortably: a queue is one Erlang process on one
CPU core, "tens of thousands of messages/s at best" (CloudAMQP, "RabbitMQ best
practice"); the lower end is used."""
SLOW_MESSAGE = 1.0
"""Seconds per message from which a consumer counts as slow (RabbitMQ "Consumer
Acknowledgements and Publisher Confirms": a low prefetch spreads slow work; Celery
"Optimizing": prefetch multiplier 1 with task_acks_late for long tasks)."""
CELERY_VISIBILITY = {"sqs": 1800.0, "redis": 3600.0}
"""Celery's default broker visibility timeout: 30 minutes on SQS ("Using Amazon SQS"),
one hour on Redis ("Using Redis")."""


@dataclass(frozen=True)
class QueueFinding:
    code: str
    severity: Severity
    message: str
    setting: str | None = None
    """The profile's field the finding is about (``ingestion.settings.retention``)."""


def lasting(seconds: float) -> str:
    """``0.3s``, ``7m 30s``, ``2h``, ``4d 2h``, ``never``: a duration as people read it."""
    if math.isinf(seconds):
        return "never"
    if 0 < seconds < 0.95:
        return f"{max(seconds, 0.1):.1f}s"
    whole = round(seconds)
    days, rest = divmod(whole, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    parts = [(days, "d"), (hours, "h"), (minutes, "m"), (secs, "s")]
    text = " ".join(f"{n}{unit}" for n, unit in parts if n)
    return text or "0s"


def check_settings(
    kind: str,
    settings: QueueSettings | None,
    *,
    per_worker: float,
    peak_rate: float,
    workers: int,
    drain_time: float,
) -> list[QueueFinding]:
    """The findings on a ``kind`` queue with ``settings``, drained by up to ``workers``
    of ``per_worker`` messages/s against arrivals peaking at ``peak_rate``."""
    given = settings if settings is not None else QueueSettings()
    found: list[QueueFinding] = []
    if kind in ("sqs", "sqs-fifo"):
        found += _sqs(kind, given, peak_rate, workers, drain_time)
    if kind == "rabbitmq":
        found += _rabbitmq(given, per_worker, peak_rate)
    if given.celery:
        found += _celery(kind, given, per_worker)
    return found


def _field(name: str) -> str:
    return f"ingestion.settings.{name}"


def _sqs(
    kind: str, given: QueueSettings, peak: float, workers: int, drain_time: float
) -> list[QueueFinding]:
    found: list[QueueFinding] = []
    batch = given.batch_size or 1
    in_flight = workers * batch * (given.prefetch or 1)
    if kind == "sqs" and in_flight > SQS_IN_FLIGHT:
        found.append(
            QueueFinding(
                "sqs-in-flight",
                "error",
                f"{workers:,} workers taking {batch:,} messages each hold {in_flight:,} "
                f"messages in flight, over the SQS limit of about {SQS_IN_FLIGHT:,} per "
                "queue; take smaller batches or split the queue",
                _field("batch_size"),
            )
        )
    if kind == "sqs-fifo" and not given.high_throughput_fifo:
        limit = FIFO_CALLS * min(batch, FIFO_BATCH)
        if peak > limit:
            how = "" if batch >= FIFO_BATCH else " (3,000 with batches of 10)"
            found.append(
                QueueFinding(
                    "sqs-fifo-throughput",
                    "error",
                    f"the FIFO queue takes at most {limit:,} messages/s with batches of "
                    f"{batch}{how}, and the campaign brings {peak:,.0f}/s at its peak; "
                    "turn on high throughput mode or use a standard queue",
                    _field("batch_size"),
                )
            )
    retention = (given.retention or SQS_DEFAULT_RETENTION).total_seconds()
    if drain_time > retention:
        found.append(
            QueueFinding(
                "sqs-retention",
                "error",
                f"leads wait up to {lasting(drain_time)} for the backlog to drain, but the "
                f"queue keeps a message {lasting(retention)}: older leads would be deleted "
                "unread; add workers or raise MessageRetentionPeriod (14 days at most)",
                _field("retention"),
            )
        )
    found += _visibility(given)
    if given.max_receive_count is None:
        found.append(
            QueueFinding(
                "sqs-redrive",
                "warning",
                "no dead-letter queue given: a message that always fails comes back for "
                f"ever; set a redrive policy with maxReceiveCount {LEAST_RECEIVES} or more",
                _field("max_receive_count"),
            )
        )
    elif given.max_receive_count < LEAST_RECEIVES:
        found.append(
            QueueFinding(
                "sqs-redrive",
                "warning",
                f"maxReceiveCount {given.max_receive_count} sends a lead to the dead-letter "
                "queue after a few throttled receives; AWS advises "
                f"{LEAST_RECEIVES} or more",
                _field("max_receive_count"),
            )
        )
    return found


def _visibility(given: QueueSettings) -> list[QueueFinding]:
    if given.consumer_timeout is None:
        if given.lambda_:
            return [
                QueueFinding(
                    "sqs-visibility",
                    "warning",
                    "the Lambda function's timeout is not given, so the visibility timeout "
                    "cannot be checked (it should be at least 6 times the timeout)",
                    _field("consumer_timeout"),
                )
            ]
        return []
    timeout = given.consumer_timeout.total_seconds()
    visibility = (given.visibility_timeout or SQS_DEFAULT_VISIBILITY).total_seconds()
    factor = LAMBDA_VISIBILITY_FACTOR if given.lambda_ else 1
    if visibility >= factor * timeout:
        return []
    who = "the Lambda function's timeout" if given.lambda_ else "the consumer's timeout"
    need = f"at least {lasting(factor * timeout)}" + (
        f" ({factor} × {lasting(timeout)})" if factor > 1 else ""
    )
    return [
        QueueFinding(
            "sqs-visibility",
            "error",
            f"the visibility timeout ({lasting(visibility)}) is too short for {who} "
            f"({lasting(timeout)}): a message still being worked on comes back and is "
            f"processed twice; make it {need}",
            _field("visibility_timeout"),
        )
    ]


def _rabbitmq(given: QueueSettings, per_worker: float, peak: float) -> list[QueueFinding]:
    found: list[QueueFinding] = []
    if given.prefetch is None:
        found.append(
            QueueFinding(
                "rabbitmq-prefetch",
                "warning",
                "no prefetch given: without basic.qos RabbitMQ pushes every waiting message "
                "to the first consumer; set one (1 for slow work, 100 to 300 for fast)",
                _field("prefetch"),
            )
        )
    elif per_worker > 0 and 1 / per_worker >= SLOW_MESSAGE and given.prefetch > 1:
        found.append(
            QueueFinding(
                "rabbitmq-prefetch",
                "warning",
                f"each message takes a worker {lasting(1 / per_worker)}; with prefetch "
                f"{given.prefetch} messages wait behind a slow one while other workers "
                "are idle; use prefetch 1",
                _field("prefetch"),
            )
        )
    if peak > RABBITMQ_QUEUE_RATE:
        found.append(
            QueueFinding(
                "rabbitmq-one-core",
                "warning",
                f"{peak:,.0f} messages/s at the peak: one RabbitMQ queue runs on one CPU "
                f"core and takes about {RABBITMQ_QUEUE_RATE:,.0f}/s comfortably; spread the "
                "leads over several queues",
            )
        )
    return found


def _celery(kind: str, given: QueueSettings, per_worker: float) -> list[QueueFinding]:
    found: list[QueueFinding] = []
    slow = per_worker > 0 and 1 / per_worker >= SLOW_MESSAGE
    if slow and (given.prefetch != 1 or not given.acks_late):
        found.append(
            QueueFinding(
                "celery-prefetch",
                "warning",
                f"each task takes {lasting(1 / per_worker)}: set "
                "worker_prefetch_multiplier = 1 with task_acks_late = True, so a worker "
                "holds no tasks it cannot start and a crash loses none",
                _field("prefetch"),
            )
        )
    default = CELERY_VISIBILITY.get("sqs" if kind.startswith("sqs") else kind)
    if given.longest_eta is None or default is None:
        return found
    given_visibility = given.visibility_timeout
    visibility = given_visibility.total_seconds() if given_visibility is not None else default
    eta = given.longest_eta.total_seconds()
    if eta >= visibility:
        found.append(
            QueueFinding(
                "celery-eta",
                "error",
                f"a task due in {lasting(eta)} outlasts the broker's visibility timeout "
                f"({lasting(visibility)}), so it is delivered again and again; raise "
                "broker_transport_options['visibility_timeout'] above the longest ETA",
                _field("visibility_timeout"),
            )
        )
    return found
