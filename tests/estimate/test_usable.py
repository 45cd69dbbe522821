"""Figures the load model cannot use are not used, and no figure the spec accepts breaks
the estimate: assumptions outside their range, and audiences beyond any real one."""

from __future__ import annotations

import math
from typing import Any

import pytest

from campaign_guard.estimate.channels import MAX_AMOUNT, flows_for
from campaign_guard.estimate.defaults import DEFAULT, DEFAULTS
from campaign_guard.estimate.engine import estimate
from campaign_guard.estimate.timeline import MAX_RATE
from campaign_guard.estimate.usable import RANGES, kind_of
from campaign_guard.estimate.words import number
from campaign_guard.spec.campaign import CampaignSpec
from campaign_guard.spec.channels import CHANNEL_MODELS
from tests.channel_samples import sample_channel
from tests.estimate.test_assumptions import BASE
from tests.estimate.test_engine import profile

EVERY_CHANNEL = [sample_channel(kind) for kind in sorted(CHANNEL_MODELS)]


def spec(assumptions: dict[str, Any], *traffic: dict[str, Any]) -> CampaignSpec:
    data = {**BASE, "launch": {"start": "2027-04-12T19:00Z", "duration": "3d"}}
    data["traffic"] = list(traffic) or EVERY_CHANNEL
    return CampaignSpec.model_validate({**data, "assumptions": assumptions})


def test_a_send_rate_of_zero_is_not_used_and_noted() -> None:
    flows, notes = flows_for(spec({"email.send_rate": 0}), "expected")
    (note,) = notes
    assert (note.loc, note.code) == (("assumptions", "email.send_rate"), "unusable-assumption")
    assert note.message == (
        "email.send_rate: 0 cannot be used (a send rate is from 1 to a billion a minute); "
        "the estimate uses the published 2,000 / 5,000 / 20,000 instead "
        "(write a figure from 1 to 1,000,000,000)"
    )
    assert flows  # estimated with the published rate
    assert flows_for(spec({}), "expected")[0] == flows


def test_a_usable_figure_is_used_without_a_note() -> None:
    flows, notes = flows_for(spec({"email.send_rate": 100}), "expected")
    assert notes == []
    assert flows != flows_for(spec({}), "expected")[0]


def test_sms_read_delays_out_of_order_are_not_used() -> None:
    assumed = {"sms.read_delay.p90": "30m", "sms.read_delay.p99": "20m"}
    flows, notes = flows_for(spec(assumed), "expected")
    assert [n.loc for n in notes] == [("assumptions", "sms.read_delay.p99")]
    assert "must be shorter than sms.read_delay.p99" in notes[0].message
    assert flows == flows_for(spec({}), "expected")[0]


def test_every_default_is_within_its_range() -> None:
    for default in DEFAULTS:
        usable = RANGES[kind_of(default)]
        assert usable.low <= default.low <= default.high <= usable.high, default.key


@pytest.mark.parametrize("key", sorted(DEFAULT))
@pytest.mark.parametrize("value", [0.0, 1e-300, 0.05, 1e300])
def test_no_assumption_breaks_the_estimate(key: str, value: float) -> None:
    result = estimate([spec({key: value})], profile())
    assert all(note.code == "unusable-assumption" for note in result.notes)
    usable = RANGES[kind_of(DEFAULT[key])]
    assert bool(result.notes) != (usable.low <= value <= usable.high) or key.startswith("sms.")


def test_an_audience_beyond_any_real_one_is_counted_up_to_the_most_and_noted() -> None:
    email = {"channel": "email", "list_size": 10**300, "tracked_links": 10**300}
    flows, notes = flows_for(spec({}, email), "expected")
    assert max(flow.curve.total for flow in flows) == MAX_AMOUNT
    assert {(n.loc, n.code) for n in notes} == {(("traffic", 0), "too-large")}
    assert notes[0].message.startswith("email: about 10^298 visits is more than the estimate")
    result = estimate([spec({}, email)], None)
    assert {u.note.code for u in result.uncounted} == {"too-large", "beyond-horizon"}


def test_profile_figures_at_the_ends_of_their_range_keep_the_arithmetic_finite() -> None:
    # A tiny capacity per instance, a huge cost per visit: 10^-300 and 10^300.
    route = {"match": "https://a.example.com/*", "service": "web", "requests_per_visit": 1e300}
    web = {"requests_per_second_per_instance": 1e-300, "instances": 1, "max_instances": 2}
    organic = {"channel": "organic_pr", "expected_visits": 242_249_064_508}
    result = estimate([spec({}, organic)], profile(route, services={"web": web}))
    (found,) = [t for t in result.targets if t.kind == "service"]
    assert 0 < found.peak["expected"].value <= MAX_RATE
    verdict = found.verdict["expected"] if found.verdict else None
    assert verdict is not None
    assert verdict.status == "overload"
    assert verdict.instances_needed == 10**18  # not infinitely many: a crash


def test_peaks_split_by_source_and_shown_stay_finite() -> None:
    # 3.3 * 10^24 visits (counted as 10^15) to 11 form endpoints that each cost 10^300.
    route = {"match": "POST /api/signup", "service": "web", "requests_per_visit": 1e300}
    paid = {"channel": "display", "expected_visits": 3_345_517_674_313_819_164_246_016}
    data = {**BASE, "traffic": [paid], "endpoints": ["POST /api/signup"] * 11}
    result = estimate([CampaignSpec.model_validate(data)], profile(route))
    for found in result.targets:
        for parts in found.sources.values():
            assert all(0 <= value <= MAX_RATE for value in parts.values()), found.name
    assert number(math.inf) == "over 10^18"
    assert number(2e18) == "over 10^18"
