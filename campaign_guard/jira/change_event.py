"""The change event an approval sends, once: decide, send, return the record to write.

PagerDuty change events have no dedup key, so sending twice shows the launch twice.
The decision record carries ``change_event_sent``: :func:`announce_approval` sends only
for a current approval not yet announced, and returns the record marked sent, which the
caller writes to the issue property before anything else is tried again.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Protocol

from campaign_guard.jira.decision import DecisionRecord
from campaign_guard.oncall.change_events import ChangeLink, send_change_event
from campaign_guard.secret import Secret


class ChangeEventSender(Protocol):
    """The gateway's shape (:func:`~campaign_guard.oncall.change_events.send_change_event`)."""

    def __call__(
        self,
        routing_key: Secret,
        summary: str,
        timestamp: datetime,
        links: Sequence[ChangeLink],
        *,
        custom_details: Mapping[str, str],
        deadline: float,
    ) -> None: ...


def change_event_summary(ticket_key: str, campaign: str, verdict: str, launch: str) -> str:
    """One line: the ticket, the campaign, the verdict and when it launches."""
    return f"{ticket_key}: marketing campaign {campaign} {verdict}, launch {launch}"


def announce_approval(
    record: DecisionRecord,
    *,
    ticket_key: str,
    ticket_url: str,
    campaign: str,
    launch: str,
    routing_key: Secret,
    timestamp: datetime,
    deadline: float,
    send: ChangeEventSender = send_change_event,
) -> DecisionRecord | None:
    """The record to write once the change event is sent, or None when none is due
    (the current decision is not an approval, or its event was already sent).
    ``timestamp`` is the launch: the event shows on the service's timeline then.

    Raises :class:`~campaign_guard.oncall.base.OnCallError` when sending fails; the
    record is then not marked sent.
    """
    current = record.current
    if current.decision != "approve" or current.change_event_sent:
        return None
    send(
        routing_key,
        change_event_summary(ticket_key, campaign, "approved", launch),
        timestamp,
        [ChangeLink(ticket_url, ticket_key)],
        custom_details={
            "ticket": ticket_key,
            "campaign": campaign,
            "verdict": current.decision,
            "launch": launch,
            "reviewer": current.reviewer,
            "submission": current.spec_digest[:12],
        },
        deadline=deadline,
    )
    return record.with_change_event_sent()
