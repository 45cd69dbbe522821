"""A replaced load-model default outside the range of its kind is a finding at its line,
and every value inside the ranges estimates without error (so the check is enough)."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest

from campaign_guard.defaults import DEFAULTS
from campaign_guard.loadmodel.engine import estimate
from campaign_guard.spec.assumptions import accepted
from campaign_guard.spec.campaign import CampaignSpec
from campaign_guard.spec.capacity import CapacityProfile
from campaign_guard.spec.load import load_model
from tests.channel_samples import sample_channel
from tests.conftest import REPO_ROOT
from tests.spec.test_campaign import MINIMAL, Row, problems

EVERY_CHANNEL: dict[str, Any] = {
    "schema_version": 1,
    "name": "Every channel",
    "owner": "a@example.com",
    "launch": {"timezone": "America/Chicago", "start": "2027-04-12 19:00", "duration": "3d"},
    "traffic": [
        sample_channel(name)
        for name in (
            "email",
            "sms",
            "push",
            "paid_social",
            "tv_radio",
            "influencer",
            "organic_pr",
            "partner_affiliate",
        )
    ],
    "landing_pages": ["https://www.example.com/new"],
    "endpoints": ["POST /api/signup"],
    "new_data_fields": [],
}


def with_assumptions(text: str) -> str:
    return MINIMAL + "assumptions:\n" + text


def one(tmp_path: Path, text: str) -> Row:
    found = problems(tmp_path, with_assumptions(text))
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize("default", DEFAULTS, ids=[d.key for d in DEFAULTS])
def test_every_default_has_a_range_that_holds_it(default: Any) -> None:
    allowed = accepted(default.key, default.unit)
    assert all(allowed.holds(v) for v in (default.low, default.expected, default.high))


@pytest.mark.parametrize(
    ("written", "field", "message"),
    [
        (
            "  email.send_rate: 0\n",
            "assumptions.email.send_rate",
            "must be from 1 to 1,000,000,000 emails a minute, not 0",
        ),
        (
            "  email.click_delay.shape: 0\n",
            "assumptions.email.click_delay.shape",
            "must be from 0.2 to 20 (how steep the curve is), not 0",
        ),
        (
            "  tv_radio.response_delay.shape: 1\n",
            "assumptions.tv_radio.response_delay.shape",
            "must be more than 1 and at most 20 (a curve with a peak), not 1",
        ),
        (
            "  email.scanned_share: 150%\n",
            "assumptions.email.scanned_share",
            "must be from 0% to 100%, not 150%",
        ),
        (
            "  organic_pr.visit_delay.median: 0s\n",
            "assumptions.organic_pr.visit_delay.median",
            "must be from 1 second to 30 days (like 30s, 2h or 3d), not 0 seconds",
        ),
        (
            "  push.fan_out: 60d\n",
            "assumptions.push.fan_out",
            "must be from 1 second to 30 days (like 30s, 2h or 3d), not 5.184e+06 seconds",
        ),
        (
            "  given.spread: 0\n",
            "assumptions.given.spread",
            "must be more than 0 and at most 10 (times the figure given), not 0",
        ),
        (
            "  email.send_rate: {low: 0, expected: 5000, high: 20000}\n",
            "assumptions.email.send_rate.low",
            "must be from 1 to 1,000,000,000 emails a minute, not 0",
        ),
    ],
)
def test_a_default_replaced_out_of_its_range_is_a_finding(
    tmp_path: Path, written: str, field: str, message: str
) -> None:
    assert one(tmp_path, written)[2:] == ("out-of-range", field, message)
    assert one(tmp_path, written)[0] == 15  # the key's line, after MINIMAL's 13 and `assumptions:`


def test_the_quantiles_of_a_curve_must_stay_apart(tmp_path: Path) -> None:
    assert one(tmp_path, "  sms.read_delay.p90: 20m\n")[2:] == (
        "out-of-range",
        "assumptions.sms.read_delay.p90",
        "sms.read_delay.p99 (1200 seconds) must be at least 1.1 times sms.read_delay.p90 "
        "(1200 seconds) in the low scenario",
    )


def ends_of_each_range() -> list[tuple[str, float]]:
    """Every key with the smallest and the largest value its range accepts."""
    cases = []
    for default in DEFAULTS:
        allowed = accepted(default.key, default.unit)
        low = math.nextafter(allowed.low, math.inf) if allowed.above_low else allowed.low
        cases += [(default.key, low), (default.key, allowed.high)]
    return cases


PAIR = ("sms.read_delay.p90", "sms.read_delay.p99")
MONTH = 30 * 86400.0
PROFILE = REPO_ROOT / "examples" / "capacity" / "production.yaml"


@pytest.fixture(scope="module")
def profile() -> CapacityProfile:
    loaded = load_model(PROFILE, CapacityProfile)
    assert loaded.value is not None
    return loaded.value


@pytest.mark.parametrize(("key", "value"), ends_of_each_range())
def test_every_accepted_value_estimates(profile: CapacityProfile, key: str, value: float) -> None:
    given = {key: value}
    if key in PAIR:  # the other of the pair, as close as it may be
        p90, p99 = (value, value * 1.1) if key == PAIR[0] else (value / 1.1, value)
        if p90 < 1:
            p90, p99 = 1.0, 1.1
        if p99 > MONTH:
            p90, p99 = MONTH / 1.1, MONTH
        given = dict(zip(PAIR, (p90, p99), strict=True))
    spec = CampaignSpec.model_validate({**EVERY_CHANNEL, "assumptions": given})
    result = estimate([spec], profile)
    assert result.campaigns
