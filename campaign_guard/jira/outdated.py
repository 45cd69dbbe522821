"""A re-submit after a decision: the decision no longer applies, and the ticket says so.

A reviewer's decision (:mod:`~campaign_guard.jira.decision`) names the submission it
was based on. When a submit changes the ticket, a decision based on an earlier
submission is out of date: the change comment then starts with one line saying so, and
the submit's result names the decision so the marketer is told too. The decision
property itself is left as it is (the review queue shows it ``stale`` from the digests),
and no transition is made: the next decision is the reviewer's.

Pure: what the issue holds in, wiki markup out. The property is untrusted input (anyone
with edit rights can change it): every string from it is clipped and escaped.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from campaign_guard.jira.comment import with_marker
from campaign_guard.jira.decision import Decision, DecisionRecord
from campaign_guard.jira.markup import wiki_escape

NAME_LIMIT = 100
"""Characters of the reviewer's name shown (the property may hold anything)."""

_WHAT = {
    "approve": "The approval",
    "reject": "The rejection",
    "request-changes": "The request for changes",
}


def outdated_decision(stored: object, digest: str) -> Decision | None:
    """The recorded decision (in the stored ``campaign-guard.decision`` property) when it
    was based on another submission than the one with ``digest``; else None."""
    record = DecisionRecord.from_json(stored)
    if record is None or record.current.spec_digest == digest:
        return None
    return record.current


def decided_on(decision: Decision) -> date | None:
    """The day of the decision (UTC, as recorded); None when the record's time is unreadable."""
    try:
        return datetime.fromisoformat(decision.decided_at[:40]).date()
    except ValueError:
        return None


def day_words(day: date) -> str:
    """``3 Feb 2027``: a day anyone reads the same way."""
    return f"{day.day} {day:%b %Y}"


def reviewer_name(decision: Decision) -> str:
    """The reviewer's name, on one line and bounded."""
    name = " ".join(decision.reviewer.split())[:NAME_LIMIT]
    return name or "the reviewer"


def outdated_line(decision: Decision) -> str:
    """The comment's first line (wiki markup): which decision no longer applies."""
    day = decided_on(decision)
    when = "" if day is None else f" on {day_words(day)}"
    who = wiki_escape(reviewer_name(decision))
    return (
        f"*{_WHAT[decision.decision]} by {who}{when} was for the earlier version: "
        "this change needs a new review.*"
    )


_EARLIER = {
    "approve": "DevOps approved the earlier version",
    "reject": "DevOps rejected the earlier version",
    "request-changes": "DevOps asked for changes to the earlier version",
}


def outdated_words(decision: Decision, *, dry_run: bool = False) -> str:
    """What the marketer is told (plain words, not markup): ``DevOps approved the
    earlier version (Dana Ops, 3 Feb 2027); your change needs their review again.``"""
    day = decided_on(decision)
    who = reviewer_name(decision) + ("" if day is None else f", {day_words(day)}")
    needs = "would need" if dry_run else "needs"
    return f"{_EARLIER[decision.decision]} ({who}); your change {needs} their review again."


def with_outdated(body: str | None, decision: Decision, *, name: str, submission: str) -> str:
    """The change comment ``body`` with the outdated-decision line first; when only
    details outside the review fields changed (no ``body``), a comment of its own."""
    line = outdated_line(decision)
    if body is not None:
        return f"{line}\n\n{body}"
    text = (
        f"{line}\n\nh3. Campaign spec updated: {wiki_escape(name)}\n\n"
        "Only details outside the review fields changed: the description shows them."
    )
    return with_marker(text, submission)


__all__: Sequence[str] = (
    "day_words",
    "decided_on",
    "outdated_decision",
    "outdated_line",
    "outdated_words",
    "reviewer_name",
    "with_outdated",
)
