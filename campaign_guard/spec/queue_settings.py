"""The ingestion queue's own settings and its consumers': what ``protect queue`` checks.

All optional: a profile without them is still sized; each check needs only the settings
it reads, and says which one is missing when that leaves it unchecked. Defaults are the
vendors' own (cited per field).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from pydantic import AfterValidator, BaseModel, Field, StrictBool

from campaign_guard.spec.field_errors import STRICT, custom_error
from campaign_guard.spec.types import Count, Duration

SQS_DEFAULT_VISIBILITY = timedelta(seconds=30)
"""AWS SQS Developer Guide, "Amazon SQS visibility timeout": default 30 seconds."""
SQS_DEFAULT_RETENTION = timedelta(days=4)
"""AWS SQS Developer Guide, "Amazon SQS message quotas": retention default 4 days, 14 max."""
DEFAULT_SCALE_UP = timedelta(minutes=5)
"""The same default as a service's ``scale_up_lead_time``: a new pod, from the decision."""


def _at_least(lowest: int, reason: str) -> AfterValidator:
    def check(value: int | None) -> int | None:
        if value is not None and value < lowest:
            raise custom_error(
                "invalid_value", "must be at least {lowest}: {reason}", lowest=lowest, reason=reason
            )
        return value

    return AfterValidator(check)


class QueueSettings(BaseModel):
    """How the queue and its consumers are configured (``ingestion.settings``)."""

    model_config = STRICT

    max_workers: Annotated[Count | None, _at_least(1, "the autoscaler needs room for a worker")] = (
        Field(
            None,
            description="The most workers the autoscaler may run (KEDA maxReplicaCount; "
            "default: KEDA's 100).",
        )
    )
    scale_up_lead_time: Duration = Field(
        DEFAULT_SCALE_UP,
        description="How long a new worker takes to take messages, from the scaling "
        "decision (e.g. 2m).",
    )
    consumer_timeout: Duration | None = Field(
        None,
        description="The longest one message (or batch) may take a worker: the Lambda "
        "function timeout, or the task's time limit.",
    )
    visibility_timeout: Duration | None = Field(
        None,
        description="SQS: how long a received message stays hidden (default 30s). Celery "
        "on SQS or Redis: broker_transport_options['visibility_timeout'].",
    )
    retention: Duration | None = Field(
        None, description="SQS: how long a message is kept (MessageRetentionPeriod, default 4d)."
    )
    max_receive_count: Annotated[
        Count | None, _at_least(1, "a message is received at least once")
    ] = Field(
        None,
        description="SQS: maxReceiveCount of the redrive policy to the dead-letter queue.",
    )
    batch_size: Annotated[Count | None, _at_least(1, "a receive takes at least one message")] = (
        Field(
            None,
            description="Messages taken per receive (SQS MaxNumberOfMessages or Lambda "
            "BatchSize; default 1).",
        )
    )
    prefetch: Annotated[Count | None, _at_least(1, "a prefetch of 0 means no limit")] = Field(
        None,
        description="RabbitMQ: unacknowledged messages per consumer (basic.qos); Celery: "
        "worker_prefetch_multiplier.",
    )
    high_throughput_fifo: StrictBool = Field(
        False, description="SQS FIFO: high throughput mode is on."
    )
    lambda_: StrictBool = Field(
        False, alias="lambda", description="true when AWS Lambda consumes the queue."
    )
    celery: StrictBool = Field(False, description="true when Celery workers consume the queue.")
    acks_late: StrictBool = Field(False, description="Celery: task_acks_late is on.")
    longest_eta: Duration | None = Field(
        None, description="Celery: the longest countdown or ETA a task is given."
    )
