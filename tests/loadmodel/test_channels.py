"""Channel response models: a campaign spec → traffic flows and notes, per scenario."""

from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from campaign_guard.defaults import (
    DEFAULT,
    DEFAULTS,
    RATINGS,
    SCENARIOS,
    Scenario,
    format_value,
    markdown_table,
)
from campaign_guard.loadmodel.channels import flows_for, kernel_for
from campaign_guard.loadmodel.flows import Flow
from campaign_guard.loadmodel.kernels import TAIL, Burst, LogLogistic, Spots, Spread
from campaign_guard.spec.campaign import CampaignSpec
from tests.loadmodel.test_kernels import integrate

PARIS = ZoneInfo("Europe/Paris")
LAUNCH = datetime(2027, 3, 2, 9, 0, tzinfo=PARIS).timestamp()
END = LAUNCH + 7 * 86400
PAGE, OTHER = "https://www.example.com/spring", "https://www.example.com/other"
DOC = Path(__file__).resolve().parents[2] / "docs" / "load-model.md"


def make_spec(*traffic: dict[str, Any], **fields: Any) -> CampaignSpec:
    data: dict[str, Any] = {
        "schema_version": 1,
        "name": "Spring Sale 2027",
        "owner": "jane@example.com",
        "launch": {"timezone": "Europe/Paris", "start": "2027-03-02 09:00", "duration": "7d"},
        "traffic": list(traffic),
        "landing_pages": [PAGE],
        "new_data_fields": [],
    }
    data.update(fields)
    return CampaignSpec.model_validate(data)


def flows(spec: CampaignSpec, scenario: Scenario = "expected", kind: str = "visit") -> list[Flow]:
    found, _ = flows_for(spec, scenario)
    return [flow for flow in found if flow.kind == kind]


def total(found: Iterable[Flow]) -> float:
    return sum(flow.curve.total for flow in found)


def peak(found: Iterable[Flow]) -> float:
    """The highest summed rate, sampled densely (geometrically) after every anchor."""
    found = list(found)
    times = set()
    for flow in found:
        end = flow.curve.support()[1]
        for anchor in flow.curve.anchors():
            times.add(anchor)
            times.update(anchor + 0.01 * (end - anchor) ** (i / 600) for i in range(601))
    return max(sum(flow.curve.rate(t) for flow in found) for t in times)


def default(key: str, scenario: Scenario = "expected") -> float:
    return DEFAULT[key].value(scenario)


EMAIL = {"channel": "email", "list_size": "50k", "send_over": "30m", "tracked_links": 4}
SMS = {"channel": "sms", "recipients": "10k", "send_over": "10m"}
PUSH = {"channel": "push", "recipients": "200k"}
EVERY_CHANNEL: list[dict[str, Any]] = [
    {**EMAIL, "images_from_origin": True},
    {"channel": "email", "list_size": 20_000, "click_rate": "4%"},  # default send rate
    SMS,
    {"channel": "sms", "recipients": 5000},  # default throughput
    PUSH,
    {"channel": "paid_social", "budget": "10k", "cost_per_click": 0.5},
    {"channel": "paid_search", "impressions": "1M", "click_rate": "2%"},
    {"channel": "display", "expected_visits": 3000},
    {
        "channel": "tv_radio",
        "viewers": "1M",
        "response_rate": "0.5%",
        "spots": ["2027-03-02 20:00", "2027-03-03 20:00"],
    },
    {"channel": "influencer", "followers": "100k", "engagement_rate": "1%"},
    {"channel": "organic_pr", "expected_visits": "5k"},
    {"channel": "partner_affiliate", "audience": "40k", "click_rate": "2%"},
]


def by_channel(found: list[Flow]) -> dict[int, list[Flow]]:
    groups: dict[int, list[Flow]] = {}
    for flow in found:
        groups.setdefault(flow.channel_index, []).append(flow)
    return groups


