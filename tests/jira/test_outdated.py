"""A re-submit after a decision: the change comment says first that the decision was for
the earlier version, the result names it, a dry run sees it, and nothing more is sent."""

from __future__ import annotations

import pytest

from campaign_guard.jira.decision import DECISION_KEY, Decision, DecisionRecord
from campaign_guard.jira.filing import IssueGateway, look_before_filing
from campaign_guard.jira.outdated import (
    outdated_decision,
    outdated_line,
    outdated_words,
    with_outdated,
)
from campaign_guard.jira.snapshot import PROPERTY_KEY, Snapshot
from tests.jira.test_filing import CLOUD, DC, FakeJira, submission, submit, winter

DAY = "2027-02-03T10:15:00+00:00"


def _decide(jira: FakeJira, verdict: str = "approve", reviewer: str = "Dana Ops") -> Decision:
    """Record a decision on the submission the issue holds now (as ``review`` does)."""
    issue = jira.issues[0]
    snapshot = Snapshot.from_json(issue.properties[PROPERTY_KEY])
    assert snapshot is not None
    decision = Decision(verdict, reviewer, DAY, snapshot.issue_digest)  # type: ignore[arg-type]
    issue.properties[DECISION_KEY] = DecisionRecord(decision).to_json()
    return decision


@pytest.mark.parametrize(
    ("verdict", "first"),
    [
        ("approve", "*The approval by Dana Ops on 3 Feb 2027 was for the earlier version"),
        ("reject", "*The rejection by Dana Ops on 3 Feb 2027 was for the earlier version"),
        ("request-changes", "*The request for changes by Dana Ops on 3 Feb 2027 was for"),
    ],
)
@pytest.mark.parametrize("settings", [CLOUD, DC], ids=["cloud", "dc"])
def test_a_change_after_a_decision_says_it_first_for_no_extra_request(
    verdict: str, first: str, settings: object
) -> None:
    jira = FakeJira(dc=settings is DC)
    submit(jira, winter(), settings=settings)  # type: ignore[arg-type]
    decision = _decide(jira, verdict)
    jira.calls.clear()
    result = submit(jira, winter(name="Winter Newsletter XL"), settings=settings)  # type: ignore[arg-type]
    assert result.outdated == decision
    assert jira.writes() == ["update", "comment"]  # no transition, no property write
    assert result.requests == (3 if settings is CLOUD else 4)
    comment = jira.issues[0].comments[0]
    assert comment.startswith(first)
    assert comment.splitlines()[0].endswith("this change needs a new review.*")
    assert comment.splitlines()[2].startswith("h3. Campaign spec updated:")
    # the decision property is left as it is: the queue shows it stale from the digests
    assert jira.issues[0].properties[DECISION_KEY] == DecisionRecord(decision).to_json()


def test_an_unchanged_resubmit_after_a_decision_writes_and_says_nothing() -> None:
    jira = FakeJira()
    submit(jira, winter())
    _decide(jira)
    jira.calls.clear()
    result = submit(jira, winter())
    assert (result.action, result.outdated) == ("unchanged", None)
    assert jira.names() == ["search"]


def test_a_change_outside_the_review_fields_still_says_the_decision_is_out_of_date() -> None:
    jira = FakeJira()
    submit(jira, winter())
    _decide(jira)
    result = submit(jira, winter(notes="Ask Sam about the banner."))
    assert result.commented
    (comment,) = jira.issues[0].comments
    assert comment.startswith("*The approval by Dana Ops on 3 Feb 2027")
    assert "Only details outside the review fields changed" in comment
    assert comment.rstrip().endswith("_")  # the submission marker is last


def test_a_decision_on_this_very_submission_is_not_out_of_date() -> None:
    jira = FakeJira()
    submit(jira, winter())
    _decide(jira)
    snapshot = Snapshot.from_json(jira.issues[0].properties[PROPERTY_KEY])
    assert snapshot is not None
    assert outdated_decision(jira.issues[0].properties[DECISION_KEY], "0" * 64) is not None
    assert outdated_decision(jira.issues[0].properties[DECISION_KEY], snapshot.issue_digest) is None
    assert outdated_decision({"version": 1, "current": "junk"}, "0" * 64) is None


@pytest.mark.parametrize("dc", [False, True], ids=["cloud", "dc"])
def test_looking_before_filing_reads_and_writes_nothing(dc: bool) -> None:
    settings = DC if dc else CLOUD
    jira = FakeJira(dc=dc)
    gateway: IssueGateway = jira
    new = look_before_filing(gateway, settings, submission(winter(), settings))
    assert (new.action, new.key, new.requests) == ("created", "", 1)
    submit(jira, winter(), settings=settings)
    decision = _decide(jira)
    jira.calls.clear()
    same = look_before_filing(gateway, settings, submission(winter(), settings))
    assert (same.action, same.outdated) == ("unchanged", None)
    changed = look_before_filing(gateway, settings, submission(winter(name="XL"), settings))
    assert (changed.action, changed.outdated, changed.key) == ("updated", decision, "OPS-101")
    assert changed.requests == (2 if dc else 1)
    assert jira.writes() == []
    assert jira.issues[0].comments == []


def test_a_hostile_reviewer_name_is_escaped_and_bounded() -> None:
    name = "[x|javascript:alert(1)] {noformat} <script>\u202e\n" + "é" * 10_000
    decision = Decision("approve", name, DAY, "d" * 64)
    line = outdated_line(decision)
    assert line.count("\n") == 0
    assert "\\[x\\|javascript:alert\\(1\\)\\] \\{noformat\\}" in line  # never a link or macro
    assert "\u202e" not in line
    assert len(line) < 400
    words = outdated_words(decision)
    assert "\n" not in words
    assert len(words) < 250


def test_an_unreadable_decision_time_leaves_the_day_out() -> None:
    decision = Decision("reject", "  ", "yesterday", "d" * 64)
    assert outdated_line(decision) == (
        "*The rejection by the reviewer was for the earlier version: this change needs a new "
        "review.*"
    )
    assert outdated_words(decision, dry_run=True) == (
        "DevOps rejected the earlier version (the reviewer); your change would need their "
        "review again."
    )
    assert with_outdated(None, decision, name="{x}", submission="abc").endswith(
        "_campaign\\-guard submission abc_\n"
    )
