"""The Jira gateway against ``responses``: request shapes, retries, POST safety, secrets."""

from __future__ import annotations

import base64
import json
import logging
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from typing import Any

import pytest
import requests
import responses
from responses import matchers

from campaign_guard.errors import ExitCode
from campaign_guard.jira.gateway import IssueRef, JiraError, JiraGateway, OutcomeUnknown
from campaign_guard.jira.jira_http import SEARCH_FIELDS
from campaign_guard.jira.jql import campaign_label, dedup_jql
from campaign_guard.jira.settings import Credentials, JiraSettings
from campaign_guard.retry import RetryPolicy
from campaign_guard.secret import Secret

CANARY = "CANARY-jira-7f3a9c"
EMAIL = "bot@example.com"
CLOUD = "https://example.atlassian.net"
DC = "https://jira.example.com"
LABEL = campaign_label("spring-sale")
NOW = datetime(2026, 3, 1, 12, 0, tzinfo=timezone.utc)
SERVER_INFO = {"versionNumbers": [9, 12, 0], "deploymentType": "Server"}


def _settings(cloud: bool, budget: float = 120) -> JiraSettings:
    return JiraSettings(site=CLOUD if cloud else DC, project="OPS", retry_budget_seconds=budget)


def _creds(cloud: bool) -> Credentials:
    if cloud:
        return Credentials("basic", Secret(CANARY), EMAIL)
    return Credentials("bearer", Secret(CANARY))


def _auth_header(cloud: bool) -> str:
    if cloud:
        return "Basic " + base64.b64encode(f"{EMAIL}:{CANARY}".encode()).decode()
    return f"Bearer {CANARY}"


class Sleeps(list[float]):
    """A fake ``time.sleep`` that moves a fake monotonic clock (:meth:`now`)."""

    t = 1000.0

    def __call__(self, seconds: float) -> None:
        self.append(seconds)
        self.t += seconds

    def now(self) -> float:
        return self.t


def _connect(
    rsps: responses.RequestsMock, cloud: bool, budget: float = 120
) -> tuple[JiraGateway, Sleeps]:
    site = CLOUD if cloud else DC
    rsps.get(f"{site}/rest/api/2/serverInfo", json=SERVER_INFO)
    sleeps = Sleeps()
    policy = RetryPolicy(
        attempts=8,
        budget=budget,
        sleep=sleeps,
        monotonic=sleeps.now,
        now=lambda: NOW + timedelta(seconds=sleeps.t - 1000.0),
        jitter=lambda: 1.0,
    )
    gateway = JiraGateway.connect(
        _settings(cloud, budget),
        _creds(cloud),
        session=requests.Session(),
        retry=policy,
        probe=True,
    )
    return gateway, sleeps


@pytest.fixture
def rsps() -> Any:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


def _calls(rsps: responses.RequestsMock, path: str) -> list[Any]:
    return [c for c in rsps.calls if c.request.url and path in c.request.url]


# --- connect ------------------------------------------------------------------------


@pytest.mark.parametrize("cloud", [True, False])
def test_connect_probes_server_info_with_the_right_auth(
    rsps: responses.RequestsMock, cloud: bool
) -> None:
    gateway, _ = _connect(rsps, cloud)
    (call,) = rsps.calls
    assert call.request.method == "GET"
    assert call.request.headers["Authorization"] == _auth_header(cloud)
    assert gateway.client is not None
    assert gateway.is_cloud is cloud


def test_connect_retries_a_503_on_server_info(rsps: responses.RequestsMock) -> None:
    rsps.get(f"{DC}/rest/api/2/serverInfo", status=503, headers={"Retry-After": "2"})
    gateway, sleeps = _connect(rsps, cloud=False)
    assert sleeps == [2.0]
    assert len(rsps.calls) == 2
    assert gateway.client is not None


# --- request shapes -----------------------------------------------------------------


def _issue(key: str, labels: list[str], ident: str = "1") -> dict[str, Any]:
    return {"id": ident, "key": key, "fields": {"labels": labels, "status": {"name": "Open"}}}


