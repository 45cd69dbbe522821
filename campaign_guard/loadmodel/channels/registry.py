"""Every channel's :class:`~.kind.ChannelKind`, by its name in a spec, and what is
done with them: a spec's flows, a channel's line on the ticket, the README's table.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import tzinfo
from typing import Any, Literal

from campaign_guard.defaults import DEFAULT, Default, Scenario
from campaign_guard.loadmodel.channels.email import (
    EMAIL,
    click_kernel,
    opens_kernel,
    scanner_kernel,
)
from campaign_guard.loadmodel.channels.influencer import INFLUENCER
from campaign_guard.loadmodel.channels.influencer import click_kernel as influencer_kernel
from campaign_guard.loadmodel.channels.kind import ChannelKind
from campaign_guard.loadmodel.channels.organic_pr import ORGANIC_PR
from campaign_guard.loadmodel.channels.organic_pr import visit_kernel as organic_kernel
from campaign_guard.loadmodel.channels.paid import DISPLAY, PAID_SEARCH, PAID_SOCIAL
from campaign_guard.loadmodel.channels.partner_affiliate import PARTNER_AFFILIATE
from campaign_guard.loadmodel.channels.push import PUSH, open_kernel
from campaign_guard.loadmodel.channels.run import At, MakeKernel, Run
from campaign_guard.loadmodel.channels.sms import SMS, read_kernel
from campaign_guard.loadmodel.channels.tv_radio import TV_RADIO, response_kernel
from campaign_guard.loadmodel.channels.words import line_of
from campaign_guard.loadmodel.flows import Flow, Note
from campaign_guard.loadmodel.kernels import Kernel
from campaign_guard.loadmodel.usable import usable_assumptions
from campaign_guard.spec.campaign import CampaignSpec
from campaign_guard.spec.channels import Channel

KINDS: tuple[ChannelKind[Any], ...] = (
    EMAIL,
    SMS,
    PUSH,
    PAID_SOCIAL,
    PAID_SEARCH,
    DISPLAY,
    TV_RADIO,
    INFLUENCER,
    ORGANIC_PR,
    PARTNER_AFFILIATE,
)
CHANNEL_KINDS: Mapping[str, ChannelKind[Any]] = {kind.name: kind for kind in KINDS}
"""Every channel by its name (``email``), in the order the README lists them."""


def flows_for(
    spec: CampaignSpec, scenario: Scenario, defaults: Mapping[str, Default] = DEFAULT
) -> tuple[list[Flow], list[Note]]:
    """The traffic flows of ``spec`` in ``scenario``, and what could not be estimated.

    ``defaults`` replaces the table of published defaults (e.g. with a capacity
    profile's own figures); it must hold every key of :data:`DEFAULT`.
    """
    table, notes = usable_assumptions(defaults, spec.campaign_id, spec.assumptions)
    run = Run(spec, scenario, table, notes=notes)
    for index, channel in enumerate(spec.traffic):
        CHANNEL_KINDS[channel.channel].flows(At(run, index), channel)
    return run.flows, run.notes


def channel_line(channel: Channel, zone: tzinfo) -> str:
    """The channel's line on the ticket: its name and label, then every field it sets."""
    return line_of(channel, zone, CHANNEL_KINDS[channel.channel].phrases)


KernelName = Literal[
    "email", "email_open", "scanner", "push", "sms", "tv_radio", "influencer", "organic_pr"
]
KERNELS: Mapping[KernelName, MakeKernel] = {
    "email": click_kernel,
    "email_open": opens_kernel,
    "scanner": scanner_kernel,
    "push": open_kernel,
    "sms": read_kernel,
    "tv_radio": response_kernel,
    "influencer": influencer_kernel,
    "organic_pr": organic_kernel,
}
"""The response-time kernels of the channels, by name."""


def kernel_for(name: KernelName, defaults: Mapping[str, Default] = DEFAULT) -> Kernel:
    """The default response-time kernel of ``name`` (delays from delivery, or a spot's end)."""
    return KERNELS[name](defaults)


def channel_table(kinds: tuple[ChannelKind[Any], ...] = KINDS) -> str:
    """The README's table of channels: the figure each needs and what it may override.
    Channels next to each other with the same row share it."""
    rows: list[tuple[list[str], tuple[str, str]]] = []
    for kind in kinds:
        cells = kind.readme_cells()
        if rows and rows[-1][1] == cells:
            rows[-1][0].append(kind.name)
        else:
            rows.append(([kind.name], cells))
    lines = ["| channel | audience figure | optional overrides |", "|---|---|---|"]
    for names, (audience, overrides) in rows:
        named = ", ".join(f"`{name}`" for name in names)
        lines.append(f"| {named} | {audience} |" + (f" {overrides} |" if overrides else " |"))
    return "\n".join(lines) + "\n"
