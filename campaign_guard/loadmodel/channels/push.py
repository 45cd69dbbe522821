"""Push notifications: iOS users open within minutes, Android users within the hour,
delivered by the push services over a few minutes."""

from __future__ import annotations

from collections.abc import Mapping

from campaign_guard.defaults import Default
from campaign_guard.loadmodel.channels.kind import ChannelKind
from campaign_guard.loadmodel.channels.run import At
from campaign_guard.loadmodel.channels.words import (
    OPEN_RATE,
    RECIPIENTS,
    SEND_OVER,
    VISITS,
    WHEN_AND_WHERE,
)
from campaign_guard.loadmodel.kernels import Kernel, LogLogistic, Mixture
from campaign_guard.spec.channels import Push


def open_kernel(defaults: Mapping[str, Default]) -> Kernel:
    """How long after delivery people open: half on iOS, half on Android."""
    shape = defaults["push.open_delay.shape"].expected
    ios = LogLogistic(defaults["push.open_delay.median_ios"].expected, shape)
    android = LogLogistic(defaults["push.open_delay.median_android"].expected, shape)
    return Mixture.of((0.5, ios), (0.5, android))


def flows(at: At, push: Push) -> None:
    key = "push.open_rate"
    visits = at.engaged(push.recipients, at.rate(push.open_rate, key), key)
    over = push.send_over
    at.sent(visits, open_kernel, at.get("push.fan_out") if over is None else over.total_seconds())


PUSH = ChannelKind(
    model=Push,
    flows=flows,
    reads=(
        "push.open_rate",
        "push.open_delay.median_ios",
        "push.open_delay.median_android",
        "push.open_delay.shape",
        "push.fan_out",
    ),
    phrases=(RECIPIENTS, VISITS, OPEN_RATE, SEND_OVER, *WHEN_AND_WHERE),
    audience="`recipients`",
    overrides="`open_rate`, `send_over`",
)
