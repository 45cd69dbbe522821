"""One run of the channel models (a spec in one scenario), and what every channel's flows
are made with: its start and pages, its figures spread over the scenarios, its defaults,
the bursts of a send, and the notes on what could not be counted.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from campaign_guard.defaults import Default, Scenario
from campaign_guard.loadmodel.flows import Curve, Flow, FlowKind, Note
from campaign_guard.loadmodel.gaps import Gap, channel_gap
from campaign_guard.loadmodel.kernels import Burst, Kernel, LogLogistic
from campaign_guard.spec.campaign import CampaignSpec
from campaign_guard.spec.channels import Channel

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

MakeKernel = Callable[[Mapping[str, Default]], Kernel]
"""A channel's response-time kernel, from the defaults (their expected values)."""


def log_logistic(defaults: Mapping[str, Default], delay: str) -> Kernel:
    """The log-logistic kernel of the defaults ``{delay}.median`` and ``{delay}.shape``."""
    return LogLogistic(defaults[delay + ".median"].expected, defaults[delay + ".shape"].expected)


@dataclass
class Run:
    """One spec in one scenario: the defaults in force, and the flows and notes so far."""

    spec: CampaignSpec
    scenario: Scenario
    defaults: Mapping[str, Default]
    flows: list[Flow] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    kernels: dict[MakeKernel, Kernel] = field(default_factory=dict)

    def kernel(self, make: MakeKernel) -> Kernel:
        """The kernel ``make`` builds from this run's defaults (built once per run)."""
        if make not in self.kernels:
            self.kernels[make] = make(self.defaults)
        return self.kernels[make]

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


class At:
    """One channel of the run: its start, pages and label, and how to add flows and notes."""

    def __init__(self, run: Run, index: int) -> None:
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

    def recipients(
        self, known: int | None, rate: float | None, key: str = "email.click_rate"
    ) -> float:
        """The audience, to time the send: ``known``, else the expected visits over the
        expected rate (the spec's, else the default ``key``'s)."""
        if known is not None:
            return float(known)
        visits = self.channel.expected_visits or 0
        expected = self.run.defaults[key].expected if rate is None else rate
        return visits / expected if expected > 0.0 else float(visits)

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

    def sent(self, amount: float | None, make: MakeKernel, ramp_s: float) -> None:
        """Visits of ``amount`` answering a send that starts with the channel and lasts
        ``ramp_s`` seconds, after the delays of kernel ``make``."""
        self.visits(amount, burst(self.start, self.run.kernel(make), ramp_s))

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


def burst(t0: float, kernel: Kernel, ramp_s: float) -> Callable[[float], Curve]:
    """A burst of any amount from ``t0``, sent over ``ramp_s`` (at most :data:`MAX_RAMP_S`)."""
    return lambda amount: Burst(t0, amount, kernel, min(ramp_s, MAX_RAMP_S))
