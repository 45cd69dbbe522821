"""The pre-scale schedule, computed by hand on small timelines.

The timelines are 5-minute samples from ``T0``; the verdicts come from the estimate's
own judge (:func:`judge_service`), so the schedule is checked against what ``estimate``
and ``review`` would say, not against numbers made up to match.

Service ``web``: 100 requests/s per instance at 100 %, aimed at 50 %, so one instance
holds 50/s; 2 instances today hold 100/s; at most 6; a new instance takes 10 minutes.
"""

from __future__ import annotations

from datetime import timezone

import pytest

from campaign_guard.loadmodel.engine import CampaignEstimate, Estimate, Judged, TargetEstimate
from campaign_guard.loadmodel.judge import Peak
from campaign_guard.loadmodel.verdicts import Stretch, judge_service
from campaign_guard.protect.prescale import COOL_DOWN, MARGIN, Window, merge, plan_prescale
from campaign_guard.spec.capacity import CapacityProfile

T0 = 1_800_000_000.0  # 2027-01-15T08:00:00Z, a whole hour
STEP = 300.0
MINUTES = 60.0


def profile(instances: int = 2) -> CapacityProfile:
    return CapacityProfile.model_validate(
        {
            "schema_version": 1,
            "kind": "capacity-profile",
            "name": "Test",
            "timezone": "UTC",
            "services": {
                "web": {
                    "requests_per_second_per_instance": 100,
                    "instances": instances,
                    "max_instances": 6,
                    "scale_up_lead_time": "10m",
                    "target_utilisation": 0.5,
                }
            },
            "routes": [{"match": "https://example.com/*", "service": "web"}],
        }
    )


def timeline(levels: dict[int, float], samples: int = 48) -> tuple[list[float], list[float]]:
    """Samples every 5 minutes; ``levels``: sample index → rate (others 40/s)."""
    times = [T0 + i * STEP for i in range(samples)]
    return times, [levels.get(i, 40.0) for i in range(samples)]


def campaign(
    name: str, start: int, end: int, line: tuple[list[float], list[float]]
) -> CampaignEstimate:
    """A campaign running from sample ``start`` to sample ``end``, judged over its run."""
    times, values = line
    plan = profile()
    top = max(values[start : end + 1])
    verdict = judge_service(plan.services["web"], top, Stretch(times, values, start, end + 1))
    at = times[values.index(top, start)]
    judged = Judged(
        "service", "web", "requests/s", {"expected": Peak(top, at)}, {"expected": verdict}
    )
    return CampaignEstimate(
        name, name, times[start], times[end], {}, {}, timezone.utc, targets=[judged]
    )


def estimate(
    campaigns: list[CampaignEstimate], times: list[float], values: list[float]
) -> Estimate:
    total = TargetEstimate(
        "service",
        "web",
        "requests/s",
        {"expected": values, "high": values},
        {},
        40.0,
        None,
        holds_now=100.0,
        instances=2,
    )
    return Estimate(campaigns, times, [total], [], "Test", timezone.utc)


def test_one_campaign_scales_up_before_its_lead_time_and_back_after_the_cool_down() -> None:
    # Over 100/s from sample 12 (T0+60m) to 17; back to 40/s at sample 18 (T0+90m).
    times, values = timeline({12: 180, 13: 260, 14: 240, 15: 200, 16: 150, 17: 120})
    plan = plan_prescale(
        estimate([campaign("Sale", 12, 20, (times, values))], times, values),
        profile(),
        now=T0,
    )
    (web,) = plan.services
    # 260/s ÷ 50/s per instance = 5.2 → 6; due 10m (lead) before T0+60m, 10m margin more.
    assert web.windows == (Window(T0 + 40 * MINUTES, T0 + 95 * MINUTES, 6, 6, ("Sale",), "UTC"),)
    assert (MARGIN, COOL_DOWN) == (600.0, 300.0)
    assert plan.findings == []


def test_two_overlapping_campaigns_merge_into_one_window_with_the_larger_count() -> None:
    # A: over 100/s at samples 12-14 (needs 160/50 → 4); B: 16-18 (needs 230/50 → 5).
    times, values = timeline({12: 160, 13: 150, 14: 110, 16: 230, 17: 200, 18: 130})
    first = campaign("A", 12, 15, (times, values))
    second = campaign("B", 16, 20, (times, values))
    plan = plan_prescale(estimate([first, second], times, values), profile(), now=T0)
    (web,) = plan.services
    # A: up at 60-20 = 40m, down at 75+5 = 80m; B: up at 80-20 = 60m (overlaps A), down
    # at sample 19 (95m) + 5 = 100m.
    assert web.windows == (Window(T0 + 40 * MINUTES, T0 + 100 * MINUTES, 5, 5, ("A", "B"), "UTC"),)


def test_a_peak_above_the_maximum_is_capped_and_is_an_error() -> None:
    times, values = timeline({12: 420})  # 420 ÷ 50 → 9 instances; the maximum is 6
    plan = plan_prescale(
        estimate([campaign("Big", 12, 14, (times, values))], times, values),
        profile(),
        now=T0,
    )
    (window,) = plan.services[0].windows
    assert (window.instances, window.needed) == (6, 9)
    assert [(f.code, f.severity) for f in plan.findings] == [("prescale-above-max", "error")]
    assert "web needs 9 instances at its peak but stops at 6" in plan.findings[0].message


def test_a_launch_inside_the_lead_time_says_to_scale_now() -> None:
    times, values = timeline({12: 180})
    now = T0 + 55 * MINUTES  # the scale-up was due at T0+40m
    plan = plan_prescale(
        estimate([campaign("Soon", 12, 14, (times, values))], times, values),
        profile(),
        now=now,
    )
    assert [(f.code, f.severity) for f in plan.findings] == [("prescale-late", "warning")]
    assert plan.findings[0].message == (
        "web should have started scaling 15m ago (a new instance takes 10m): scale it to "
        "4 instances now"
    )


def test_a_service_with_no_instances_today_is_named() -> None:
    times, values = timeline({})
    plan = plan_prescale(estimate([], times, values), profile(instances=0), now=T0)
    assert plan.services == []
    assert [f.code for f in plan.findings] == ["prescale-no-instances"]


def test_today_s_instances_holding_every_peak_schedule_nothing() -> None:
    times, values = timeline({12: 95})
    plan = plan_prescale(
        estimate([campaign("Small", 12, 14, (times, values))], times, values),
        profile(),
        now=T0,
    )
    assert (plan.services, plan.findings) == ([], [])


@pytest.mark.parametrize(
    ("spans", "merged"),
    [
        ([(0, 10, 3), (10, 20, 5)], [(0, 20, 5)]),  # touching: one window
        ([(0, 10, 3), (11, 20, 5)], [(0, 10, 3), (11, 20, 5)]),
        ([(5, 30, 4), (0, 10, 2), (12, 15, 6)], [(0, 30, 6)]),  # out of order, nested
    ],
)
def test_merge(spans: list[tuple[int, int, int]], merged: list[tuple[int, int, int]]) -> None:
    windows = [Window(a, b, n, n, (f"c{a}",), "UTC") for a, b, n in spans]
    assert [(w.start, w.end, w.instances) for w in merge(windows)] == merged
