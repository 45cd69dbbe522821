"""Decisions: the record kept on the issue, and what recording one must write."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import pytest

from campaign_guard.errors import UsageError
from campaign_guard.jira.decision import (
    HISTORY,
    Decision,
    DecisionRecord,
    DecisionRequest,
    decision_comment,
    decision_state,
    plan_decision,
)
from campaign_guard.jira.jira_http import JiraError
from campaign_guard.jira.snapshot import Snapshot
from tests.jira.review_support import snapshot

WHEN = datetime(2026, 12, 1, 10, 0, tzinfo=timezone.utc)
APPROVE = DecisionRequest("approve", "Dana Ops", estimate="OK", status_after="Approved", at=WHEN)


def test_a_first_decision_writes_a_comment_and_the_property() -> None:
    plan = plan_decision(APPROVE, snapshot=snapshot(), recorded=None, key="OPS-1")
    assert plan.state == "new"
    assert not plan.writes_nothing
    assert plan.property_value == {
        "version": 1,
        "current": {
            "decision": "approve",
            "reviewer": "Dana Ops",
            "decided_at": "2026-12-01T10:00:00+00:00",
            "spec_digest": "a" * 64,
            "estimate": "OK",
            "reason": None,
            "note": None,
            "status_after": "Approved",
            "change_event_sent": False,
        },
        "history": [],
    }
    assert plan.comment == decision_comment(plan.record.current)
    assert plan.comment is not None
    assert plan.comment.endswith(f"_{plan.marker}_\n")


def test_the_same_decision_on_the_same_submission_writes_nothing() -> None:
    first = plan_decision(APPROVE, snapshot=snapshot(), recorded=None)
    later = DecisionRequest("approve", "Someone Else", estimate="changed words", at=WHEN)
    again = plan_decision(later, snapshot=snapshot(), recorded=first.record)
    assert again.state == "same"
    assert again.writes_nothing
    assert again.record is first.record


def test_another_decision_or_other_words_on_the_same_submission_is_a_change() -> None:
    first = plan_decision(APPROVE, snapshot=snapshot(), recorded=None)
    reject = DecisionRequest("reject", "Dana Ops", reason="no rate limit", at=WHEN)
    changed = plan_decision(reject, snapshot=snapshot(), recorded=first.record)
    assert changed.state == "changed"
    assert changed.record.history == (first.record.current,)
    noted = DecisionRequest("approve", "Dana Ops", note="pre-scale by 8:30", at=WHEN)
    assert plan_decision(noted, snapshot=snapshot(), recorded=first.record).state == "changed"


def test_a_new_submission_makes_the_recorded_decision_stale() -> None:
    first = plan_decision(APPROVE, snapshot=snapshot(), recorded=None)
    resubmitted = snapshot(digest="b" * 64)
    assert decision_state(first.record, snapshot()) == "current"
    assert decision_state(first.record, resubmitted) == "stale"
    assert decision_state(None, resubmitted) == "none"
    again = plan_decision(APPROVE, snapshot=resubmitted, recorded=first.record)
    assert again.state == "stale"
    assert again.property_value is not None
    assert again.record.current.spec_digest == "b" * 64


def test_a_comment_already_there_is_not_posted_again() -> None:
    plan = plan_decision(APPROVE, snapshot=snapshot(), recorded=None)
    assert plan.comment is not None
    found = plan_decision(
        APPROVE, snapshot=snapshot(), recorded=None, comments=["hi", plan.comment]
    )
    assert found.comment is None
    assert found.property_value == plan.property_value
    other = plan_decision(
        DecisionRequest("reject", "Dana Ops", reason="r", at=WHEN),
        snapshot=snapshot(),
        recorded=None,
        comments=[plan.comment],
    )
    assert other.comment is not None  # another decision: another marker


def test_no_submission_snapshot_is_an_error() -> None:
    with pytest.raises(JiraError, match="OPS-7 has no campaign-guard submission"):
        plan_decision(APPROVE, snapshot=None, recorded=None, key="OPS-7")


@pytest.mark.parametrize(
    "kwargs",
    [
        {"decision": "reject", "reviewer": "Dana"},
        {"decision": "request-changes", "reviewer": "Dana", "reason": "  "},
        {"decision": "ship", "reviewer": "Dana"},
        {"decision": "approve", "reviewer": " "},
    ],
)
def test_bad_requests_are_usage_errors(kwargs: dict[str, Any]) -> None:
    with pytest.raises(UsageError):
        DecisionRequest(**kwargs)


def test_the_comment_escapes_what_people_wrote() -> None:
    hostile = DecisionRequest(
        "reject", "[~admin]", reason="h1. big\n{html}<b>x</b>{html} [x|https://evil]", at=WHEN
    )
    body = plan_decision(hostile, snapshot=snapshot(), recorded=None).comment
    assert body is not None
    assert "[~admin]" not in body
    assert "[x|https" not in body
    assert "\nh1." not in body
    assert body.startswith("h3. Campaign review: Rejected\n")


def test_the_record_round_trips_and_keeps_a_bounded_history() -> None:
    record: DecisionRecord | None = None
    for n in range(HISTORY + 5):
        plan = plan_decision(APPROVE, snapshot=snapshot(digest=f"{n:064d}"), recorded=record)
        record = plan.record
    assert record is not None
    assert len(record.history) == HISTORY
    assert DecisionRecord.from_json(record.to_json()) == record
    sent = record.with_change_event_sent()
    assert sent.current.change_event_sent
    assert not record.current.change_event_sent
    assert DecisionRecord.from_json(sent.to_json()) == sent


@pytest.mark.parametrize(
    "stored",
    [
        None,
        [],
        {"version": 2, "current": {}},
        {"version": True, "current": {}},
        {"version": 1, "current": {"decision": "ship"}},
        {"version": 1, "current": {"decision": "approve", "reviewer": 1}},
    ],
)
def test_an_untrusted_record_that_is_not_ours_reads_as_none(stored: object) -> None:
    assert DecisionRecord.from_json(stored) is None


def test_junk_in_the_history_or_optional_fields_is_dropped_or_refused() -> None:
    good = Decision("approve", "Dana", "2026-12-01T10:00:00+00:00", "a" * 64).to_json()
    stored = {"version": 1, "current": good, "history": [good, "junk", {"decision": 3}]}
    record = DecisionRecord.from_json(stored)
    assert record is not None
    assert len(record.history) == 1
    assert Decision.from_json({**good, "reason": 5}) is None
    assert Decision.from_json({**good, "change_event_sent": "yes"}) is None


def test_snapshots_written_before_decisions_still_read() -> None:
    old = {"version": 1, "campaign_id": "c", "issue_digest": "d", "fields": None}
    assert Snapshot.from_json(old) == Snapshot("c", {}, "d")
