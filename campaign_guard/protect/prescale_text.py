"""``protect prescale`` in words and as commands: the schedule per service, the
``kubectl`` commands that move each HPA's floor, the AWS scheduled actions, and the
numbers as JSON. Plain text, no terminal codes: the command prints it as is and
``--out`` writes it to files.

Kubernetes: the commands patch the HorizontalPodAutoscaler's ``minReplicas``, not the
Deployment's ``replicas`` ("Horizontal Pod Autoscaling": the HPA owns the replica count
of its target and overwrites any other change). AWS: one-off scheduled actions for
``aws autoscaling put-scheduled-update-group-action --cli-input-json`` (``StartTime`` in
UTC, no ``Recurrence``: EC2 Auto Scaling User Guide, "Scheduled scaling").
"""

from __future__ import annotations

import json
import re
import shlex
import textwrap
from collections.abc import Iterator
from datetime import datetime, timezone
from typing import Any
from zoneinfo import ZoneInfo

from campaign_guard.loadmodel.words import when
from campaign_guard.protect.prescale import PrescalePlan, ServiceSchedule, Window
from campaign_guard.protect.queue_checks import finding_lines, findings_json, lasting
from campaign_guard.safe_text import one_line

WIDTH = 80
"""The text fits 80 columns, as ``protect queue``'s does."""
HPA_LOWEST = 1
"""An HPA's minReplicas is at least 1 (Kubernetes API reference, HorizontalPodAutoscalerSpec:
"minReplicas ... defaults to 1"; 0 only behind the alpha HPAScaleToZero feature gate)."""
KUBERNETES_NAME = re.compile(
    r"(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*"
)
"""An object name Kubernetes accepts: a DNS subdomain (RFC 1123), at most 253 characters
(Kubernetes "Object Names and IDs")."""
AWS_NAME_LONGEST = 255
"""Auto Scaling names: 1 to 255 characters (botocore autoscaling model, XmlStringMaxLen255)."""


def plan_text(plan: PrescalePlan) -> str:
    """The summary, a table per service, the findings."""
    count = len(plan.services)
    lines = [
        f"Pre-scale schedule against {plan.profile}: {_many(count, 'service')} to scale "
        f"for {_many(len(plan.campaigns), 'campaign')}.",
        f"Each scale-up starts its lead time plus {lasting(plan.margin)} before the load needs it;",
        f"each scale-down {lasting(plan.cool_down)} after the load is back under today's capacity.",
    ]
    if not plan.services:
        lines.append("Today's instances hold every peak: nothing to schedule.")
    for schedule in plan.services:
        lines += ["", *_table(schedule)]
    findings = finding_lines(plan.findings)
    if findings:
        lines += ["", *findings]
    return "\n".join(lines) + "\n"


