"""The review queue: its JQL, its pages on Cloud and Data Center, its items."""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
from hypothesis import given
from hypothesis import strategies as st

from campaign_guard.errors import CampaignGuardError, ExitCode, UsageError
from campaign_guard.jira.decision import DECISION_KEY
from campaign_guard.jira.jira_http import JiraError
from campaign_guard.jira.queue import (
    QueueFilter,
    QueueTooLong,
    fetch_queue,
    queue_item,
    queue_jql,
    scoped_jql,
)
from campaign_guard.jira.snapshot import PROPERTY_KEY
from testing.jira_contract import recording
from tests.jira.review_support import CANARY, gateway, site, snapshot

BASE = 'project = "OPS" AND labels = "marketing-campaign" AND statusCategory != Done'
ORDER = " ORDER BY duedate ASC, key ASC"
FIELDS = "summary,status,assignee,labels,created,updated,duedate"


def _issue(
    n: int, *, project: str = "OPS", labels: tuple[str, ...] = ("marketing-campaign",)
) -> dict[str, Any]:
    status = {
        "name": "In Review",
        "statusCategory": {"key": "indeterminate", "name": "In Progress"},
    }
    return {
        "id": str(10000 + n),
        "key": f"{project}-{n}",
        "fields": {
            "summary": f"Campaign {n}",
            "status": status,
            "assignee": {"accountId": "abc", "displayName": "Dana Ops"},
            "labels": list(labels),
            "created": "2026-11-01T10:00:00.000+0000",
            "updated": "2026-11-02T10:00:00.000+0000",
            "duedate": "2027-03-01",
        },
    }


def _params(url: str | None) -> dict[str, str]:
    return dict(parse_qsl(urlsplit(url or "").query))


# --- the JQL ------------------------------------------------------------------------------


def test_the_base_query_and_each_filter() -> None:
    assert queue_jql(QueueFilter("OPS")) == BASE + ORDER
    statuses = queue_jql(QueueFilter("OPS", statuses=("In Review", "~Approved", '~On "hold"')))
    assert statuses == (
        BASE
        + ' AND status in ("In Review") AND status not in ("Approved", "On \\"hold\\"")'
        + ORDER
    )
    assert "AND assignee = currentUser()" in queue_jql(QueueFilter("OPS", assignee="me"))
    assert "AND assignee is EMPTY" in queue_jql(QueueFilter("OPS", assignee="x"))
    assert "AND assignee is EMPTY" in queue_jql(QueueFilter("OPS", assignee="unassigned"))
    assert 'AND assignee = "5b10ac8d"' in queue_jql(QueueFilter("OPS", assignee="5b10ac8d"))
    window = QueueFilter("OPS", launch_from=date(2027, 1, 1), launch_to=date(2027, 1, 7))
    assert 'AND duedate >= "2027-01-01" AND duedate <= "2027-01-07"' in queue_jql(window)
    extra = queue_jql(QueueFilter("OPS", jql='priority = High OR summary ~ "a)b"'))
    assert extra == BASE + ' AND (priority = High OR summary ~ "a)b")' + ORDER


@pytest.mark.parametrize(
    ("jql", "why"),
    [
        ("x = 1) OR (project is not EMPTY", "closes a parenthesis"),
        ("(x = 1", "leaves a parenthesis open"),
        ('summary ~ "open', "leaves a string open"),
        ("x = 1 ORDER BY created", "cannot have ORDER BY"),
        ("x = 1 order\tby created", "cannot have ORDER BY"),
        ("   ", "is empty"),
        ("x = 1\x00", "control character"),
        ("x" * 1001, "longer than"),
    ],
)
def test_extra_jql_that_could_leave_its_parentheses_is_refused(jql: str, why: str) -> None:
    with pytest.raises(UsageError, match=why):
        queue_jql(QueueFilter("OPS", jql=jql))


def test_quoted_order_by_and_escaped_quotes_are_fine() -> None:
    assert scoped_jql('summary ~ "order by \\" )"') == 'summary ~ "order by \\" )"'


@given(st.text(max_size=60))
def test_any_accepted_extra_jql_stays_inside_its_parentheses(text: str) -> None:
    try:
        query = queue_jql(QueueFilter("OPS", jql=text))
    except UsageError:
        return
    inner = query.removeprefix(BASE + " AND (").removesuffix(")" + ORDER)
    assert inner == text.strip()  # nothing closed early: the project clause binds it all


@pytest.mark.parametrize(
    "bad",
    [
        QueueFilter("ops"),
        QueueFilter("OPS", statuses=("~",)),
        QueueFilter("OPS", assignee=" "),
        QueueFilter("OPS", launch_from=date(2027, 2, 1), launch_to=date(2027, 1, 1)),
    ],
)
def test_bad_filters_are_usage_errors(bad: QueueFilter) -> None:
    with pytest.raises(CampaignGuardError) as refused:
        queue_jql(bad)
    assert refused.value.exit_code == ExitCode.USAGE


# --- pages --------------------------------------------------------------------------------


