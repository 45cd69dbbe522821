"""The review's Jira layer against the fake Jira over real sockets: the queue's pages and
their cost, transitions, and recording a decision once."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timezone

import pytest

from campaign_guard.jira.decision import DECISION_KEY, DecisionRecord, DecisionRequest
from campaign_guard.jira.gateway import JiraError, JiraGateway
from campaign_guard.jira.queue import QueueFilter, QueueTooLong, fetch_queue
from campaign_guard.jira.record_decision import record_decision
from campaign_guard.jira.snapshot import PROPERTY_KEY, Snapshot
from campaign_guard.jira.transitions import MissingScreenFields, TransitionError, resolve
from testing.fake_jira import FakeJira
from testing.fake_jira_data import APPROVED, IN_REVIEW, OPEN, request_changes
from tests.jira.review_support import Sleeps, fake_gateway

TOKEN = "t0ken-review-e2e"
WHEN = datetime(2026, 12, 1, 9, 30, tzinfo=timezone.utc)


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


@pytest.fixture
def gateway(fake: FakeJira, sleeps: Sleeps) -> Iterator[JiraGateway]:
    with fake_gateway(fake, sleeps, token=TOKEN, timeout=2) as gw:
        yield gw
    assert fake.problems == []


def _snapshot(n: int, digest: str = "d" * 64) -> dict[str, object]:
    fields = {
        "name": f"Campaign {n}",
        "launch": f"2027-01-{1 + n % 28:02d} 09:00 Europe/Paris",
        "channels": ["email: 50,000 recipients"],
        "targets": ["https://example.com/signup"],
        "data_fields": [],
        "estimate": "Scale up: web at 140% of capacity",
    }
    return Snapshot(f"campaign-{n}", fields, digest).to_json()  # type: ignore[arg-type]


def _seed(fake: FakeJira, n: int) -> list[str]:
    return [
        fake.add_issue(
            f"Campaign {i}",
            duedate=f"2027-01-{1 + i % 28:02d}",
            properties={PROPERTY_KEY: _snapshot(i)},
        )
        for i in range(n)
    ]


# --- the queue ----------------------------------------------------------------------------


def test_a_150_ticket_queue_costs_2_requests_on_cloud_and_152_on_dc(
    fake: FakeJira, gateway: JiraGateway
) -> None:
    keys = _seed(fake, 150)
    fake.add_issue("Done already", status=APPROVED)
    fake.add_issue("Not a campaign", labels=["other"])
    before = len(fake.requests)
    queue = fetch_queue(gateway, QueueFilter("OPS"))
    sent = fake.routes(before)
    assert sorted(item.key for item in queue.items) == sorted(keys)
    assert [i.launch_date for i in queue.items] == sorted(i.launch_date or "" for i in queue.items)
    assert queue.pages == 2
    if fake.cloud:
        assert queue.requests == len(sent) == 2
        assert sent == ["GET /rest/api/3/search/jql"] * 2
        second = fake.requests[before + 1]
        assert second.query["nextPageToken"] != [""]
    else:
        assert queue.requests == len(sent) == 152
        assert sent[:2] == ["GET /rest/api/2/search"] * 2
        assert fake.requests[before + 1].query["startAt"] == ["100"]
        assert all(route.startswith("GET /rest/api/2/issue/OPS-") for route in sent[2:])
    first = next(i for i in queue.items if i.key == keys[0])
    assert first.submission is not None
    assert first.submission.campaign_id == "campaign-0"
    assert first.submission.verdict == "Scale up: web at 140% of capacity"
    assert first.submission.spec_digest == "d" * 64
    assert (first.status, first.status_category, first.decision) == ("Open", "new", None)
    assert first.created
    assert first.updated


def test_dc_queue_without_snapshots_costs_its_pages_only(
    fake: FakeJira, gateway: JiraGateway
) -> None:
    _seed(fake, 150)
    queue = fetch_queue(gateway, QueueFilter("OPS"), properties=False)
    assert (queue.pages, queue.requests) == (2, 2)
    assert all(not item.properties_read and item.submission is None for item in queue.items)


def test_short_pages_are_followed_and_the_page_cap_is_an_error(
    fake: FakeJira, gateway: JiraGateway
) -> None:
    keys = _seed(fake, 25)
    fake.search_page_limit = 10  # Jira may answer fewer than asked: pages follow on
    queue = fetch_queue(gateway, QueueFilter("OPS"), properties=False)
    assert queue.pages == 3
    assert sorted(i.key for i in queue.items) == sorted(keys)
    with pytest.raises(QueueTooLong, match="narrow the queue"):
        fetch_queue(gateway, QueueFilter("OPS"), properties=False, max_pages=2)


def test_filters_narrow_the_queue(fake: FakeJira, gateway: JiraGateway) -> None:
    mine = fake.add_issue("mine", duedate="2027-02-01", assignee=fake.bot, status=IN_REVIEW)
    nobody = fake.add_issue("nobody", duedate="2027-03-01")
    fake.add_issue("dana's", duedate="2027-02-10", assignee=fake.users[0])

    def keys(**kwargs: object) -> list[str]:
        found = fetch_queue(gateway, QueueFilter("OPS", **kwargs), properties=False)  # type: ignore[arg-type]
        return [item.key for item in found.items]

    assert keys(assignee="me") == [mine]
    assert keys(assignee="x") == [nobody]
    assert keys(statuses=("~Open",)) == [mine]
    assert keys(jql='status = "In Review" OR duedate >= "2027-03-01"') == [mine, nobody]
    window = {"launch_from": datetime(2027, 2, 5).date(), "launch_to": datetime(2027, 2, 28).date()}
    assert len(keys(**window)) == 1


# --- transitions --------------------------------------------------------------------------


def test_transitions_by_id_name_and_their_refusals(fake: FakeJira, gateway: JiraGateway) -> None:
    key = fake.add_issue("a")
    assert resolve(gateway, key, "21").name == "Approve"
    assert resolve(gateway, key, "aPPROVE").id == "21"
    fake.transitions.append({"id": "22", "name": "approve", "to": dict(APPROVED)})
    with pytest.raises(
        TransitionError,
        match=r"2 transitions are named 'Approve' .*\(22\)\); configure the transition by its id",
    ):
        resolve(gateway, key, "Approve")
    with pytest.raises(TransitionError, match="offers 'Start review' \\(11\\), 'Approve'"):
        resolve(gateway, key, "Ship it")
    fake.transitions.append(request_changes())
    before = len(fake.requests)
    with pytest.raises(MissingScreenFields, match=r"requires Resolution \(resolution\)"):
        resolve(gateway, key, "Request changes")
    assert fake.routes(before) == [f"GET /rest/api/2/issue/{key}/transitions"]
    assert resolve(gateway, key, "41", filled={"resolution"}).to_status == "Changes Requested"


def test_without_permission_or_refused_the_errors_say_what_to_do(
    fake: FakeJira, gateway: JiraGateway
) -> None:
    key = fake.add_issue("a", properties={PROPERTY_KEY: _snapshot(1)})
    approve = DecisionRequest("approve", "Dana Ops", at=WHEN)
    fake.status("POST", f"/rest/api/2/issue/{key}/transitions", 403, body={"errorMessages": []})
    with pytest.raises(TransitionError, match="Transition Issues permission") as refused:
        record_decision(gateway, key, approve, transition="Approve")
    assert "\n" not in str(refused.value)
    assert TOKEN not in str(refused.value)
    fake.can_transition = False
    with pytest.raises(TransitionError, match="offers no transitions"):
        resolve(gateway, key, "Approve")
    fake.hidden.add(key)
    with pytest.raises(JiraError, match=r"404.*not visible to you"):
        resolve(gateway, key, "Approve")


# --- decisions ----------------------------------------------------------------------------


def test_the_same_decision_twice_writes_nothing_the_second_time(
    fake: FakeJira, gateway: JiraGateway
) -> None:
    key = fake.add_issue("a", properties={PROPERTY_KEY: _snapshot(1)})
    approve = DecisionRequest("approve", "Dana Ops", note="scale web first", at=WHEN)
    before = len(fake.requests)
    first = record_decision(gateway, key, approve, transition="approve")
    path = f"/rest/api/2/issue/{key}"
    assert fake.routes(before) == [
        f"GET {path}",
        f"GET {path}/transitions",
        f"GET {path}/comment",
        f"POST {path}/comment",
        f"PUT {path}/properties/{DECISION_KEY}",
        f"POST {path}/transitions",
    ]
    assert (first.state, first.commented, first.property_written, first.transitioned) == (
        "new",
        True,
        True,
        True,
    )
    assert fake.issues[key]["fields"]["status"] == APPROVED
    stored = DecisionRecord.from_json(fake.properties[key][DECISION_KEY])
    assert stored is not None
    assert stored.current.status_after == "Approved"
    assert fake.properties[key][PROPERTY_KEY] == _snapshot(1)  # the snapshot is untouched
    before = len(fake.requests)
    again = record_decision(gateway, key, approve, transition="approve")
    assert (again.state, again.wrote_nothing, again.requests) == ("same", True, 1)
    assert fake.routes(before) == [f"GET {path}"]
    assert len(fake.comments[key]) == 1


def test_a_lost_comment_answer_is_found_by_its_marker(fake: FakeJira, gateway: JiraGateway) -> None:
    key = fake.add_issue("a", properties={PROPERTY_KEY: _snapshot(1)})
    fake.commit_then_reset("POST", f"/rest/api/2/issue/{key}/comment")
    reject = DecisionRequest("reject", "Dana Ops", reason="no queue for the leads", at=WHEN)
    result = record_decision(gateway, key, reject, transition="Reject")
    assert result.commented
    assert result.transitioned
    assert len(fake.comments[key]) == 1
    body = fake.comments[key][0]["body"]
    assert body.endswith(f"_campaign\\-guard decision {result.record.current.token}_\n")
    assert fake.routes().count(f"GET /rest/api/2/issue/{key}/comment") == 2


def test_an_interrupted_decision_is_finished_not_repeated(
    fake: FakeJira, gateway: JiraGateway
) -> None:
    key = fake.add_issue("a", properties={PROPERTY_KEY: _snapshot(1)})
    approve = DecisionRequest("approve", "Dana Ops", at=WHEN)
    fake.status("POST", f"/rest/api/2/issue/{key}/transitions", 400, body={"errorMessages": ["x"]})
    with pytest.raises(TransitionError):
        record_decision(gateway, key, approve, transition="Approve")
    assert fake.issues[key]["fields"]["status"] == OPEN
    done = record_decision(gateway, key, approve, transition="Approve")
    assert (done.state, done.commented, done.property_written, done.transitioned) == (
        "same",
        False,
        False,
        True,
    )
    assert len(fake.comments[key]) == 1
    assert fake.issues[key]["fields"]["status"] == APPROVED


def test_a_changed_submission_makes_the_decision_stale(
    fake: FakeJira, gateway: JiraGateway
) -> None:
    key = fake.add_issue("a", properties={PROPERTY_KEY: _snapshot(1)})
    approve = DecisionRequest("approve", "Dana Ops", at=WHEN)
    record_decision(gateway, key, approve)
    fake.properties[key][PROPERTY_KEY] = _snapshot(1, digest="e" * 64)  # a re-submit
    item = fetch_queue(gateway, QueueFilter("OPS")).items[0]
    assert item.decision is not None
    assert item.submission is not None
    assert item.decision.current.spec_digest != item.submission.spec_digest
    again = record_decision(gateway, key, approve)
    assert (again.state, again.commented, again.property_written) == ("stale", True, True)
    assert [d.spec_digest for d in again.record.history] == ["d" * 64]


def test_429_on_the_transition_is_waited_for(
    fake: FakeJira, gateway: JiraGateway, sleeps: Sleeps
) -> None:
    key = fake.add_issue("a", properties={PROPERTY_KEY: _snapshot(1)})
    path = f"/rest/api/2/issue/{key}/transitions"
    fake.status("POST", path, 429, {"Retry-After": "3"})
    result = record_decision(
        gateway, key, DecisionRequest("approve", "Dana Ops", at=WHEN), transition="21"
    )
    assert result.transitioned
    assert sleeps == [3.0]
    assert [r.status for r in fake.calls("POST", path)] == [429, 204]


def test_a_ticket_without_a_submission_is_refused_before_any_write(
    fake: FakeJira, gateway: JiraGateway
) -> None:
    key = fake.add_issue("filed by hand")
    before = len(fake.requests)
    with pytest.raises(JiraError, match="no campaign-guard submission"):
        record_decision(gateway, key, DecisionRequest("approve", "Dana Ops"), transition="21")
    assert fake.routes(before) == [f"GET /rest/api/2/issue/{key}"]
