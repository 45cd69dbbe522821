"""What the estimator cannot count from a campaign spec, whatever the capacity profile.

Some channels need a figure that nothing published supplies: a TV spot needs the share
of viewers who visit, a paid budget needs its cost per click. Without it the estimator
leaves the channel (or part of its load) out and says so in a note; ``lint --strict``
fails on the same condition. Both ask :func:`channel_gap`, so they never disagree.

Pure and light: it reads the spec only (no defaults, no profile), so ``lint`` can use it
without loading the estimator.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from campaign_guard.spec.campaign import CampaignSpec
from campaign_guard.spec.channels import (
    Channel,
    Display,
    Email,
    Influencer,
    PaidSearch,
    PaidSocial,
    PartnerAffiliate,
    TvRadio,
)

GapCode = Literal["no-default", "not-estimated"]
"""``no-default``: nothing published fills the missing figure, so the channel is left
out; ``not-estimated``: the channel is counted, part of its load is not."""


@dataclass(frozen=True)
class Gap:
    """Load of one channel the estimate leaves out, and the field that would count it."""

    field: str
    """The field to give (``response_rate``), or the one that is wrong (``start``)."""
    code: GapCode
    message: str
    """What to do, in plain words, without the channel's name."""
    whole_channel: bool
    """True when none of the channel's traffic is counted."""


_EMAIL_SCANNERS = Gap(
    "list_size",
    "not-estimated",
    "give `list_size` to include mail-scanner hits and image prefetches, which often "
    "load the landing page more than the people who click; only the visits are "
    "estimated",
    whole_channel=False,
)
_BUDGET = Gap(
    "cost_per_click",
    "no-default",
    "give `cost_per_click` (or `impressions` and `click_rate`, or `expected_visits`); "
    "campaign-guard has no published default to turn a budget into visits",
    whole_channel=True,
)
_IMPRESSIONS = Gap(
    "click_rate",
    "no-default",
    "give `click_rate` (the share of impressions clicked) or `expected_visits`; "
    "campaign-guard has no published default to turn impressions into visits",
    whole_channel=True,
)
_PAID_AFTER_END = Gap(
    "start",
    "not-estimated",
    "starts after the campaign ends, so its visits are left out; check `start` and "
    "the launch's `end`",
    whole_channel=True,
)
_TV_RADIO = Gap(
    "response_rate",
    "no-default",
    "give `response_rate` (the share of the audience who visit the site after a "
    "spot) or `expected_visits`; nothing published turns viewers into visits, so "
    "this channel is left out of the estimate",
    whole_channel=True,
)
_INFLUENCER = Gap(
    "engagement_rate",
    "no-default",
    "give `engagement_rate` (the share of followers who click) or `expected_visits`; "
    "nothing published turns followers into visits, so this channel is left out of "
    "the estimate",
    whole_channel=True,
)
_PARTNER = Gap(
    "click_rate",
    "no-default",
    "give `click_rate` (the share of the partners' audience who click) or "
    "`expected_visits`; nothing published says how many of them click, so this "
    "channel is left out of the estimate",
    whole_channel=True,
)


def channel_gap(spec: CampaignSpec, index: int) -> Gap | None:
    """What the estimate cannot count of ``spec.traffic[index]``, if anything."""
    channel = spec.traffic[index]
    if isinstance(channel, Email):  # visits from expected_visits, scanners from list_size
        return _EMAIL_SCANNERS if channel.list_size is None else None
    if isinstance(channel, PaidSocial | PaidSearch | Display):
        return _paid_gap(spec, channel)
    needed = _audience_and_rate(channel)
    if needed is None or channel.expected_visits is not None:
        return None
    gap, figures = needed
    return gap if None in figures else None


def _audience_and_rate(channel: Channel) -> tuple[Gap, tuple[object, object]] | None:
    """For a channel whose rate has no published default: its gap, audience and rate."""
    if isinstance(channel, TvRadio):
        return _TV_RADIO, (channel.viewers, channel.response_rate)
    if isinstance(channel, Influencer):
        return _INFLUENCER, (channel.followers, channel.engagement_rate)
    if isinstance(channel, PartnerAffiliate):
        return _PARTNER, (channel.audience, channel.click_rate)
    return None


def spec_gaps(spec: CampaignSpec) -> list[tuple[int, Gap]]:
    """Every channel's gap, with the channel's index in ``traffic``."""
    found = ((index, channel_gap(spec, index)) for index in range(len(spec.traffic)))
    return [(index, gap) for index, gap in found if gap is not None]


def _paid_gap(spec: CampaignSpec, paid: PaidSocial | PaidSearch | Display) -> Gap | None:
    """A paid channel needs visits (or what gives them) and time before the end to spread
    them over."""
    counted = (
        paid.expected_visits is not None
        or (paid.budget is not None and paid.cost_per_click is not None)
        or (paid.impressions is not None and paid.click_rate is not None)
    )
    if not counted:
        return _BUDGET if paid.budget is not None else _IMPRESSIONS
    if paid.start is None:
        return None
    launch = spec.launch
    start = paid.start if paid.start.tzinfo is not None else paid.start.replace(tzinfo=launch.zone)
    return _PAID_AFTER_END if start >= launch.ends else None