def _many(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def _table(schedule: ServiceSchedule) -> list[str]:
    """The steps, the reason wrapped to fit 80 columns."""
    rows = [("When (campaign's clock)", "UTC", "Instances", "Why")]
    for at, instances, why, zone in steps(schedule):
        rows.append((when(at, ZoneInfo(zone)), _utc(at)[11:16], str(instances), why))
    widths = [max(len(r[i]) for r in rows) for i in range(3)]
    indent = 2 + sum(widths) + 6
    lines = [
        f"{schedule.service}: {schedule.normal} instances today, at most "
        f"{schedule.max_instances}; a new one takes {lasting(schedule.lead)}"
    ]
    for a, b, c, d in rows:
        first, *rest = textwrap.wrap(d, max(WIDTH - indent, 20), break_on_hyphens=False)
        lines.append(f"  {a:<{widths[0]}}  {b:<{widths[1]}}  {c:>{widths[2]}}  {first}")
        lines += [" " * indent + more for more in rest]
    return lines


def steps(schedule: ServiceSchedule) -> Iterator[tuple[float, int, str, str]]:
    """(time, instances, why, zone) for every scale-up and scale-down, in order."""
    for window in schedule.windows:
        yield window.start, window.instances, _why_up(window), window.zone
        yield window.end, schedule.normal, "back to today's count", window.zone


def _why_up(window: Window) -> str:
    names = ", ".join(window.campaigns)
    if window.needed > window.instances:
        return f"for {names} (peak needs {window.needed}: capped)"
    return f"for {names}"


def _utc(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def kubectl_text(plan: PrescalePlan) -> str:
    """A shell script of ``kubectl patch hpa`` commands, each under a comment with the
    time to run it. It is not meant to run at once: every command waits for its time."""
    lines = [
        "# Pre-scale schedule from campaign-guard protect prescale.",
        "# Not a script to run at once: run each command at the time above it (UTC, and",
        "# the campaign's clock). It sets the floor of the service's HorizontalPodAutoscaler",
        "# (assumed to carry the service's name), which then keeps at least that many pods.",
        'echo "run each command of this file at its time, not the file" >&2; exit 2',
    ]
    for schedule in plan.services:
        for at, instances, why, zone in steps(schedule):
            floor = max(instances, HPA_LOWEST)
            patch = json.dumps({"spec": {"minReplicas": floor}}, separators=(",", ":"))
            due = "now, was due" if at < plan.now else "at"
            command = (
                f"kubectl patch hpa {shlex.quote(schedule.service)} --type merge "
                f"-p {shlex.quote(patch)}"
            )
            if not KUBERNETES_NAME.fullmatch(schedule.service):
                command = f"# not a Kubernetes name, put your HPA's: {command}"
            lines += [
                "",
                f"# {due} {_utc(at)} ({when(at, ZoneInfo(zone))}): {schedule.service} to "
                f"{floor}, {why}",
                command,
            ]
    return "\n".join(one_line(line) for line in lines) + "\n"


def aws_actions(plan: PrescalePlan) -> list[dict[str, Any]]:
    """One ``--cli-input-json`` document per step, in time order per service."""
    actions = []
    for schedule in plan.services:
        for at, instances, _, _ in steps(schedule):
            stamp = _utc(max(at, _soonest(plan.now)))
            action = f"campaign-guard-{schedule.service}-{stamp.replace(':', '')}"
            actions.append(
                {
                    "AutoScalingGroupName": schedule.service[:AWS_NAME_LONGEST],
                    "ScheduledActionName": _aws_name(action),
                    "StartTime": stamp,
                    "MinSize": instances,
                    "DesiredCapacity": instances,
                }
            )
    return actions


def _soonest(now: float) -> float:
    """The first whole minute at least a minute after ``now``: a scheduled action that
    starts in the past is refused (EC2 Auto Scaling User Guide, "Scheduled scaling")."""
    return (now // 60 + 2) * 60


def _aws_name(text: str) -> str:
    """A scheduled action's name: printable, at most 255 characters."""
    return re.sub(r"[^\x20-\x7e]", "_", text)[:AWS_NAME_LONGEST]


def aws_text(plan: PrescalePlan) -> str:
    return json.dumps(aws_actions(plan), indent=2) + "\n"


def plan_json(plan: PrescalePlan) -> dict[str, Any]:
    """The schedule's numbers, as ``--json`` prints them."""
    return {
        "profile": plan.profile,
        "now": _utc(plan.now),
        "margin_seconds": plan.margin,
        "cool_down_seconds": plan.cool_down,
        "campaigns": plan.campaigns,
        "services": [
            {
                "service": s.service,
                "instances": s.normal,
                "max_instances": s.max_instances,
                "scale_up_lead_time_seconds": s.lead,
                "steps": [
                    {"at": _utc(at), "zone": zone, "instances": n, "why": why}
                    for at, n, why, zone in steps(s)
                ],
            }
            for s in plan.services
        ],
        "findings": findings_json(plan.findings),
    }
