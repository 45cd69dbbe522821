"""An approval's change event: sent once, through the real gateway, marked in the record."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest
import responses

from campaign_guard.jira.change_event import announce_approval, change_event_summary
from campaign_guard.jira.decision import Decision, DecisionRecord, Verdict
from campaign_guard.oncall.base import OnCallError
from campaign_guard.secret import Secret

URL = "https://events.pagerduty.com/v2/change/enqueue"
KEY = "a7f3c9e1b2d4f6a8c0e2b4d6f8a0b1c2"
WHEN = datetime(2027, 3, 8, 9, 0, tzinfo=timezone.utc)


def record(decision: Verdict = "approve", *, sent: bool = False) -> DecisionRecord:
    return DecisionRecord(
        Decision(decision, "ana", "2027-03-08T08:59:00Z", "d" * 64, change_event_sent=sent)
    )


def announce(rec: DecisionRecord) -> DecisionRecord | None:
    return announce_approval(
        rec,
        ticket_key="CAMP-12",
        ticket_url="https://jira.example.com/browse/CAMP-12",
        campaign="spring-sale",
        launch="2027-03-10 09:00 Europe/Paris",
        routing_key=Secret(KEY),
        timestamp=WHEN,
        deadline=5.0,
    )


@responses.activate
def test_an_approval_is_announced_and_marked_sent() -> None:
    responses.post(URL, status=202)
    written = announce(record())
    assert written is not None
    assert written.current.change_event_sent is True
    assert len(responses.calls) == 1
    body = json.loads(responses.calls[0].request.body)  # type: ignore[arg-type]
    assert body["payload"]["summary"] == (
        "CAMP-12: marketing campaign spring-sale approved, launch 2027-03-10 09:00 Europe/Paris"
    )
    assert body["payload"]["custom_details"]["submission"] == "d" * 12
    assert body["payload"]["timestamp"] == "2027-03-08T09:00:00.000+0000"  # the launch
    assert body["links"] == [{"href": "https://jira.example.com/browse/CAMP-12", "text": "CAMP-12"}]


@responses.activate
def test_an_announced_approval_is_not_sent_again() -> None:
    assert announce(record(sent=True)) is None
    assert len(responses.calls) == 0


@pytest.mark.parametrize("verdict", ["reject", "request-changes"])
@responses.activate
def test_other_verdicts_send_nothing(verdict: Verdict) -> None:
    assert announce(record(verdict)) is None
    assert len(responses.calls) == 0


@responses.activate
def test_a_refused_event_leaves_the_record_unmarked() -> None:
    responses.post(URL, status=400, json={"message": "Event object is invalid"})
    rec = record()
    with pytest.raises(OnCallError):
        announce(rec)
    assert rec.current.change_event_sent is False


def test_the_summary_names_ticket_campaign_verdict_and_launch() -> None:
    assert change_event_summary("CAMP-1", "x", "approved", "2027-01-01") == (
        "CAMP-1: marketing campaign x approved, launch 2027-01-01"
    )


@responses.activate
def test_the_api_reads_the_key_from_the_environment_only() -> None:
    from campaign_guard import api

    responses.post(URL, status=202)
    written = api.announce_approval(
        record(),
        ticket_key="CAMP-12",
        ticket_url="https://jira.example.com/browse/CAMP-12",
        campaign="spring-sale",
        launch="2027-03-10",
        launch_at=WHEN,
        environ={"PAGERDUTY_CHANGE_ROUTING_KEY": KEY},
    )
    assert written is not None
    assert written.current.change_event_sent is True
    body = json.loads(responses.calls[0].request.body)  # type: ignore[arg-type]
    assert body["routing_key"] == KEY


@responses.activate
def test_the_api_without_a_key_is_a_setup_error_and_sends_nothing() -> None:
    from campaign_guard import api
    from campaign_guard.errors import ExitCode, SetupError

    with pytest.raises(SetupError, match="PAGERDUTY_CHANGE_ROUTING_KEY is not set") as caught:
        api.announce_approval(
            record(),
            ticket_key="CAMP-12",
            ticket_url="https://jira.example.com/browse/CAMP-12",
            campaign="spring-sale",
            launch="2027-03-10",
            launch_at=WHEN,
            environ={},
        )
    assert caught.value.exit_code == ExitCode.EXTERNAL
    assert len(responses.calls) == 0
