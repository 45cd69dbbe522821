"""No figure breaks the estimate, even one the spec would refuse.

The spec refuses assumptions out of range and audiences beyond any real one
(:mod:`campaign_guard.spec.bounds`); the estimate must hold without that. These tests
give it such values in spec and profile objects built past validation
(``model_copy``), as a caller other than ``lint`` could.
"""

from __future__ import annotations

import math
from typing import Any

import pytest

from campaign_guard.defaults import DEFAULT, DEFAULTS
from campaign_guard.loadmodel.channels import MAX_AMOUNT, flows_for
from campaign_guard.loadmodel.engine import estimate
from campaign_guard.loadmodel.timeline import MAX_RATE
from campaign_guard.loadmodel.words import number
from campaign_guard.spec.assumptions import accepted
from campaign_guard.spec.campaign import CampaignSpec
from campaign_guard.spec.capacity import CapacityProfile
from campaign_guard.spec.channels import CHANNEL_MODELS
from tests.channel_samples import sample_channel
from tests.loadmodel.test_assumptions import BASE
from tests.loadmodel.test_engine import profile

EVERY_CHANNEL = [sample_channel(kind) for kind in sorted(CHANNEL_MODELS)]


def spec(*traffic: dict[str, Any], **fields: Any) -> CampaignSpec:
    data = {**BASE, "launch": {"start": "2027-04-12T19:00Z", "duration": "3d"}}
    data["traffic"] = list(traffic) or EVERY_CHANNEL
    return CampaignSpec.model_validate({**data, **fields})


def assuming(assumptions: dict[str, Any], *traffic: dict[str, Any]) -> CampaignSpec:
    """A valid spec given ``assumptions`` past validation."""
    return spec(*traffic).model_copy(update={"assumptions": assumptions})


def with_channel(base: CampaignSpec, **changes: Any) -> CampaignSpec:
    """``base`` with its first channel changed past validation."""
    first = base.traffic[0].model_copy(update=changes)
    return base.model_copy(update={"traffic": [first, *base.traffic[1:]]})


def test_a_send_rate_of_zero_is_not_used_and_noted() -> None:
    flows, notes = flows_for(assuming({"email.send_rate": 0.0}), "expected")
    (note,) = notes
    assert (note.loc, note.code) == (("assumptions", "email.send_rate"), "unusable-assumption")
    assert note.message == (
        "email.send_rate: 0 cannot be used (it must be from 1 to 1,000,000,000 emails a "
        "minute); the estimate uses the published 2,000 / 5,000 / 20,000 instead"
    )
    assert flows == flows_for(spec(), "expected")[0]  # estimated with the published rate


def test_a_usable_figure_is_used_without_a_note() -> None:
    flows, notes = flows_for(assuming({"email.send_rate": 100.0}), "expected")
    assert notes == []
    assert flows != flows_for(spec(), "expected")[0]


def test_sms_read_delays_out_of_order_are_not_used() -> None:
    given = {"sms.read_delay.p90": 1800.0, "sms.read_delay.p99": 1200.0}
    flows, notes = flows_for(assuming(given), "expected")
    assert [n.loc for n in notes] == [("assumptions", "sms.read_delay.p99")]
    assert "must be at least 1.1 times sms.read_delay.p90" in notes[0].message
    assert flows == flows_for(spec(), "expected")[0]


def test_every_default_is_within_its_range() -> None:
    for default in DEFAULTS:
        allowed = accepted(default.key, default.unit)
        assert all(allowed.holds(v) for v in (default.low, default.high)), default.key


@pytest.mark.parametrize("key", sorted(DEFAULT))
@pytest.mark.parametrize("value", [0.0, 1e-300, 0.5, 1e300])
def test_no_assumption_breaks_the_estimate(key: str, value: float) -> None:
    result = estimate([assuming({key: value})], profile())
    assert all(note.code == "unusable-assumption" for note in result.notes)
    if not accepted(key, DEFAULT[key].unit).holds(value):
        assert [note.loc for note in result.notes] == [("assumptions", key)]


def test_an_audience_beyond_any_real_one_is_counted_up_to_the_most_and_noted() -> None:
    email = spec({"channel": "email", "list_size": 1000})
    huge = with_channel(email, list_size=10**300, tracked_links=10**300)
    flows, notes = flows_for(huge, "expected")
    assert max(flow.curve.total for flow in flows) == MAX_AMOUNT
    assert {(n.loc, n.code) for n in notes} == {(("traffic", 0), "too-large")}
    assert notes[0].message.startswith("email: about 10^298 visits is more than the estimate")
    result = estimate([huge], None)
    assert {u.note.code for u in result.uncounted} == {"too-large", "beyond-horizon"}


def test_profile_figures_past_their_range_keep_the_arithmetic_finite() -> None:
    # A tiny capacity per instance, a huge cost per visit: 10^-300 and 10^300.
    base = profile()
    web = base.services["web"].model_copy(update={"requests_per_second_per_instance": 1e-300})
    route = base.routes[0].model_copy(update={"requests_per_visit": 1e300})
    hostile = base.model_copy(update={"services": {"web": web}, "routes": [route]})
    assert isinstance(hostile, CapacityProfile)
    paid = spec(
        {"channel": "paid_social", "expected_visits": 1000},
        landing_pages=["https://www.example.com/spring"],
    )
    result = estimate([with_channel(paid, expected_visits=10**24)], hostile)
    (found,) = [t for t in result.targets if t.kind == "service"]
    assert 0 < found.peak["expected"].value <= MAX_RATE
    for parts in found.sources.values():
        assert all(0 <= value <= MAX_RATE for value in parts.values())
    verdict = found.verdict["expected"] if found.verdict else None
    assert verdict is not None
    assert verdict.status == "overload"
    assert verdict.instances_needed == 10**18  # not infinitely many: a crash


def test_numbers_past_what_the_estimate_counts_are_shown_in_words() -> None:
    assert number(math.inf) == "over 10^18"
    assert number(2e18) == "over 10^18"
    assert number(1e18) == "1,000,000,000,000,000,000"
