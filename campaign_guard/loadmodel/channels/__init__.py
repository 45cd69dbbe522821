"""Channel response models: one campaign spec → traffic flows, for one scenario.

For a channel with audience N, engagement rate p and delivery ramp R (uniform over
``[t0, t0 + R]``), the people who visit arrive at

    engaged(t) = N · p · (kernel ⊛ ramp)(t - t0)

(a :class:`~campaign_guard.loadmodel.kernels.Burst`). E-mail adds mail-scanner hits,
``N · share_scanned · tracked_links`` at delivery, and, when its images come from our
servers, privacy-proxy prefetches ``N · share_prefetching · assets``. Paid channels are
spread evenly to the campaign's end, TV responds after each spot, press coverage decays.

Every number not in the spec comes from :mod:`campaign_guard.defaults`. A figure the
marketer gives is the expected value; low and high get the relative spread of the
matching published range, or ±25 % (``given.spread``). Where nothing is published and the
spec does not say (:mod:`campaign_guard.loadmodel.gaps`), the channel gets a note instead
of a flow.

One module per channel (``email.py``, ``paid.py``...) registers its
:class:`~.kind.ChannelKind`: its spec model, its flows, the defaults it reads, its line
on the ticket and its README row. :mod:`.registry` holds them by name; ``run.py`` is what
their flows are made with, ``words.py`` the phrases their lines share.
"""

from __future__ import annotations

from campaign_guard.loadmodel.channels.kind import ChannelKind
from campaign_guard.loadmodel.channels.registry import (
    CHANNEL_KINDS,
    KernelName,
    channel_line,
    channel_table,
    flows_for,
    kernel_for,
)
from campaign_guard.loadmodel.channels.run import MAX_AMOUNT, channel_label
from campaign_guard.loadmodel.channels.words import moment

__all__ = [
    "CHANNEL_KINDS",
    "MAX_AMOUNT",
    "ChannelKind",
    "KernelName",
    "channel_label",
    "channel_line",
    "channel_table",
    "flows_for",
    "kernel_for",
    "moment",
]
