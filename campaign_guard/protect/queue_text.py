"""``protect queue`` in words: the summary, the workers-per-hour table, consumer settings,
and the numbers as JSON. Plain text, no terminal codes: the command prints it as is and
``--out`` writes it to files."""

from __future__ import annotations

import math
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from campaign_guard.loadmodel.words import number, when
from campaign_guard.protect.queue import Sizing
from campaign_guard.protect.queue_checks import SLOW_MESSAGE, lasting
from campaign_guard.protect.queue_plan import SCENARIOS, SIZED_ON, QueuePlan
from campaign_guard.safe_text import one_line
from campaign_guard.spec.queue_settings import QueueSettings

DAY = 86400.0


def summary_lines(plan: QueuePlan) -> list[str]:
    """What the queue does with today's workers, per scenario, and what it needs."""
    zone = ZoneInfo(plan.timezone)
    lines = [
        f"Queue {plan.queue}: {plan.workers_now} workers × {plan.per_worker:g} messages/s "
        f"each; leads wait at most {lasting(plan.max_delay)}.",
    ]
    for scenario in SCENARIOS:
        first, *rest = _sized(plan.sizing[scenario], zone)
        lines += [f"  {scenario}: {first}", *(f"    {line}" for line in rest)]
    high = plan.sizing[SIZED_ON]
    lines += [
        f"Workers needed ({SIZED_ON} case): {high.needed} all along, or per hour as below",
        f"({high.keep_up} would keep up with the peak without any backlog).",
    ]
    return lines


def _sized(sizing: Sizing, zone: ZoneInfo) -> list[str]:
    if sizing.peak_rate <= 0:
        return ["no leads reach the queue"]
    lines = [f"peak {number(sizing.peak_rate)} messages/s at {when(sizing.peak_at, zone)}"]
    if sizing.peak_backlog <= 0:
        return [
            *lines,
            f"the workers keep up: 99 % of leads wait under {lasting(sizing.worst_delay)}",
        ]
    cleared = (
        "it never clears"
        if sizing.cleared_at is None
        else f"cleared {lasting(sizing.drain_time)} later"
    )
    return [
        *lines,
        f"backlog up to {number(sizing.peak_backlog)} messages at {when(sizing.backlog_at, zone)}",
        f"worst delay {lasting(sizing.worst_delay)}; the backlog is {cleared}",
    ]


def hours_table(plan: QueuePlan) -> list[str]:
    """Workers per hour in the profile's zone: ``from → to   peak/s   workers``."""
    zone = ZoneInfo(plan.timezone)
    busy = [row for row in plan.hours if row.workers > plan.workers_now]
    if not busy:
        return [f"Today's {plan.workers_now} workers keep every lead on time, every hour."]
    rows = [("From", "To", "Peak msg/s", "Workers")]
    for row in busy:
        first = datetime.fromtimestamp(row.start, zone)
        last = datetime.fromtimestamp(row.end, zone)
        rows.append(
            (
                f"{first:%a %d %b %H:%M}",
                f"{last:%a %d %b %H:%M %Z}",
                number(row.peak_rate),
                str(row.workers),
            )
        )
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    table = [
        f"{a:<{widths[0]}}  {b:<{widths[1]}}  {c:>{widths[2]}}  {d:>{widths[3]}}".rstrip()
        for a, b, c, d in rows
    ]
    return [*table, f"Outside these hours, today's {plan.workers_now} workers are enough."]


def finding_lines(plan: QueuePlan) -> list[str]:
    return [f"{f.severity}: {one_line(f.message)} [{f.code}]" for f in plan.findings]


def consumer_text(plan: QueuePlan) -> str:
    """The consumer settings as the text file ``--out`` writes."""
    from campaign_guard.render import render

    return render("protect/consumer-settings.txt.j2", queue=plan.queue, lines=consumer_lines(plan))


