"""The change event ``review KEY --approve`` sends to PagerDuty, once.

When ``pagerduty.change_events.on_approve`` is set, an approval:

1. checks the routing key (``PAGERDUTY_CHANGE_ROUTING_KEY``: set, 32 characters, not a
   ruleset key) before Jira is asked anything, so a wrong key writes nothing;
2. records the decision as any decision is (comment, property, transition);
3. sends the change event, unless the decision property says it was sent already;
4. writes the decision property again, marked ``change_event_sent``.

A change event has no dedup key, so step 4 is what makes a second approval send
nothing. When step 3 fails the decision stands and the property is not marked: the
next ``review KEY --approve`` sends it. When step 4 fails after a sent event, the
outcome says so (a re-run would send it a second time). Pure orchestration: the gateway
and the sender are passed in.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, time, timezone
from functools import partial
from typing import Any, Literal, Protocol

from campaign_guard.errors import CampaignGuardError, SetupError
from campaign_guard.jira.change_event import (
    ChangeEventSender,
    announce_approval,
    change_event_summary,
)
from campaign_guard.jira.decision import DECISION_KEY, DecisionRecord, State, Verdict
from campaign_guard.oncall.change_events import check_routing_key, send_change_event
from campaign_guard.oncall.change_settings import ChangeEventSettings
from campaign_guard.review.rows import QueueRow
from campaign_guard.secret import Secret

ROUTING_KEY_ENV = "PAGERDUTY_CHANGE_ROUTING_KEY"
DEADLINE = 10.0
"""Seconds PagerDuty has to answer the change event."""

EventStatus = Literal["sent", "already-sent", "would-send", "failed", "not-recorded"]


@dataclass(frozen=True)
class ChangeEventOutcome:
    """What happened to an approval's change event."""

    status: EventStatus
    """``sent``; ``already-sent`` (an earlier run sent it: not sent again);
    ``would-send`` (a dry run); ``failed`` (not sent: the decision stands, a re-run
    sends it); ``not-recorded`` (sent, but the ticket could not be marked)."""
    summary: str
    launch: str
    error: str | None = None
    """Why it failed, or why the ticket was not marked (one line, no secret)."""

    def to_json(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "summary": self.summary,
            "launch": self.launch,
            "error": self.error,
        }


class PropertyGateway(Protocol):
    def set_property(self, key: str, name: str, value: Any) -> None: ...


def routing_key(environ: Mapping[str, str]) -> Secret:
    """The change-event routing key from the environment, checked; a one-line error
    (exit code 3) when it is missing or cannot receive change events."""
    key = Secret(environ.get(ROUTING_KEY_ENV, ""))
    if not key.reveal():
        raise SetupError(
            f"{ROUTING_KEY_ENV} is not set: set it to the integration key of a PagerDuty "
            "Events API v2 integration on the service that should show the launch"
        )
    check_routing_key(key, f"the key in {ROUTING_KEY_ENV}")
    return key


def launch_of(row: QueueRow, decided_at: str) -> tuple[str, datetime]:
    """The launch as the summary words it, and as the event's timestamp (the decision's
    time when the ticket gives no launch)."""
    if row.launch is not None:
        zone = getattr(row.launch.tzinfo, "key", None) or row.launch.tzname() or ""
        return f"{row.launch:%Y-%m-%d %H:%M} {zone}".rstrip(), row.launch
    if row.launch_day is not None:
        return row.launch_day.isoformat(), datetime.combine(row.launch_day, time(), timezone.utc)
    return "not given", datetime.fromisoformat(decided_at)


@dataclass(frozen=True)
class Announcer:
    """Sends an approval's change event once, to ``events_url``."""

    key: Secret
    events_url: str
    deadline: float = DEADLINE
    sender: ChangeEventSender | None = None
    """Instead of :func:`send_change_event` (tests)."""

    def would(
        self, recorded: DecisionRecord | None, state: State, row: QueueRow
    ) -> ChangeEventOutcome:
        """What a dry run of an approval in ``state`` would do with the event."""
        sent = state == "same" and recorded is not None and recorded.current.change_event_sent
        launch, _ = launch_of(row, datetime.now(timezone.utc).isoformat())
        summary = change_event_summary(row.key, row.campaign, "approved", launch)
        return ChangeEventOutcome("already-sent" if sent else "would-send", summary, launch)

    def announce(
        self, gateway: PropertyGateway, record: DecisionRecord, row: QueueRow
    ) -> ChangeEventOutcome:
        """Send the event for ``record``'s approval unless it was sent, then mark it."""
        launch, at = launch_of(row, record.current.decided_at)
        summary = change_event_summary(row.key, row.campaign, "approved", launch)
        try:
            marked = announce_approval(
                record,
                ticket_key=row.key,
                ticket_url=row.url,
                campaign=row.campaign,
                launch=launch,
                routing_key=self.key,
                timestamp=at,
                deadline=self.deadline,
                send=self._send(),
            )
        except CampaignGuardError as exc:
            return ChangeEventOutcome("failed", summary, launch, str(exc))
        if marked is None:
            return ChangeEventOutcome("already-sent", summary, launch)
        try:
            gateway.set_property(row.key, DECISION_KEY, marked.to_json())
        except CampaignGuardError as exc:
            return ChangeEventOutcome("not-recorded", summary, launch, str(exc))
        return ChangeEventOutcome("sent", summary, launch)

    def _send(self) -> ChangeEventSender:
        if self.sender is not None:
            return self.sender
        return partial(send_change_event, base_url=self.events_url)


def approval_announcer(
    settings: ChangeEventSettings | None, decision: Verdict, environ: Mapping[str, str]
) -> Announcer | None:
    """The announcer for an approval when change events are configured (its key checked
    now, before anything is sent to Jira); None otherwise."""
    if settings is None or decision != "approve":
        return None
    return Announcer(routing_key(environ), settings.events_url)
