"""Partners and affiliates: timed as partner newsletters, with e-mail's clicks and send."""

from __future__ import annotations

from campaign_guard.loadmodel.channels.email import SENT_AND_CLICKED, click_kernel, send_time
from campaign_guard.loadmodel.channels.kind import ChannelKind
from campaign_guard.loadmodel.channels.run import MIN_SEND_S, At
from campaign_guard.loadmodel.channels.words import CLICK_RATE, VISITS, WHEN_AND_WHERE, count
from campaign_guard.spec.channels import PartnerAffiliate


def flows(at: At, partner: PartnerAffiliate) -> None:
    if at.gap() is not None:
        return
    visits = at.engaged(partner.audience, at.rate(partner.click_rate, None), None)
    people = at.recipients(partner.audience, partner.click_rate)
    at.sent(visits, click_kernel, max(send_time(at, people), MIN_SEND_S))


PARTNER_AFFILIATE = ChannelKind(
    model=PartnerAffiliate,
    flows=flows,
    reads=(*SENT_AND_CLICKED, "given.spread"),
    phrases=(count("audience", "audience of {}"), VISITS, CLICK_RATE, *WHEN_AND_WHERE),
    audience="`audience`",
    overrides="`click_rate`",
)
