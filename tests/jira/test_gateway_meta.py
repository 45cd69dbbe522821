"""The gateway's metadata, property and comment calls against ``responses``."""

from __future__ import annotations

import json
from typing import Any

import pytest
import requests
import responses
from responses import matchers
from urllib3.exceptions import MaxRetryError, NameResolutionError, NewConnectionError

from campaign_guard.jira.gateway import JiraError, JiraGateway, OutcomeUnknown
from campaign_guard.jira.jira_http import ISSUE_FIELDS, SEARCH_FIELDS
from campaign_guard.jira.jql import campaign_label, dedup_jql
from campaign_guard.jira.settings import Credentials, JiraSettings
from campaign_guard.jira.snapshot import PROPERTY_KEY
from campaign_guard.retry import RetryPolicy
from campaign_guard.secret import Secret

CLOUD = "https://example.atlassian.net"
DC = "https://jira.example.com"
LABEL = campaign_label("spring-sale")
CANARY = "CANARY-meta-81c2"


def _gateway(cloud: bool) -> JiraGateway:
    site = CLOUD if cloud else DC
    creds = (
        Credentials("basic", Secret(CANARY), "bot@example.com")
        if cloud
        else Credentials("bearer", Secret(CANARY))
    )
    policy = RetryPolicy(attempts=3, budget=10, sleep=lambda _: None, jitter=lambda: 1.0)
    return JiraGateway.connect(
        JiraSettings(site=site, project="OPS"), creds, session=requests.Session(), retry=policy
    )


@pytest.fixture
def rsps() -> Any:
    with responses.RequestsMock() as mock:
        yield mock


def test_connect_without_probe_sends_nothing(rsps: responses.RequestsMock) -> None:
    gateway = _gateway(cloud=True)
    assert gateway.sent == 0
    assert len(rsps.calls) == 0


def test_cloud_search_returns_the_stored_snapshot(rsps: responses.RequestsMock) -> None:
    snapshot = {"version": 1, "campaign_id": "spring-sale"}
    rsps.get(
        CLOUD + "/rest/api/3/search/jql",
        match=[matchers.query_param_matcher({"properties": PROPERTY_KEY}, strict_match=False)],
        json={
            "issues": [
                {
                    "id": "10",
                    "key": "OPS-1",
                    "fields": {"labels": [LABEL]},
                    "properties": {PROPERTY_KEY: snapshot},
                },
                {"id": "11", "key": "OPS-2", "fields": {"labels": [LABEL]}},
            ]
        },
    )
    found = _gateway(True).find_campaign_issues("OPS", LABEL, (PROPERTY_KEY,))
    assert [ref.properties for ref in found] == [{PROPERTY_KEY: snapshot}, {}]


def test_dc_search_asks_for_no_properties_and_the_issue_read_returns_them(
    rsps: responses.RequestsMock,
) -> None:
    snapshot = {"version": 1, "campaign_id": "spring-sale"}
    expected = {"jql": dedup_jql("OPS", LABEL), "fields": SEARCH_FIELDS, "maxResults": "10"}
    rsps.get(
        DC + "/rest/api/2/search",
        match=[matchers.query_param_matcher(expected)],
        json={"issues": [{"id": "10", "key": "OPS-1", "fields": {"labels": [LABEL]}}]},
    )
    rsps.get(
        DC + "/rest/api/2/issue/OPS-1",
        match=[matchers.query_param_matcher({"fields": ISSUE_FIELDS, "properties": PROPERTY_KEY})],
        json={
            "id": "10",
            "key": "OPS-1",
            "fields": {"labels": [LABEL], "status": {"name": "Open"}},
            "properties": {PROPERTY_KEY: snapshot},
        },
    )
    gateway = _gateway(False)
    (found,) = gateway.find_campaign_issues("OPS", LABEL, (PROPERTY_KEY,), reconcile=("10",))
    assert found.properties is None  # not read: Data Center's search cannot return them
    read = gateway.issue("OPS-1", (PROPERTY_KEY,))
    assert (read.key, read.id, read.status) == ("OPS-1", "10", "Open")
    assert read.properties == {PROPERTY_KEY: snapshot}


def test_cloud_search_reconciles_at_most_fifty_ids(rsps: responses.RequestsMock) -> None:
    ids = [str(n) for n in range(10001, 10061)]
    rsps.get(
        CLOUD + "/rest/api/3/search/jql",
        match=[
            matchers.query_param_matcher(
                {"reconcileIssues": ",".join(ids[:50])}, strict_match=False
            )
        ],
        json={"issues": []},
    )
    assert _gateway(True).find_campaign_issues("OPS", LABEL, reconcile=ids) == []