# --- conservation ----------------------------------------------------------------------


def test_every_flow_integrates_to_its_total() -> None:
    found, notes = flows_for(make_spec(*EVERY_CHANNEL), "expected")
    assert notes == []
    assert {flow.channel_index for flow in found} == set(range(len(EVERY_CHANNEL)))
    for flow in found:
        assert integrate(flow.curve) == pytest.approx(flow.curve.total, rel=5e-3), flow.label


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_visits_are_the_engaged_audience(scenario: Scenario) -> None:
    spec = make_spec(*EVERY_CHANNEL, landing_pages=[PAGE, OTHER])
    groups = by_channel(flows(spec, scenario))
    spread = DEFAULT["given.spread"].value(scenario)

    def given(value: float, key: str) -> float:  # a marketer's rate, spread like the default
        return value * default(key, scenario) / default(key)

    expected = {
        0: 50_000 * default("email.click_rate", scenario),
        1: 20_000 * given(0.04, "email.click_rate"),
        2: 10_000 * default("sms.click_rate", scenario),
        3: 5_000 * default("sms.click_rate", scenario),
        4: 200_000 * default("push.open_rate", scenario),
        5: 10_000 / 0.5 * spread,
        6: 1_000_000 * 0.02 * spread,
        7: 3000 * spread,
        8: 2 * 1_000_000 * 0.005 * spread,
        9: 100_000 * 0.01 * spread,
        10: 5000 * spread,
        11: 40_000 * 0.02 * spread,
    }
    assert {index: total(group) for index, group in groups.items()} == pytest.approx(
        expected, rel=1e-12
    )


def test_each_open_loads_the_emails_own_images_and_apple_prefetches_them_at_delivery() -> None:
    """20 % open, 3 files from our servers: Apple's recipients a = 0.42 x 0.2 / (1 - 0.42
    + 0.42 x 0.2) = 12.57 % prefetch 3 files each at delivery; the other 87.43 % open at
    20 % and load 3 files each over the open curve. Every recipient counted once."""
    spec = make_spec({**EMAIL, "open_rate": "20%", "origin_assets": 3})
    apple = 0.42 * 0.2 / (1 - 0.42 + 0.42 * 0.2)
    assert apple == pytest.approx(0.126506, rel=1e-5)
    prefetch, opens = flows(spec, kind="prefetch"), flows(spec, kind="open")
    assert total(prefetch) == pytest.approx(50_000 * apple * 3)
    assert total(opens) == pytest.approx(50_000 * (1 - apple) * 0.2 * 3)
    assert [f.landing_page for f in opens] == [None]
    # the opens follow the open curve over the 30 min send, the prefetch the scanners'
    (opened,) = (f.curve for f in opens)
    (fetched,) = (f.curve for f in prefetch)
    assert isinstance(opened, Burst)
    assert isinstance(fetched, Burst)
    assert opened.kernel == kernel_for("email_open")
    assert fetched.kernel == kernel_for("scanner")
    assert opened.ramp_s == fetched.ramp_s == 30 * 60
    # images_from_origin: false and origin_assets: 0 load nothing
    for off in ({"images_from_origin": False}, {"origin_assets": 0}):
        none = make_spec({**EMAIL, **off})
        assert flows(none, kind="prefetch") == flows(none, kind="open") == []


def test_apple_share_of_recipients_from_its_share_of_opens() -> None:
    from campaign_guard.loadmodel.channels.email import apple_share

    # a recipients all "open", the rest at o: s = a / (a + (1 - a) o) inverted
    for s, o in ((0.42, 0.2271), (0.35, 0.1665), (0.5, 0.2627), (0.9, 0.05)):
        a = apple_share(s, o)
        assert a / (a + (1 - a) * o) == pytest.approx(s)
    assert apple_share(0.0, 0.2) == 0.0
    assert apple_share(1.0, 0.2) == 1.0
    assert apple_share(0.42, 0.0) == 0.0  # nobody else opens: no opens to be a share of


