"""PagerDuty provider: request shapes, the retry policy, secrets, and its settings."""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable, Iterator
from datetime import datetime, timezone
from typing import Any
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import pytest
import requests
import responses
from pydantic import TypeAdapter, ValidationError

from campaign_guard.errors import ExitCode
from campaign_guard.oncall import (
    JiraIdentity,
    OnCallError,
    OnCallPerson,
    OnCallSettings,
    PagerDuty,
    provider_from,
)
from campaign_guard.retry import RetryPolicy
from campaign_guard.secret import Secret

CANARY = "CANARY-pd-7f3a9c1e2b"
URL = "https://api.pagerduty.com/oncalls"
UTC = timezone.utc
AT = datetime(2027, 3, 8, 9, 0, tzinfo=ZoneInfo("Europe/Paris"))  # 08:00 UTC
STAMP = "2027-03-08T08:00:00Z"


class FakeClock:
    """Monotonic time that only moves when the code under test sleeps."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds

    def policy(self, **overrides: Any) -> RetryPolicy:
        return RetryPolicy(
            sleep=self.sleep,
            monotonic=self.monotonic,
            now=lambda: datetime(2027, 3, 8, 8, 0, tzinfo=UTC),
            jitter=lambda: 1.0,
            **overrides,
        )


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def rsps() -> Iterator[responses.RequestsMock]:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


def user(email: str = "ana@example.com", name: str = "Ana Ops") -> dict[str, Any]:
    return {"id": "PUSER1", "type": "user", "summary": name, "name": name, "email": email}


def entry(level: int = 1, **user_fields: str) -> dict[str, Any]:
    return {
        "escalation_level": level,
        "user": user(**user_fields),
        "start": "2027-03-01T08:00:00Z",
        "end": "2027-03-15T08:00:00Z",
    }


def schedule_provider(clock: FakeClock, **kwargs: Any) -> PagerDuty:
    return PagerDuty(CANARY, schedule_id="PSCHED1", retry=clock.policy(), **kwargs)


def query(call: Any) -> dict[str, list[str]]:
    return parse_qs(urlsplit(call.request.url).query)


def timeout_of(call: Any) -> Any:
    """The ``timeout`` the request was sent with (``responses`` records it)."""
    return call.request.req_kwargs["timeout"]


# --- request shapes ------------------------------------------------------------------


def test_schedule_request_shape(rsps: responses.RequestsMock, clock: FakeClock) -> None:
    rsps.get(URL, json={"oncalls": [entry()]})
    assert schedule_provider(clock).on_call(AT) == OnCallPerson("Ana Ops", "ana@example.com")
    (call,) = rsps.calls
    request = call.request
    assert request.method == "GET"
    assert urlsplit(request.url).path == "/oncalls"
    assert query(call) == {
        "schedule_ids[]": ["PSCHED1"],
        "escalation_levels[]": ["1"],
        "include[]": ["users"],
        "since": [STAMP],
        "until": [STAMP],
        "time_zone": ["UTC"],
    }
    assert request.headers["Authorization"] == f"Token token={CANARY}"
    assert request.headers["Accept"] == "application/vnd.pagerduty+json;version=2"
    assert timeout_of(call) == (5, 30)
    assert clock.sleeps == []


def test_escalation_policy_request_shape(rsps: responses.RequestsMock, clock: FakeClock) -> None:
    rsps.get("https://pd.example.test/api/oncalls", json={"oncalls": [entry()]})
    provider = PagerDuty(
        CANARY,
        escalation_policy_id="PPOL1",
        base_url="https://pd.example.test/api/",
        timeout=(2, 10),
        retry=clock.policy(),
    )
    provider.on_call(datetime(2027, 7, 1, 12, 30, 15, tzinfo=UTC))
    (call,) = rsps.calls
    params = query(call)
    assert params["escalation_policy_ids[]"] == ["PPOL1"]
    assert "schedule_ids[]" not in params
    assert params["since"] == params["until"] == ["2027-07-01T12:30:15Z"]
    assert params["escalation_levels[]"] == ["1"]
    assert timeout_of(call) == (2, 10)


def test_level_one_is_picked_and_mapped_to_jira(
    rsps: responses.RequestsMock, clock: FakeClock
) -> None:
    rsps.get(
        URL,
        json={
            "oncalls": [
                entry(level=2, email="boss@example.com", name="Boss"),
                entry(level=1, email="Ana@Example.com", name="Ana Ops"),
            ]
        },
    )
    provider = schedule_provider(
        clock, users_by_email={"ana@example.com": JiraIdentity("acc-1", "ana")}
    )
    assert provider.on_call(AT) == OnCallPerson("Ana Ops", "Ana@Example.com", "acc-1", "ana")


def test_naive_datetime_is_rejected(clock: FakeClock) -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        schedule_provider(clock).on_call(datetime(2027, 3, 8, 9, 0))


def test_exactly_one_target_is_required() -> None:
    with pytest.raises(ValueError, match="exactly one"):
        PagerDuty(CANARY)
    with pytest.raises(ValueError, match="exactly one"):
        PagerDuty(CANARY, schedule_id="A", escalation_policy_id="B")


# --- retry policy --------------------------------------------------------------------


@pytest.mark.parametrize("status", [429, 502, 503, 504])
def test_retryable_status_then_success(
    rsps: responses.RequestsMock, clock: FakeClock, status: int
) -> None:
    rsps.get(URL, status=status)
    rsps.get(URL, json={"oncalls": [entry()]})
    assert schedule_provider(clock).on_call(AT).email == "ana@example.com"
    assert len(rsps.calls) == 2
    assert clock.sleeps == [1.0]


def test_connection_error_then_success(rsps: responses.RequestsMock, clock: FakeClock) -> None:
    rsps.get(URL, body=requests.ConnectionError("connection reset"))
    rsps.get(URL, json={"oncalls": [entry()]})
    assert schedule_provider(clock).on_call(AT).name == "Ana Ops"
    assert len(rsps.calls) == 2


def test_retry_after_in_seconds(rsps: responses.RequestsMock, clock: FakeClock) -> None:
    rsps.get(URL, status=429, headers={"Retry-After": "7"})
    rsps.get(URL, json={"oncalls": [entry()]})
    schedule_provider(clock).on_call(AT)
    assert clock.sleeps == [7.0]


def test_retry_after_as_http_date(rsps: responses.RequestsMock, clock: FakeClock) -> None:
    # The fake wall clock says 2027-03-08 08:00:00 UTC.
    rsps.get(URL, status=503, headers={"Retry-After": "Mon, 08 Mar 2027 08:00:12 GMT"})
    rsps.get(URL, json={"oncalls": [entry()]})
    schedule_provider(clock).on_call(AT)
    assert clock.sleeps == [12.0]


def test_unreadable_retry_after_falls_back_to_backoff(
    rsps: responses.RequestsMock, clock: FakeClock
) -> None:
    rsps.get(URL, status=503, headers={"Retry-After": "soon"})
    rsps.get(URL, json={"oncalls": [entry()]})
    schedule_provider(clock).on_call(AT)
    assert clock.sleeps == [1.0]


def test_three_attempts_at_most(rsps: responses.RequestsMock, clock: FakeClock) -> None:
    rsps.get(URL, body=requests.ReadTimeout("read timed out"))
    with pytest.raises(OnCallError, match=r"after 3 attempt\(s\) in 3 s \(last: ReadTimeout"):
        schedule_provider(clock).on_call(AT)
    assert len(rsps.calls) == 3
    assert clock.sleeps == [1.0, 2.0]


def test_budget_exhausted_gives_one_clear_error(
    rsps: responses.RequestsMock, clock: FakeClock
) -> None:
    rsps.get(URL, status=429, headers={"Retry-After": "120"})
    with pytest.raises(OnCallError, match=r"after 1 attempt\(s\) .*last: HTTP 429") as err:
        schedule_provider(clock).on_call(AT)
    assert err.value.exit_code is ExitCode.EXTERNAL
    assert len(rsps.calls) == 1
    assert clock.sleeps == []


def test_budget_counts_time_already_spent(rsps: responses.RequestsMock, clock: FakeClock) -> None:
    rsps.get(URL, status=503, headers={"Retry-After": "20"})
    provider = PagerDuty(CANARY, schedule_id="S", retry=clock.policy(attempts=5, budget=30))
    with pytest.raises(OnCallError, match=r"after 2 attempt\(s\) in 20 s"):
        provider.on_call(AT)
    assert clock.sleeps == [20.0]


@pytest.mark.parametrize("status", [401, 403])
def test_refused_token_is_not_retried(
    rsps: responses.RequestsMock, clock: FakeClock, status: int
) -> None:
    rsps.get(URL, status=status, json={"error": {"message": "Unauthorized", "code": 2006}})
    with pytest.raises(OnCallError) as err:
        schedule_provider(clock).on_call(AT)
    assert str(err.value) == (
        "PagerDuty refused the token (PAGERDUTY_TOKEN): check it is valid and has read access"
    )
    assert len(rsps.calls) == 1
    assert clock.sleeps == []


def test_server_error_is_not_retried(rsps: responses.RequestsMock, clock: FakeClock) -> None:
    rsps.get(URL, status=500, json={"error": {"message": "Internal Error"}})
    with pytest.raises(OnCallError, match="HTTP 500 to GET /oncalls: Internal Error"):
        schedule_provider(clock).on_call(AT)
    assert len(rsps.calls) == 1


# --- bad replies ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("reply", "message"),
    [
        ({"oncalls": []}, "nobody on call at level 1 of schedule PSCHED1 at 2027-03-08T08:00:00Z"),
        ({"oncalls": [entry(level=2)]}, "nobody on call at level 1"),
        ({"oncalls": [{"escalation_level": 1, "user": {"id": "P1"}}]}, "no user email"),
        ({"limit": 25}, "no 'oncalls' list"),
        ([1, 2], "no 'oncalls' list"),
    ],
)
def test_unusable_replies(
    rsps: responses.RequestsMock, clock: FakeClock, reply: Any, message: str
) -> None:
    rsps.get(URL, json=reply)
    with pytest.raises(OnCallError, match=message):
        schedule_provider(clock).on_call(AT)


def test_malformed_json(rsps: responses.RequestsMock, clock: FakeClock) -> None:
    rsps.get(URL, body="<html>oops", content_type="text/html")
    with pytest.raises(OnCallError, match="not valid JSON"):
        schedule_provider(clock).on_call(AT)


# --- the token never shows -----------------------------------------------------------

FailureSetup = Callable[[responses.RequestsMock], None]
FAILURES: dict[str, FailureSetup] = {
    "401": lambda r: r.get(URL, status=401, json={"error": {"message": f"bad {CANARY}"}}),
    "404 echoing the token": lambda r: r.get(
        URL, status=404, json={"error": {"message": f"no schedule for {CANARY}"}}
    ),
    "500": lambda r: r.get(URL, status=500, body=f"boom {CANARY}"),
    "503 exhausted": lambda r: r.get(URL, status=503),
    "connection error": lambda r: r.get(URL, body=requests.ConnectionError(f"reset {CANARY}")),
    "read timeout": lambda r: r.get(URL, body=requests.ReadTimeout("read timed out")),
    "malformed json": lambda r: r.get(URL, body=f"{{{CANARY}"),
    "empty oncalls": lambda r: r.get(URL, json={"oncalls": []}),
}


@pytest.mark.parametrize("failure", sorted(FAILURES))
def test_canary_token_never_leaks(
    rsps: responses.RequestsMock,
    clock: FakeClock,
    caplog: pytest.LogCaptureFixture,
    failure: str,
) -> None:
    caplog.set_level(logging.DEBUG)
    FAILURES[failure](rsps)
    provider = schedule_provider(clock)
    with pytest.raises(OnCallError) as err:
        provider.on_call(AT)
    exc = err.value
    shown = [
        str(exc),
        repr(exc),
        "".join(traceback.format_exception(type(exc), exc, None)),
        repr(provider),
        str(vars(provider)),
        caplog.text,
    ]
    for text in shown:
        assert CANARY not in text


def test_secret_hides_itself() -> None:
    secret = Secret(CANARY)
    assert CANARY not in f"{secret} {secret!r} {[secret]}"
    assert secret.reveal() == CANARY
    assert secret.redact(f"a {CANARY} b") == "a *** b"


# --- settings ------------------------------------------------------------------------

ADAPTER: TypeAdapter[Any] = TypeAdapter(OnCallSettings)


def test_pagerduty_settings_build_a_provider(rsps: responses.RequestsMock) -> None:
    settings = ADAPTER.validate_python(
        {
            "provider": "pagerduty",
            "escalation_policy_id": "PPOL1",
            "people": [{"email": "ana@example.com", "jira_account_id": "acc-1"}],
        }
    )
    session = requests.Session()
    provider = provider_from(settings, {"PAGERDUTY_TOKEN": CANARY}, session=session)
    assert isinstance(provider, PagerDuty)
    assert provider.session is session
    assert CANARY not in repr(provider)
    rsps.get(URL, json={"oncalls": [entry()]})
    assert provider.on_call(AT) == OnCallPerson("Ana Ops", "ana@example.com", "acc-1", None)
    assert query(rsps.calls[0])["escalation_policy_ids[]"] == ["PPOL1"]


@pytest.mark.parametrize("environ", [{}, {"PAGERDUTY_TOKEN": "  "}])
def test_missing_token_names_the_variable(environ: dict[str, str]) -> None:
    settings = ADAPTER.validate_python({"provider": "pagerduty", "schedule_id": "PSCHED1"})
    with pytest.raises(OnCallError, match="PAGERDUTY_TOKEN is not set") as err:
        provider_from(settings, environ)
    assert err.value.exit_code is ExitCode.EXTERNAL


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "exactly one of schedule_id and escalation_policy_id"),
        ({"schedule_id": "A", "escalation_policy_id": "B"}, "exactly one"),
        ({"schedule_id": "A", "token": CANARY}, "Extra inputs are not permitted"),
        ({"schedule_id": "A", "people": [{"email": "not-an-email"}]}, "email address"),
    ],
)
def test_pagerduty_settings_reject_mistakes(data: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        ADAPTER.validate_python({"provider": "pagerduty", **data})
