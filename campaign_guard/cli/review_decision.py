"""``campaign-guard review KEY --approve|--reject|--request-changes``: record a decision
and print what was written (or, with ``--dry-run``, would be), and the approval's
PagerDuty change event when one is configured. The work is in
:func:`campaign_guard.api.review_decide`; every value from Jira goes through
:mod:`campaign_guard.safe_text` before it is printed.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from campaign_guard.cli.boundary import RunOptions, say_error, say_warning
from campaign_guard.cli.progress import waiting_status
from campaign_guard.errors import ExitCode
from campaign_guard.safe_text import block, json_document, one_line

if TYPE_CHECKING:
    from campaign_guard.api import DecisionOutcome

DECIDED = {"approve": "approved", "reject": "rejected", "request-changes": "changes requested"}


class Words:
    """A decision's reason and note."""

    def __init__(self, reason: str | None, note: str | None) -> None:
        self.reason, self.note = reason, note


def decide(
    options: RunOptions,
    key: str,
    decision: tuple[bool, bool, bool],
    words: Words,
    dry_run: bool,
    as_json: bool,
    capacity: Path | None,
) -> None:
    from campaign_guard import STARTED
    from campaign_guard.api import review_decide

    approve, reject, request_changes = decision
    with waiting_status(options):
        done = review_decide(
            key,
            approve=approve,
            reject=reject,
            request_changes=request_changes,
            reason=words.reason,
            note=words.note,
            dry_run=dry_run,
            capacity=capacity,
            started=STARTED,
        )
    if as_json:
        sys.stdout.write(json_document(decision_json(done)))
    else:
        if done.transition_note:
            say_warning(done.transition_note)
        sys.stdout.write(decision_text(done))
    problem = change_event_problem(done)
    if problem is not None:
        say_error(problem)
        raise typer.Exit(int(ExitCode.EXTERNAL))


def decision_json(done: DecisionOutcome) -> dict[str, Any]:
    return {
        "key": done.key,
        "url": done.url,
        "decision": done.decision,
        "dry_run": done.dry_run,
        "state": done.state,
        "wrote_nothing": done.wrote_nothing,
        "comment": done.comment,
        "commented": done.commented,
        "property": done.property_value,
        "property_written": done.property_written,
        "transition": done.transition,
        "to_status": done.to_status,
        "transitioned": done.transitioned,
        "transition_note": done.transition_note,
        "ticket": done.row.to_json(),
        "requests": done.requests,
        "change_event": None if done.change_event is None else done.change_event.to_json(),
    }


def decision_text(done: DecisionOutcome) -> str:
    """What was written (or would be), one line each; the comment as a block."""
    lines = _decision_lines(done)
    event = _event_line(done)
    if event is not None:
        lines.append(one_line(event))
    return "\n".join(lines) + "\n"


_EVENT_LINES = {
    "sent": "  change event sent to PagerDuty for launch {launch}",
    "already-sent": "  change event: PagerDuty has it from an earlier run (not sent again)",
    "would-send": "  send a change event to PagerDuty for launch {launch}",
    "failed": "  change event: not sent to PagerDuty (see the error below)",
    "not-recorded": "  change event sent to PagerDuty for launch {launch}, but not marked "
    "on the ticket (see the error below)",
}


def _event_line(done: DecisionOutcome) -> str | None:
    event = done.change_event
    if event is None:
        return None
    if done.dry_run and event.status == "already-sent":
        return "  send no change event (PagerDuty has it from an earlier run)"
    return _EVENT_LINES[event.status].format(launch=event.launch)


def change_event_problem(done: DecisionOutcome) -> str | None:
    """The one error line for a change event that failed after the decision was
    recorded (None when there is nothing wrong)."""
    event = done.change_event
    if event is None or event.error is None:
        return None
    again = f"campaign-guard review {done.key} --approve"
    if event.status == "not-recorded":
        return (
            f"the change event was sent to PagerDuty, but {done.key} could not be marked "
            f"as announced ({event.error}): running `{again}` again would send it a "
            "second time"
        )
    return (
        f"the approval of {done.key} is recorded, but the change event was not sent to "
        f"PagerDuty ({event.error}); the decision stands: run `{again}` again to send it"
    )


_DOING = {"approve": "Approving", "reject": "Rejecting", "request-changes": "Requesting changes on"}
_DONE = {"approve": "Approved", "reject": "Rejected", "request-changes": "Requested changes on"}


def _decision_lines(done: DecisionOutcome) -> list[str]:
    said = DECIDED[done.decision]
    if done.state == "same" and not done.transition and done.wrote_nothing:
        return [
            one_line(
                f"{done.key} is already {said} for this submission: nothing was "
                f"written ({done.url})"
            )
        ]
    lines: list[str] = []
    if done.dry_run:
        lines.append(
            one_line(
                f"Dry run: nothing was written. {_DOING[done.decision]} {done.key} "
                f"({done.url}) would:"
            )
        )
        if done.comment is not None:
            lines.append("  post this comment:")
            lines.append(block(done.comment.rstrip("\n")))
        else:
            lines.append("  post no comment (the decision's comment is there already)")
        if done.property_value is not None:
            lines.append("  write the campaign-guard.decision property")
        if done.transition:
            lines.append(
                one_line(f"  transition the ticket with {done.transition} to {done.to_status}")
            )
        return lines
    lines.append(one_line(f"{_DONE[done.decision]} {done.key}: {done.url}"))
    if done.commented:
        lines.append("  comment: posted (the decision, the verdicts it was based on, the actions)")
    elif done.state != "same":
        lines.append("  comment: already there (posted by an earlier run)")
    if done.property_written:
        lines.append("  property: campaign-guard.decision written")
    if done.transitioned:
        lines.append(one_line(f"  transition: {done.transition}, now {done.to_status}"))
    return lines