def test_scanners_and_prefetch_follow_the_recipients() -> None:
    spec = make_spec({**EMAIL, "images_from_origin": True}, landing_pages=[PAGE, OTHER])
    scanners = flows(spec, kind="scanner")
    assert [flow.landing_page for flow in scanners] == [PAGE, OTHER]
    assert total(scanners) == pytest.approx(50_000 * 0.20 * 4)
    prefetch = flows(spec, kind="prefetch")
    assert [flow.landing_page for flow in prefetch] == [None]
    # Apple Mail is 42 % of opens at a 22.71 % open rate: 0.42 x 0.2271 / (1 - 0.42 +
    # 0.42 x 0.2271) = 14.12 % of recipients, each prefetching the one default image
    assert total(prefetch) == pytest.approx(50_000 * 0.141227, rel=1e-5)
    # no images from our servers (or not said): no prefetch, no opens; no tracked_links: 5
    assert flows(make_spec({"channel": "email", "list_size": 1000}), kind="prefetch") == []
    assert flows(make_spec({"channel": "email", "list_size": 1000}), kind="open") == []
    no_links = flows(make_spec({"channel": "email", "list_size": 1000}), kind="scanner")
    assert total(no_links) == pytest.approx(1000 * 0.20 * 5)
    assert flows(make_spec({**EMAIL, "tracked_links": 0}), kind="scanner") == []


def test_scanner_hits_come_at_delivery() -> None:
    (scanner,) = flows(make_spec(EMAIL), kind="scanner")
    curve = scanner.curve
    assert isinstance(curve, Burst)
    assert curve.kernel == kernel_for("scanner")
    assert curve.t0 == LAUNCH
    assert curve.ramp_s == 30 * 60


# --- scenarios, audience, overrides --------------------------------------------------------


def test_low_expected_high_are_ordered() -> None:
    spec = make_spec(*EVERY_CHANNEL, landing_pages=[PAGE, OTHER])
    found = {scenario: flows_for(spec, scenario)[0] for scenario in SCENARIOS}
    low, expected, high = found["low"], found["expected"], found["high"]
    assert len(low) == len(expected) == len(high)
    for a, b, c in zip(low, expected, high, strict=True):
        assert (a.channel_index, a.kind, a.landing_page) == (
            c.channel_index,
            c.kind,
            c.landing_page,
        )
        assert a.curve.total <= b.curve.total <= c.curve.total, a.label
    peaks = {s: {i: peak(group) for i, group in by_channel(found[s]).items()} for s in SCENARIOS}
    for index in peaks["expected"]:
        assert peaks["low"][index] <= peaks["expected"][index] <= peaks["high"][index], index


def test_the_faster_send_is_the_higher_peak() -> None:
    spec = make_spec({"channel": "email", "list_size": 100_000})
    ramps = []
    for scenario in SCENARIOS:
        (visit,) = flows(spec, scenario)
        assert isinstance(visit.curve, Burst)
        ramps.append(visit.curve.ramp_s)
    # 100,000 emails at 2,000 / 5,000 / 20,000 per minute
    assert ramps == pytest.approx([50 * 60, 20 * 60, 5 * 60])


@pytest.mark.parametrize("entry", [EMAIL, SMS, {**PUSH, "send_over": "15m"}, EVERY_CHANNEL[-1]])
def test_doubling_the_audience_doubles_totals_and_peaks(entry: dict[str, Any]) -> None:
    field = {"email": "list_size", "partner_affiliate": "audience"}.get(entry["channel"])
    field = field or "recipients"
    double = {**entry, field: 2 * int(str(entry[field]).replace("k", "000"))}
    single_flows, double_flows = (
        flows_for(make_spec(entry), "expected")[0],
        flows_for(make_spec(double), "expected")[0],
    )
    if entry["channel"] == "partner_affiliate":  # the send ramp scales with the audience
        assert total(double_flows) == pytest.approx(2 * total(single_flows))
        assert peak(single_flows) <= peak(double_flows) < 2 * peak(single_flows)
        return
    assert total(double_flows) == pytest.approx(2 * total(single_flows))
    assert peak(double_flows) == pytest.approx(2 * peak(single_flows))


