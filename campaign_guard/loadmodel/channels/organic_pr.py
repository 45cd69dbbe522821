"""Organic reach and press: the visits the marketer expects, rising to a peak within an
hour or two of the coverage going live and fading over the rest of the day.

The curve is a log-logistic (the form of the other channels) fitted to first-hand
hourly traces of front-page and big-blog traffic (docs/research/model-sources.md §1):
the busiest hour holds 19–31 % of the first day's visitors and comes one to three hours
after the post, so a median of 2.6 h and a shape of 2 (its busiest hour, 1.5 h after
the start, holds 25 % of the first day).
"""

from __future__ import annotations

from collections.abc import Mapping

from campaign_guard.defaults import Default
from campaign_guard.loadmodel.channels.kind import ChannelKind
from campaign_guard.loadmodel.channels.run import At, log_logistic
from campaign_guard.loadmodel.channels.words import VISITS, WHEN_AND_WHERE
from campaign_guard.loadmodel.kernels import Kernel
from campaign_guard.spec.channels import OrganicPr


def visit_kernel(defaults: Mapping[str, Default]) -> Kernel:
    """How long after the coverage goes live people visit."""
    return log_logistic(defaults, "organic_pr.visit_delay")


def flows(at: At, organic: OrganicPr) -> None:
    if organic.expected_visits is None:  # the spec requires it
        return
    at.sent(at.given(organic.expected_visits, None), visit_kernel, 0.0)


ORGANIC_PR = ChannelKind(
    model=OrganicPr,
    flows=flows,
    reads=("organic_pr.visit_delay.median", "organic_pr.visit_delay.shape", "given.spread"),
    phrases=(VISITS, *WHEN_AND_WHERE),
    audience="`expected_visits`",
)