@pytest.mark.parametrize(
    ("cloud", "path"), [(True, "/rest/api/3/search/jql"), (False, "/rest/api/2/search")]
)
def test_search_shape_and_filtering(rsps: responses.RequestsMock, cloud: bool, path: str) -> None:
    gateway, _ = _connect(rsps, cloud)
    site = CLOUD if cloud else DC
    query = {"jql": dedup_jql("OPS", LABEL), "fields": SEARCH_FIELDS, "maxResults": "10"}
    rsps.get(
        site + path,
        match=[
            matchers.query_param_matcher(query),
            matchers.header_matcher({"Authorization": _auth_header(cloud)}),
        ],
        json={
            "issues": [
                _issue("OPS-7", [LABEL, "campaign"], "10007"),
                _issue("OTHER-1", [LABEL], "2"),
                _issue("OPS-8", [LABEL + "x"], "3"),
                _issue("OPSX-9", [LABEL], "4"),
                "junk",
            ]
        },
    )
    found = gateway.find_campaign_issues("OPS", LABEL)
    assert found == [IssueRef("OPS-7", "10007", (LABEL, "campaign"), "Open")]


@pytest.mark.parametrize("cloud", [True, False])
def test_create_issue_posts_fields_once(rsps: responses.RequestsMock, cloud: bool) -> None:
    gateway, _ = _connect(rsps, cloud)
    site = CLOUD if cloud else DC
    fields = {
        "project": {"key": "OPS"},
        "issuetype": {"name": "Marketing Campaign Launch"},
        "summary": "Spring sale",
        "labels": [LABEL],
    }
    rsps.post(
        f"{site}/rest/api/2/issue",
        match=[
            matchers.json_params_matcher({"fields": fields}),
            matchers.header_matcher({"Authorization": _auth_header(cloud)}),
        ],
        json={"id": "10001", "key": "OPS-1", "self": "x"},
        status=201,
    )
    assert gateway.create_issue(fields) == IssueRef("OPS-1", "10001", (LABEL,), None)
    assert len(_calls(rsps, "/rest/api/2/issue")) == 1


def test_create_issue_rejects_a_bare_project_string(rsps: responses.RequestsMock) -> None:
    gateway, _ = _connect(rsps, cloud=True)
    with pytest.raises(ValueError, match="project"):
        gateway.create_issue({"project": "OPS", "issuetype": {"id": "1"}})


@pytest.mark.parametrize("cloud", [True, False])
def test_comment_update_attach_and_myself(rsps: responses.RequestsMock, cloud: bool) -> None:
    gateway, _ = _connect(rsps, cloud)
    site = CLOUD if cloud else DC
    auth = matchers.header_matcher({"Authorization": _auth_header(cloud)})
    rsps.post(
        f"{site}/rest/api/2/issue/OPS-1/comment",
        match=[matchers.json_params_matcher({"body": "hello"}), auth],
        json={"id": "555"},
        status=201,
    )
    rsps.put(
        f"{site}/rest/api/2/issue/OPS-1",
        match=[matchers.json_params_matcher({"fields": {"summary": "x"}}), auth],
        status=204,
    )
    rsps.post(
        f"{site}/rest/api/2/issue/OPS-1/attachments",
        match=[matchers.header_matcher({"X-Atlassian-Token": "no-check"}), auth],
        json=[{"id": "9"}],
    )
    rsps.get(
        f"{site}/rest/api/2/myself",
        match=[auth],
        json={"accountId": "abc", "displayName": "Bot"},
    )
    assert gateway.add_comment("OPS-1", "hello") == "555"
    gateway.update_fields("OPS-1", {"summary": "x"})
    gateway.attach("OPS-1", "review.json", b'{"a": 1}')
    (attach,) = _calls(rsps, "/attachments")
    body = attach.request.body
    assert isinstance(body, bytes)
    assert b'filename="review.json"' in body
    assert b'{"a": 1}' in body
    me = gateway.myself()
    assert me.account_id == "abc"
    assert me.display_name == "Bot"


