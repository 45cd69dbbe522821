"""The fake Jira's own behaviour, and the real gateway against it over real sockets."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from typing import Any

import pytest
import requests

from campaign_guard.jira.gateway import IssueRef, JiraError, JiraGateway, OutcomeUnknown
from campaign_guard.jira.jql import campaign_label, dedup_jql
from testing import jira_contract as contract
from testing.fake_jira import FakeJira, running
from testing.fake_jira_data import DANA_ACCOUNT_ID, IN_REVIEW, OPEN
from tests.jira.review_support import Sleeps, fake_gateway

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


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


@pytest.fixture
def gateway(fake: FakeJira, sleeps: Sleeps) -> Iterator[JiraGateway]:
    with fake_gateway(fake, sleeps, now=lambda: NOW) as gw:
        yield gw


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
    assert found == [IssueRef("OPS-1", created.id, (LABEL,), "Open", attachments=())]
    assert gateway.find_campaign_issues("OPS", campaign_label("other")) == []
    assert gateway.myself().display_name == "Bot"


def test_update_assign_comment_attach(fake: FakeJira, gateway: JiraGateway) -> None:
    key = gateway.create_issue(FIELDS).key
    gateway.update_fields(key, {"summary": "new"})
    if fake.cloud:
        gateway.assign(key, account_id=DANA_ACCOUNT_ID)
    else:
        gateway.assign(key, user_name="dana")
    assert gateway.add_comment(key, "*hello*")
    gateway.attach(key, "review.json", b"{}")
    fields = fake.issues[key]["fields"]
    assert fields["summary"] == "new"
    assert fields["assignee"]["displayName"] == "Dana Ops"
    assert fields["assignee"].get("accountId" if fake.cloud else "name") in (
        DANA_ACCOUNT_ID,
        "dana",
    )
    assert fake.comments[key][0]["body"] == "*hello*"
    assert fake.attachments[key][0]["filename"] == "review.json"
    assert fake.attachments[key][0]["content"] == b"{}"
    gateway.attach(key, "spec.yaml", b"name: x\r\n--not-a-boundary\r\n\r\nend")
    assert fake.attachments[key][1]["content"] == b"name: x\r\n--not-a-boundary\r\n\r\nend"


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


# --- create metadata, project, users -----------------------------------------------------

PROPERTY = "campaign-guard.submission"


def _get(fake: FakeJira, path: str, **params: str) -> requests.Response:
    return requests.get(fake.url + path, params=params, headers=AUTH, timeout=2)


def _send(fake: FakeJira, method: str, path: str, body: Any) -> requests.Response:
    return requests.request(method, fake.url + path, json=body, headers=AUTH, timeout=2)


def _openapi_problems(template: str, body: Any) -> list[str]:
    """How ``body`` differs from the 200 answer Jira Cloud's OpenAPI file describes."""
    answer = contract.spec()["paths"][template]["get"]["responses"]["200"]
    schema = answer["content"]["application/json"]["schema"]
    validator = contract._validator(json.dumps(schema, sort_keys=True), True)
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(body)]


def _items(fake: FakeJira, page: dict[str, Any], cloud_key: str) -> list[dict[str, Any]]:
    """The items of a createmeta page, checking the deployment's shape."""
    assert {"startAt", "maxResults", "total"} <= set(page)
    if fake.cloud:
        assert "values" not in page
        assert "isLast" not in page
        items: list[dict[str, Any]] = page[cloud_key]
    else:
        assert cloud_key not in page
        assert isinstance(page["isLast"], bool)
        items = page["values"]
    return items


def test_createmeta_issue_types_are_paged(fake: FakeJira) -> None:
    path = "/rest/api/2/issue/createmeta/OPS/issuetypes"
    first = _get(fake, path, startAt="0", maxResults="1").json()
    second = _get(fake, path, startAt="1", maxResults="1").json()
    assert (first["total"], first["startAt"], first["maxResults"]) == (2, 0, 1)
    names = [t["name"] for t in _items(fake, first, "issueTypes")]
    names += [t["name"] for t in _items(fake, second, "issueTypes")]
    assert names == ["Task", "Marketing Campaign Launch"]
    if not fake.cloud:
        assert (first["isLast"], second["isLast"]) == (False, True)
    by_id = _get(fake, "/rest/api/2/issue/createmeta/10000/issuetypes").json()
    assert [t["id"] for t in _items(fake, by_id, "issueTypes")] == ["10001", "10050"]
    if fake.cloud:
        template = "/rest/api/3/issue/createmeta/{projectIdOrKey}/issuetypes"
        assert _openapi_problems(template, by_id) == []


