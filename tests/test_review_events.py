"""An approval's change event in ``review KEY --approve``: sent once after the decision,
then marked on the decision property; a key that cannot work stops the run before Jira
is asked anything; a failure after the decision leaves it standing, unmarked."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import pytest
import responses

from campaign_guard.config.settings import Settings
from campaign_guard.errors import ExitCode, SetupError
from campaign_guard.jira.decision import Decision, DecisionRecord
from campaign_guard.oncall.base import OnCallError
from campaign_guard.oncall.change_settings import ChangeEventSettings
from campaign_guard.review.cases import decide
from campaign_guard.review.events import (
    ROUTING_KEY_ENV,
    Announcer,
    ChangeEventOutcome,
    approval_announcer,
    launch_of,
)
from campaign_guard.review.rows import QueueRow
from campaign_guard.spec.capacity import CapacityProfile
from tests.jira.review_support import CLOUD, gateway
from tests.test_reviewing import profile, sample

KEY = "b3f1c9e1a2d4f6a8c0e2b4d6f8a0b1c2"
EVENTS = "https://events.eu.pagerduty.com"
ENQUEUE = f"{EVENTS}/v2/change/enqueue"
PROPERTY = f"{CLOUD}/rest/api/2/issue/OPS-7/properties/campaign-guard.decision"
CONFIGURED = ChangeEventSettings(on_approve=True, events_url=EVENTS)
__all__ = ["profile"]  # the fixture, shared


def approval(*, sent: bool = False) -> DecisionRecord:
    return DecisionRecord(
        Decision(
            "approve", "Dana Ops", "2027-11-01T10:00:00+00:00", "d" * 64, change_event_sent=sent
        )
    )


def ticket(rows: list[QueueRow], key: str = "OPS-7") -> QueueRow:
    return next(row for row in rows if row.key == key)


@pytest.fixture
def rows(profile: CapacityProfile) -> list[QueueRow]:
    return sample(profile)


def announcer() -> Announcer:
    found = approval_announcer(CONFIGURED, "approve", {ROUTING_KEY_ENV: KEY})
    assert found is not None
    return found


@responses.activate
def test_an_approval_sends_one_event_at_the_launch_then_marks_the_property(
    rows: list[QueueRow],
) -> None:
    responses.post(ENQUEUE, status=202, json={"status": "success"})
    responses.put(PROPERTY, status=200)
    row = ticket(rows)
    done = announcer().announce(gateway(True), approval(), row)
    assert done.status == "sent"
    assert done.error is None
    assert [c.request.method for c in responses.calls] == ["POST", "PUT"]
    event = json.loads(responses.calls[0].request.body)  # type: ignore[arg-type]
    assert event["routing_key"] == KEY
    assert event["payload"]["summary"] == (
        "OPS-7: marketing campaign Black Friday Flash Sale approved, "
        "launch 2027-11-26 12:00 Europe/Paris"
    )
    # the launch (12:00 CET) as the event's time, in UTC
    assert event["payload"]["timestamp"] == "2027-11-26T11:00:00.000+0000"
    assert event["links"] == [{"href": row.url, "text": "OPS-7"}]
    assert event["payload"]["custom_details"]["campaign"] == "Black Friday Flash Sale"
    assert event["payload"]["custom_details"]["verdict"] == "approve"
    written = json.loads(responses.calls[1].request.body)  # type: ignore[arg-type]
    assert written["current"]["change_event_sent"] is True
    assert written["current"]["decision"] == "approve"


@responses.activate
def test_an_approval_already_announced_sends_and_writes_nothing(rows: list[QueueRow]) -> None:
    done = announcer().announce(gateway(True), approval(sent=True), ticket(rows))
    assert done.status == "already-sent"
    assert len(responses.calls) == 0


@pytest.mark.parametrize(
    ("status", "said"), [(400, "refused the change event"), (500, "try again later")]
)
@responses.activate
def test_a_failed_send_keeps_the_decision_and_leaves_the_property_unmarked(
    rows: list[QueueRow], status: int, said: str
) -> None:
    responses.post(ENQUEUE, status=status, json={"status": "invalid event", "message": "no"})
    done = announcer().announce(gateway(True), approval(), ticket(rows))
    assert done.status == "failed"
    assert said in (done.error or "")
    assert KEY not in (done.error or "")
    assert [c.request.method for c in responses.calls] == ["POST"]  # no PUT: not marked


@responses.activate
def test_a_property_write_failing_after_the_send_says_the_event_was_sent(
    rows: list[QueueRow],
) -> None:
    responses.post(ENQUEUE, status=202)
    responses.put(PROPERTY, status=403, json={"errorMessages": ["You cannot edit it."]})
    done = announcer().announce(gateway(True), approval(), ticket(rows))
    assert done.status == "not-recorded"
    assert done.error
    assert [c.request.method for c in responses.calls] == ["POST", "PUT"]


def test_only_a_configured_approval_has_an_announcer() -> None:
    env = {ROUTING_KEY_ENV: KEY}
    assert approval_announcer(CONFIGURED, "reject", env) is None
    assert approval_announcer(CONFIGURED, "request-changes", {}) is None
    assert approval_announcer(None, "approve", env) is None


@pytest.mark.parametrize(
    ("env", "said"),
    [
        ({}, "PAGERDUTY_CHANGE_ROUTING_KEY is not set"),
        ({ROUTING_KEY_ENV: "R" + KEY[1:]}, "is a ruleset key, which cannot receive change events"),
        ({ROUTING_KEY_ENV: KEY[:20]}, "is 20 characters long, not 32"),
    ],
)
def test_a_key_that_cannot_work_stops_the_approval_before_jira_is_asked_anything(
    env: dict[str, str], said: str
) -> None:
    from campaign_guard.config.project import ProjectConfig

    project = ProjectConfig.model_validate(
        {
            "jira": {"site": CLOUD, "project": "OPS"},
            "pagerduty": {"change_events": {"on_approve": True}},
        }
    )
    settings = Settings(3, Path("campaign-guard.yaml"), project=project)
    env = {**env, "JIRA_EMAIL": "bot@example.com", "JIRA_API_TOKEN": "t0ken"}

    def connect(*_args: object, **_kwargs: object) -> object:
        raise AssertionError("Jira was asked something")

    with pytest.raises((SetupError, OnCallError), match=said) as caught:
        decide(
            settings,
            "OPS-7",
            "approve",
            reason=None,
            note=None,
            dry_run=False,
            environ=env,
            now=datetime(2027, 11, 1, tzinfo=timezone.utc),
            reader_zone=timezone.utc,
            connect=connect,  # type: ignore[arg-type]
        )
    assert caught.value.exit_code == ExitCode.EXTERNAL
    assert KEY[1:20] not in str(caught.value)


def test_without_a_time_the_launch_day_starts_the_event(rows: list[QueueRow]) -> None:
    words, at = launch_of(ticket(rows, "OPS-9"), "2027-11-01T10:00:00+00:00")
    assert words == "2027-11-26"
    assert at == datetime(2027, 11, 26, tzinfo=timezone.utc)


def test_the_section_refuses_plain_http_to_another_machine() -> None:
    from pydantic import ValidationError

    with pytest.raises(ValidationError, match="https:// address of PagerDuty's Events API"):
        ChangeEventSettings(on_approve=True, events_url="http://events.pagerduty.com")
    assert ChangeEventSettings(events_url="http://127.0.0.1:8080/").events_url == (
        "http://127.0.0.1:8080"
    )


@pytest.mark.parametrize(
    ("event", "line", "error"),
    [
        (
            ChangeEventOutcome("sent", "s", "2027-11-26 12:00 Europe/Paris"),
            "  change event sent to PagerDuty for launch 2027-11-26 12:00 Europe/Paris",
            None,
        ),
        (
            ChangeEventOutcome("not-recorded", "s", "2027-11-26", "Jira answered HTTP 403"),
            "  change event sent to PagerDuty for launch 2027-11-26, but not marked on the "
            "ticket (see the error below)",
            "the change event was sent to PagerDuty, but OPS-7 could not be marked as "
            "announced (Jira answered HTTP 403): running `campaign-guard review OPS-7 "
            "--approve` again would send it a second time",
        ),
    ],
)
def test_the_text_says_what_became_of_the_event(
    rows: list[QueueRow], event: ChangeEventOutcome, line: str, error: str | None
) -> None:
    from campaign_guard.cli.review_decision import change_event_problem, decision_text
    from campaign_guard.review.cases import DecisionOutcome

    done = DecisionOutcome(
        key="OPS-7", url=ticket(rows).url, decision="approve", dry_run=False, state="same",
        comment=None, commented=False, property_value=None, property_written=False,
        transition=None, to_status=None, transitioned=False, transition_note=None,
        row=ticket(rows), requests=3, change_event=event,
    )  # fmt: skip
    assert decision_text(done).splitlines()[-1] == line
    assert change_event_problem(done) == error