def test_without_send_over_the_send_rate_caps_the_peak() -> None:
    small = make_spec({"channel": "sms", "recipients": 10_000})
    large = make_spec({"channel": "sms", "recipients": 20_000})
    assert total(flows(large)) == pytest.approx(2 * total(flows(small)))
    # twice the messages at 100/s take twice as long: the peak grows, but less than twice
    assert peak(flows(small)) < peak(flows(large)) < 2 * peak(flows(small))


def test_a_zero_audience_adds_nothing() -> None:
    alone = flows_for(make_spec(SMS), "expected")
    for zero in (
        {"channel": "email", "list_size": 0},
        {"channel": "sms", "recipients": 0},
        {"channel": "push", "recipients": 0, "open_rate": "5%"},
        {"channel": "paid_search", "budget": 0, "cost_per_click": 1},
        {"channel": "tv_radio", "viewers": 0, "response_rate": "1%"},
        {"channel": "organic_pr", "expected_visits": 0},
    ):
        found, notes = flows_for(make_spec(SMS, zero), "expected")
        assert notes == []
        assert [f.curve for f in found] == [f.curve for f in alone[0]], zero["channel"]


def test_expected_visits_overrides() -> None:
    spec = make_spec({**EMAIL, "click_rate": "10%", "expected_visits": 1234})
    assert total(flows(spec)) == 1234
    # low and high keep the published email range around the marketer's figure
    assert total(flows(spec, "low")) == pytest.approx(1234 * 1.92 / 2.91)
    assert total(flows(spec, "high")) == pytest.approx(1234 * 4.62 / 2.91)
    # the scanners still follow the list
    assert total(flows(spec, kind="scanner")) == pytest.approx(50_000 * 0.20 * 4)
    paid = make_spec(
        {"channel": "paid_social", "budget": 1000, "cost_per_click": 1, "expected_visits": 50}
    )
    assert total(flows(paid)) == 50
    assert total(flows(paid, "low")) == 37.5
    assert total(flows(paid, "high")) == 62.5


def test_a_marketers_rate_is_capped_at_100_percent() -> None:
    spec = make_spec({"channel": "push", "recipients": 1000, "open_rate": "50%"})
    # 50 % x 14.4 / 4.19 would be 172 %
    assert total(flows(spec, "high")) == 1000


# --- worked example ----------------------------------------------------------------------


def test_sms_by_hand() -> None:
    """10,000 SMS, 10 % click, sent evenly over 10 minutes from 10:00 Paris time.

    visits = 10,000 x 10 % = 1,000, arriving at 1,000 / 600 s = 1.667 people/s.
    The SMS kernel is the log-logistic with F(3 min) = 0.90 and F(20 min) = 0.99:
        shape  = ln(0.99/0.01 / (0.90/0.10)) / ln(1200/180) = ln 11 / ln(20/3)
               = 2.397895 / 1.897120 = 1.263966
        median = 180 / 9 ** (1 / 1.263966) = 180 / 5.68798 = 31.6456 s
    rate(t) = 1000 / 600 x (F(t - t0) - F(t - t0 - 600)):
      * at t0 + 180 s, still sending: 1000/600 x (F(180) - 0) = 1.6667 x 0.90 = 1.5 /s
      * at t0 + 1800 s, 20 min after the last message: F(1800 - 600) = F(1200) = 0.99,
        and F(1800) has odds 99 x (1800/1200) ** 1.263966 = 99 x 1.669451 = 165.2757,
        so F(1800) = 165.2757 / 166.2757 = 0.993986;
        rate = 1.6667 x (0.993986 - 0.99) = 1.6667 x 0.003986 = 0.006644 /s
    """
    spec = make_spec(
        {
            "channel": "sms",
            "recipients": "10,000",
            "click_rate": "10%",
            "send_over": "10m",
            "start": "2027-03-02 10:00",
        }
    )
    (visit,) = flows(spec)
    t0 = datetime(2027, 3, 2, 10, 0, tzinfo=PARIS).timestamp()
    assert visit.curve.total == 1000
    assert visit.curve.anchors() == (t0, t0 + 600)
    kernel = kernel_for("sms")
    assert isinstance(kernel, LogLogistic)
    assert kernel.shape == pytest.approx(1.263966, abs=1e-6)
    assert kernel.median_s == pytest.approx(31.6456, abs=1e-4)
    assert visit.curve.rate(t0 + 180) == pytest.approx(1.5)
    assert visit.curve.rate(t0 + 1800) == pytest.approx(0.006644, rel=1e-3)
    assert visit.curve.rate(t0 - 1) == 0.0