def test_createmeta_fields_of_the_campaign_type(fake: FakeJira) -> None:
    path = "/rest/api/2/issue/createmeta/OPS/issuetypes/10050"
    whole = _get(fake, path).json()
    fields = {f["fieldId"]: f for f in _items(fake, whole, "fields")}
    assert whole["total"] == len(fields) == 14
    assert [f for f, v in fields.items() if v["required"]] == ["project", "issuetype", "summary"]
    assert fields["summary"]["schema"] == {"type": "string", "system": "summary"}
    assert fields["labels"]["schema"] == {"type": "array", "items": "string", "system": "labels"}
    assert fields["customfield_10050"] == {
        "fieldId": "customfield_10050",
        "key": "customfield_10050",
        "name": "Launch date",
        "required": False,
        "schema": {
            "type": "datetime",
            "custom": "com.atlassian.jira.plugin.system.customfieldtypes:datetime",
            "customId": 10050,
        },
        "hasDefaultValue": False,
        "operations": ["set"],
    }
    assert fields["customfield_10055"]["allowedValues"] == [
        {"id": "10100", "value": "OK"},
        {"id": "10101", "value": "Scale up"},
        {"id": "10102", "value": "Overload"},
    ]
    assert fields["customfield_10051"]["schema"]["type"] == "number"
    pages = [_get(fake, path, startAt=str(at), maxResults="5").json() for at in (0, 5, 10)]
    paged = [f["fieldId"] for page in pages for f in _items(fake, page, "fields")]
    assert paged == list(fields)
    if fake.cloud:
        template = "/rest/api/3/issue/createmeta/{projectIdOrKey}/issuetypes/{issueTypeId}"
        assert _openapi_problems(template, whole) == []
    task = _items(
        fake, _get(fake, "/rest/api/2/issue/createmeta/OPS/issuetypes/10001").json(), "fields"
    )
    assert not any(f["fieldId"].startswith("customfield_") for f in task)


def test_createmeta_unknown_project_or_issue_type_is_404(fake: FakeJira) -> None:
    nope = _get(fake, "/rest/api/2/issue/createmeta/NOPE/issuetypes")
    assert nope.status_code == 404
    assert nope.json() == {
        "errorMessages": ["No project could be found with key 'NOPE'."],
        "errors": {},
    }
    assert _get(fake, "/rest/api/2/issue/createmeta/NOPE/issuetypes/10050").status_code == 404
    assert _get(fake, "/rest/api/2/issue/createmeta/OPS/issuetypes/99999").status_code == 404
    assert _get(fake, "/rest/api/2/issue/createmeta/OPS/issuetypes", startAt="x").status_code == 400


def test_gateway_reads_the_create_screen(fake: FakeJira, gateway: JiraGateway) -> None:
    types = gateway.issue_types("OPS")
    assert [t["name"] for t in types] == ["Task", "Marketing Campaign Launch"]
    fields = gateway.create_fields("OPS", "10050")
    assert "customfield_10055" in {f["fieldId"] for f in fields}
    with pytest.raises(JiraError, match="404"):
        gateway.issue_types("NOPE")


def test_project(fake: FakeJira) -> None:
    found = _get(fake, "/rest/api/2/project/OPS").json()
    assert {k: found[k] for k in ("id", "key", "name")} == {
        "id": "10000",
        "key": "OPS",
        "name": "Operations",
    }
    assert _get(fake, "/rest/api/2/project/10000").json()["key"] == "OPS"
    missing = _get(fake, "/rest/api/2/project/NOPE")
    assert missing.status_code == 404
    assert missing.json() == {
        "errorMessages": ["No project could be found with key 'NOPE'."],
        "errors": {},
    }
    if fake.cloud:
        assert _openapi_problems("/rest/api/3/project/{projectIdOrKey}", found) == []


