"""The fake PagerDuty Events API: what it accepts and refuses, as PagerDuty documents."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime, timezone
from typing import Any

import pytest
import requests

from campaign_guard.oncall.base import OnCallError
from campaign_guard.oncall.change_events import ChangeLink, send_change_event
from campaign_guard.secret import Secret
from testing.fake_pagerduty import FakePagerDuty, running

KEY = "c4f1c9e1a2d4f6a8c0e2b4d6f8a0b1c2"


@pytest.fixture
def fake() -> Iterator[FakePagerDuty]:
    with running() as server:
        yield server


def event(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "routing_key": KEY,
        "payload": {
            "summary": "OPS-1: marketing campaign x approved, launch 2027-12-07 09:00",
            "timestamp": "2027-12-07T14:00:00.000+0000",
            "source": "campaign-guard",
            "custom_details": {"ticket": "OPS-1"},
        },
        "links": [{"href": "https://jira.example.com/browse/OPS-1", "text": "OPS-1"}],
    }
    for path, value in changes.items():
        *outer, last = path.split("__")
        target = body
        for part in outer:
            target = target[part]
        if value is None:
            target.pop(last)
        else:
            target[last] = value
    return body


def post(fake: FakePagerDuty, body: object, path: str = "/v2/change/enqueue") -> requests.Response:
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    return requests.post(
        fake.url + path, data=data, headers={"Content-Type": "application/json"}, timeout=5
    )


def test_a_valid_change_event_is_accepted_and_kept(fake: FakePagerDuty) -> None:
    answer = post(fake, event())
    assert answer.status_code == 202
    assert answer.json() == {"status": "success", "message": "Change event processed"}
    assert fake.events == [event()]


def test_optional_fields_may_be_left_out(fake: FakePagerDuty) -> None:
    body = event(payload__timestamp=None, payload__source=None, payload__custom_details=None)
    body.pop("links")
    assert post(fake, body).status_code == 202


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"routing_key": None}, "'routing_key' is missing"),
        ({"routing_key": KEY[:31]}, "must be 32 characters"),
        ({"routing_key": "R" + KEY[1:]}, "ruleset integration keys"),
        ({"payload": None}, "'payload' is missing"),
        ({"payload__summary": None}, "'payload.summary' is missing"),
        ({"payload__summary": "x" * 1025}, "longer than 1024 characters"),
        ({"payload__timestamp": "next tuesday"}, "not an ISO 8601 timestamp"),
        ({"payload__timestamp": "2027-12-07T14:00:00"}, "no time zone offset"),
        ({"payload__source": 7}, "'payload.source' must be a string"),
        ({"payload__custom_details": ["x"]}, "'payload.custom_details' must be an object"),
        ({"links": [{"text": "no href"}]}, "'links[0].href' is missing"),
        ({"links": {"href": "x"}}, "'links' must be a list"),
    ],
)
def test_an_invalid_event_is_a_400_with_the_documented_error_body(
    fake: FakePagerDuty, changes: dict[str, Any], error: str
) -> None:
    answer = post(fake, event(**changes))
    assert answer.status_code == 400
    reply = answer.json()
    assert reply["status"] == "invalid event"
    assert reply["message"] == "Event object is invalid"
    assert any(error in e for e in reply["errors"]), reply["errors"]
    assert fake.events == []


def test_a_summary_of_exactly_1024_characters_is_accepted(fake: FakePagerDuty) -> None:
    assert post(fake, event(payload__summary="x" * 1024)).status_code == 202


def test_not_json_and_too_large_are_refused(fake: FakePagerDuty) -> None:
    assert post(fake, b"{not json").json()["errors"] == ["JSON parse error"]
    big = event(payload__custom_details={"x": "y" * (512 * 1024)})
    assert post(fake, big).status_code == 400
    assert fake.events == []


def test_only_the_change_endpoint_is_served(fake: FakePagerDuty) -> None:
    assert post(fake, event(), "/v2/enqueue").status_code == 404
    assert requests.get(fake.url + "/v2/change/enqueue", timeout=5).status_code == 405
    assert [r.status for r in fake.requests] == [404, 405]


def test_throttled_and_failing_answers_accept_nothing(fake: FakePagerDuty) -> None:
    fake.throttle()
    fake.fail(503)
    assert post(fake, event()).status_code == 429
    assert post(fake, event()).status_code == 503
    assert post(fake, event()).status_code == 202
    assert len(fake.events) == 1


def test_the_gateway_sends_what_the_fake_accepts(fake: FakePagerDuty) -> None:
    send_change_event(
        Secret(KEY),
        "s" * 5000,  # cut to PagerDuty's limit by the gateway
        datetime(2027, 12, 7, 14, tzinfo=timezone.utc),
        [ChangeLink("https://jira.example.com/browse/OPS-1", "OPS-1")],
        custom_details={"ticket": "OPS-1"},
        deadline=5.0,
        base_url=fake.url,
    )
    assert len(fake.events) == 1
    fake.throttle()
    with pytest.raises(OnCallError, match="HTTP 429"):
        send_change_event(
            Secret(KEY), "s", datetime.now(timezone.utc), [], custom_details={}, deadline=5.0,
            base_url=fake.url,
        )  # fmt: skip
    assert len(fake.events) == 1
