"""Organic reach and press: the visits the marketer expects, fading over a day or two."""

from __future__ import annotations

from campaign_guard.loadmodel.channels.kind import ChannelKind
from campaign_guard.loadmodel.channels.run import At
from campaign_guard.loadmodel.channels.words import VISITS, WHEN_AND_WHERE
from campaign_guard.loadmodel.kernels import Decay
from campaign_guard.spec.channels import OrganicPr


def flows(at: At, organic: OrganicPr) -> None:
    if organic.expected_visits is None:  # the spec requires it
        return
    start, half_life = at.start, at.get("organic_pr.half_life")
    visits = at.given(organic.expected_visits, None)
    at.visits(visits, lambda n: Decay(start, n, half_life))


ORGANIC_PR = ChannelKind(
    model=OrganicPr,
    flows=flows,
    reads=("organic_pr.half_life", "given.spread"),
    phrases=(VISITS, *WHEN_AND_WHERE),
    audience="`expected_visits`",
)
