"""The gateway's requests against Jira's OpenAPI description, and the checker itself."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
import requests
import responses

from campaign_guard.jira.gateway import JiraGateway
from campaign_guard.jira.jql import campaign_label
from campaign_guard.jira.settings import Credentials, JiraSettings
from campaign_guard.jira.snapshot import PROPERTY_KEY
from campaign_guard.retry import RetryPolicy
from campaign_guard.secret import Secret
from testing.jira_contract import (
    assert_all_calls_valid,
    check_request,
    jira_contract,  # noqa: F401 - the fixture
    problems_in_calls,
    recording,
)

CLOUD = "https://example.atlassian.net"
DC = "https://jira.example.com"
LABEL = campaign_label("spring-sale")
NOW = datetime(2026, 3, 1, 12, 0, tzinfo=timezone.utc)
JSON = "application/json"


def _connect(rsps: responses.RequestsMock, cloud: bool) -> JiraGateway:
    site = CLOUD if cloud else DC
    kind = "Cloud" if cloud else "Server"
    rsps.get(
        f"{site}/rest/api/2/serverInfo", json={"versionNumbers": [9, 12, 0], "deploymentType": kind}
    )
    creds = (
        Credentials("basic", Secret("t0ken"), "bot@example.com")
        if cloud
        else Credentials("bearer", Secret("t0ken"))
    )
    policy = RetryPolicy(attempts=3, budget=10, sleep=lambda _: None, now=lambda: NOW)
    return JiraGateway.connect(
        JiraSettings(site=site, project="OPS"),
        creds,
        session=requests.Session(),
        retry=policy,
        probe=True,
    )


@pytest.mark.parametrize("cloud", [True, False])
def test_every_gateway_request_matches_the_contract(
    jira_contract: responses.RequestsMock,  # noqa: F811 - the fixture imported above
    cloud: bool,
) -> None:
    rsps = jira_contract
    site = CLOUD if cloud else DC
    gateway = _connect(rsps, cloud)
    search = "/rest/api/3/search/jql" if cloud else "/rest/api/2/search"
    rsps.get(site + search, json={"issues": []})
    rsps.get(f"{site}/rest/api/2/myself", json={"accountId": "abc", "displayName": "Bot"})
    rsps.post(f"{site}/rest/api/2/issue", json={"id": "10001", "key": "OPS-1"}, status=201)
    rsps.post(f"{site}/rest/api/2/issue/OPS-1/comment", json={"id": "5"}, status=201)
    rsps.put(f"{site}/rest/api/2/issue/OPS-1", status=204)
    rsps.put(f"{site}/rest/api/2/issue/OPS-1/assignee", status=204)
    rsps.post(f"{site}/rest/api/2/issue/OPS-1/attachments", json=[{"id": "9"}])
    prop = f"{site}/rest/api/2/issue/OPS-1/properties/{PROPERTY_KEY}"
    rsps.put(prop, json={})
    rsps.delete(prop, status=204)
    rsps.get(f"{site}/rest/api/2/issue/OPS-1/comment", json={"comments": [{"body": "x"}]})
    meta = f"{site}/rest/api/2/issue/createmeta/OPS/issuetypes"
    rsps.get(meta, json={"issueTypes": [{"id": "10050", "name": "Task"}], "total": 1})
    rsps.get(meta + "/10050", json={"fields": [], "total": 0})
    rsps.get(f"{site}/rest/api/2/issue/OPS-1/transitions", json={"transitions": []})
    rsps.get(f"{site}/rest/api/2/user/search", json=[])
    rsps.get(f"{site}/rest/api/2/project/OPS", json={"id": "1", "key": "OPS"})
    snapshot = {"version": 1, "campaign_id": "spring-sale", "issue_digest": "ab", "fields": None}

    gateway.myself()
    assert gateway.find_campaign_issues("OPS", LABEL, (PROPERTY_KEY,)) == []
    gateway.create_issue(
        {
            "project": {"key": "OPS"},
            "issuetype": {"name": "Marketing Campaign Launch"},
            "summary": "Spring sale",
            "description": "h2. Review\n* wiki markup, a v2 string",
            "labels": [LABEL, "campaign"],
            "duedate": "2027-03-01",
            "customfield_10050": "2027-03-01T09:00:00.000+0100",
        },
        {PROPERTY_KEY: snapshot},
    )
    gateway.add_comment("OPS-1", "*bold* comment")
    gateway.update_fields(
        "OPS-1", {"summary": "x", "description": "new text"}, {PROPERTY_KEY: snapshot}
    )
    gateway.set_property("OPS-1", PROPERTY_KEY, snapshot)
    gateway.delete_property("OPS-1", PROPERTY_KEY)
    assert gateway.comment_bodies("OPS-1") == ["x"]
    assert gateway.issue_types("OPS") == [{"id": "10050", "name": "Task"}]
    assert gateway.create_fields("OPS", "10050") == []
    assert gateway.transitions("OPS-1") == []
    assert gateway.users_by_email("dana@example.com") == []
    assert gateway.project("OPS")["key"] == "OPS"
    if cloud:
        gateway.assign("OPS-1", account_id="5b10ac")
    else:
        gateway.assign("OPS-1", user_name="jdoe")
    gateway.attach("OPS-1", "review.json", b'{"a": 1}')

    assert len(rsps.calls) == 16
    assert gateway.sent == 16
    assert_all_calls_valid(rsps.calls, cloud=cloud)


# --- the checker can fail ------------------------------------------------------------


def test_unknown_path_is_a_problem() -> None:
    (problem,) = check_request("GET", f"{CLOUD}/rest/api/2/issue/OPS-1/nonsense", None, None)
    assert "no such path" in problem


def test_wrong_method_is_a_problem() -> None:
    (problem,) = check_request("DELETE", f"{CLOUD}/rest/api/2/myself", None, None)
    assert "method not allowed" in problem
    assert "GET" in problem


def test_undeclared_query_parameter_is_a_problem() -> None:
    url = f"{CLOUD}/rest/api/3/search/jql?jql=x&maxResults=10&startAt=0"
    (problem,) = check_request("GET", url, None, None)
    assert "'startAt' is not declared" in problem


def test_body_violating_the_schema_is_a_problem() -> None:
    url = f"{CLOUD}/rest/api/2/issue/OPS-1/assignee"
    problems = check_request("PUT", url, b'{"accountId": 5, "user": "x"}', JSON)
    assert len(problems) == 2
    assert any("'user' was unexpected" in p for p in problems)
    assert any("5 is not of type 'string'" in p for p in problems)
    (problem,) = check_request("PUT", f"{CLOUD}/rest/api/2/issue/OPS-1", b'{"fields": []}', JSON)
    assert "is not of type 'object'" in problem


def test_body_shape_and_media_type_problems() -> None:
    url = f"{CLOUD}/rest/api/2/issue/OPS-1/comment"
    assert check_request("POST", url, b"not json", JSON) == [
        f"POST {url[len(CLOUD) :]}: the body is not JSON"
    ]
    (problem,) = check_request("POST", url, b"body=x", "application/x-www-form-urlencoded")
    assert "not accepted" in problem
    (problem,) = check_request("GET", f"{CLOUD}/rest/api/2/myself", b"{}", JSON)
    assert "takes none" in problem


def test_old_search_is_dc_only_and_v3_search_is_gone() -> None:
    query = "?jql=x&fields=key&maxResults=10"
    assert check_request("GET", f"{DC}/rest/api/2/search{query}", None, None) == []
    assert check_request("GET", f"{DC}/rest/api/2/search{query}", None, None, cloud=False) == []
    (problem,) = check_request("GET", f"{CLOUD}/rest/api/2/search{query}", None, None, cloud=True)
    assert "410" in problem
    (problem,) = check_request("GET", f"{CLOUD}/rest/api/3/search{query}", None, None)
    assert "410" in problem
    (problem,) = check_request("GET", f"{DC}/rest/api/2/search?jql=x&bogus=1", None, None)
    assert "'bogus' is not declared" in problem


def test_context_path_and_literal_segments() -> None:
    assert check_request("GET", "https://h/jira/rest/api/2/serverInfo", None, None) == []
    assert (
        check_request("GET", "https://h/rest/api/2/issue/createmeta/OPS/issuetypes", None, None)
        == []
    )
    (problem,) = check_request("GET", "https://h/not/rest", None, None)
    assert "not a Jira REST path" in problem


def test_recorded_bad_calls_fail_the_assertion() -> None:
    with responses.RequestsMock() as rsps:
        rsps.get(f"{CLOUD}/rest/api/2/myself", json={})
        rsps.put(f"{CLOUD}/rest/api/2/issue/OPS-1/assignee", status=204)
        requests.get(f"{CLOUD}/rest/api/2/myself", params={"nope": "1"}, timeout=1)
        requests.put(f"{CLOUD}/rest/api/2/issue/OPS-1/assignee", json={"id": 1}, timeout=1)
        assert len(problems_in_calls(rsps.calls)) == 2
        with pytest.raises(AssertionError, match="would not accept"):
            assert_all_calls_valid(rsps.calls)


def test_recording_checks_at_exit() -> None:
    context = recording()
    rsps = context.__enter__()
    rsps.get(f"{CLOUD}/rest/api/2/myself", json={})
    requests.get(f"{CLOUD}/rest/api/2/myself?nope=1", timeout=1)
    with pytest.raises(AssertionError, match="'nope' is not declared"):
        context.__exit__(None, None, None)