# --- notes -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("entry", "field", "words"),
    [
        (
            {"channel": "paid_social", "budget": "10k"},
            "cost_per_click",
            "paid_social: give `cost_per_click` (or `impressions` and `click_rate`, or "
            "`expected_visits`); campaign-guard has no published default to turn a budget "
            "into visits",
        ),
        ({"channel": "display", "impressions": "1M"}, "click_rate", "give `click_rate`"),
        ({"channel": "tv_radio", "viewers": "2M"}, "response_rate", "give `response_rate`"),
        ({"channel": "influencer", "followers": "1M"}, "engagement_rate", "`engagement_rate`"),
        ({"channel": "partner_affiliate", "audience": "10k"}, "click_rate", "give `click_rate`"),
    ],
)
def test_no_published_default_gives_a_note_and_no_flow(
    entry: dict[str, Any], field: str, words: str
) -> None:
    for scenario in SCENARIOS:
        found, notes = flows_for(make_spec(SMS, entry), scenario)
        assert {flow.channel_index for flow in found} == {0}
        (note,) = notes
        assert note.campaign_id == "spring-sale-2027"
        assert note.loc == ("traffic", 1, field)
        assert note.code == "no-default"
        assert words in note.message
        assert note.message.startswith(entry["channel"] + ": ")


def test_email_without_list_size_notes_the_missing_scanners() -> None:
    found, notes = flows_for(make_spec({"channel": "email", "expected_visits": 600}), "expected")
    assert [flow.kind for flow in found] == ["visit"]
    assert found[0].curve.total == 600
    # the send is timed for 600 / 2.91 % = 20,619 recipients at 5,000 per minute
    assert isinstance(found[0].curve, Burst)
    assert found[0].curve.ramp_s == pytest.approx(600 / 0.0291 / 5000 * 60)
    (note,) = notes
    assert (note.loc, note.code) == (("traffic", 0, "list_size"), "not-estimated")


def test_paid_channel_starting_after_the_end_is_noted() -> None:
    # The spec model refuses such a start; a spec built in Python may still have one.
    spec = make_spec({"channel": "paid_search", "expected_visits": 100})
    late = spec.traffic[0].model_copy(update={"start": datetime(2027, 4, 1, 9, 0)})
    found, notes = flows_for(spec.model_copy(update={"traffic": [late]}), "expected")
    assert found == []
    assert [(n.loc, n.code) for n in notes] == [(("traffic", 0, "start"), "not-estimated")]


# --- where and when ------------------------------------------------------------------------


def test_visits_split_over_landing_pages() -> None:
    spec = make_spec(SMS, landing_pages=[PAGE, OTHER])
    found = flows(spec)
    assert [flow.landing_page for flow in found] == [PAGE, OTHER]
    assert [flow.curve.total for flow in found] == pytest.approx([585.0, 585.0])


