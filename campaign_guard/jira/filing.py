"""Submit a campaign to Jira: create its issue once, or comment on it when it changes.

The idempotency rules (a submit that is run twice, interrupted, or loses Jira's answer
files one issue and posts each comment once):

* the issue carries a deterministic label, ``cg-`` + sha256(campaign id)[:16], and the
  campaign's issue is found by searching for that label before anything is written;
* the search also returns the snapshot the last submit stored on the issue (the
  ``campaign-guard.submission`` entity property) and the reviewer's decision
  (``campaign-guard.decision``; :mod:`~campaign_guard.jira.lookup`): when nothing
  changed, nothing is written; otherwise the fields and the snapshot are updated in one
  PUT, and one comment says what changed, first that a decision taken on an earlier
  submission no longer applies (:mod:`~campaign_guard.jira.outdated`);
* when several issues carry the label, the oldest (lowest Jira id) is kept and the
  others are reported as ``duplicates``;
* a create whose outcome is unknown (timeout, reset, 5xx after the POST) is never
  re-POSTed within a run: the label search is polled (Jira Cloud's search is eventually
  consistent) until the issue shows up or the re-search budget runs out, and then the
  run fails with a message saying a re-run is safe (it searches first);
* a comment whose outcome is unknown is looked for (by the submission marker it ends
  with) before it is posted again; a comment that fails puts the previous snapshot back,
  so a re-run posts it rather than finding "nothing changed".

Pure orchestration: no printing, no exiting, no real clock or sleeping unless the
caller passes them. The gateway is anything with the methods of :class:`IssueGateway`.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal, Protocol

from campaign_guard.jira.comment import Fields, change_comment, resubmitted_comment
from campaign_guard.jira.decision import Decision
from campaign_guard.jira.jira_http import (
    Counted,
    IssueRef,
    JiraError,
    OutcomeUnknown,
    RerunSubmit,
)
from campaign_guard.jira.jql import campaign_label
from campaign_guard.jira.lookup import Finder, Lookup, look_up, oldest
from campaign_guard.jira.outdated import with_outdated
from campaign_guard.jira.settings import JiraSettings
from campaign_guard.jira.snapshot import PROPERTY_KEY, Snapshot, issue_digest
from campaign_guard.jira.ticket import CAMPAIGN_LABEL, TicketText
from campaign_guard.oncall.base import OnCallPerson
from campaign_guard.retry import Deadline

POLL_INTERVAL_SECONDS = 5.0
"""How often to search for an issue whose create went unanswered."""
LAST_REQUEST_SECONDS = 1.0
"""The least time worth leaving before the deadline for one more search."""
LATER = "in a minute: it looks for the ticket first, so it never files a second one"

logger = logging.getLogger(__name__)

Action = Literal["created", "updated", "unchanged"]


class IssueGateway(Finder, Protocol):
    """The part of :class:`~campaign_guard.jira.gateway.JiraGateway` a submit uses."""

    def create_issue(
        self, fields: Mapping[str, Any], properties: Mapping[str, Any] | None = None
    ) -> IssueRef: ...

    def update_fields(
        self, key: str, fields: Mapping[str, Any], properties: Mapping[str, Any] | None = None
    ) -> None: ...

    def add_comment(self, key: str, body: str) -> str: ...

    def comment_bodies(self, key: str, newest: int = 50) -> list[str]: ...

    def set_property(self, key: str, name: str, value: Any) -> None: ...

    def delete_property(self, key: str, name: str) -> None: ...

    def attach(self, key: str, filename: str, content: bytes) -> None: ...


@dataclass(frozen=True)
class Submission:
    """Everything one submit sends, prepared before the first request."""

    campaign_id: str
    name: str
    ticket: TicketText
    review: Fields
    """The compared review fields (:func:`~campaign_guard.jira.comment.compared_fields`)."""
    spec_file_name: str
    spec_bytes: bytes
    custom_fields: Mapping[str, Any] = field(default_factory=dict)
    """Mapped Jira fields: field id → value (:mod:`campaign_guard.jira.fields`)."""
    person: OnCallPerson | None = None
    """Who is on call now: the assignee of a new issue."""
    template_dir: Path | None = None
    verdict: str | None = None
    """The estimate's verdict word (ok, scale, overload), kept in the snapshot."""