def test_user_search_by_the_deployment_s_parameter(fake: FakeJira, gateway: JiraGateway) -> None:
    if fake.cloud:
        found = _get(fake, "/rest/api/2/user/search", query="dana").json()
        assert [u["accountId"] for u in found] == [DANA_ACCOUNT_ID]
        assert "name" not in found[0]
        assert _get(fake, "/rest/api/2/user/search", username="dana").status_code == 400
        fake.problems.clear()  # the contract allows username=; Cloud refuses it
        assert _openapi_problems("/rest/api/3/user/search", found) == []
    else:
        found = _get(fake, "/rest/api/2/user/search", username="dana").json()
        assert [u["name"] for u in found] == ["dana"]
        assert "accountId" not in found[0]
        assert _get(fake, "/rest/api/2/user/search", query="dana").status_code == 400
    assert found[0]["displayName"] == "Dana Ops"
    assert found[0]["emailAddress"] == "dana@example.com"
    param = "query" if fake.cloud else "username"
    assert _get(fake, "/rest/api/2/user/search", **{param: "nobody"}).json() == []
    (user,) = gateway.users_by_email("dana@example.com")
    assert (user.account_id, user.name) == (
        (DANA_ACCOUNT_ID, None) if fake.cloud else (None, "dana")
    )


# --- entity properties ---------------------------------------------------------------------


def test_properties_on_create_edit_search_and_get(fake: FakeJira, gateway: JiraGateway) -> None:
    created = gateway.create_issue(FIELDS, {PROPERTY: {"v": 1}, "other": [1, 2]})
    assert fake.properties[created.key] == {PROPERTY: {"v": 1}, "other": [1, 2]}
    (found,) = gateway.find_campaign_issues("OPS", LABEL, (PROPERTY,))
    search = fake.calls("GET", _search_path(fake))[-1]
    if fake.cloud:
        assert found.properties == {PROPERTY: {"v": 1}}
        assert search.query["properties"] == [PROPERTY]
    else:  # Data Center's search has no such parameter: the issue itself is read
        assert found.properties is None
        assert "properties" not in search.query
    assert gateway.issue(found.key, (PROPERTY,)).properties == {PROPERTY: {"v": 1}}
    gateway.update_fields(created.key, {"summary": "edited"}, {PROPERTY: {"v": 2}})
    assert fake.properties[created.key] == {PROPERTY: {"v": 2}, "other": [1, 2]}
    path = f"/rest/api/2/issue/{created.key}/properties/{PROPERTY}"
    assert _get(fake, path).json() == {"key": PROPERTY, "value": {"v": 2}}
    missing = _get(fake, f"/rest/api/2/issue/{created.key}/properties/nope")
    assert missing.status_code == 404
    keys = _get(fake, f"/rest/api/2/issue/{created.key}/properties").json()["keys"]
    assert [k["key"] for k in keys] == [PROPERTY, "other"]
    issue = _get(fake, f"/rest/api/2/issue/{created.key}", properties="other").json()
    assert issue["properties"] == {"other": [1, 2]}
    gateway.set_property(created.key, "other", {"x": True})
    gateway.delete_property(created.key, PROPERTY)
    assert fake.properties[created.key] == {"other": {"x": True}}
    plain = gateway.find_campaign_issues("OPS", LABEL)[0]
    assert plain.properties is None
    assert "properties" not in fake.calls("GET", _search_path(fake))[-1].query


@pytest.fixture
def cloud() -> Iterator[FakeJira]:
    with running(cloud=True) as server:
        yield server


@pytest.fixture
def dc() -> Iterator[FakeJira]:
    with running(cloud=False) as server:
        yield server


def test_dc_search_ignores_properties_as_data_center_does(dc: FakeJira) -> None:
    fake = dc
    ident = _send(fake, "POST", "/rest/api/2/issue", {"fields": FIELDS}).json()["id"]
    fake.properties["OPS-1"][PROPERTY] = {"v": 1}
    jql = f'project = "OPS" AND labels = "{LABEL}"'
    answer = _get(fake, "/rest/api/2/search", jql=jql, properties=PROPERTY).json()
    assert [issue["id"] for issue in answer["issues"]] == [ident]
    assert "properties" not in answer["issues"][0]
    assert fake.problems == [
        "GET /rest/api/2/search: query parameter 'properties' is not declared for Data "
        "Center's search"
    ]
    fake.problems.clear()


