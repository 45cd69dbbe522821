"""Every default number of the load model's channels, with its source: one table.

Each :class:`Default` holds a low / expected / high value (the three scenarios), the
citation it comes from (a row of the published load model, author or publisher, title,
year) and a rating: **solid** (primary source), **ok** (a primary study seen through a
named write-up), **weak** (unclear origin) or **assumption** (no published number: the
note says why the value is reasonable). ``override`` names the spec field that replaces
the default for one campaign, when the spec has one.

``docs/load-model.md`` shows :func:`markdown_table`; a test keeps the two identical.

The table sits below both the spec (which checks a campaign's ``assumptions`` against
its keys, units and ranges) and the load model (which computes with it), so neither
imports the other for it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

Scenario = Literal["low", "expected", "high"]
SCENARIOS: tuple[Scenario, ...] = ("low", "expected", "high")

Rating = Literal["solid", "ok", "weak", "assumption"]
RATINGS: tuple[Rating, ...] = ("solid", "ok", "weak", "assumption")

NO_FIELD = "`assumptions` only"


@dataclass(frozen=True)
class Default:
    """One default number: its range over the scenarios, where it comes from, how sure."""

    key: str
    low: float
    expected: float
    high: float
    unit: str
    source: str
    rating: Rating
    note: str
    override: str = NO_FIELD
    """The spec field that replaces this default for one campaign."""

    def __post_init__(self) -> None:
        if not (0.0 <= self.low <= self.expected <= self.high):
            raise ValueError(f"{self.key}: need 0 <= low <= expected <= high")
        if self.rating not in RATINGS:
            raise ValueError(f"{self.key}: rating must be one of {RATINGS}")
        if self.rating == "assumption" and not self.note:
            raise ValueError(f"{self.key}: an assumption needs a one-line reason")

    def value(self, scenario: Scenario) -> float:
        """The value in ``scenario``."""
        if scenario == "low":
            return self.low
        return self.high if scenario == "high" else self.expected


def _same(key: str, value: float, unit: str, source: str, rating: Rating, *, note: str) -> Default:
    """A published number with one value in every scenario."""
    return Default(key, value, value, value, unit, source, rating, note)


def _fixed(key: str, value: float, unit: str, note: str, override: str = NO_FIELD) -> Default:
    """An assumption with one value in every scenario."""
    return Default(key, value, value, value, unit, "assumption", "assumption", note, override)


MIN, HOUR = 60.0, 3600.0

MAILCHIMP = (
    'low: Mailchimp, "Email Marketing Benchmarks by Industry", 2019 (Beauty); '
    "expected: same, all accounts; high: Mailchimp benchmarks, 2018 edition "
    "(media & publishing)"
)
GETRESPONSE = (
    "GetResponse email benchmarks, Jul 2019 - Jun 2020, via MarketingCharts (33.6 % of "
    "clicks in 1 h, 51.4 % by 3 h, 81 % by 24 h); log-logistic form: Bonfrer & Dreze, "
    '"Real-Time Evaluation of E-mail Campaign Performance", Marketing Science, 2009'
)
MAILCHIMP_OPENS = (
    'Mailchimp, "Email Marketing Benchmarks by Industry", Oct 2019: all accounts 22.71 %; '
    "low: Beauty 16.65 %; high: Arts 26.27 %"
)
GETRESPONSE_OPENS = (
    "GetResponse email benchmarks, Jul 2019 - Jun 2020, via MarketingCharts (21.5 % of "
    "opens in 1 h, 50.6 % by 6 h, 73 % by 24 h); log-logistic form: Bonfrer & Dreze, 2009"
)
LAPOSTA = 'Laposta documentation, "Overloaded website, delayed delivery" (n.d.)'
LEANPLUM = "Leanplum, 2016, via Business of Apps (median time to open: iOS 7 min, Android 48 min)"
TATANGO = "mobileSQUARED via Tatango, 2009-10 data (90 % read within 3 min, 99 % within 20 min)"
KITTS = (
    'Kitts et al., "Can Television Advertising Impact Be Measured on the Web?", 2014 '
    "(bursts peak about 13 s after the ad ends; read from the abstract)"
)

PRESS = (
    "first-hand hourly traffic after a link: HN front page 2026 (so.long.thanks.fish: busiest "
    "hour 31.3 % of 24 h), an Instalanche 2008 (19 %), HN 2013 (matvoz.com: peak 2-3 h after "
    "submission); docs/research/model-sources.md"
)
DEFAULTS: tuple[Default, ...] = (
    # --- email -------------------------------------------------------------------------
    Default(
        key="email.click_rate",
        low=0.0192,
        expected=0.0291,
        high=0.0462,
        unit="share of recipients",
        source=MAILCHIMP,
        rating="solid",
        note="clicks, not opens: Apple Mail Privacy Protection inflates open rates",
        override="`click_rate` or `expected_visits`",
    ),
    _same(
        "email.click_delay.median",
        2.8 * HOUR,
        "s",
        GETRESPONSE,
        "ok",
        note="log-logistic fitted to hourly data: delays under an hour are extrapolated",
    ),
    _same("email.click_delay.shape", 0.67, "", GETRESPONSE, "ok", note="fitted with the median"),
    Default(
        key="email.send_rate",
        low=2000.0,
        expected=5000.0,
        high=20000.0,
        unit="emails/min",
        source=LAPOSTA + ': "an ESP sends thousands of emails per minute"',
        rating="assumption",
        note="no published rate per platform; the faster send is the higher peak",
        override="`send_over`",
    ),
    Default(
        key="email.scanned_share",
        low=0.10,
        expected=0.20,
        high=0.30,
        unit="share of recipients",
        source=LAPOSTA + "; practitioner blogs (mechanism)",
        rating="weak",
        note="10-30 % of B2B recipients is a guess; scanners follow every tracked link",
    ),
    _fixed(
        "email.tracked_links",
        5.0,
        "links per email",
        "a typical marketing email: logo, hero, call to action and two more",
        "`tracked_links`",
    ),
    _fixed(
        "email.scanner_delay.median",
        30.0,
        "s",
        "mail filters scan a message as it is delivered, within about a minute",
    ),
    _fixed("email.scanner_delay.shape", 2.0, "", "scans cluster around the median"),
    Default(
        key="email.open_rate",
        low=0.1665,
        expected=0.2271,
        high=0.2627,
        unit="share of recipients",
        source=MAILCHIMP_OPENS,
        rating="solid",
        note="people who open, measured before Apple's privacy proxies (Sept 2021) began "
        "to open every Apple Mail message; each open loads the email's images",
        override="`open_rate`",
    ),
    _same(
        "email.open_delay.median",
        5.9 * HOUR,
        "s",
        GETRESPONSE_OPENS,
        "ok",
        note="log-logistic fitted to the three points (within 0.5 points of each)",
    ),
    _same(
        "email.open_delay.shape", 0.72, "", GETRESPONSE_OPENS, "ok", note="fitted with the median"
    ),
    Default(
        key="email.prefetch_share",
        low=0.35,
        expected=0.42,
        high=0.50,
        unit="share of opens",
        source="Apple Mail Privacy Protection (since Sept 2021), vendor write-ups",
        rating="weak",
        note="Apple Mail's share of all opens once its proxies open every message; the "
        "estimate converts it to a share of recipients with the open rate (docs/load-model.md)",
        override="off unless `origin_assets` or `images_from_origin: true`",
    ),
    _fixed(
        "email.origin_assets",
        1.0,
        "requests per open",
        "with `images_from_origin: true` and no count: one image (a logo or hero) from us",
        "`origin_assets`",
    ),
    # --- push --------------------------------------------------------------------------
    Default(
        key="push.open_rate",
        low=0.020,
        expected=0.0419,
        high=0.144,
        unit="share of recipients",
        source='low: Appboy (Braze), "Digits" vol. 1, 2016 (iOS); expected: Batch push '
        "benchmark 2024-25 (generic); high: same (contextual)",
        rating="ok",
        note="direct opens of the notification",
        override="`open_rate` or `expected_visits`",
    ),
    _same("push.open_delay.median_ios", 7 * MIN, "s", LEANPLUM, "ok", note="half of iOS users"),
    _same("push.open_delay.median_android", 48 * MIN, "s", LEANPLUM, "ok", note="half of Android"),
    _fixed(
        "push.open_delay.shape",
        1.0,
        "",
        "only medians are published; shape 1 gives each platform a long tail",
    ),
    _fixed("push.fan_out", 5 * MIN, "s", "push services deliver over minutes", "`send_over`"),
    # --- SMS ---------------------------------------------------------------------------
    Default(
        key="sms.click_rate",
        low=0.089,
        expected=0.117,
        high=0.145,
        unit="share of recipients",
        source='Klaviyo SMS benchmarks (n.d.), "good" range 8.9-14.5 %',
        rating="ok",
        note="expected is the midpoint of the range (derived)",
        override="`click_rate` or `expected_visits`",
    ),
    _same("sms.read_delay.p90", 3 * MIN, "s", TATANGO, "weak", note="90 % read by then"),
    _same("sms.read_delay.p99", 20 * MIN, "s", TATANGO, "weak", note="99 % read by then"),
    _fixed("sms.send_rate", 100.0, "messages/s", "a short code's usual rate", "`send_over`"),
    # --- TV and radio ------------------------------------------------------------------
    _same(
        "tv_radio.response_delay.mode",
        13.0,
        "s",
        KITTS,
        "ok",
        note="after the spot ends; the kernel's density peaks here",
    ),
    _fixed(
        "tv_radio.response_delay.shape",
        2.0,
        "",
        "most visits within minutes (attribution windows in use: 2-10 min, C3 Metrics)",
    ),
    _fixed("tv_radio.spot_length", 30.0, "s", "the most common spot length", "`spot_length`"),
    # --- influencer, organic / PR ------------------------------------------------------
    _fixed(
        "influencer.click_delay.median",
        2 * HOUR,
        "s",
        "followers see a post within hours; no published figure",
    ),
    _fixed("influencer.click_delay.shape", 1.0, "", "a long tail of late viewers"),
    _same(
        "organic_pr.visit_delay.median",
        2.6 * HOUR,
        "s",
        PRESS,
        "weak",
        note="log-logistic fitted to hourly traces (two points): its busiest hour, 1.5 h in, "
        "holds 25 % of the first day; the week-long tail some posts keep is not modelled",
    ),
    _same("organic_pr.visit_delay.shape", 2.0, "", PRESS, "weak", note="fitted with the median"),
    # --- figures the marketer gives ------------------------------------------------------
    Default(
        key="given.spread",
        low=0.75,
        expected=1.0,
        high=1.25,
        unit="x the marketer's figure",
        source="assumption",
        rating="assumption",
        note="used when no published range applies: delivery and response vary +-25 %",
        override="the figure itself (`expected_visits`, a rate, `budget` / `cost_per_click`)",
    ),
)

DEFAULT: Mapping[str, Default] = {default.key: default for default in DEFAULTS}
"""The defaults by key."""


def _number(value: float) -> str:
    if value >= 1000:
        return f"{value:,.0f}"
    return f"{value:.4g}"


def _duration(seconds: float) -> str:
    for unit, size in (("h", HOUR), ("min", MIN)):
        if seconds >= size:
            return f"{_number(seconds / size)} {unit}"
    return f"{_number(seconds)} s"


def format_value(value: float, unit: str) -> str:
    """``value`` as the table shows it: ``2.91 %``, ``2.8 h``, ``5,000``."""
    if unit.startswith("share"):
        return f"{_number(value * 100)} %"
    if unit == "s":
        return _duration(value)
    return _number(value)


def _range(default: Default) -> str:
    values = (default.low, default.expected, default.high)
    if default.low == default.high:
        return format_value(default.expected, default.unit)
    return " / ".join(format_value(value, default.unit) for value in values)


def markdown_table(defaults: Iterable[Default] = DEFAULTS) -> str:
    """A markdown table of ``defaults``: one row each, for the docs."""
    lines = [
        "| key | low / expected / high | unit in code | source | rating | note | override |",
        "|---|---|---|---|---|---|---|",
    ]
    for d in defaults:
        cells = (
            f"`{d.key}`",
            _range(d),
            d.unit or "-",
            d.source,
            d.rating,
            d.note or "-",
            d.override if d.override == NO_FIELD else f"{d.override}, or `assumptions`",
        )
        lines.append("| " + " | ".join(cell.replace("|", "/") for cell in cells) + " |")
    return "\n".join(lines) + "\n"
