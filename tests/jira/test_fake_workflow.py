"""The fake Jira's search pages, JQL and workflow, as Atlassian documents them."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import requests

from testing.fake_jira import CLOUD_PAGE_LIMIT, DC_PAGE_LIMIT, FakeJira, running
from testing.fake_jira_data import APPROVED, CHANGES_REQUESTED, IN_REVIEW, OPEN, request_changes

AUTH = {"Authorization": "Bearer t0ken"}
OPEN_QUEUE = 'project = "OPS" AND labels = "marketing-campaign" AND statusCategory != Done'


@pytest.fixture(params=[True, False], ids=["cloud", "dc"])
def fake(request: pytest.FixtureRequest) -> Iterator[FakeJira]:
    with running(cloud=request.param) as server:
        yield server
        assert server.problems == []


def _get(fake: FakeJira, path: str, **params: str) -> requests.Response:
    return requests.get(fake.url + path, params=params, headers=AUTH, timeout=5)


def _post(fake: FakeJira, path: str, body: Any) -> requests.Response:
    return requests.post(fake.url + path, json=body, headers=AUTH, timeout=5)


def _search(fake: FakeJira, jql: str, **params: str) -> requests.Response:
    path = "/rest/api/3/search/jql" if fake.cloud else "/rest/api/2/search"
    return _get(fake, path, jql=jql, **params)


def _keys(response: requests.Response) -> list[str]:
    assert response.status_code == 200, response.text
    return [issue["key"] for issue in response.json()["issues"]]


def _seed(fake: FakeJira, n: int) -> list[str]:
    return [fake.add_issue(f"Campaign {i}", duedate=f"2027-01-{1 + i % 28:02d}") for i in range(n)]


# --- search pages -----------------------------------------------------------------------


def test_cloud_pages_follow_next_page_token_and_cap_at_100(cloud: FakeJira) -> None:
    keys = _seed(cloud, 150)
    first = _search(cloud, OPEN_QUEUE, fields="summary,status", maxResults="500")
    body = first.json()
    assert len(body["issues"]) == CLOUD_PAGE_LIMIT
    assert body["isLast"] is False
    token = body["nextPageToken"]
    second = _search(cloud, OPEN_QUEUE, fields="summary,status", nextPageToken=token)
    assert second.json()["isLast"] is True
    assert "nextPageToken" not in second.json()  # not included on the last page
    assert _keys(first) + _keys(second) == keys[:100] + keys[100:] == keys


def test_cloud_pages_of_ids_only_hold_more(cloud: FakeJira) -> None:
    _seed(cloud, 150)
    only_ids = _search(cloud, OPEN_QUEUE, fields="key", maxResults="500").json()
    assert len(only_ids["issues"]) == 150
    assert only_ids["isLast"] is True
    default = _search(cloud, OPEN_QUEUE).json()  # fields default to id, 50 a page
    assert len(default["issues"]) == 50
    assert set(default["issues"][0]["fields"]) == set()


@pytest.mark.parametrize("token", ["BOGUS", "eyJxIjogIngiLCAibyI6IDV9"])
def test_cloud_refuses_a_token_it_did_not_give_for_this_query(cloud: FakeJira, token: str) -> None:
    _seed(cloud, 3)
    refused = _search(cloud, OPEN_QUEUE, fields="key", nextPageToken=token)
    assert refused.status_code == 400


def test_dc_pages_by_start_at_with_total_and_caps_at_1000(dc: FakeJira) -> None:
    keys = _seed(dc, 150)
    page = _search(dc, OPEN_QUEUE, fields="summary", startAt="100", maxResults="100").json()
    assert (page["startAt"], page["maxResults"], page["total"]) == (100, 100, 150)
    assert [i["key"] for i in page["issues"]] == keys[100:]
    big = _search(dc, OPEN_QUEUE, fields="summary", maxResults="5000").json()
    assert big["maxResults"] == DC_PAGE_LIMIT
    assert "properties" not in big["issues"][0]


def test_a_test_can_lower_the_page_size(fake: FakeJira) -> None:
    _seed(fake, 10)
    fake.search_page_limit = 4
    assert len(_keys(_search(fake, OPEN_QUEUE, fields="summary", maxResults="100"))) == 4


# --- JQL ----------------------------------------------------------------------------------


def test_queue_clauses_filter_as_jira_does(fake: FakeJira) -> None:
    dana = fake.users[0]
    a = fake.add_issue("a", duedate="2027-01-10", assignee=fake.bot)
    b = fake.add_issue("b", duedate="2027-01-05", status=IN_REVIEW, assignee=dana)
    fake.add_issue("c", duedate="2027-01-07", status=APPROVED)  # Done: not in the queue
    d = fake.add_issue("d", status=CHANGES_REQUESTED)  # no due date: last
    fake.add_issue("e", labels=["other"])
    order = " ORDER BY duedate ASC, key ASC"
    assert _keys(_search(fake, OPEN_QUEUE + order, fields="key")) == [b, a, d]
    mine = OPEN_QUEUE + " AND assignee = currentUser()"
    assert _keys(_search(fake, mine, fields="key")) == [a]
    nobody = OPEN_QUEUE + " AND assignee is EMPTY"
    assert _keys(_search(fake, nobody, fields="key")) == [d]
    not_open = OPEN_QUEUE + ' AND status not in ("Open")'
    assert _keys(_search(fake, not_open, fields="key")) == [b, d]
    window = OPEN_QUEUE + ' AND duedate >= "2027-01-06" AND duedate <= "2027-01-31"'
    assert _keys(_search(fake, window, fields="key")) == [a]
    either = OPEN_QUEUE + ' AND (status = "In Review" OR duedate is EMPTY)' + order
    assert _keys(_search(fake, either, fields="key")) == [b, d]


@pytest.mark.parametrize(
    ("jql", "message"),
    [
        ('project = "OPS" AND colour = red', "Field 'colour' does not exist"),
        ('project = "OPS" AND status = "Lost"', "The value 'Lost' does not exist"),
        ("ORDER BY key", "Unbounded JQL"),
        ('project = "OPS" AND (labels = x', "Error in the JQL Query"),
        ('project = "OPS" AND assignee = whoever()', "Unable to find JQL function"),
    ],
)
def test_jql_it_cannot_run_is_a_400(fake: FakeJira, jql: str, message: str) -> None:
    refused = _search(fake, jql, fields="key")
    assert refused.status_code == 400
    assert message in refused.json()["errorMessages"][0]


def test_hidden_issues_are_404_and_left_out_of_searches(fake: FakeJira) -> None:
    key = fake.add_issue("secret")
    fake.hidden.add(key)
    assert _get(fake, f"/rest/api/2/issue/{key}").status_code == 404
    assert _keys(_search(fake, OPEN_QUEUE, fields="key")) == []


# --- the workflow -------------------------------------------------------------------------


def _with_screen(fake: FakeJira) -> None:
    fake.transitions.append(request_changes())


def test_transitions_with_fields_list_the_screen(fake: FakeJira) -> None:
    _with_screen(fake)
    key = fake.add_issue("a")
    path = f"/rest/api/2/issue/{key}/transitions"
    plain = _get(fake, path).json()["transitions"]
    assert [t["id"] for t in plain] == ["11", "21", "31", "41"]
    assert all("fields" not in t for t in plain)
    expanded = _get(fake, path, expand="transitions.fields").json()["transitions"]
    screen = expanded[-1]["fields"]
    assert screen["resolution"]["required"] is True
    assert expanded[-1]["hasScreen"] is True
    assert expanded[0]["fields"] == {}
    assert expanded[0]["to"]["statusCategory"]["key"] == "indeterminate"
    one = _get(fake, path, transitionId="21").json()["transitions"]
    assert [t["name"] for t in one] == ["Approve"]


def test_only_transitions_from_the_current_status_are_offered(fake: FakeJira) -> None:
    key = fake.add_issue("a", status=APPROVED)
    path = f"/rest/api/2/issue/{key}/transitions"
    assert _get(fake, path).json()["transitions"] == []
    refused = _post(fake, path, {"transition": {"id": "21"}})
    assert refused.status_code == 400
    assert "is not valid for this issue" in refused.json()["errorMessages"][0]
    assert fake.issues[key]["fields"]["status"] == APPROVED


def test_a_required_screen_field_missing_is_a_400_that_writes_nothing(fake: FakeJira) -> None:
    _with_screen(fake)
    key = fake.add_issue("a")
    path = f"/rest/api/2/issue/{key}/transitions"
    missing = _post(fake, path, {"transition": {"id": "41"}})
    assert missing.status_code == 400
    assert missing.json()["errors"] == {"resolution": "Resolution is required."}
    off_screen = _post(fake, path, {"transition": {"id": "21"}, "fields": {"duedate": "x"}})
    assert off_screen.status_code == 400
    assert "not on the appropriate screen" in off_screen.json()["errors"]["duedate"]
    assert fake.issues[key]["fields"]["status"] == OPEN
    done = _post(
        fake, path, {"transition": {"id": "41"}, "fields": {"resolution": {"name": "Done"}}}
    )
    assert done.status_code == 204
    assert fake.issues[key]["fields"]["status"] == CHANGES_REQUESTED


def test_without_the_transition_permission(fake: FakeJira) -> None:
    key = fake.add_issue("a")
    fake.can_transition = False
    path = f"/rest/api/2/issue/{key}/transitions"
    assert _get(fake, path).json()["transitions"] == []
    refused = _post(fake, path, {"transition": {"id": "21"}})
    assert refused.status_code == 400
    assert "permission" in refused.json()["errorMessages"][0]


@pytest.fixture
def cloud() -> Iterator[FakeJira]:
    with running(cloud=True) as server:
        yield server
        assert server.problems == []


@pytest.fixture
def dc() -> Iterator[FakeJira]:
    with running(cloud=False) as server:
        yield server
        assert server.problems == []