def test_cloud_search_lags_creates_unless_reconciled(cloud: FakeJira) -> None:
    fake = cloud
    fake.index_lag(30)
    ident = _send(fake, "POST", "/rest/api/2/issue", {"fields": FIELDS}).json()["id"]
    jql = f'project = "OPS" AND labels = "{LABEL}"'
    path = "/rest/api/3/search/jql"
    assert _get(fake, path, jql=jql).json()["issues"] == []
    assert _get(fake, path, jql=jql, reconcileIssues="1,2").json()["issues"] == []
    found = _get(fake, path, jql=jql, reconcileIssues=f"1,{ident}").json()["issues"]
    assert [issue["id"] for issue in found] == [ident]
    fake.catch_up()
    assert len(_get(fake, path, jql=jql).json()["issues"]) == 1
    assert fake.problems == []


@pytest.mark.parametrize("ids", ["x", ",".join(str(n) for n in range(51))])
def test_reconcile_takes_at_most_fifty_issue_ids(cloud: FakeJira, ids: str) -> None:
    jql = f'project = "OPS" AND labels = "{LABEL}"'
    answer = _get(cloud, "/rest/api/3/search/jql", jql=jql, reconcileIssues=ids)
    assert answer.status_code == 400


def test_bad_properties_are_refused(fake: FakeJira) -> None:
    huge = {"fields": FIELDS, "properties": [{"key": PROPERTY, "value": "x" * 40_000}]}
    assert _send(fake, "POST", "/rest/api/2/issue", huge).status_code == 400
    keyless = {"fields": FIELDS, "properties": [{"value": 1}]}
    assert _send(fake, "POST", "/rest/api/2/issue", keyless).status_code == 400
    fake.problems.clear()  # the contract's EntityProperty does not require a key
    assert fake.issues == {}


# --- validation like Jira ------------------------------------------------------------------

INVALID_TYPE = {"issuetype": "The issue type selected is invalid."}


def _not_on_screen(field_id: str) -> dict[str, str]:
    why = "It is not on the appropriate screen, or unknown."
    return {field_id: f"Field '{field_id}' cannot be set. {why}"}


@pytest.mark.parametrize(
    ("change", "errors"),
    [
        ({"issuetype": {"name": "Nope"}}, INVALID_TYPE),
        ({"issuetype": {"id": "99999"}}, INVALID_TYPE),
        ({"customfield_99999": "x"}, _not_on_screen("customfield_99999")),
        (
            {"issuetype": {"name": "Task"}, "customfield_10051": 5},
            _not_on_screen("customfield_10051"),
        ),
        ({"summary": None}, {"summary": "Summary is required."}),
        ({"customfield_10051": "9830"}, {"customfield_10051": "Operation value must be a number"}),
        ({"customfield_10051": True}, {"customfield_10051": "Operation value must be a number"}),
        (
            {"customfield_10055": {"value": "Maybe"}},
            {"customfield_10055": "Option value 'Maybe' is not valid"},
        ),
        ({"duedate": "07/12/2027"}, {"duedate": "Error parsing date string: 07/12/2027"}),
        ({"duedate": "2027-02-30"}, {"duedate": "Error parsing date string: 2027-02-30"}),
        (
            {"labels": ["two words"]},
            {"labels": "The label 'two words' contains spaces which is invalid."},
        ),
        ({"summary": "x" * 256}, {"summary": "Summary must be less than 255 characters."}),
        ({"components": [{"name": "Nope"}]}, {"components": "Component name 'Nope' is not valid"}),
    ],
)
def test_invalid_create_is_a_400_and_creates_nothing(
    fake: FakeJira, change: dict[str, Any], errors: dict[str, str]
) -> None:
    fields = {k: v for k, v in {**FIELDS, **change}.items() if v is not None}
    body = {"fields": fields, "properties": [{"key": PROPERTY, "value": {"v": 1}}]}
    refused = _send(fake, "POST", "/rest/api/2/issue", body)
    assert refused.status_code == 400
    assert refused.json() == {"errorMessages": [], "errors": errors}
    assert (fake.issues, fake.properties) == ({}, {})
    assert _send(fake, "POST", "/rest/api/2/issue", {"fields": FIELDS}).json()["key"] == "OPS-1"