@dataclass(frozen=True)
class SubmitResult:
    """What a submit did, for the caller to print and record."""

    action: Action
    key: str
    url: str
    issue_id: str = ""
    """Jira's id of the issue (what ``reconcileIssues`` takes)."""
    duplicates: tuple[str, ...] = ()
    """Other issues carrying the campaign's label (newer than ``key``): close them."""
    requests: int = 0
    """Gateway calls made (searches, creates, comments, updates, attachments)."""
    assigned: bool = False
    """True when this run set the assignee (only on create)."""
    commented: bool = False
    warnings: tuple[str, ...] = ()
    """Things that went wrong without failing the submit (safe to print)."""
    outdated: Decision | None = None
    """The reviewer's decision this update made out of date (based on an earlier
    submission): the change comment says so first."""


def _spec_text(raw: bytes) -> str | None:
    """The spec's text for the snapshot (None when it is not UTF-8 text)."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None


def file_issue(
    gateway: IssueGateway,
    settings: JiraSettings,
    submission: Submission,
    *,
    deadline: Deadline,
    reconcile: Sequence[str] = (),
    sleep: Callable[[float], None] = time.sleep,
    poll_interval: float = POLL_INTERVAL_SECONDS,
) -> SubmitResult:
    """Create the campaign's issue, or update the existing one and say what changed.

    ``reconcile``: ids of issues this machine created lately for the campaign.
    ``deadline``: when the command must be done (the gateway's requests stop then too).
    Raises :class:`JiraError` (safe to print) when Jira fails.
    """
    if poll_interval <= 0:
        raise ValueError("poll_interval must be positive")
    calls = Counted()
    lookup = _look_up(gateway, calls, settings, submission, reconcile)
    if lookup.keep is not None:
        return _update(gateway, calls, settings, lookup, submission=submission)
    return _create(
        gateway,
        calls,
        settings,
        submission,
        lookup.snapshot,
        deadline=deadline,
        sleep=sleep,
        poll_interval=poll_interval,
    )


def look_before_filing(
    gateway: IssueGateway,
    settings: JiraSettings,
    submission: Submission,
    *,
    reconcile: Sequence[str] = (),
) -> SubmitResult:
    """What :func:`file_issue` would do, from its reads alone (a dry run): nothing is
    written. The action is the one a submit would take (``created``: no issue yet)."""
    calls = Counted()
    lookup = _look_up(gateway, calls, settings, submission, reconcile)
    if lookup.keep is None:
        return SubmitResult(action="created", key="", url="", requests=calls.count)
    return SubmitResult(
        action="updated" if lookup.changed else "unchanged",
        key=lookup.keep.key,
        url=issue_url(settings, lookup.keep.key),
        issue_id=lookup.keep.id,
        duplicates=tuple(ref.key for ref in lookup.others),
        requests=calls.count,
        outdated=lookup.outdated,
    )


def _look_up(
    gateway: IssueGateway,
    calls: Counted,
    settings: JiraSettings,
    submission: Submission,
    reconcile: Sequence[str],
) -> Lookup:
    """The search (and on Data Center the issue's properties) for ``submission``."""
    label = campaign_label(submission.campaign_id)
    ours = _labels(label, submission.ticket.labels, settings.labels)
    # What the spec says decides whether anything changed, not the day it is submitted.
    compared = {**issue_fields(submission), "description": submission.ticket.compared_description}
    snapshot = Snapshot(
        submission.campaign_id,
        submission.review,
        issue_digest({**compared, "labels": ours}),
        verdict=submission.verdict,
        spec_text=_spec_text(submission.spec_bytes),
    )
    return look_up(gateway, calls, settings.project, label, snapshot, reconcile=reconcile)


def issue_fields(submission: Submission) -> dict[str, Any]:
    """The fields a submit writes on create and on every update (labels aside)."""
    ticket = submission.ticket
    return {
        "summary": ticket.summary,
        "description": ticket.description,
        "duedate": ticket.due_date,
        **submission.custom_fields,
    }


def create_fields(
    settings: JiraSettings,
    ticket: TicketText,
    label: str,
    person: OnCallPerson | None,
) -> tuple[dict[str, Any], bool, list[str]]:
    """The create's standard ``fields``, whether they set the assignee, and any warnings."""
    fields: dict[str, Any] = {
        "project": {"key": settings.project},
        "issuetype": _issue_type_ref(settings.issue_type),
        "summary": ticket.summary,
        "description": ticket.description,
        "labels": list(_labels(label, ticket.labels, settings.labels)),
        "duedate": ticket.due_date,
    }
    if settings.components:
        fields["components"] = [{"name": name} for name in settings.components]
    warnings: list[str] = []
    if person is None:
        return fields, False, warnings
    if settings.is_cloud and person.jira_account_id:
        fields["assignee"] = {"accountId": person.jira_account_id}
    elif not settings.is_cloud and person.jira_user_name:
        fields["assignee"] = {"name": person.jira_user_name}
    else:
        what = "account id" if settings.is_cloud else "user name"
        warnings.append(
            f"the on-call engineer {person.name} has no Jira {what}; the issue is unassigned"
        )
        return fields, False, warnings
    return fields, True, warnings


def _issue_type_ref(issue_type: str) -> dict[str, str]:
    """By id when the setting is one (``10050``), else by name."""
    return {"id": issue_type} if issue_type.isdigit() else {"name": issue_type}


def issue_url(settings: JiraSettings, key: str) -> str:
    return f"{settings.site}/browse/{key}"


# --- internals ------------------------------------------------------------------------


def _create(
    gateway: IssueGateway,
    calls: Counted,
    settings: JiraSettings,
    submission: Submission,
    snapshot: Snapshot,
    *,
    deadline: Deadline,
    sleep: Callable[[float], None],
    poll_interval: float,
) -> SubmitResult:
    """Create the issue; when Jira's answer is lost, find it by its label before saying
    that the outcome is unknown."""
    label = campaign_label(submission.campaign_id)
    person = submission.person
    fields, assigned, warnings = create_fields(settings, submission.ticket, label, person)
    fields.update(submission.custom_fields)
    others: tuple[IssueRef, ...] = ()
    try:
        keep = calls(gateway.create_issue, fields, {PROPERTY_KEY: snapshot.to_json()})
    except OutcomeUnknown as exc:
        found = _poll(
            gateway,
            calls,
            settings.project,
            label,
            deadline=deadline,
            sleep=sleep,
            interval=poll_interval,
            why=exc.problem,
        )
        if not found:
            raise RerunSubmit(
                f"Jira did not confirm the ticket for '{submission.name}' ({exc.problem}), "
                f"and it has not shown up in a search within the {deadline.budget:.0f} s this "
                "command may take (jira.retry_budget_seconds): it may or may not have been "
                "filed",
                then=LATER,
            ) from None
        keep, others = oldest(found)
    if not _attach_once(gateway, calls, keep, submission):
        warnings.append(
            f"{keep.key} was created, but attaching {submission.spec_file_name} failed; "
            "the next submit attaches it"
        )
    return SubmitResult(
        action="created",
        key=keep.key,
        url=issue_url(settings, keep.key),
        issue_id=keep.id,
        duplicates=tuple(ref.key for ref in others),
        requests=calls.count,
        assigned=assigned,
        warnings=tuple(warnings),
    )


def _update(
    gateway: IssueGateway,
    calls: Counted,
    settings: JiraSettings,
    lookup: Lookup,
    *,
    submission: Submission,
) -> SubmitResult:
    keep, snapshot, stored, previous = lookup.keep, lookup.snapshot, lookup.stored, lookup.previous
    assert keep is not None  # an update has an issue
    result = SubmitResult(
        action="unchanged",
        key=keep.key,
        url=issue_url(settings, keep.key),
        issue_id=keep.id,
        duplicates=tuple(ref.key for ref in lookup.others),
    )
    attached = False
    if keep.attachments is not None and not keep.has_attached(submission.spec_file_name):
        # The submit that created it stopped before attaching the spec, or could not.
        attached = _attach_once(gateway, calls, keep, submission)
    if not lookup.changed:
        return _with(result, calls, action="updated" if attached else "unchanged")
    marker = snapshot.issue_digest[:16]
    if previous is not None and previous.complete:
        body = change_comment(
            submission.name,
            previous.fields,
            submission.review,
            submission=marker,
            template_dir=submission.template_dir,
        )
    else:
        body = resubmitted_comment(
            submission.name,
            submission.review,
            submission=marker,
            template_dir=submission.template_dir,
        )
    outdated = lookup.outdated
    if outdated is not None:  # the decision is on an earlier version: the ticket says so
        body = with_outdated(body, outdated, name=submission.name, submission=marker)
    # The idempotent PUT first: if it fails, no comment announces a change that did not
    # land. The comment (a POST) goes last.
    label = campaign_label(submission.campaign_id)
    ours = _labels(label, submission.ticket.labels, settings.labels)
    fields = {**issue_fields(submission), "labels": list(_labels(*ours, *keep.labels))}
    calls(gateway.update_fields, keep.key, fields, {PROPERTY_KEY: snapshot.to_json()})
    if body is not None:
        _comment_once(gateway, calls, keep.key, body, marker=marker, stored=stored)
    return _with(result, calls, action="updated", commented=body is not None, outdated=outdated)


def _comment_once(
    gateway: IssueGateway,
    calls: Counted,
    key: str,
    body: str,
    *,
    marker: str,
    stored: object,
) -> None:
    """Post ``body`` exactly once; on failure put the previous snapshot back."""
    try:
        try:
            calls(gateway.add_comment, key, body)
        except OutcomeUnknown:
            if any(marker in text for text in calls(gateway.comment_bodies, key)):
                return  # it landed: the answer was lost
            calls(gateway.add_comment, key, body)
    except JiraError as exc:
        try:
            if stored is None:
                calls(gateway.delete_property, key, PROPERTY_KEY)
            else:
                calls(gateway.set_property, key, PROPERTY_KEY, stored)
        except JiraError:
            raise JiraError(
                f"{key} was updated, but its change comment could not be posted ({exc}); "
                "tell the DevOps on call what changed"
            ) from None
        raise RerunSubmit(
            f"{key} was updated, but its change comment could not be posted ({exc})",
            then="to post it",
        ) from None


def _attach_once(
    gateway: IssueGateway, calls: Counted, issue: IssueRef, submission: Submission
) -> bool:
    """Attach the spec file exactly once; False when it could not be (the next submit,
    which sees the issue's attachments, tries again).

    When Jira's answer to the attach is lost, the issue is read before attaching again:
    the file may be there already (same name and size).
    """
    name, content = submission.spec_file_name, submission.spec_bytes
    try:
        try:
            calls(gateway.attach, issue.key, name, content)
        except OutcomeUnknown:
            if calls(gateway.issue, issue.key).has_attached(name, len(content)):
                return True
            calls(gateway.attach, issue.key, name, content)
    except JiraError:
        return False
    return True


def _with(result: SubmitResult, calls: Counted, **changes: Any) -> SubmitResult:
    return replace(result, requests=calls.count, **changes)


def _poll(
    gateway: IssueGateway,
    calls: Counted,
    project: str,
    label: str,
    *,
    deadline: Deadline,
    sleep: Callable[[float], None],
    interval: float,
    why: str,
) -> list[IssueRef]:
    """Search for ``label`` until it is found or the deadline is too near for more."""
    while True:
        try:
            found = calls(gateway.find_campaign_issues, project, label, (PROPERTY_KEY,))
        except JiraError as exc:
            raise RerunSubmit(
                f"Jira did not confirm the new ticket ({why}), and searching for it failed "
                f"({exc}): it may or may not have been filed",
                then=LATER,
            ) from None
        if found:
            return found
        left = deadline.remaining() - LAST_REQUEST_SECONDS
        if left <= 0:
            return []
        wait = min(interval, left)
        logger.info(
            "Jira did not confirm the new ticket (%s); looking for it again in %.0f s",
            why,
            wait,
            extra={"wait_seconds": wait},
        )
        sleep(wait)


def _labels(*groups: str | Sequence[str]) -> tuple[str, ...]:
    """Labels in order, without repeats; the campaign label is always first."""
    out: list[str] = []
    for group in groups:
        for label in (group,) if isinstance(group, str) else group:
            if label not in out:
                out.append(label)
    if CAMPAIGN_LABEL not in out:
        out.insert(1 if len(out) > 0 else 0, CAMPAIGN_LABEL)
    return tuple(out)


__all__: Sequence[str] = (
    "IssueGateway",
    "Submission",
    "SubmitResult",
    "create_fields",
    "file_issue",
    "issue_fields",
    "issue_url",
    "look_before_filing",
)
