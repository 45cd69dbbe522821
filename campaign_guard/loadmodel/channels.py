"""Channel response models: one campaign spec → traffic flows, for one scenario.

For a channel with audience N, engagement rate p and delivery ramp R (uniform over
``[t0, t0 + R]``), the people who visit arrive at

    engaged(t) = N · p · (kernel ⊛ ramp)(t - t0)

(a :class:`~campaign_guard.loadmodel.kernels.Burst`). E-mail adds mail-scanner hits,
``N · share_scanned · tracked_links`` at delivery, and, when its images come from our
servers, privacy-proxy prefetches ``N · share_prefetching · assets``. Paid channels are
spread evenly to the campaign's end, TV responds after each spot, press coverage decays.

Every number not in the spec comes from :mod:`campaign_guard.defaults`. A figure
the marketer gives is the expected value; low and high get the relative spread of the
matching published range, or ±25 % (``given.spread``). Where nothing is published and the
spec does not say (:mod:`campaign_guard.loadmodel.gaps`), the channel gets a :class:`Note`
instead of a flow.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from campaign_guard.defaults import DEFAULT, DEFAULTS, Default, Scenario
from campaign_guard.loadmodel.flows import Curve, Flow, FlowKind, Note
from campaign_guard.loadmodel.gaps import Gap, channel_gap
from campaign_guard.loadmodel.kernels import (
    Burst,
    Decay,
    Kernel,
    LogLogistic,
    Mixture,
    Spots,
    Spread,
)
from campaign_guard.loadmodel.usable import usable_assumptions
from campaign_guard.spec.campaign import CampaignSpec
from campaign_guard.spec.channels import (
    Channel,
    Display,
    Email,
    Influencer,
    OrganicPr,
    PaidSearch,
    PaidSocial,
    PartnerAffiliate,
    Push,
    Sms,
    TvRadio,
)

__all__ = [
    "DEFAULT",
    "DEFAULTS",
    "Default",
    "KernelName",
    "channel_label",
    "flows_for",
    "kernel_for",
]

MIN_SEND_S = 1.0
"""The shortest email send, in seconds: the email kernel's density is infinite at 0, so
its bursts always get a ramp (an edge case: ``expected_visits`` with ``list_size: 0``)."""

MAX_AMOUNT = 1e15
"""The most visits (or requests) one channel's flow may bring: a million billion, over a
hundred thousand times the people on Earth. Figures beyond it (a list of 10^300) are
counted as this much, with a note: the arithmetic would overflow otherwise."""

MAX_RAMP_S = 1e12
"""The longest send, in seconds (about 31,700 years): a send that would last longer is
counted as this long (the estimate's horizon cuts it much sooner, and says so)."""

KernelName = Literal["email", "scanner", "push", "sms", "tv_radio", "influencer"]


def kernel_for(name: KernelName, defaults: Mapping[str, Default] = DEFAULT) -> Kernel:
    """The default response-time kernel of ``name`` (delays from delivery, or a spot's end)."""

    def get(key: str) -> float:
        return defaults[key].expected

    if name == "push":
        shape = get("push.open_delay.shape")
        ios = LogLogistic(get("push.open_delay.median_ios"), shape)
        android = LogLogistic(get("push.open_delay.median_android"), shape)
        return Mixture.of((0.5, ios), (0.5, android))
    if name == "sms":
        p90, p99 = get("sms.read_delay.p90"), get("sms.read_delay.p99")
        return LogLogistic.through(p90, 0.90, p99, 0.99)
    if name == "tv_radio":
        mode = get("tv_radio.response_delay.mode")
        return LogLogistic.with_mode(mode, get("tv_radio.response_delay.shape"))
    prefix = {"email": "email.click", "scanner": "email.scanner", "influencer": "influencer.click"}
    key = prefix[name] + "_delay"
    return LogLogistic(get(key + ".median"), get(key + ".shape"))


def flows_for(
    spec: CampaignSpec, scenario: Scenario, defaults: Mapping[str, Default] = DEFAULT
) -> tuple[list[Flow], list[Note]]:
    """The traffic flows of ``spec`` in ``scenario``, and what could not be estimated.

    ``defaults`` replaces the table of published defaults (e.g. with a capacity
    profile's own figures); it must hold every key of :data:`DEFAULT`.
    """
    table, notes = usable_assumptions(defaults, spec.campaign_id, spec.assumptions)
    run = _Run(spec, scenario, table, notes=notes)
    for index, channel in enumerate(spec.traffic):
        at = _At(run, index)
        if isinstance(channel, Email):
            _email(at, channel)
        elif isinstance(channel, Sms | Push):
            _sms_or_push(at, channel)
        elif isinstance(channel, PaidSocial | PaidSearch | Display):
            _paid(at, channel)
        elif isinstance(channel, TvRadio):
            _tv_radio(at, channel)
        elif isinstance(channel, Influencer):
            _influencer(at, channel)
        elif isinstance(channel, OrganicPr):
            _organic_pr(at, channel)
        elif isinstance(channel, PartnerAffiliate):
            _partner(at, channel)
    return run.flows, run.notes


# --- the run and one channel of it ----------------------------------------------------


@dataclass
class _Run:
    spec: CampaignSpec
    scenario: Scenario
    defaults: Mapping[str, Default]
    flows: list[Flow] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    kernels: dict[KernelName, Kernel] = field(default_factory=dict)

    def kernel(self, name: KernelName) -> Kernel:
        if name not in self.kernels:
            self.kernels[name] = kernel_for(name, self.defaults)
        return self.kernels[name]

    def epoch(self, when: datetime) -> float:
        """``when`` in epoch seconds; a time without zone is in the launch's zone."""
        if when.tzinfo is None:
            when = when.replace(tzinfo=self.spec.launch.zone)
        return when.timestamp()


def channel_label(spec: CampaignSpec, index: int) -> str:
    """``email "Newsletter"``, or ``email`` (the only one), or ``email #2`` (the second)."""
    channel = spec.traffic[index]
    if channel.label:
        return f'{channel.channel} "{channel.label}"'
    same = [i for i, other in enumerate(spec.traffic) if other.channel == channel.channel]
    return channel.channel if len(same) == 1 else f"{channel.channel} #{same.index(index) + 1}"


class _At:
    """One channel of the run: its start, pages and label, and how to add flows and notes."""

    def __init__(self, run: _Run, index: int) -> None:
        channel = run.spec.traffic[index]
        self.run, self.index, self.name = run, index, channel.channel
        self.channel: Channel = channel
        self.label = channel_label(run.spec, index)
        launch = run.spec.launch
        self.start = run.epoch(channel.start if channel.start is not None else launch.start)
        self.end = launch.ends.timestamp()
        self.pages: Sequence[str | None] = (
            [channel.landing_page]
            if channel.landing_page is not None
            else run.spec.landing_pages or [None]
        )

    def get(self, key: str) -> float:
        """The default ``key`` in this run's scenario."""
        return self.run.defaults[key].value(self.run.scenario)

    def given(self, value: float, key: str | None) -> float:
        """A marketer's figure in this scenario: the spread of default ``key``, or ±25 %."""
        default = self.run.defaults[key] if key is not None else None
        if default is None or default.expected <= 0.0:
            default = self.run.defaults["given.spread"]
        return value * default.value(self.run.scenario) / default.expected

    def rate(self, value: float | None, key: str | None) -> float | None:
        """The spec's rate (spread like default ``key``), else the default, else None."""
        if value is not None:
            return min(1.0, self.given(value, key))
        return None if key is None else self.get(key)

    def engaged(self, audience: int | None, rate: float | None, key: str | None) -> float | None:
        """``expected_visits`` if given, else ``audience * rate`` (None: unknown)."""
        if self.channel.expected_visits is not None:
            return self.given(self.channel.expected_visits, key)
        if audience is None or rate is None:
            return None
        return audience * rate

    def add(
        self,
        kind: FlowKind,
        amount: float | None,
        make: Callable[[float], Curve],
        pages: Sequence[str | None] | None = None,
    ) -> None:
        """Flows of ``amount`` split evenly over ``pages`` (default: the channel's)."""
        pages = self.pages if pages is None else pages
        if not amount or not amount > 0.0:  # none, or not a number (inf times 0)
            return
        if amount > MAX_AMOUNT:
            what = "visits" if kind == "visit" else "requests"
            self.run.notes.append(
                Note(
                    self.run.spec.campaign_id,
                    ("traffic", self.index),
                    "too-large",
                    f"{self.label}: {_about(amount)} {what} is more than the estimate can "
                    f"follow; it counts a million billion (10^15) and leaves the rest out "
                    "(check the figures)",
                )
            )
            amount = MAX_AMOUNT
        run = self.run
        for page in pages:
            curve = make(amount / len(pages))
            flow = Flow(run.spec.campaign_id, self.index, self.name, self.label, kind, page, curve)
            run.flows.append(flow)

    def visits(self, amount: float | None, make: Callable[[float], Curve]) -> None:
        self.add("visit", amount, make)

    def note(self, field_name: str, code: str, message: str) -> None:
        loc: tuple[str | int, ...] = ("traffic", self.index, field_name)
        self.run.notes.append(
            Note(self.run.spec.campaign_id, loc, code, f"{self.label}: {message}")
        )

    def gap(self) -> Gap | None:
        """What the spec leaves uncountable in this channel (see :mod:`.gaps`), noted."""
        found = channel_gap(self.run.spec, self.index)
        if found is not None:
            self.note(found.field, found.code, found.message)
        return found


def _about(amount: float) -> str:
    """``about 10^300``, or ``more than 10^308`` (a figure too large for a number)."""
    if amount == math.inf:
        return "more than 10^308"
    return f"about 10^{math.floor(math.log10(amount))}"


def _burst(t0: float, kernel: Kernel, ramp_s: float) -> Callable[[float], Curve]:
    return lambda amount: Burst(t0, amount, kernel, min(ramp_s, MAX_RAMP_S))


def _recipients(
    known: int | None,
    visits: int | None,
    rate: float | None,
    at: _At,
    key: str = "email.click_rate",
) -> float:
    """The audience, to time the send: ``known``, else the visits over the expected rate
    (the spec's, else the default ``key``'s)."""
    if known is not None:
        return float(known)
    expected = at.run.defaults[key].expected if rate is None else rate
    return (visits or 0) / expected if expected > 0.0 else float(visits or 0)


# --- the channels --------------------------------------------------------------------


def _email(at: _At, email: Email) -> None:
    click = at.rate(email.click_rate, "email.click_rate")
    visits = at.engaged(email.list_size, click, "email.click_rate")
    people = _recipients(email.list_size, email.expected_visits, email.click_rate, at)
    send_rate = at.get("email.send_rate") / 60.0
    ramp = email.send_over.total_seconds() if email.send_over else people / send_rate
    ramp = max(ramp, MIN_SEND_S)
    at.visits(visits, _burst(at.start, at.run.kernel("email"), ramp))
    if at.gap() is not None:  # no list_size: the visits only
        return
    delivery = _burst(at.start, at.run.kernel("scanner"), ramp)
    links = email.tracked_links
    links_per_email = at.get("email.tracked_links") if links is None else float(links)
    at.add("scanner", people * at.get("email.scanned_share") * links_per_email, delivery)
    if email.images_from_origin:
        assets = people * at.get("email.prefetch_share") * at.get("email.prefetch_assets")
        at.add("prefetch", assets, delivery, pages=[None])


def _sms_or_push(at: _At, channel: Sms | Push) -> None:
    if isinstance(channel, Sms):
        key, given, kernel = "sms.click_rate", channel.click_rate, at.run.kernel("sms")
    else:
        key, given, kernel = "push.open_rate", channel.open_rate, at.run.kernel("push")
    visits = at.engaged(channel.recipients, at.rate(given, key), key)
    if channel.send_over is not None:
        ramp = channel.send_over.total_seconds()
    elif isinstance(channel, Push):
        ramp = at.get("push.fan_out")
    else:
        people = _recipients(channel.recipients, channel.expected_visits, given, at, key)
        ramp = people / at.get("sms.send_rate")
    at.visits(visits, _burst(at.start, kernel, ramp))


def _paid(at: _At, paid: PaidSocial | PaidSearch | Display) -> None:
    if at.gap() is not None:
        return
    if paid.expected_visits is not None:
        clicks = float(paid.expected_visits)
    elif paid.budget is not None and paid.cost_per_click is not None:
        clicks = paid.budget / paid.cost_per_click
    else:  # no gap: impressions and click_rate are given
        clicks = (paid.impressions or 0) * (paid.click_rate or 0.0)
    at.visits(at.given(clicks, None), lambda n: Spread(at.start, at.end, n))


def _tv_radio(at: _At, tv: TvRadio) -> None:
    if at.gap() is not None:
        return
    spots = [at.run.epoch(spot) for spot in tv.spots] or [at.start]
    if tv.expected_visits is not None:
        per_spot = at.given(tv.expected_visits, None) / len(spots)
    else:  # no gap: viewers and response_rate are given
        per_spot = (tv.viewers or 0) * min(1.0, at.given(tv.response_rate or 0.0, None))
    length = tv.spot_length.total_seconds() if tv.spot_length else at.get("tv_radio.spot_length")
    kernel = at.run.kernel("tv_radio")
    ends = tuple(sorted(spot + length for spot in spots))
    at.visits(per_spot, lambda amount: Spots(ends, amount, kernel))


def _influencer(at: _At, influencer: Influencer) -> None:
    if at.gap() is not None:
        return
    rate = at.rate(influencer.engagement_rate, None)
    visits = at.engaged(influencer.followers, rate, None)
    at.visits(visits, _burst(at.start, at.run.kernel("influencer"), 0.0))


def _organic_pr(at: _At, organic: OrganicPr) -> None:
    if organic.expected_visits is None:  # the spec requires it
        return
    start, half_life = at.start, at.get("organic_pr.half_life")
    visits = at.given(organic.expected_visits, None)
    at.visits(visits, lambda n: Decay(start, n, half_life))


def _partner(at: _At, partner: PartnerAffiliate) -> None:
    if at.gap() is not None:
        return
    visits = at.engaged(partner.audience, at.rate(partner.click_rate, None), None)
    # Timing as partner newsletters: the e-mail kernel, sent at an ESP's rate.
    people = _recipients(partner.audience, partner.expected_visits, partner.click_rate, at)
    ramp = max(people / (at.get("email.send_rate") / 60.0), MIN_SEND_S)
    at.visits(visits, _burst(at.start, at.run.kernel("email"), ramp))
