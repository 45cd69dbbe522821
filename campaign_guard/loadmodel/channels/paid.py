"""Paid social, paid search and display: clicks bought, spread evenly from the channel's
start to the campaign's end (no published curve says otherwise)."""

from __future__ import annotations

from campaign_guard.loadmodel.channels.kind import ChannelKind
from campaign_guard.loadmodel.channels.run import At
from campaign_guard.loadmodel.channels.words import (
    CLICK_RATE,
    VISITS,
    WHEN_AND_WHERE,
    Phrase,
    count,
    money,
)
from campaign_guard.loadmodel.kernels import Spread
from campaign_guard.spec.channels import Display, PaidSearch, PaidSocial


def flows(at: At, paid: PaidSocial | PaidSearch | Display) -> None:
    if at.gap() is not None:
        return
    if paid.expected_visits is not None:
        clicks = float(paid.expected_visits)
    elif paid.budget is not None and paid.cost_per_click is not None:
        clicks = paid.budget / paid.cost_per_click
    else:  # no gap: impressions and click_rate are given
        clicks = (paid.impressions or 0) * (paid.click_rate or 0.0)
    at.visits(at.given(clicks, None), lambda n: Spread(at.start, at.end, n))


PHRASES: tuple[Phrase, ...] = (
    count("impressions", "{} impressions"),
    money("budget", "budget {}"),
    money("cost_per_click", "{} per click"),
    VISITS,
    CLICK_RATE,
    *WHEN_AND_WHERE,
)


def _paid(
    model: type[PaidSocial | PaidSearch | Display],
) -> ChannelKind[PaidSocial | PaidSearch | Display]:
    return ChannelKind(
        model=model,
        flows=flows,
        reads=("given.spread",),
        phrases=PHRASES,
        audience="`budget` (with `cost_per_click`) or `impressions`",
        overrides="`click_rate`, `currency`",
    )


PAID_SOCIAL = _paid(PaidSocial)
PAID_SEARCH = _paid(PaidSearch)
DISPLAY = _paid(Display)