@pytest.mark.parametrize(
    "value", ["2027-12-07T09:00", "2027-13-07T09:00:00.000-0500", "tomorrow", 5]
)
def test_datetime_needs_an_iso_offset(fake: FakeJira, value: Any) -> None:
    body = {"fields": {**FIELDS, "customfield_10050": value}}
    refused = _send(fake, "POST", "/rest/api/2/issue", body)
    assert refused.status_code == 400
    assert list(refused.json()["errors"]) == ["customfield_10050"]


def test_assignee_must_be_a_known_user_of_the_deployment(fake: FakeJira) -> None:
    mine, theirs = ("accountId", "name") if fake.cloud else ("name", "accountId")
    known = DANA_ACCOUNT_ID if fake.cloud else "dana"
    for ref, message in [
        ({mine: "ghost"}, "User 'ghost' does not exist."),
        ({theirs: "dana" if fake.cloud else DANA_ACCOUNT_ID}, f"Specify the user by '{mine}'"),
    ]:
        refused = _send(fake, "POST", "/rest/api/2/issue", {"fields": {**FIELDS, "assignee": ref}})
        assert refused.status_code == 400
        assert refused.json()["errors"]["assignee"].startswith(message)
    assert fake.issues == {}
    ok = _send(fake, "POST", "/rest/api/2/issue", {"fields": {**FIELDS, "assignee": {mine: known}}})
    key = ok.json()["key"]
    assignee = fake.issues[key]["fields"]["assignee"]
    assert (assignee[mine], assignee["displayName"]) == (known, "Dana Ops")
    assert theirs not in assignee
    ghost = _send(fake, "PUT", f"/rest/api/2/issue/{key}/assignee", {mine: "ghost"})
    assert ghost.status_code == 400
    assert _send(fake, "PUT", f"/rest/api/2/issue/{key}/assignee", {mine: None}).status_code == 204
    assert fake.issues[key]["fields"]["assignee"] is None
    # Jira documents null as "unassign", but its OpenAPI schema says string
    assert [p.split(": ", 1)[1] for p in fake.problems] == [
        f"body['{mine}']: None is not of type 'string'"
    ]
    fake.problems.clear()


def test_valid_values_are_stored_as_jira_shows_them(fake: FakeJira) -> None:
    fields = {
        **FIELDS,
        "duedate": "2027-12-07",
        "components": [{"name": "Web"}, {"id": "10201"}],
        "customfield_10052": "Winter Newsletter 2027",
        "customfield_10050": "2027-12-07T09:00:00.000-0500",
        "customfield_10051": 9830,
        "customfield_10053": "https://www.example.com/winter",
        "customfield_10054": "phone\nbirthday",
        "customfield_10055": {"value": "Scale up"},
    }
    created = _send(fake, "POST", "/rest/api/2/issue", {"fields": fields})
    assert created.status_code == 201, created.text
    stored = fake.issues[created.json()["key"]]["fields"]
    assert stored["customfield_10055"] == {"id": "10101", "value": "Scale up"}
    assert stored["components"] == [{"id": "10200", "name": "Web"}, {"id": "10201", "name": "API"}]
    assert stored["customfield_10051"] == 9830
    assert stored["issuetype"]["id"] == "10050"
    assert stored["project"] == {"id": "10000", "key": "OPS", "name": "Operations"}
    assert stored["status"] == OPEN  # with its statusCategory, as Jira shows a status
    for moment in ("2027-12-07T14:00:00Z", "2027-12-07T09:00-05:00", "2027-12-07T09:00:00+0530"):
        body = {"fields": {**FIELDS, "customfield_10050": moment}}
        assert _send(fake, "POST", "/rest/api/2/issue", body).status_code == 201