@pytest.mark.parametrize(
    ("cloud", "kwargs", "body"),
    [
        (True, {"account_id": "5b10ac"}, {"accountId": "5b10ac"}),
        (False, {"user_name": "jdoe"}, {"name": "jdoe"}),
    ],
)
def test_assign_shapes(
    rsps: responses.RequestsMock, cloud: bool, kwargs: dict[str, str], body: dict[str, str]
) -> None:
    gateway, _ = _connect(rsps, cloud)
    site = CLOUD if cloud else DC
    rsps.put(
        f"{site}/rest/api/2/issue/OPS-3/assignee",
        match=[matchers.json_params_matcher(body)],
        status=204,
    )
    gateway.assign("OPS-3", **kwargs)
    with pytest.raises(ValueError, match="exactly one"):
        gateway.assign("OPS-3")


def test_bad_issue_key_never_reaches_a_path(rsps: responses.RequestsMock) -> None:
    gateway, _ = _connect(rsps, cloud=True)
    with pytest.raises(ValueError, match="issue key"):
        gateway.add_comment("OPS-1/../../admin", "x")


# --- retries ------------------------------------------------------------------------


@pytest.mark.parametrize("status", [429, 502, 503, 504])
def test_get_is_retried_on_transient_statuses(rsps: responses.RequestsMock, status: int) -> None:
    gateway, sleeps = _connect(rsps, cloud=False)
    url = f"{DC}/rest/api/2/myself"
    rsps.get(url, status=status)
    rsps.get(url, status=status, headers={"Retry-After": "7"})
    rsps.get(url, json={"name": "jdoe", "displayName": "J"})
    assert gateway.myself().name == "jdoe"
    assert sleeps == [1.0, 7.0]  # backoff 1·2⁰ with jitter=1, then Retry-After
    assert len(_calls(rsps, "/myself")) == 3


def test_retry_after_as_http_date(rsps: responses.RequestsMock) -> None:
    gateway, sleeps = _connect(rsps, cloud=True)
    url = f"{CLOUD}/rest/api/2/issue/OPS-1"
    when = format_datetime(NOW + timedelta(seconds=30), usegmt=True)
    rsps.put(url, status=429, headers={"Retry-After": when})
    rsps.put(url, status=204)
    gateway.update_fields("OPS-1", {"summary": "x"})
    assert sleeps == [30.0]


def test_connection_errors_on_put_are_retried(rsps: responses.RequestsMock) -> None:
    gateway, sleeps = _connect(rsps, cloud=True)
    url = f"{CLOUD}/rest/api/2/issue/OPS-1/assignee"
    rsps.put(url, body=requests.ConnectionError("reset"))
    rsps.put(url, status=204)
    gateway.assign("OPS-1", account_id="a")
    assert sleeps == [1.0]


def test_the_deadline_stops_the_retries(rsps: responses.RequestsMock) -> None:
    gateway, sleeps = _connect(rsps, cloud=False, budget=10)
    rsps.get(f"{DC}/rest/api/2/myself", status=503, headers={"Retry-After": "6"})
    with pytest.raises(JiraError, match=r"within the 10 s .*retry_budget_seconds") as info:
        gateway.myself()
    assert sleeps == [6.0]  # a second wait of 6 s would end past the deadline
    assert len(_calls(rsps, "/myself")) == 2
    assert info.value.exit_code == ExitCode.EXTERNAL


def test_no_request_starts_after_the_deadline(rsps: responses.RequestsMock) -> None:
    gateway, sleeps = _connect(rsps, cloud=False, budget=10)
    sleeps.t += 11  # the command's start-up took longer than its whole budget
    with pytest.raises(JiraError, match=r"10 s this command may take .*before GET"):
        gateway.myself()
    assert len(_calls(rsps, "/myself")) == 0