def test_a_channels_landing_page_is_respected() -> None:
    spec = make_spec({**SMS, "landing_page": OTHER}, landing_pages=[PAGE, OTHER])
    (visit,) = flows(spec)
    assert visit.landing_page == OTHER
    assert visit.curve.total == pytest.approx(1170.0)


def test_an_app_campaign_sends_visits_nowhere() -> None:
    spec = make_spec(PUSH, landing_pages=[], endpoints=["POST /api/redeem"])
    (visit,) = flows(spec)
    assert visit.landing_page is None
    assert visit.curve.total == pytest.approx(200_000 * 0.0419)


def test_a_naive_channel_start_is_in_the_launch_zone() -> None:
    spec = make_spec(
        {**SMS, "start": "2027-03-03 12:00"},
        {**SMS, "start": "2027-03-03T12:00-05:00"},
        {**SMS},
    )
    starts = [flow.curve.anchors()[0] for flow in flows(spec)]
    assert starts == [
        datetime(2027, 3, 3, 12, 0, tzinfo=PARIS).timestamp(),
        datetime(2027, 3, 3, 17, 0, tzinfo=ZoneInfo("UTC")).timestamp(),
        LAUNCH,
    ]


def test_tv_responds_after_each_spot() -> None:
    entry = {
        "channel": "tv_radio",
        "viewers": "1M",
        "response_rate": "1%",
        "spot_length": "20s",
        "spots": ["2027-03-02 20:00", "2027-03-03T20:00+00:00"],
    }
    (found,) = flows(make_spec(entry))  # every spot in one flow
    spot_ends = (
        datetime(2027, 3, 2, 20, 0, 20, tzinfo=PARIS).timestamp(),
        datetime(2027, 3, 3, 20, 0, 20, tzinfo=ZoneInfo("UTC")).timestamp(),
    )
    curve = found.curve
    assert isinstance(curve, Spots)
    assert (curve.anchors(), curve.amount, curve.total) == (spot_ends, 10_000, 20_000)
    best = max((spot_ends[0] + i / 10 for i in range(1200)), key=curve.rate)
    assert best - spot_ends[0] == pytest.approx(13.0, abs=1.0)
    # no spots: one at the channel's start, 30 s long by default; expected_visits per spot
    (plain,) = flows(make_spec({"channel": "tv_radio", "expected_visits": 800}))
    assert (plain.curve.anchors(), plain.curve.total) == ((LAUNCH + 30,), 800)
    (split,) = flows(make_spec({**entry, "expected_visits": 800}))
    assert isinstance(split.curve, Spots)
    assert (split.curve.amount, split.curve.total) == (400, 800)


def test_spots_add_up_as_bursts_do() -> None:
    kernel = kernel_for("tv_radio")
    ends = (LAUNCH, LAUNCH + 60.0, LAUNCH + 3600.0)  # the first two overlap
    spots = Spots(ends, 500.0, kernel)
    bursts = [Burst(end, 500.0, kernel) for end in ends]
    times = [LAUNCH + step * 7.0 for step in range(-10, 700)]
    expected = [sum(burst.rate(t) for burst in bursts) for t in times]
    assert spots.rates(times) == pytest.approx(expected, rel=1e-12, abs=0.0)
    assert [spots.rate(t) for t in times] == pytest.approx(expected, rel=1e-12, abs=0.0)
    assert spots.support() == (LAUNCH, bursts[-1].support()[1])
    assert integrate(spots, points_per_anchor=300) == pytest.approx(1500 * TAIL, rel=1e-3)
    with pytest.raises(ValueError, match="at least one spot"):
        Spots((), 1.0, kernel)