def test_cloud_pages_by_token_with_the_properties_in_the_search() -> None:
    props = {PROPERTY_KEY: snapshot().to_json()}
    first = [dict(_issue(n), properties=props) for n in range(1, 101)]
    second = [dict(_issue(n), properties={}) for n in range(101, 151)]
    url = site(True) + "/rest/api/3/search/jql"
    with recording(cloud=True) as rsps:
        rsps.get(url, json={"issues": first, "isLast": False, "nextPageToken": "tok-2"})
        rsps.get(url, json={"issues": second, "isLast": True})
        queue = fetch_queue(gateway(True), QueueFilter("OPS"))
        calls = list(rsps.calls)
    assert (queue.pages, queue.requests, len(queue.items)) == (2, 2, 150)
    params = [_params(c.request.url) for c in calls]
    assert params[0] == {
        "jql": BASE + ORDER,
        "fields": FIELDS,
        "maxResults": "100",
        "properties": f"{PROPERTY_KEY},{DECISION_KEY}",
    }
    assert params[1]["nextPageToken"] == "tok-2"
    item = queue.items[0]
    assert item.submission is not None
    assert item.submission.verdict == "OK: web at 60% of capacity"
    assert item.assignee is not None
    assert item.assignee.display_name == "Dana Ops"
    assert (item.status, item.status_category, item.launch_date) == (
        "In Review",
        "indeterminate",
        "2027-03-01",
    )
    assert queue.items[-1].submission is None
    assert queue.items[-1].properties_read


def test_dc_pages_by_start_at_and_reads_properties_per_issue() -> None:
    url = site(False) + "/rest/api/2/search"
    with recording(cloud=False) as rsps:
        page = {"startAt": 0, "maxResults": 2, "total": 3, "issues": [_issue(1), _issue(2)]}
        rsps.get(url, json=page)
        rsps.get(url, json={"startAt": 2, "maxResults": 2, "total": 3, "issues": [_issue(3)]})
        for n in (1, 2, 3):
            stored = {PROPERTY_KEY: snapshot().to_json()} if n == 2 else {}
            body = {
                "id": str(10000 + n),
                "key": f"OPS-{n}",
                "fields": {"labels": []},
                "properties": stored,
            }
            rsps.get(f"{site(False)}/rest/api/2/issue/OPS-{n}", json=body)
        queue = fetch_queue(gateway(False), QueueFilter("OPS"))
        calls = list(rsps.calls)
    assert (queue.pages, queue.requests) == (2, 5)
    second = _params(calls[1].request.url)
    assert second["startAt"] == "2"
    assert "properties" not in _params(calls[0].request.url)
    assert [i.submission is not None for i in queue.items] == [False, True, False]


def test_the_page_cap_is_an_error_not_a_silent_cut() -> None:
    url = site(True) + "/rest/api/3/search/jql"
    with recording(cloud=True) as rsps:
        rsps.get(url, json={"issues": [_issue(1)], "isLast": False, "nextPageToken": "t"})
        with pytest.raises(QueueTooLong, match="more than 2 open campaign tickets"):
            fetch_queue(gateway(True), QueueFilter("OPS"), max_pages=2)
        assert len(rsps.calls) == 2


def test_a_cloud_page_with_more_to_come_but_no_token_is_an_error() -> None:
    url = site(True) + "/rest/api/3/search/jql"
    with recording(cloud=True) as rsps:
        rsps.get(url, json={"issues": [_issue(1)], "isLast": False})
        with pytest.raises(JiraError, match="no nextPageToken"):
            fetch_queue(gateway(True), QueueFilter("OPS"))


def test_a_refused_search_does_not_show_the_token() -> None:
    url = site(True) + "/rest/api/3/search/jql"
    with recording(cloud=True) as rsps:
        rsps.get(url, status=400, json={"errorMessages": [f"bad {CANARY}"]})
        with pytest.raises(JiraError, match="refused the search") as refused:
            fetch_queue(gateway(True), QueueFilter("OPS"))
    assert CANARY not in str(refused.value)


# --- items --------------------------------------------------------------------------------


def test_items_of_other_projects_or_without_the_label_are_dropped() -> None:
    assert queue_item(_issue(1, project="SEC"), "OPS", read_properties=False) is None
    assert queue_item(_issue(1, labels=("other",)), "OPS", read_properties=False) is None
    assert queue_item({"key": "OPS-1"}, "OPS", read_properties=False) is None
    url = site(True) + "/rest/api/3/search/jql"
    with recording(cloud=True) as rsps:
        rsps.get(url, json={"issues": [_issue(1), _issue(2, project="SEC")], "isLast": True})
        queue = fetch_queue(gateway(True), QueueFilter("OPS"))
    assert [i.key for i in queue.items] == ["OPS-1"]
    assert queue.dropped == ("SEC-2",)


def test_untrusted_properties_are_read_as_missing() -> None:
    issue = dict(_issue(1), properties={PROPERTY_KEY: {"version": "1"}, DECISION_KEY: ["junk"]})
    item = queue_item(issue, "OPS", read_properties=True)
    assert item is not None
    assert (item.submission, item.decision, item.properties_read) == (None, None, True)


def test_a_refused_extra_jql_is_named_in_the_error() -> None:
    url = site(True) + "/rest/api/3/search/jql"
    answer = {"errorMessages": ["Field 'colour' does not exist"]}
    with recording(cloud=True) as rsps:
        rsps.get(url, status=400, json=answer)
        with pytest.raises(JiraError, match=r"colour.*check the extra JQL"):
            fetch_queue(gateway(True), QueueFilter("OPS", jql="colour = red"))
