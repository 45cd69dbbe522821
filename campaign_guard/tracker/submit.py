"""Submit a campaign to Jira: create its issue once, or comment on it when it changes.

The idempotency rules (reliability.md B4, B9, C2):

* the issue carries a deterministic label, ``cg-`` + sha256(campaign id)[:16], and the
  campaign's issue is found by searching for that label before anything is written;
* when several issues carry the label, the oldest (lowest Jira id) is kept and the
  others are reported as ``duplicates``;
* a create whose outcome is unknown (timeout, reset, 5xx after the POST) is never
  re-POSTed within a run: the label search is polled (Jira Cloud's search is eventually
  consistent) until the issue shows up or the re-search budget runs out, and then the
  run fails with a message saying a re-run is safe (it searches first).

Pure orchestration: no printing, no exiting, no real clock or sleeping unless the
caller passes them. The gateway is anything with the methods of :class:`IssueGateway`.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal, Protocol

from campaign_guard.estimate.engine import Estimate
from campaign_guard.estimate.summary import headline
from campaign_guard.jira_settings import JiraSettings
from campaign_guard.oncall.base import OnCallPerson
from campaign_guard.spec.campaign import CampaignSpec
from campaign_guard.tracker.jira_http import IssueRef, JiraError, OutcomeUnknown
from campaign_guard.tracker.jql import campaign_label
from campaign_guard.tracker.markup import wiki_escape
from campaign_guard.tracker.ticket import CAMPAIGN_LABEL, TicketText, comment_text, review_fields

RESEARCH_BUDGET_SECONDS = 60.0
"""How long to poll the label search after a create whose outcome is unknown."""

POLL_INTERVAL_SECONDS = 5.0

Action = Literal["created", "updated", "unchanged"]


class IssueGateway(Protocol):
    """The part of :class:`~campaign_guard.tracker.gateway.JiraGateway` a submit uses."""

    def find_campaign_issues(self, project_key: str, label: str) -> list[IssueRef]: ...

    def create_issue(self, fields: Mapping[str, Any]) -> IssueRef: ...

    def add_comment(self, key: str, body: str) -> str: ...

    def update_fields(self, key: str, fields: Mapping[str, Any]) -> None: ...

    def attach(self, key: str, filename: str, content: bytes) -> None: ...


@dataclass(frozen=True)
class SubmitResult:
    """What a submit did, for the caller to print and record."""

    action: Action
    key: str
    url: str
    duplicates: tuple[str, ...] = ()
    """Other issues carrying the campaign's label (newer than ``key``): close them."""
    requests: int = 0
    """Gateway calls made (searches, creates, comments, updates, attachments)."""
    assigned: bool = False
    """True when this run set the assignee (only on create)."""
    warnings: tuple[str, ...] = ()
    """Things that went wrong without failing the submit (safe to print)."""


def submit_campaign(
    gateway: IssueGateway,
    settings: JiraSettings,
    spec: CampaignSpec,
    estimate: Estimate | None,
    *,
    spec_file_name: str,
    spec_bytes: bytes,
    ticket: TicketText,
    previous_spec: CampaignSpec | None = None,
    previous_estimate: Estimate | None = None,
    person: OnCallPerson | None = None,
    now: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
    research_budget: float = RESEARCH_BUDGET_SECONDS,
    poll_interval: float = POLL_INTERVAL_SECONDS,
) -> SubmitResult:
    """Create the campaign's issue, or comment on and update the existing one.

    ``previous_spec``/``previous_estimate`` are what was submitted last time (if known):
    the comment lists what changed, and nothing is written when nothing did. Without a
    previous spec an existing issue gets a "re-submitted" comment with the current
    review fields. Raises :class:`JiraError` (safe to print) when Jira fails.
    """
    if poll_interval <= 0:
        raise ValueError("poll_interval must be positive")
    calls = _Counted(gateway)
    label = campaign_label(spec.campaign_id)
    found = calls.find(settings.project, label)
    if found:
        keep, others = _oldest(found)
        return _update(
            calls,
            settings,
            keep,
            others=others,
            spec=spec,
            estimate=estimate,
            ticket=ticket,
            previous_spec=previous_spec,
            previous_estimate=previous_estimate,
        )

    fields, assigned, warnings = create_fields(settings, ticket, label, person)
    try:
        created = calls.create(fields)
        keep, others = created, ()
    except OutcomeUnknown:
        found = _poll(
            calls,
            settings.project,
            label,
            now=now,
            sleep=sleep,
            budget=research_budget,
            interval=poll_interval,
        )
        if not found:
            raise JiraError(
                f"the outcome of creating the Jira issue for campaign {spec.campaign_id!r} "
                f"is unknown: Jira did not answer the create, and no issue labelled "
                f"{label} showed up within {research_budget:.0f} s; re-run submit (it "
                "searches for that label first, so it will not create a duplicate)"
            ) from None
        keep, others = _oldest(found)
    try:
        calls.attach(keep.key, spec_file_name, spec_bytes)
    except JiraError:
        warnings.append(
            f"{keep.key} was created, but attaching {spec_file_name} failed; attach it by hand"
        )
    return SubmitResult(
        action="created",
        key=keep.key,
        url=issue_url(settings, keep.key),
        duplicates=tuple(ref.key for ref in others),
        requests=calls.count,
        assigned=assigned,
        warnings=tuple(warnings),
    )


