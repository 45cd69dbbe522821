"""Verdicts per campaign and per overlap window, so one campaign cannot hide another.

The cases use the small paid campaigns of ``test_engine`` (visits spread evenly over the
campaign: the rate is visits / duration) and a tiny profile behind a CDN: web takes 26
requests/s per instance, runs 1 instance aimed at 50 % (13/s today), at most 2 (26/s).
"""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from campaign_guard.loadmodel.engine import estimate
from campaign_guard.loadmodel.judge import Run, overlapping
from campaign_guard.loadmodel.report import to_json
from campaign_guard.loadmodel.summary import (
    actions,
    campaign_verdict,
    window_actions,
    window_title,
)
from campaign_guard.loadmodel.timeline import RangeMax
from tests.loadmodel.test_engine import campaign, paid, profile, service

WEB = profile(services={"web": service(26, 1, 2)})

# January: 20 visits/s for an hour needs ceil(20 / 13) = 2 instances: scale.
JANUARY = campaign("January newsletter", paid(20 * 3600), start="2027-01-05 09:00")
# March: 40 visits/s needs 4 instances, beyond the maximum of 2: overload.
MARCH = campaign("March TV", paid(40 * 3600), start="2027-03-02 20:00")


def test_a_small_campaigns_need_is_not_hidden_by_a_bigger_one_months_later() -> None:
    result = estimate([JANUARY, MARCH], WEB)
    # One peak per target: March's. Its verdict alone says nothing about January.
    (web,) = result.targets
    assert web.verdict is not None
    assert web.verdict["expected"].status == "overload"
    # Each campaign has its own verdict, over its own run.
    verdicts = {c.name: campaign_verdict(c) for c in result.campaigns}
    assert verdicts == {"January newsletter": "scale: web", "March TV": "overload: web"}
    (january_web,) = result.campaigns[0].targets
    assert january_web.peak["expected"].value == pytest.approx(20.0)
    assert january_web.verdict is not None
    assert january_web.verdict["expected"].instances_needed == 2
    # Two windows, each with its own actions; January's scaling is among the actions.
    assert [w.campaign_ids for w in result.windows] == [("january-newsletter",), ("march-tv",)]
    grouped = [todo for _, todo in window_actions(result)]
    assert grouped[0] == ["Scale web to 2 instances by Tue 5 Jan 08:50 UTC"]
    assert grouped[1][0].startswith("web: even its autoscaling maximum cannot take 40")
    assert "Scale web to 2 instances by Tue 5 Jan 08:50 UTC" in actions(result)
    assert len(actions(result)) == 2


def test_the_json_has_a_verdict_per_campaign_and_per_window() -> None:
    document = json.loads(json.dumps(to_json(estimate([JANUARY, MARCH], WEB), [])))
    january, march = document["campaigns"]
    assert january["verdict"] == {"low": "scale", "expected": "scale", "high": "scale"}
    assert march["verdict"]["expected"] == "overload"
    assert (january["window"], march["window"]) == (0, 1)
    assert january["targets"][0]["name"] == "web"
    assert january["targets"][0]["verdict"]["expected"]["instances_needed"] == 2
    first, second = document["windows"]
    assert first["campaigns"] == ["january-newsletter"]
    assert first["start"] == "2027-01-05T09:00:00Z"
    assert first["end"] == "2027-01-05T10:00:00Z"
    assert first["verdict"]["expected"] == "scale"
    assert first["actions"] == ["Scale web to 2 instances by Tue 5 Jan 08:50 UTC"]
    assert second["verdict"]["expected"] == "overload"
    # The existing keys are all still there.
    assert {"version", "capacity_profile", "headline", "actions", "targets", "times"} <= set(
        document
    )


def test_overlapping_campaigns_share_a_window_and_each_sees_the_sum() -> None:
    # A (09:00-10:00, 10/s) and B (09:30-10:30, 8/s) overlap: 18/s from 09:30, more than
    # the 13/s of today. Alone each would fit. C, the next day, is on its own.
    a = campaign("A", paid(10 * 3600))
    b = campaign("B", paid(8 * 3600), start="2027-03-02 09:30")
    c = campaign("C", paid(5 * 3600), start="2027-03-03 09:00")
    result = estimate([a, b, c], WEB)
    assert [w.campaign_ids for w in result.windows] == [("a", "b"), ("c",)]
    verdicts = {c.name: campaign_verdict(c) for c in result.campaigns}
    assert verdicts == {"A": "scale: web", "B": "scale: web", "C": "ok"}
    assert window_title(result, result.windows[0]) == (
        "A and B, which overlap (Tue 2 Mar 09:00 → 10:30 UTC)"
    )
    assert window_title(result, result.windows[1]) == "C (Wed 3 Mar 09:00 → 10:00 UTC)"


def test_a_campaign_is_judged_only_on_what_its_traffic_reaches() -> None:
    # A reaches web; D reaches only the shop's service, which is overloaded by D alone.
    shop_route = {"match": "https://shop.example.com/*", "service": "shop"}
    web_route = {"match": "https://www.example.com/*", "service": "web"}
    services = {"web": service(26, 1, 2), "shop": service(2, 1, 1)}
    two = profile(web_route, shop_route, services=services)
    d = campaign("D", landing_pages=["https://shop.example.com/sale"])
    result = estimate([campaign("A"), d], two)
    a_targets = [t.name for t in result.campaigns[0].targets]
    d_targets = [t.name for t in result.campaigns[1].targets]
    assert (a_targets, d_targets) == (["web"], ["shop"])
    assert campaign_verdict(result.campaigns[0]) == "ok"
    assert campaign_verdict(result.campaigns[1]) == "overload: shop"


def test_without_a_profile_campaigns_have_no_verdict() -> None:
    result = estimate([JANUARY], None)
    assert campaign_verdict(result.campaigns[0]) == ""
    assert to_json(result, [])["campaigns"][0]["verdict"] is None


@pytest.mark.parametrize(
    ("runs", "groups"),
    [
        ([(0, 10), (5, 15), (20, 30)], [[0, 1], [2]]),
        ([(0, 10), (10, 20)], [[0], [1]]),  # back to back: no overlap
        ([(20, 30), (0, 100), (40, 50)], [[1, 0, 2]]),  # one long run holds the others
    ],
)
def test_overlapping_groups_runs_that_overlap(
    runs: list[tuple[float, float]], groups: list[list[int]]
) -> None:
    found = overlapping([Run(str(i), s, e, (s, e)) for i, (s, e) in enumerate(runs)])
    assert [[int(run.campaign_id) for run in group] for group in found] == groups


@given(
    st.lists(st.floats(min_value=0, max_value=1e6), min_size=1, max_size=1200),
    st.data(),
)
def test_range_max_is_the_maximum_of_the_range(values: list[float], data: st.DataObject) -> None:
    first = data.draw(st.integers(0, len(values) - 1))
    last = data.draw(st.integers(first + 1, len(values)))
    ranges = RangeMax(values)
    top = ranges.top(first, last)
    assert top == max(values[first:last])
    assert ranges.index(top, first, last) == values.index(top, first, last)


@given(
    st.lists(st.floats(min_value=0, max_value=100), min_size=1, max_size=600),
    st.floats(min_value=0, max_value=100),
    st.data(),
)
def test_range_max_finds_the_first_value_above_a_level(
    values: list[float], level: float, data: st.DataObject
) -> None:
    first = data.draw(st.integers(0, len(values) - 1))
    last = data.draw(st.integers(first, len(values)))
    naive = next((i for i in range(first, last) if values[i] > level), None)
    assert RangeMax(values).first_above(level, first, last) == naive