def test_request_timeouts_end_at_the_deadline(rsps: responses.RequestsMock) -> None:
    gateway, sleeps = _connect(rsps, cloud=False, budget=10)
    sleeps.t += 8
    rsps.get(f"{DC}/rest/api/2/myself", json={"name": "jdoe"})
    gateway.myself()
    (call,) = _calls(rsps, "/myself")
    assert call.request.req_kwargs["timeout"] == (2.0, 2.0)


def test_500_on_get_is_not_retried(rsps: responses.RequestsMock) -> None:
    gateway, sleeps = _connect(rsps, cloud=False)
    rsps.get(f"{DC}/rest/api/2/myself", status=500, json={"errorMessages": ["boom"]})
    with pytest.raises(JiraError, match=r"HTTP 500.*boom"):
        gateway.myself()
    assert sleeps == []


# --- POST is never retried -----------------------------------------------------------


FIELDS = {"project": {"id": "100"}, "issuetype": {"id": "7"}, "summary": "s"}


@pytest.mark.parametrize(
    "failure",
    [
        {"status": 503, "headers": {"Retry-After": "1"}},
        {"status": 502},
        {"body": requests.ConnectionError("reset")},
        {"body": requests.ReadTimeout("slow")},
    ],
)
def test_create_failure_is_outcome_unknown_after_one_post(
    rsps: responses.RequestsMock, failure: dict[str, Any]
) -> None:
    gateway, sleeps = _connect(rsps, cloud=True)
    rsps.post(f"{CLOUD}/rest/api/2/issue", **failure)
    with pytest.raises(OutcomeUnknown, match="search again"):
        gateway.create_issue(FIELDS)
    assert len(_calls(rsps, "/rest/api/2/issue")) == 1
    assert sleeps == []


def test_comment_and_attach_are_not_retried(rsps: responses.RequestsMock) -> None:
    gateway, sleeps = _connect(rsps, cloud=False)
    rsps.post(f"{DC}/rest/api/2/issue/OPS-1/comment", status=504)
    rsps.post(f"{DC}/rest/api/2/issue/OPS-1/attachments", body=requests.ConnectionError("x"))
    with pytest.raises(OutcomeUnknown):
        gateway.add_comment("OPS-1", "hi")
    with pytest.raises(OutcomeUnknown):
        gateway.attach("OPS-1", "f.txt", b"x")
    assert len(rsps.calls) == 3  # serverInfo + one of each
    assert sleeps == []


@pytest.mark.parametrize("date_form", [False, True])
def test_429_on_create_is_sent_again_after_retry_after(
    rsps: responses.RequestsMock, date_form: bool
) -> None:
    gateway, sleeps = _connect(rsps, cloud=True)
    after = format_datetime(NOW + timedelta(seconds=5), usegmt=True) if date_form else "5"
    url = f"{CLOUD}/rest/api/2/issue"
    rsps.post(url, status=429, headers={"Retry-After": after})
    rsps.post(url, status=429, headers={"Retry-After": "2"})
    rsps.post(url, status=201, json={"id": "10001", "key": "OPS-1"})
    assert gateway.create_issue(FIELDS).key == "OPS-1"
    assert sleeps == [5.0, 2.0]
    assert len(_calls(rsps, "/rest/api/2/issue")) == 3


def test_429_asking_for_an_hour_gives_up_at_once(rsps: responses.RequestsMock) -> None:
    gateway, sleeps = _connect(rsps, cloud=True)
    rsps.post(f"{CLOUD}/rest/api/2/issue", status=429, headers={"Retry-After": "3600"})
    with pytest.raises(JiraError) as info:
        gateway.create_issue(FIELDS)
    message = str(info.value)
    assert "asked to wait 60 min" in message
    assert "did not apply that request" in message
    when = (NOW + timedelta(hours=1)).astimezone()
    assert message.endswith(f"try again after {when:%H:%M %Z}".rstrip())
    assert not isinstance(info.value, OutcomeUnknown)
    assert sleeps == []
    assert len(_calls(rsps, "/rest/api/2/issue")) == 1