def test_edit_is_checked_like_create(fake: FakeJira) -> None:
    key = _send(fake, "POST", "/rest/api/2/issue", {"fields": FIELDS}).json()["key"]
    path = f"/rest/api/2/issue/{key}"
    bad = _send(fake, "PUT", path, {"fields": {"summary": "new", "customfield_10051": "lots"}})
    assert bad.status_code == 400
    assert bad.json()["errors"] == {"customfield_10051": "Operation value must be a number"}
    assert fake.issues[key]["fields"]["summary"] == "Spring sale"
    moved = _send(fake, "PUT", path, {"fields": {"project": {"key": "OPS"}}})
    assert moved.json()["errors"] == _not_on_screen("project")
    assert _send(fake, "PUT", path, {"fields": {"summary": ""}}).json()["errors"] == {
        "summary": "Summary is required."
    }
    props = {"properties": [{"key": PROPERTY, "value": {"v": 3}}]}
    assert _send(fake, "PUT", path, props).status_code == 204
    assert fake.properties[key] == {PROPERTY: {"v": 3}}


# --- transitions, comments, record, faults ---------------------------------------------------


def test_transitions_change_the_status(fake: FakeJira, gateway: JiraGateway) -> None:
    key = gateway.create_issue(FIELDS).key
    listed = gateway.transitions(key)
    assert [(t["id"], t["name"]) for t in listed] == [
        ("11", "Start review"),
        ("21", "Approve"),
        ("31", "Reject"),
    ]
    assert listed[0]["to"] == IN_REVIEW
    path = f"/rest/api/2/issue/{key}/transitions"
    if fake.cloud:
        template = "/rest/api/3/issue/{issueIdOrKey}/transitions"
        assert _openapi_problems(template, _get(fake, path).json()) == []
    assert _send(fake, "POST", path, {"transition": {"id": "21"}}).status_code == 204
    assert fake.issues[key]["fields"]["status"]["name"] == "Approved"
    assert gateway.find_campaign_issues("OPS", LABEL)[0].status == "Approved"
    refused = _send(fake, "POST", path, {"transition": {"id": "99"}})
    assert refused.status_code == 400
    assert refused.json()["errorMessages"] == ["Transition id '99' is not valid for this issue."]
    fake.transitions = [{"id": "41", "name": "Reopen", "to": {"id": "1", "name": "Open"}}]
    assert [t["id"] for t in gateway.transitions(key)] == ["41"]


def test_comments_are_listed_newest_first(fake: FakeJira, gateway: JiraGateway) -> None:
    key = gateway.create_issue(FIELDS).key
    gateway.add_comment(key, "first")
    gateway.add_comment(key, "second")
    assert gateway.comment_bodies(key) == ["second", "first"]
    assert fake.comments[key][0]["author"]["displayName"] == "Bot"
    empty = _send(fake, "POST", f"/rest/api/2/issue/{key}/comment", {"body": " "})
    assert empty.status_code == 400


def test_search_in_an_unknown_project_is_a_400(fake: FakeJira) -> None:
    jql = dedup_jql("NOPE", LABEL)
    refused = _get(fake, _search_path(fake), jql=jql)
    assert refused.status_code == 400
    assert refused.json()["errorMessages"] == [
        "The value 'NOPE' does not exist for the field 'project'."
    ]


def test_routes_and_wildcard_faults_with_timed_headers(fake: FakeJira) -> None:
    told: list[str] = []

    def retry_after() -> str:
        told.append("now")
        return "3"

    fake.status("*", "*", 429, {"Retry-After": retry_after}, times=2)
    answers = [_get(fake, "/rest/api/2/myself"), _get(fake, "/rest/api/2/serverInfo")]
    assert [(a.status_code, a.headers["Retry-After"]) for a in answers] == [(429, "3")] * 2
    assert told == ["now", "now"]
    assert _get(fake, "/rest/api/2/myself").status_code == 200
    me, info = "GET /rest/api/2/myself", "GET /rest/api/2/serverInfo"
    assert fake.routes() == [me, info, me]
    assert fake.routes(since=2) == [me]
    assert fake.requests[1].at >= fake.requests[0].at


def test_unknown_routes_and_methods(fake: FakeJira) -> None:
    assert _get(fake, "/rest/api/2/nothing/here").status_code == 404
    assert (
        _send(fake, "DELETE", "/rest/api/2/issue/createmeta/OPS/issuetypes", None).status_code
        == 405
    )
    assert _get(fake, "/rest/api/2/issue/OPS-9/transitions").status_code == 404
    fake.problems.clear()  # the contract rightly flags the unknown path and method
