"""PagerDuty change events: the body PagerDuty documents, one attempt, one-line errors."""

from __future__ import annotations

import json
import time
from datetime import datetime, timezone

import pytest
import requests
import responses

from campaign_guard.errors import ExitCode
from campaign_guard.oncall.base import OnCallError
from campaign_guard.oncall.change_events import (
    SUMMARY_LIMIT,
    ChangeLink,
    send_change_event,
)
from campaign_guard.secret import Secret

URL = "https://events.pagerduty.com/v2/change/enqueue"
KEY = "CANARYa7f3c9e1b2d4f6a8c0e2b4d6f8"  # 32 characters, as integration keys are
WHEN = datetime(2027, 3, 8, 9, 0, tzinfo=timezone.utc)


def send(summary: str = "CAMP-12 spring-sale approved, launch 2027-03-10", key: str = KEY) -> None:
    send_change_event(
        Secret(key),
        summary,
        WHEN,
        [ChangeLink("https://jira.example.com/browse/CAMP-12", "CAMP-12")],
        custom_details={"verdict": "approved"},
        deadline=5.0,
    )


@responses.activate
def test_the_body_is_the_documented_shape() -> None:
    responses.post(URL, status=202, json={"status": "success", "message": "Change event processed"})
    send()
    assert len(responses.calls) == 1
    request = responses.calls[0].request
    assert request.headers["Content-Type"] == "application/json"
    body = json.loads(request.body)  # type: ignore[arg-type]
    assert body == {
        "routing_key": KEY,
        "payload": {
            "summary": "CAMP-12 spring-sale approved, launch 2027-03-10",
            "timestamp": "2027-03-08T09:00:00.000+0000",
            "source": "campaign-guard",
            "custom_details": {"verdict": "approved"},
        },
        "links": [{"href": "https://jira.example.com/browse/CAMP-12", "text": "CAMP-12"}],
    }


@responses.activate
def test_a_long_summary_is_cut_to_pagerdutys_limit() -> None:
    responses.post(URL, status=202)
    send("x" * 5000)
    body = json.loads(responses.calls[0].request.body)  # type: ignore[arg-type]
    assert len(body["payload"]["summary"]) == SUMMARY_LIMIT


@responses.activate
def test_a_ruleset_key_is_refused_before_any_request() -> None:
    with pytest.raises(OnCallError, match="ruleset key") as caught:
        send(key="R" + KEY[1:])
    assert len(responses.calls) == 0
    assert KEY not in str(caught.value)
    assert caught.value.exit_code == ExitCode.EXTERNAL


@responses.activate
def test_a_400_is_one_line_without_the_key() -> None:
    responses.post(
        URL,
        status=400,
        json={"status": "invalid event", "message": "Event object is invalid", "errors": [KEY]},
    )
    with pytest.raises(OnCallError) as caught:
        send()
    message = str(caught.value)
    assert "HTTP 400" in message
    assert "Event object is invalid" in message
    assert KEY not in message
    assert "\n" not in message
    assert len(responses.calls) == 1


@pytest.mark.parametrize("status", [429, 500, 503])
@responses.activate
def test_a_busy_answer_is_not_retried(status: int) -> None:
    responses.post(URL, status=status)
    with pytest.raises(OnCallError, match=f"HTTP {status}.*try again later"):
        send()
    assert len(responses.calls) == 1


@responses.activate
def test_no_connection_says_nothing_was_sent() -> None:
    responses.post(URL, body=requests.ConnectionError("refused"))
    with pytest.raises(OnCallError, match="nothing was sent"):
        send()


def test_a_server_that_never_answers_stops_at_the_deadline() -> None:
    session = requests.Session()

    def hang(*args: object, **kwargs: object) -> requests.Response:
        time.sleep(5)
        raise AssertionError("not reached in time")

    session.post = hang  # type: ignore[method-assign]
    started = time.monotonic()
    with pytest.raises(OnCallError, match="may or may not have been recorded"):
        send_change_event(
            Secret(KEY), "s", WHEN, [], custom_details={}, deadline=0.3, session=session
        )
    assert time.monotonic() - started < 2


def test_an_empty_key_is_refused() -> None:
    with pytest.raises(OnCallError, match="empty"):
        send_change_event(Secret(""), "s", WHEN, [], custom_details={}, deadline=1.0)


@pytest.mark.parametrize("length", [31, 33])
@responses.activate
def test_a_key_that_is_not_32_characters_is_refused_before_any_request(length: int) -> None:
    key = ("a" * 40)[:length]
    with pytest.raises(OnCallError, match=f"is {length} characters long, not 32") as caught:
        send(key=key)
    assert len(responses.calls) == 0
    assert key not in str(caught.value)