# --- clear messages -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("cloud", "names"), [(True, "JIRA_EMAIL/JIRA_API_TOKEN"), (False, "JIRA_PAT")]
)
@pytest.mark.parametrize("status", [401, 403])
def test_refused_credentials_name_the_variables(
    rsps: responses.RequestsMock, cloud: bool, names: str, status: int
) -> None:
    gateway, sleeps = _connect(rsps, cloud)
    site = CLOUD if cloud else DC
    rsps.get(f"{site}/rest/api/2/myself", status=status)
    with pytest.raises(JiraError, match=f"refused the credentials.*{names}"):
        gateway.myself()
    assert sleeps == []


def test_404_on_create_names_project_and_issue_type(rsps: responses.RequestsMock) -> None:
    gateway, _ = _connect(rsps, cloud=False)
    rsps.post(
        f"{DC}/rest/api/2/issue",
        status=404,
        json={"errorMessages": [], "errors": {"project": "project not found"}},
    )
    with pytest.raises(JiraError, match=r"jira.project and jira.issue_type.*project not found"):
        gateway.create_issue(FIELDS)


def test_410_on_old_search_points_to_search_jql(rsps: responses.RequestsMock) -> None:
    gateway, _ = _connect(rsps, cloud=False)
    rsps.get(f"{DC}/rest/api/2/search", status=410)
    with pytest.raises(JiraError, match=r"/rest/api/3/search/jql"):
        gateway.find_campaign_issues("OPS", LABEL)


# --- the canary ---------------------------------------------------------------------

_LEAKS = (CANARY, base64.b64encode(f"{EMAIL}:{CANARY}".encode()).decode(), "sessionid")


def _assert_clean(text: str) -> None:
    for leak in _LEAKS:
        assert leak not in text


@pytest.mark.parametrize("cloud", [True, False])
@pytest.mark.parametrize(
    "failure",
    [
        {"status": 401},
        {"status": 403},
        {"status": 500, "json": {"errorMessages": [f"bad token {CANARY}"]}},
        {"body": requests.ReadTimeout(f"timeout {CANARY}")},
    ],
)
@pytest.mark.parametrize("where", ["constructor", "call"])
def test_canary_never_leaks(
    rsps: responses.RequestsMock,
    caplog: pytest.LogCaptureFixture,
    cloud: bool,
    failure: dict[str, Any],
    where: str,
) -> None:
    caplog.set_level(logging.DEBUG)
    site = CLOUD if cloud else DC
    headers = {"Set-Cookie": "sessionid=secret-cookie", "X-AACCOUNTID": "x"}
    if "status" in failure:
        failure = {**failure, "headers": headers}
    sleeps = Sleeps()
    policy = RetryPolicy(attempts=2, budget=1, sleep=sleeps, monotonic=sleeps.now, now=lambda: NOW)
    texts: list[str] = []
    if where == "constructor":
        rsps.get(f"{site}/rest/api/2/serverInfo", **failure)
        with pytest.raises(JiraError) as info:
            JiraGateway.connect(_settings(cloud), _creds(cloud), retry=policy, probe=True)
    else:
        rsps.get(f"{site}/rest/api/2/serverInfo", json=SERVER_INFO)
        gateway = JiraGateway.connect(_settings(cloud), _creds(cloud), retry=policy, probe=True)
        texts.append(repr(gateway))
        rsps.post(f"{site}/rest/api/2/issue", **failure)
        with pytest.raises(JiraError) as info:
            gateway.create_issue(FIELDS)
    texts += [str(info.value), repr(info.value), caplog.text]
    assert info.value.__cause__ is None
    for text in texts:
        _assert_clean(text)


def test_constructor_with_a_bad_server_info_body_is_a_clean_error(
    rsps: responses.RequestsMock,
) -> None:
    rsps.get(f"{DC}/rest/api/2/serverInfo", json={"nope": json.dumps(CANARY)})
    with pytest.raises(JiraError, match="serverInfo") as info:
        JiraGateway.connect(_settings(False), _creds(False), sleep=Sleeps(), probe=True)
    _assert_clean(str(info.value))