def test_create_and_update_carry_properties_in_the_same_request(
    rsps: responses.RequestsMock,
) -> None:
    value = {"version": 1}
    fields = {"project": {"key": "OPS"}, "issuetype": {"name": "Task"}, "summary": "s"}
    body = {"fields": fields, "properties": [{"key": PROPERTY_KEY, "value": value}]}
    rsps.post(
        f"{CLOUD}/rest/api/2/issue",
        match=[matchers.json_params_matcher(body)],
        json={"id": "10", "key": "OPS-1"},
        status=201,
    )
    rsps.put(
        f"{CLOUD}/rest/api/2/issue/OPS-1",
        match=[matchers.json_params_matcher({**body, "fields": {"summary": "t"}})],
        status=204,
    )
    gateway = _gateway(cloud=True)
    assert gateway.create_issue(fields, {PROPERTY_KEY: value}).key == "OPS-1"
    gateway.update_fields("OPS-1", {"summary": "t"}, {PROPERTY_KEY: value})
    assert gateway.sent == 2


def test_createmeta_pages_until_the_total(rsps: responses.RequestsMock) -> None:
    url = f"{CLOUD}/rest/api/2/issue/createmeta/OPS/issuetypes/10050"
    first = [{"fieldId": f"customfield_{n}", "name": f"F{n}"} for n in range(100)]
    rsps.get(
        url,
        match=[matchers.query_param_matcher({"startAt": "0", "maxResults": "100"})],
        json={"fields": first, "startAt": 0, "maxResults": 100, "total": 101},
    )
    rsps.get(
        url,
        match=[matchers.query_param_matcher({"startAt": "100", "maxResults": "100"})],
        json={"fields": [{"fieldId": "summary", "name": "Summary"}], "total": 101},
    )
    fields = _gateway(cloud=True).create_fields("OPS", "10050")
    assert len(fields) == 101
    assert fields[-1]["fieldId"] == "summary"


def test_data_center_createmeta_uses_values_and_is_last(rsps: responses.RequestsMock) -> None:
    rsps.get(
        f"{DC}/rest/api/2/issue/createmeta/OPS/issuetypes",
        json={"values": [{"id": "10050", "name": "Marketing Campaign Launch"}], "isLast": True},
    )
    types = _gateway(cloud=False).issue_types("OPS")
    assert types == [{"id": "10050", "name": "Marketing Campaign Launch"}]


def test_unknown_project_names_the_setting(rsps: responses.RequestsMock) -> None:
    rsps.get(
        f"{CLOUD}/rest/api/2/issue/createmeta/NOPE/issuetypes",
        status=404,
        json={"errorMessages": ["No project could be found with key 'NOPE'."]},
    )
    with pytest.raises(JiraError, match=r"check jira\.project: .*No project could be found"):
        _gateway(cloud=True).issue_types("NOPE")


def test_a_rejected_field_keeps_jira_s_field_errors(rsps: responses.RequestsMock) -> None:
    rsps.post(
        f"{CLOUD}/rest/api/2/issue",
        status=400,
        json={"errorMessages": [], "errors": {"customfield_10050": f"bad date {CANARY}"}},
    )
    fields = {"project": {"key": "OPS"}, "issuetype": {"name": "Task"}}
    with pytest.raises(JiraError) as caught:
        _gateway(cloud=True).create_issue(fields)
    assert caught.value.status == 400
    assert caught.value.field_errors == {"customfield_10050": "bad date ***"}
    assert CANARY not in str(caught.value)


@pytest.mark.parametrize(("cloud", "param"), [(True, "query"), (False, "username")])
def test_users_by_email_keeps_only_the_exact_match(
    rsps: responses.RequestsMock, cloud: bool, param: str
) -> None:
    site = CLOUD if cloud else DC
    rsps.get(
        f"{site}/rest/api/2/user/search",
        match=[matchers.query_param_matcher({param: "dana@example.com", "maxResults": "10"})],
        json=[
            {"accountId": "a1", "name": "dana2", "emailAddress": "dana@example.com.evil"},
            {"accountId": "a2", "name": "dana", "emailAddress": "Dana@Example.com"},
        ],
    )
    (user,) = _gateway(cloud).users_by_email("dana@example.com")
    assert (user.account_id, user.name) == ("a2", "dana")


def test_comment_bodies_newest_first_and_property_calls(rsps: responses.RequestsMock) -> None:
    rsps.get(
        f"{CLOUD}/rest/api/2/issue/OPS-1/comment",
        match=[matchers.query_param_matcher({"orderBy": "-created", "maxResults": "50"})],
        json={"comments": [{"body": "new"}, {"body": "old"}, {"id": "3"}]},
    )
    prop = f"{CLOUD}/rest/api/2/issue/OPS-1/properties/{PROPERTY_KEY}"
    rsps.put(prop, match=[matchers.json_params_matcher({"version": 1})], status=200)
    rsps.delete(prop, status=204)
    gateway = _gateway(cloud=True)
    assert gateway.comment_bodies("OPS-1") == ["new", "old"]
    gateway.set_property("OPS-1", PROPERTY_KEY, {"version": 1})
    gateway.delete_property("OPS-1", PROPERTY_KEY)


