"""What a campaign's high estimate rests on most, with hand-computed cases."""

from __future__ import annotations

import dataclasses

import pytest

from campaign_guard.defaults import DEFAULT, DEFAULTS
from campaign_guard.loadmodel.channels import CHANNEL_KINDS
from campaign_guard.loadmodel.drivers import LABELS, high_driver
from tests.loadmodel.test_channels import make_spec


def test_every_default_with_a_range_has_words() -> None:
    ranged = {d.key for d in DEFAULTS if d.high > d.expected}
    read = {k for kind in CHANNEL_KINDS.values() for k in kind.reads}
    assert ranged & read <= set(LABELS)


def test_a_newsletter_rests_on_the_scanned_share() -> None:
    """50,000 recipients, 4 tracked links, no images of ours: the expected traffic is
    clicks 50,000 x 2.91 % = 1,455 plus scanner hits 50,000 x 20 % x 4 = 40,000. Raised
    alone, the click rate to 4.62 % adds 855; the scanned share to 30 % adds 20,000."""
    spec = make_spec(
        {"channel": "email", "list_size": "50k", "send_over": "30m", "tracked_links": 4}
    )
    driver = high_driver(spec)
    assert driver is not None
    assert driver.key == "email.scanned_share"
    assert (driver.range, driver.rating) == ("10 % – 30 %", "weak")
    # all at high: 50,000 x (4.62 % + 30 % x 4) = 62,310, 20,855 above 41,455
    assert driver.share == pytest.approx(20_000 / 20_855)
    assert driver.sentence() == (
        "high mostly because the share of recipients whose mail is scanned is uncertain: "
        "10 % – 30 % (weak)"
    )


def test_a_given_figure_is_spread_like_the_default_it_replaces() -> None:
    """A push with the marketer's 6 % open rate: the high case spreads it like the
    published push open rates (4.19 % expected, 14.4 % high), so it is the driver."""
    spec = make_spec({"channel": "push", "recipients": "100k", "open_rate": "6%"})
    driver = high_driver(spec)
    assert driver is not None
    assert driver.key == "push.open_rate"
    assert driver.share == pytest.approx(1.0)


def test_expected_visits_rest_on_the_spread_of_the_marketers_figure() -> None:
    spec = make_spec({"channel": "organic_pr", "expected_visits": 8000})
    driver = high_driver(spec)
    assert driver is not None
    assert driver.key == "given.spread"
    assert driver.sentence().endswith("taken as ±25% (an assumption)")


def test_no_driver_when_the_high_case_adds_nothing() -> None:
    table = {k: dataclasses.replace(d, low=d.expected, high=d.expected) for k, d in DEFAULT.items()}
    spec = make_spec({"channel": "email", "list_size": "50k"})
    assert high_driver(spec, table) is None
