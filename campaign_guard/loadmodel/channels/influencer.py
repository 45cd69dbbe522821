"""Influencers: followers see a post within hours, with a long tail of late viewers."""

from __future__ import annotations

from collections.abc import Mapping

from campaign_guard.defaults import Default
from campaign_guard.loadmodel.channels.kind import ChannelKind
from campaign_guard.loadmodel.channels.run import At, log_logistic
from campaign_guard.loadmodel.channels.words import VISITS, WHEN_AND_WHERE, count, rate
from campaign_guard.loadmodel.kernels import Kernel
from campaign_guard.spec.channels import Influencer


def click_kernel(defaults: Mapping[str, Default]) -> Kernel:
    """How long after the post followers click."""
    return log_logistic(defaults, "influencer.click_delay")


def flows(at: At, influencer: Influencer) -> None:
    if at.gap() is not None:
        return
    rate_given = at.rate(influencer.engagement_rate, None)
    at.sent(at.engaged(influencer.followers, rate_given, None), click_kernel, 0.0)


INFLUENCER = ChannelKind(
    model=Influencer,
    flows=flows,
    reads=("influencer.click_delay.median", "influencer.click_delay.shape", "given.spread"),
    phrases=(
        count("followers", "{} followers"),
        VISITS,
        rate("engagement_rate"),
        *WHEN_AND_WHERE,
    ),
    audience="`followers`",
    overrides="`engagement_rate`",
)
