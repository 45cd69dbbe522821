"""The estimator's vocabulary: rate curves and traffic flows (the scenarios are
:data:`campaign_guard.defaults.SCENARIOS`).

A *curve* is a rate over time (people or requests per second, times in epoch
seconds) with a known integral. A *flow* is one curve of traffic that one campaign
channel sends to one place: human visits, link-scanner hits, or image prefetches.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Protocol

FlowKind = Literal["visit", "scanner", "prefetch", "open"]
"""``visit``: a person opens the landing page (and may submit its form);
``scanner``: a mail security scanner follows a tracked link (HTML only, never submits);
``prefetch``: a mail privacy proxy fetches the email's images at delivery;
``open``: a person opens the email and loads its images."""
EMAIL_IMAGES: frozenset[FlowKind] = frozenset({"prefetch", "open"})
"""The kinds that load the email's own images (no landing page), not a page."""


class Curve(Protocol):
    """A rate over time with a known integral."""

    @property
    def total(self) -> float:
        """The integral over all time (people, visits or requests)."""

    def rate(self, t: float) -> float:
        """The rate per second at epoch time ``t`` (0 outside the support)."""

    def support(self) -> tuple[float, float]:
        """``(start, end)`` epoch seconds holding all but a negligible share (< 0.1 %)."""

    def anchors(self) -> tuple[float, ...]:
        """Times after which the rate changes fast (a send, a TV spot's end): the
        estimator samples finely just after each."""


@dataclass(frozen=True)
class Flow:
    """Traffic that one channel of one campaign sends to one place."""

    campaign_id: str
    channel_index: int
    """Index of the channel in the spec's ``traffic`` list (-1: the visits of every
    channel, :func:`combined_visits`)."""
    channel: str
    label: str
    """How people call it: ``email "Newsletter, US list"``."""
    kind: FlowKind
    landing_page: str | None
    """The URL the flow arrives at; ``None`` for prefetch (the email's images)."""
    curve: Curve


@dataclass(frozen=True, eq=False)
class Combined:
    """The curves of several flows, summed: every visit of one campaign, which each of
    its endpoints receives alike. One load per endpoint then stands for all the visits,
    so a campaign's cost grows with its channels plus its endpoints, not their product.
    Its samples are the sum of its flows' samples (:func:`~.timeline.sample_flows`)."""

    flows: tuple[Flow, ...]

    @property
    def total(self) -> float:
        return sum(flow.curve.total for flow in self.flows)

    def rate(self, t: float) -> float:
        return sum(flow.curve.rate(t) for flow in self.flows)

    def support(self) -> tuple[float, float]:
        spans = [flow.curve.support() for flow in self.flows]
        return min(start for start, _ in spans), max(end for _, end in spans)

    def anchors(self) -> tuple[float, ...]:
        return tuple(a for flow in self.flows for a in flow.curve.anchors())


def combined_visits(flows: list[Flow]) -> Flow:
    """One flow for every visit among ``flows`` (all of one campaign), at no page."""
    first = flows[0]
    return Flow(first.campaign_id, -1, "", "", "visit", None, Combined(tuple(flows)))


@dataclass(frozen=True)
class Note:
    """Something the estimate could not do or had to assume, tied to a spec field."""

    campaign_id: str
    loc: tuple[str | int, ...]
    code: str
    message: str


UNCOUNTED = frozenset(
    {"no-default", "not-estimated", "unknown-route", "beyond-horizon", "too-large"}
)
"""Codes of the notes that mean load was left out of the estimate: a channel (or part of
one) with no published default to fill in what the spec leaves out, a page or endpoint
the capacity profile has no route for, traffic past the estimate's horizon
(:mod:`~campaign_guard.loadmodel.horizon`), or beyond the most one channel can bring.
``estimate --fail-on`` fails on them unless ``--allow-uncounted`` is given."""