def consumer_lines(plan: QueuePlan) -> list[str]:
    """The consumer settings to use, with why, for the queue's kind."""
    given = plan.settings if plan.settings is not None else QueueSettings()
    slow = plan.per_worker > 0 and 1 / plan.per_worker >= SLOW_MESSAGE
    lines: list[str] = []
    high = plan.sizing[SIZED_ON]
    if plan.queue.startswith("sqs"):
        keep = max(4 * DAY, 2 * high.drain_time)
        keep_text = lasting(keep) if keep <= 14 * DAY else "14d (the most SQS allows)"
        lines += [
            f"SQS MessageRetentionPeriod: {keep_text} or more (twice the drain time, "
            "4 days at least)",
            "SQS RedrivePolicy: maxReceiveCount 5 or more, to a dead-letter queue of the same type",
        ]
        if given.lambda_:
            timeout = given.consumer_timeout
            least = "6 × the function timeout"
            if timeout is not None:
                least = f"{lasting(6 * timeout.total_seconds())} (6 × the function timeout)"
            lines += [
                f"SQS VisibilityTimeout: at least {least}",
                f"Lambda ScalingConfig.MaximumConcurrency: {max(2, plan.needed)}",
                "Lambda FunctionResponseTypes: [ReportBatchItemFailures]",
            ]
    if plan.queue == "rabbitmq":
        lines.append(
            f"RabbitMQ prefetch (basic.qos): {'1 (slow messages)' if slow else '100 to 300'}"
        )
    if given.celery:
        lines += _celery_lines(given, slow)
    return lines or ["No consumer setting to advise for this queue."]


def _celery_lines(given: QueueSettings, slow: bool) -> list[str]:
    if slow:
        lines = ["worker_prefetch_multiplier = 1", "task_acks_late = True"]
    else:
        lines = ["worker_prefetch_multiplier = 4  # Celery's default suits short tasks"]
    longest = max(
        (d.total_seconds() for d in (given.longest_eta, given.consumer_timeout) if d is not None),
        default=0.0,
    )
    if longest:
        seconds = math.ceil(2 * longest / 60) * 60
        lines.append(
            f"broker_transport_options = {{'visibility_timeout': {seconds}}}  # twice the "
            "longest ETA or task"
        )
    return lines


def plan_json(plan: QueuePlan) -> dict[str, Any]:
    """The numbers, as ``protect queue --json`` prints them (inf as null)."""
    return {
        "queue": plan.queue,
        "timezone": plan.timezone,
        "workers_now": plan.workers_now,
        "per_worker_rate": plan.per_worker,
        "max_delay_seconds": plan.max_delay,
        "sized_on": SIZED_ON,
        "scenarios": {s: _sizing_json(plan.sizing[s]) for s in SCENARIOS},
        "hours": [
            {
                "start": _iso(r.start),
                "end": _iso(r.end),
                "peak_rate": r.peak_rate,
                "workers": r.workers,
            }
            for r in plan.hours
        ],
        "prescale": [
            {"start": _iso(w.start), "end": _iso(w.end), "replicas": w.replicas}
            for w in plan.prescale
        ],
        "keda": {
            "queue_length": plan.queue_length,
            "min_replicas": plan.workers_now,
            "max_replicas": plan.max_replicas,
        },
        "findings": [
            {"code": f.code, "severity": f.severity, "message": f.message, "setting": f.setting}
            for f in plan.findings
        ],
    }


def _sizing_json(sizing: Sizing) -> dict[str, Any]:
    return {
        "peak_rate": sizing.peak_rate,
        "peak_at": _iso(sizing.peak_at),
        "peak_backlog": round(sizing.peak_backlog, 3),
        "peak_backlog_at": _iso(sizing.backlog_at),
        "worst_delay_seconds": _finite(sizing.worst_delay),
        "drain_seconds": _finite(sizing.drain_time),
        "cleared_at": None if sizing.cleared_at is None else _iso(sizing.cleared_at),
        "mean_wait_seconds": _finite(sizing.mean_wait),
        "keep_up_workers": sizing.keep_up,
        "workers_needed": sizing.needed,
    }


def _finite(value: float) -> float | None:
    return round(value, 3) if math.isfinite(value) else None


def _iso(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, ZoneInfo("UTC")).isoformat().replace("+00:00", "Z")