def create_fields(
    settings: JiraSettings,
    ticket: TicketText,
    label: str,
    person: OnCallPerson | None,
) -> tuple[dict[str, Any], bool, list[str]]:
    """The create's ``fields``, whether they set the assignee, and any warnings."""
    fields: dict[str, Any] = {
        "project": {"key": settings.project},
        "issuetype": {"name": settings.issue_type},
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


def issue_url(settings: JiraSettings, key: str) -> str:
    return f"{settings.site}/browse/{key}"


def resubmitted_comment(spec: CampaignSpec, estimate: Estimate | None) -> str:
    """The comment for a re-submit whose previous spec is unknown: the current fields."""
    values = review_fields(spec, estimate)
    sections: list[tuple[str, list[str]]] = [
        ("Campaign name", [str(values["name"])]),
        ("Launch", [str(values["launch"])]),
        ("Expected traffic", [str(item) for item in values["channels"]]),
        ("Landing pages and API endpoints", [str(item) for item in values["targets"]]),
        ("New data fields", [str(item) for item in values["data_fields"]]),
    ]
    if estimate is not None:
        sections.append(("Estimate", [headline(estimate)]))
    lines = [f"h3. Campaign spec re-submitted: {wiki_escape(spec.name)}"]
    for title, items in sections:
        lines += ["", f"*{title}*"]
        lines += [f"* {wiki_escape(item)}" for item in items] or ["* none"]
    return "\n".join(lines) + "\n"


# --- internals ------------------------------------------------------------------------


class _Counted:
    """The gateway, counting every call (failed ones too)."""

    def __init__(self, gateway: IssueGateway) -> None:
        self._gateway = gateway
        self.count = 0

    def find(self, project: str, label: str) -> list[IssueRef]:
        self.count += 1
        return self._gateway.find_campaign_issues(project, label)

    def create(self, fields: Mapping[str, Any]) -> IssueRef:
        self.count += 1
        return self._gateway.create_issue(fields)

    def comment(self, key: str, body: str) -> str:
        self.count += 1
        return self._gateway.add_comment(key, body)

    def update(self, key: str, fields: Mapping[str, Any]) -> None:
        self.count += 1
        self._gateway.update_fields(key, fields)

    def attach(self, key: str, filename: str, content: bytes) -> None:
        self.count += 1
        self._gateway.attach(key, filename, content)


def _update(
    calls: _Counted,
    settings: JiraSettings,
    keep: IssueRef,
    *,
    others: tuple[IssueRef, ...],
    spec: CampaignSpec,
    estimate: Estimate | None,
    ticket: TicketText,
    previous_spec: CampaignSpec | None,
    previous_estimate: Estimate | None,
) -> SubmitResult:
    if previous_spec is None:
        body: str | None = resubmitted_comment(spec, estimate)
    else:
        body = comment_text(previous_spec, spec, previous_estimate, estimate)
    action: Action = "unchanged"
    if body is not None:
        # The idempotent PUT first: if it fails, no comment announces a change that
        # did not land. The comment (a POST) goes last and is never retried.
        ours = _labels(campaign_label(spec.campaign_id), ticket.labels, settings.labels)
        calls.update(
            keep.key,
            {
                "summary": ticket.summary,
                "description": ticket.description,
                "labels": list(_labels(*ours, *keep.labels)),
                "duedate": ticket.due_date,
            },
        )
        calls.comment(keep.key, body)
        action = "updated"
    return SubmitResult(
        action=action,
        key=keep.key,
        url=issue_url(settings, keep.key),
        duplicates=tuple(ref.key for ref in others),
        requests=calls.count,
    )


def _poll(
    calls: _Counted,
    project: str,
    label: str,
    *,
    now: Callable[[], float],
    sleep: Callable[[float], None],
    budget: float,
    interval: float,
) -> list[IssueRef]:
    """Search for ``label`` until it is found or ``budget`` seconds have passed."""
    deadline = now() + budget
    while True:
        try:
            found = calls.find(project, label)
        except JiraError as exc:
            raise JiraError(
                f"the outcome of creating the Jira issue is unknown, and searching for "
                f"it failed ({exc}); re-run submit (it searches for label {label} "
                "first, so it will not create a duplicate)"
            ) from None
        if found:
            return found
        remaining = deadline - now()
        if remaining <= 0:
            return []
        sleep(min(interval, remaining))


def _oldest(found: Sequence[IssueRef]) -> tuple[IssueRef, tuple[IssueRef, ...]]:
    """The oldest issue (lowest Jira id, then lowest key number) and the others."""
    ordered = sorted(found, key=_age)
    return ordered[0], tuple(ordered[1:])


def _age(ref: IssueRef) -> tuple[int, int, str]:
    ident = int(ref.id) if ref.id.isdigit() else 2**63
    number = ref.key.rpartition("-")[2]
    return ident, int(number) if number.isdigit() else 2**63, ref.key


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
    "SubmitResult",
    "create_fields",
    "issue_url",
    "resubmitted_comment",
    "submit_campaign",
)
