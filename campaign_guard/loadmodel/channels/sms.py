"""SMS: people read a text within minutes (90 % in 3, 99 % in 20), sent at a short
code's rate."""

from __future__ import annotations

from collections.abc import Mapping

from campaign_guard.defaults import Default
from campaign_guard.loadmodel.channels.kind import ChannelKind
from campaign_guard.loadmodel.channels.run import At
from campaign_guard.loadmodel.channels.words import (
    CLICK_RATE,
    RECIPIENTS,
    SEND_OVER,
    VISITS,
    WHEN_AND_WHERE,
)
from campaign_guard.loadmodel.kernels import Kernel, LogLogistic
from campaign_guard.spec.channels import Sms


def read_kernel(defaults: Mapping[str, Default]) -> Kernel:
    """How long after delivery people read the text (through its 90th and 99th percentiles)."""
    p90, p99 = defaults["sms.read_delay.p90"].expected, defaults["sms.read_delay.p99"].expected
    return LogLogistic.through(p90, 0.90, p99, 0.99)


def flows(at: At, sms: Sms) -> None:
    key = "sms.click_rate"
    visits = at.engaged(sms.recipients, at.rate(sms.click_rate, key), key)
    if sms.send_over is not None:
        ramp = sms.send_over.total_seconds()
    else:
        ramp = at.recipients(sms.recipients, sms.click_rate, key) / at.get("sms.send_rate")
    at.sent(visits, read_kernel, ramp)


SMS = ChannelKind(
    model=Sms,
    flows=flows,
    reads=(
        "sms.click_rate",
        "sms.read_delay.p90",
        "sms.read_delay.p99",
        "sms.send_rate",
    ),
    phrases=(RECIPIENTS, VISITS, CLICK_RATE, SEND_OVER, *WHEN_AND_WHERE),
    audience="`recipients`",
    overrides="`click_rate`, `send_over`",
)
