"""The schedule as commands: ``kubectl`` lines parsed back with :mod:`shlex`, the AWS
scheduled actions checked against botocore's model of PutScheduledUpdateGroupAction
(vendored under tests/data, with its source and version)."""

from __future__ import annotations

import json
import re
import shlex
from typing import Any

import pytest

from campaign_guard.protect.prescale import PrescalePlan, ServiceSchedule, Window
from campaign_guard.protect.prescale_text import aws_actions, aws_text, kubectl_text, plan_text
from tests.botocore_shapes import check_shape, load_model

MODEL = load_model("botocore-autoscaling-put-scheduled-update-group-action-1.43.107.json")
T0 = 1_800_000_000.0  # 2027-01-15T08:00:00Z


def plan(name: str = "web", now: float = T0 - 86400, normal: int = 2) -> PrescalePlan:
    windows = (
        Window(T0, T0 + 3600, 6, 6, ("Sale",), "Europe/Paris"),
        Window(T0 + 7200, T0 + 9000, 4, 9, ("Later", "Other"), "Europe/Paris"),
    )
    schedule = ServiceSchedule(name, normal, 6, 600.0, windows)
    return PrescalePlan("Test", now, 600.0, 300.0, [schedule], ["Sale", "Later", "Other"])


def commands(script: str) -> list[list[str]]:
    return [shlex.split(line) for line in script.splitlines() if line.startswith("kubectl ")]


def test_kubectl_patches_the_hpa_floor_up_and_back_down_in_time_order() -> None:
    script = kubectl_text(plan())
    patches = [(c[3], json.loads(c[-1])) for c in commands(script)]
    assert patches == [("web", {"spec": {"minReplicas": n}}) for n in (6, 2, 4, 2)]
    for words in commands(script):
        assert words[:3] == ["kubectl", "patch", "hpa"]
        assert words[4:6] == ["--type", "merge"]
    times = re.findall(r"^# at (\S+) \((.+?)\)", script, re.MULTILINE)
    assert times[0] == ("2027-01-15T08:00:00Z", "Fri 15 Jan 09:00 CET")
    assert [t for t, _ in times][1:] == [
        "2027-01-15T09:00:00Z",
        "2027-01-15T10:00:00Z",
        "2027-01-15T10:30:00Z",
    ]
    # Run as a whole by mistake, it stops before the first command.
    assert "exit 2" in script.split("kubectl patch", 1)[0]


def test_a_floor_of_zero_becomes_one_on_kubernetes_but_stays_zero_on_aws() -> None:
    script = kubectl_text(plan(normal=0))
    floors = [json.loads(c[-1])["spec"]["minReplicas"] for c in commands(script)]
    assert floors == [6, 1, 4, 1]
    assert [a["MinSize"] for a in aws_actions(plan(normal=0))] == [6, 0, 4, 0]


def test_a_step_already_due_says_now() -> None:
    script = kubectl_text(plan(now=T0 + 60))
    assert "# now, was due 2027-01-15T08:00:00Z" in script
    # AWS refuses a start time in the past: the late step starts in the next minutes.
    first = aws_actions(plan(now=T0 + 60))[0]
    assert first["StartTime"] == "2027-01-15T08:03:00Z"


def _check(value: Any, shape_name: str) -> None:
    """``value`` against the botocore shape (types, required members, length, pattern)."""
    check_shape(value, MODEL, shape_name)


def test_the_aws_actions_fit_botocore_s_model_one_off_with_min_and_desired() -> None:
    actions = json.loads(aws_text(plan()))
    for action in actions:
        _check(action, MODEL["input"])
        assert "Recurrence" not in action
        assert action["MinSize"] == action["DesiredCapacity"]
    assert [a["DesiredCapacity"] for a in actions] == [6, 2, 4, 2]
    assert len({a["ScheduledActionName"] for a in actions}) == len(actions)


HOSTILE = [
    "web'; rm -rf / #",
    "$(touch pwned)",
    "`id`",
    "a b\tc",
    '"quoted" \\ back',
    "ünïcode",
]


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_service_names_stay_one_quoted_word(name: str) -> None:
    script = kubectl_text(plan(name=name))
    assert script.count("\n") == len(script.splitlines())
    for line in script.splitlines():
        if "kubectl patch" in line:
            words = shlex.split(line.removeprefix("# not a Kubernetes name, put your HPA's: "))
            assert words[3] == name
            assert line.startswith("# not a Kubernetes name")  # none of these is one
    actions = json.loads(aws_text(plan(name=name)))
    assert {a["AutoScalingGroupName"] for a in actions} == {name}
    for action in actions:
        _check(action, MODEL["input"])


def test_the_text_shows_each_step_in_the_campaign_s_clock_and_utc() -> None:
    text = plan_text(plan())
    assert "web: 2 instances today, at most 6; a new one takes 10m" in text
    rows = [line.split() for line in text.splitlines() if line.startswith("  Fri")]
    assert [(r[5], r[6], r[7]) for r in rows] == [
        ("08:00", "6", "for"),
        ("09:00", "2", "back"),
        ("10:00", "4", "for"),
        ("10:30", "2", "back"),
    ]
    assert "for Later, Other (peak needs 9: capped)" in " ".join(text.split())
    assert max(len(line) for line in text.splitlines()) <= 80