def test_delete_is_retried_like_put(rsps: responses.RequestsMock) -> None:
    prop = f"{CLOUD}/rest/api/2/issue/OPS-1/properties/{PROPERTY_KEY}"
    rsps.delete(prop, status=503, headers={"Retry-After": "0"})
    rsps.delete(prop, status=204)
    gateway = _gateway(cloud=True)
    gateway.delete_property("OPS-1", PROPERTY_KEY)
    assert gateway.sent == 2


def test_newest_labelled_orders_by_creation(rsps: responses.RequestsMock) -> None:
    jql = 'project = "OPS" AND labels = "marketing-campaign" ORDER BY created DESC'
    rsps.get(
        f"{CLOUD}/rest/api/3/search/jql",
        match=[matchers.query_param_matcher({"jql": jql}, strict_match=False)],
        json={"issues": [{"id": "12", "key": "OPS-9", "fields": {"labels": []}}]},
    )
    rsps.get(
        f"{CLOUD}/rest/api/2/issue/OPS-9/transitions",
        json={"transitions": [{"id": "21", "name": "Approve"}, "junk"]},
    )
    gateway = _gateway(cloud=True)
    newest = gateway.newest_labelled("OPS", "marketing-campaign")
    assert newest is not None
    assert newest.key == "OPS-9"
    assert gateway.transitions("OPS-9") == [{"id": "21", "name": "Approve"}]
    with pytest.raises(ValueError, match="not a Jira label"):
        gateway.newest_labelled("OPS", "two words")


def test_request_bodies_are_json(rsps: responses.RequestsMock) -> None:
    rsps.put(f"{CLOUD}/rest/api/2/issue/OPS-1/properties/{PROPERTY_KEY}", status=200)
    _gateway(cloud=True).set_property("OPS-1", PROPERTY_KEY, ["a", 1])
    body = rsps.calls[0].request.body
    assert isinstance(body, bytes)
    assert json.loads(body) == ["a", 1]


def _refused() -> requests.ConnectionError:
    reason = NewConnectionError(None, "Failed to establish a new connection: [Errno 111]")  # type: ignore[arg-type]
    return requests.ConnectionError(MaxRetryError(None, "/", reason))  # type: ignore[arg-type]


def _unresolved() -> requests.ConnectionError:
    reason = NameResolutionError("no-such-host.invalid", None, OSError("Name or service not known"))  # type: ignore[arg-type]
    return requests.ConnectionError(MaxRetryError(None, "/", reason))  # type: ignore[arg-type]


def test_a_refused_connection_is_tried_three_times_then_named(
    rsps: responses.RequestsMock,
) -> None:
    url = f"{CLOUD}/rest/api/3/search/jql"
    for _ in range(3):
        rsps.get(url, body=_refused())
    gateway = _gateway(cloud=True)
    with pytest.raises(JiraError, match=r"cannot reach Jira at .*refused, 3 attempts.*nothing"):
        gateway.find_campaign_issues("OPS", LABEL)
    assert gateway.sent == 3


def test_a_post_that_never_left_is_tried_again_not_unknown(rsps: responses.RequestsMock) -> None:
    url = f"{CLOUD}/rest/api/2/issue"
    rsps.post(url, body=_refused())
    rsps.post(url, json={"id": "10", "key": "OPS-1"}, status=201)
    fields = {"project": {"key": "OPS"}, "issuetype": {"name": "Task"}}
    assert _gateway(cloud=True).create_issue(fields).key == "OPS-1"


def test_a_host_that_does_not_resolve_fails_at_once(rsps: responses.RequestsMock) -> None:
    rsps.get(f"{CLOUD}/rest/api/2/myself", body=_unresolved())
    gateway = _gateway(cloud=True)
    with pytest.raises(JiraError, match=r"does not resolve; check jira\.site \(nothing was sent\)"):
        gateway.myself()
    assert gateway.sent == 1


def test_a_connect_timeout_never_sent_the_post(rsps: responses.RequestsMock) -> None:
    url = f"{CLOUD}/rest/api/2/issue/OPS-1/comment"
    rsps.post(url, body=requests.ConnectTimeout("connect timed out"))
    rsps.post(url, json={"id": "5"}, status=201)
    assert _gateway(cloud=True).add_comment("OPS-1", "hello") == "5"


def test_a_read_timeout_after_a_post_is_still_unknown(rsps: responses.RequestsMock) -> None:
    rsps.post(f"{CLOUD}/rest/api/2/issue/OPS-1/comment", body=requests.ReadTimeout("read"))
    with pytest.raises(OutcomeUnknown):
        _gateway(cloud=True).add_comment("OPS-1", "hello")