def test_paid_organic_influencer_and_partner_timing() -> None:
    spec = make_spec(*EVERY_CHANNEL[5:])
    curves = {flow.channel: flow.curve for flow in flows(spec)}
    paid = curves["paid_social"]
    assert isinstance(paid, Spread)
    assert (paid.t0, paid.t1) == (LAUNCH, END)
    organic = curves["organic_pr"]
    assert isinstance(organic, Burst)
    assert (organic.t0, organic.kernel, organic.ramp_s) == (LAUNCH, kernel_for("organic_pr"), 0.0)
    influencer = curves["influencer"]
    assert isinstance(influencer, Burst)
    assert (influencer.kernel, influencer.ramp_s) == (kernel_for("influencer"), 0.0)
    partner = curves["partner_affiliate"]
    assert isinstance(partner, Burst)
    # partner newsletters: the email kernel, 40,000 emails at 5,000 per minute
    assert (partner.kernel, partner.ramp_s) == (kernel_for("email"), 8 * 60)


def test_labels_name_the_channel() -> None:
    spec = make_spec(SMS, {**SMS, "label": "VIP list"}, SMS, PUSH)
    assert [flow.label for flow in flows(spec)] == ["sms #1", 'sms "VIP list"', "sms #3", "push"]


# --- the defaults table ----------------------------------------------------------------------


def test_every_default_is_sourced_and_ordered() -> None:
    keys = [d.key for d in DEFAULTS]
    assert len(keys) == len(set(keys)) == len(DEFAULT)
    for d in DEFAULTS:
        assert d.rating in RATINGS
        assert 0 <= d.low <= d.expected <= d.high, d.key
        assert d.source, d.key
        if d.rating == "assumption":
            assert d.note, d.key
        else:
            assert re.search(r"\b(19|20)\d\d\b|\(n\.d\.\)", d.source), f"{d.key}: the year?"
        if d.unit.startswith("share"):
            assert d.high <= 1, d.key


def test_defaults_are_used_as_published() -> None:
    assert (DEFAULT["email.click_rate"].low, DEFAULT["email.click_rate"].high) == (0.0192, 0.0462)
    assert DEFAULT["sms.click_rate"].expected == pytest.approx((0.089 + 0.145) / 2)
    assert DEFAULT["push.open_rate"].value("high") == 0.144
    assert format_value(2.8 * 3600, "s") == "2.8 h"
    assert format_value(0.0291, "share of recipients") == "2.91 %"
    assert format_value(20_000, "emails/min") == "20,000"


def test_overridden_defaults_change_the_flows() -> None:
    table = dict(DEFAULT)
    table["email.scanned_share"] = dataclasses.replace(
        DEFAULT["email.scanned_share"], low=0.5, expected=0.5, high=0.5
    )
    found, _ = flows_for(make_spec(EMAIL), "expected", table)
    assert total(f for f in found if f.kind == "scanner") == pytest.approx(50_000 * 0.5 * 4)


def test_the_doc_lists_every_default() -> None:
    text = DOC.read_text(encoding="utf-8")
    rows = set(re.findall(r"^\| `([a-z_.0-9]+)` \|", text, flags=re.MULTILINE))
    assert rows == set(DEFAULT)
    assert markdown_table() in text, "regenerate the table: print(markdown_table())"


def test_the_doc_quotes_the_fitted_kernels() -> None:
    text = DOC.read_text(encoding="utf-8")
    sms = kernel_for("sms")
    assert isinstance(sms, LogLogistic)
    assert f"median {sms.median_s:.1f} s, shape {sms.shape:.3f}" in text
    email = kernel_for("email")
    for hours in (1, 3, 24):
        assert f"{100 * email.cdf(hours * 3600):.1f} %" in text
    assert math.isclose(TAIL, 0.999)


def test_an_email_burst_always_has_a_ramp() -> None:
    spec = make_spec({"channel": "email", "list_size": 0, "expected_visits": 100})
    (visit,) = flows(spec)
    assert isinstance(visit.curve, Burst)
    assert visit.curve.ramp_s == 1.0
    assert peak([visit]) < 100
