"""The fake Jira's own behaviour, and the real gateway against it over real sockets."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from typing import Any

import pytest
import requests

from campaign_guard.jira_settings import Credentials, JiraSettings
from campaign_guard.retry import RetryPolicy
from campaign_guard.secret import Secret
from campaign_guard.tracker.gateway import IssueRef, JiraError, JiraGateway, OutcomeUnknown
from campaign_guard.tracker.jql import campaign_label, dedup_jql
from tests.jira.fake_server import FakeJira, running

LABEL = campaign_label("spring-sale")
NOW = datetime(2026, 3, 1, 12, 0, tzinfo=timezone.utc)
FIELDS: dict[str, Any] = {
    "project": {"key": "OPS"},
    "issuetype": {"name": "Marketing Campaign Launch"},
    "summary": "Spring sale",
    "description": "h2. Review",
    "labels": [LABEL],
}
AUTH = {"Authorization": "Bearer t0ken"}


@pytest.fixture(params=[True, False], ids=["cloud", "dc"])
def fake(request: pytest.FixtureRequest) -> Iterator[FakeJira]:
    with running(cloud=request.param) as server:
        yield server
        assert server.problems == []


class Sleeps(list[float]):
    def __call__(self, seconds: float) -> None:
        self.append(seconds)


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


@pytest.fixture
def gateway(fake: FakeJira, sleeps: Sleeps) -> Iterator[JiraGateway]:
    # the fake speaks plain HTTP on 127.0.0.1, which JiraSettings' https rule refuses
    settings = JiraSettings.model_construct(
        site=fake.url,
        deployment="cloud" if fake.cloud else "data-center",
        project="OPS",
        timeout_seconds=0.5,
        retry_budget_seconds=60,
    )
    creds = (
        Credentials("basic", Secret("t0ken"), "bot@example.com")
        if fake.cloud
        else Credentials("bearer", Secret("t0ken"))
    )
    policy = RetryPolicy(attempts=4, budget=60, sleep=sleeps, now=lambda: NOW, jitter=lambda: 1.0)
    with requests.Session() as session:
        gw = JiraGateway.connect(settings, creds, session=session, retry=policy)
        yield gw
        gw.client.close()


def _search_path(fake: FakeJira) -> str:
    return "/rest/api/3/search/jql" if fake.cloud else "/rest/api/2/search"


# --- the fake itself ----------------------------------------------------------------


def test_binds_to_loopback_on_an_ephemeral_port(fake: FakeJira) -> None:
    assert fake.url.startswith("http://127.0.0.1:")
    assert not fake.url.endswith(":0")


def test_server_info_and_old_search(fake: FakeJira) -> None:
    with requests.Session() as http:
        info = http.get(fake.url + "/rest/api/2/serverInfo", headers=AUTH, timeout=2).json()
        assert info["deploymentType"] == ("Cloud" if fake.cloud else "Server")
        query = {"jql": dedup_jql("OPS", LABEL)}
        old = http.get(fake.url + "/rest/api/2/search", params=query, headers=AUTH, timeout=2)
    assert old.status_code == (410 if fake.cloud else 200)
    if fake.cloud:
        fake.problems.clear()  # the contract rightly flags the old search on Cloud


def test_requires_auth_and_xsrf_token_and_records_everything(fake: FakeJira) -> None:
    with requests.Session() as http:
        assert http.get(fake.url + "/rest/api/2/myself", timeout=2).status_code == 401
        fake.issues["OPS-1"] = {"id": "1", "key": "OPS-1", "fields": {"labels": []}}
        url = fake.url + "/rest/api/2/issue/OPS-1/attachments"
        files = {"file": ("a.txt", b"x")}
        assert http.post(url, files=files, headers=AUTH, timeout=2).status_code == 403
        headers = {**AUTH, "X-Atlassian-Token": "no-check"}
        ok = http.post(url, files=files, headers=headers, timeout=2)
    assert ok.status_code == 200
    assert ok.json()[0]["filename"] == "a.txt"
    assert [r.status for r in fake.requests] == [401, 403, 200]


def test_status_fault_is_one_shot_or_n_times(fake: FakeJira) -> None:
    fake.status("GET", "/rest/api/2/myself", 503, {"Retry-After": "1"}, times=2)
    with requests.Session() as http:
        got = [http.get(fake.url + "/rest/api/2/myself", headers=AUTH, timeout=2) for _ in range(3)]
    assert [r.status_code for r in got] == [503, 503, 200]
    assert got[0].headers["Retry-After"] == "1"


def test_contract_problems_are_collected(fake: FakeJira) -> None:
    with requests.Session() as http:
        http.get(fake.url + "/rest/api/2/myself?bogus=1", headers=AUTH, timeout=2)
        http.delete(fake.url + "/rest/api/2/myself", headers=AUTH, timeout=2)
    assert len(fake.problems) == 2
    assert "'bogus' is not declared" in fake.problems[0]
    assert "method not allowed" in fake.problems[1]
    fake.problems.clear()


# --- the gateway against the fake --------------------------------------------------------


def test_create_then_find_by_label(fake: FakeJira, gateway: JiraGateway) -> None:
    assert gateway.find_campaign_issues("OPS", LABEL) == []
    created = gateway.create_issue(FIELDS)
    assert created.key == "OPS-1"
    found = gateway.find_campaign_issues("OPS", LABEL)
    assert found == [IssueRef("OPS-1", created.id, (LABEL,), "Open")]
    assert gateway.find_campaign_issues("OPS", campaign_label("other")) == []
    assert gateway.myself().display_name == "Bot"


def test_update_assign_comment_attach(fake: FakeJira, gateway: JiraGateway) -> None:
    key = gateway.create_issue(FIELDS).key
    gateway.update_fields(key, {"summary": "new"})
    if fake.cloud:
        gateway.assign(key, account_id="5b10ac")
    else:
        gateway.assign(key, user_name="jdoe")
    assert gateway.add_comment(key, "*hello*")
    gateway.attach(key, "review.json", b"{}")
    fields = fake.issues[key]["fields"]
    assert fields["summary"] == "new"
    assert fields["assignee"] in ({"accountId": "5b10ac"}, {"name": "jdoe"})
    assert fake.comments[key][0]["body"] == "*hello*"
    assert fake.attachments[key][0]["filename"] == "review.json"


def test_search_lag_hides_a_fresh_issue(fake: FakeJira, gateway: JiraGateway) -> None:
    gateway.create_issue(FIELDS)
    fake.search_lag(2)
    assert gateway.find_campaign_issues("OPS", LABEL) == []
    assert gateway.find_campaign_issues("OPS", LABEL) == []
    assert len(gateway.find_campaign_issues("OPS", LABEL)) == 1


def test_reset_after_create_is_outcome_unknown_and_one_issue_exists(
    fake: FakeJira, gateway: JiraGateway, sleeps: Sleeps
) -> None:
    fake.commit_then_reset("POST", "/rest/api/2/issue")
    with pytest.raises(OutcomeUnknown, match="search again"):
        gateway.create_issue(FIELDS)
    assert len(fake.calls("POST", "/rest/api/2/issue")) == 1
    assert list(fake.issues) == ["OPS-1"]
    assert sleeps == []
    assert [r.key for r in gateway.find_campaign_issues("OPS", LABEL)] == ["OPS-1"]


def test_hang_after_create_is_outcome_unknown(fake: FakeJira, gateway: JiraGateway) -> None:
    fake.commit_then_hang("POST", "/rest/api/2/issue", 1.0)
    with pytest.raises(OutcomeUnknown):
        gateway.create_issue(FIELDS)
    assert len(fake.calls("POST", "/rest/api/2/issue")) == 1
    assert list(fake.issues) == ["OPS-1"]


@pytest.mark.parametrize("date_form", [False, True])
def test_429_with_retry_after_on_get_is_retried(
    fake: FakeJira, gateway: JiraGateway, sleeps: Sleeps, date_form: bool
) -> None:
    after = format_datetime(NOW + timedelta(seconds=7), usegmt=True) if date_form else "7"
    fake.status("GET", _search_path(fake), 429, {"Retry-After": after})
    assert gateway.find_campaign_issues("OPS", LABEL) == []
    assert sleeps == [7.0]
    assert len(fake.calls("GET", _search_path(fake))) == 2


@pytest.mark.parametrize("code", [502, 503, 504])
def test_gateway_errors_on_put_are_retried(
    fake: FakeJira, gateway: JiraGateway, sleeps: Sleeps, code: int
) -> None:
    key = gateway.create_issue(FIELDS).key
    fake.status("PUT", f"/rest/api/2/issue/{key}", code, times=2)
    gateway.update_fields(key, {"summary": "after"})
    assert sleeps == [1.0, 2.0]
    assert fake.issues[key]["fields"]["summary"] == "after"


@pytest.mark.parametrize("code", [401, 403])
def test_refused_credentials_are_a_jira_error(
    fake: FakeJira, gateway: JiraGateway, sleeps: Sleeps, code: int
) -> None:
    fake.status("GET", "/rest/api/2/myself", code)
    with pytest.raises(JiraError, match=f"refused the credentials \\(HTTP {code}\\)"):
        gateway.myself()
    assert sleeps == []


def test_503_on_create_is_outcome_unknown_without_retry(
    fake: FakeJira, gateway: JiraGateway, sleeps: Sleeps
) -> None:
    fake.status("POST", "/rest/api/2/issue", 503, {"Retry-After": "1"})
    with pytest.raises(OutcomeUnknown):
        gateway.create_issue(FIELDS)
    assert fake.issues == {}
    assert sleeps == []


def test_unknown_issue_is_a_clear_404(gateway: JiraGateway) -> None:
    with pytest.raises(JiraError, match="does not exist"):
        gateway.add_comment("OPS-99", "x")
