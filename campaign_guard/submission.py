"""From a validated spec and its estimate to a filed Jira ticket.

The steps ``campaign-guard submit`` takes, in the order that keeps a failure harmless:
everything that can be checked without Jira (settings, credentials, who is on call) is
checked before the first request; the field mapping is resolved before anything is
written; and only then does :func:`~campaign_guard.jira.filing.file_issue`
search, create or update. No printing and no exiting: the CLI shows the result.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

from campaign_guard.config.settings import Settings
from campaign_guard.errors import SetupError
from campaign_guard.jira.cache import cache_dir
from campaign_guard.jira.comment import compared_fields
from campaign_guard.jira.fields import field_values
from campaign_guard.jira.filing import Submission, SubmitResult, file_issue, look_before_filing
from campaign_guard.jira.gateway import JiraGateway
from campaign_guard.jira.jira_http import JiraError
from campaign_guard.jira.jql import campaign_label, id_reminder
from campaign_guard.jira.recent import Created, Recent, load, recent_file, remember
from campaign_guard.jira.saved_fields import FIELDS_CHANGED, needs_screen, resolve_mapping
from campaign_guard.jira.screen import cached_file, cached_screen, forget
from campaign_guard.jira.settings import Credentials, JiraSettings, credentials
from campaign_guard.jira.ticket import OnCall, TicketText, review_values
from campaign_guard.loadmodel.engine import Estimate
from campaign_guard.loadmodel.summary import overall_verdict
from campaign_guard.oncall.base import OnCallError, OnCallPerson
from campaign_guard.oncall.who import on_call
from campaign_guard.plan import SubmissionPlan
from campaign_guard.spec.campaign import CampaignSpec


class Connect(Protocol):
    def __call__(
        self, settings: JiraSettings, credentials: Credentials, *, started: float | None = None
    ) -> JiraGateway: ...


@dataclass(frozen=True)
class Filed:
    """A submit's result, who it went to, and what to tell the marketer."""

    result: SubmitResult
    assignee: OnCallPerson | None
    at_launch: OnCallPerson | None
    requests: int
    """HTTP requests sent to Jira (on-call provider calls not counted)."""
    warnings: tuple[str, ...]


def require_jira(settings: Settings, command: str = "submit") -> JiraSettings:
    """The ``jira:`` settings, or a SetupError saying where to put them for ``command``."""
    if settings.config_path is None:
        raise SetupError(
            f"{command} needs a project file with a jira: section giving the site and "
            "project: `campaign-guard init --kind project` writes a campaign-guard.yaml to "
            "fill in (or use [tool.campaign-guard] in pyproject.toml)"
        )
    jira = settings.jira
    if jira is None:
        raise SetupError(
            f"{settings.config_path}: no jira: section; add one with the Jira site and "
            "project (e.g. site: https://example.atlassian.net, project: OPS)"
        )
    return jira


@dataclass(frozen=True)
class _Prepared:
    """What a submit sends, and to whom, once everything before the search is done."""

    jira: JiraSettings
    gateway: JiraGateway
    submission: Submission
    at_launch: OnCallPerson | None
    mapped: dict[str, str]
    cache: Path | None
    recent: Recent | None
    reconcile: tuple[str, ...]
    warnings: list[str]


def submit(
    plan: SubmissionPlan,
    *,
    started: float | None = None,
    connect: Connect = JiraGateway.connect,
) -> Filed:
    """File (or update) the plan's ticket in Jira; raises CampaignGuardError subclasses.

    ``started``: when the command started (``time.monotonic()``); Jira gets
    ``jira.retry_budget_seconds`` from then on, start-up included. ``connect``: how to
    reach Jira (the real client unless given).
    """
    ready = _prepare(plan, started, connect)
    jira, gateway, warnings = ready.jira, ready.gateway, ready.warnings
    try:
        result = file_issue(
            gateway,
            jira,
            ready.submission,
            deadline=gateway.deadline,
            reconcile=ready.reconcile,
        )
    except JiraError as exc:
        raise _explained(exc, ready.mapped, ready.cache) from None
    if ready.recent is not None:
        label = campaign_label(plan.spec.campaign_id)
        warnings += _remember(ready.recent, result, jira.project, label, plan.now)
    reminder = id_reminder(plan.spec)
    if reminder is not None:
        warnings.append(reminder)
    return Filed(
        result=result,
        assignee=ready.submission.person if result.assigned else None,
        at_launch=ready.at_launch,
        requests=gateway.sent,
        warnings=(*warnings, *result.warnings),
    )


def look_before_submit(
    plan: SubmissionPlan,
    *,
    started: float | None = None,
    connect: Connect = JiraGateway.connect,
) -> Filed:
    """What :func:`submit` would do with the plan, from its reads alone: the same
    preparation (on call, mapped fields), the same search; nothing is written. The
    result's ``action`` is the one a submit would take; ``warnings`` are the
    preparation's."""
    ready = _prepare(plan, started, connect)
    try:
        result = look_before_filing(
            ready.gateway, ready.jira, ready.submission, reconcile=ready.reconcile
        )
    except JiraError as exc:
        raise _explained(exc, ready.mapped, ready.cache) from None
    return Filed(
        result=result,
        assignee=ready.submission.person,
        at_launch=ready.at_launch,
        requests=ready.gateway.sent,
        warnings=tuple(ready.warnings),
    )


def _prepare(plan: SubmissionPlan, started: float | None, connect: Connect) -> _Prepared:
    """Everything that comes before the search: settings, credentials, who is on call,
    the mapped fields; the first failure stops it before anything is written."""
    spec, environ, now = plan.spec, plan.environ, plan.now
    jira = require_jira(plan.settings)
    creds = credentials(jira, environ)
    warnings: list[str] = []
    try:
        person, at_launch = on_call(plan.settings.oncall, spec, environ, now, warnings)
    except OnCallError as exc:
        raise OnCallError(f"{str(exc).rstrip('.')}; nothing was sent to Jira") from None
    gateway = connect(jira, creds, started=started)
    person = _with_jira_id(gateway, jira, person, warnings)
    ticket = plan.ticket(OnCall.of(person, at_launch))
    cache = cached_file(environ, jira) if jira.fields else None
    custom, mapped = _mapped_fields(gateway, jira, spec, plan.estimate, cache)
    recent = _recent(environ, jira, now)
    label = campaign_label(spec.campaign_id)
    return _Prepared(
        jira=jira,
        gateway=gateway,
        submission=_submission(plan, ticket, custom, person),
        at_launch=at_launch,
        mapped=mapped,
        cache=cache,
        recent=recent,
        reconcile=tuple(recent.ids(jira.project, label)) if recent else (),
        warnings=warnings,
    )


def _submission(
    plan: SubmissionPlan,
    ticket: TicketText,
    custom_fields: dict[str, Any],
    person: OnCallPerson | None,
) -> Submission:
    """What :func:`~campaign_guard.jira.filing.file_issue` writes for the plan."""
    return Submission(
        campaign_id=plan.spec.campaign_id,
        name=plan.spec.name,
        ticket=ticket,
        review=compared_fields(plan.spec, plan.estimate),
        spec_file_name=plan.spec_file_name,
        spec_bytes=plan.spec_path.read_bytes(),
        custom_fields=custom_fields,
        person=person,
        template_dir=plan.settings.template_dir,
        verdict=overall_verdict(plan.estimate),
    )


def _explained(exc: JiraError, mapped: Mapping[str, str], cache: Path | None) -> JiraError:
    """``exc``, or the setting to fix when Jira refused a field; a refused mapped field
    drops the cached screen, which changed."""
    explained = explain_rejection(exc, mapped)
    if explained is None:
        return exc
    if any(field in mapped for field in exc.field_errors):
        forget(cache)  # the screen changed: read it again next time
    return explained


_SETTING_FOR = {
    "project": "jira.project",
    "issuetype": "jira.issue_type",
    "components": "jira.components",
    "labels": "jira.labels",
    "assignee": "oncall (the on-call engineer's jira_account_id or jira_user_name)",
}


def explain_rejection(exc: JiraError, mapped: Mapping[str, str]) -> JiraError | None:
    """For a 400 with field errors: the first one, naming the setting to fix."""
    if exc.status != 400 or not exc.field_errors:
        return None
    field, message = next(iter(exc.field_errors.items()))
    if field in mapped:
        setting = f"jira.fields.{mapped[field]}"
        message = f"{message.rstrip('. ')}; {FIELDS_CHANGED}"
    elif field in _SETTING_FOR:
        setting = _SETTING_FOR[field]
    elif field in ("summary", "description", "duedate"):
        setting = f"jira.issue_type (its screens must include the {field} field)"
    else:
        setting = (
            f"jira.issue_type (the field {field} is required but campaign-guard does not "
            "fill it: make it optional, give it a default, or map a review field to it)"
        )
    return JiraError(f"Jira refused the ticket: {setting}: {message}", status=400)


def _recent(environ: Mapping[str, str], jira: JiraSettings, now: datetime) -> Recent | None:
    """The issues created lately from this machine (Cloud only: Data Center's search is
    consistent, and takes no ``reconcileIssues``)."""
    if not jira.is_cloud:
        return None
    return load(recent_file(cache_dir(environ), jira.site), jira.site, now=now.timestamp)


def _remember(
    recent: Recent, result: SubmitResult, project: str, label: str, now: datetime
) -> list[str]:
    """Remember a new issue, and replace a file that could not be read; what to warn of."""
    new = None
    if result.action == "created" and result.issue_id.isdigit():
        new = Created(result.issue_id, result.key, project, label, now.timestamp())
    if new is None and recent.problem is None:
        return []
    problem = remember(recent, new, now=now.timestamp)
    if problem and new is not None:
        return [
            f"{problem}: a submit run again in the next minutes may not see {result.key} yet "
            "and could file a second ticket (the submit after that keeps the oldest and names "
            "the other as a duplicate)"
        ]
    if recent.problem is not None:
        return [f"{recent.problem}; {problem or 'it was replaced'}"]
    return []


def _mapped_fields(
    gateway: JiraGateway,
    jira: JiraSettings,
    spec: CampaignSpec,
    estimate: Estimate | None,
    cache: Path | None,
) -> tuple[dict[str, Any], dict[str, str]]:
    """The mapped fields' values, and Jira field id → review field name.

    Saved fields (``jira fields --save``) need no create screen; it is read (or taken
    from the cache) only for fields mapped by name or id.
    """
    if not jira.fields:
        return {}, {}
    screen = cached_screen(gateway, jira, cache) if needs_screen(jira.fields) else None
    resolved = resolve_mapping(jira.fields, screen)
    values = field_values(resolved, review_values(spec, estimate))
    return values, {target.id: review for review, target in resolved.items()}


def _with_jira_id(
    gateway: JiraGateway, jira: JiraSettings, person: OnCallPerson | None, warnings: list[str]
) -> OnCallPerson | None:
    """``person`` with the Jira id the deployment assigns by, looked up by email if needed."""
    if person is None:
        return None
    if (person.jira_account_id if jira.is_cloud else person.jira_user_name) is not None:
        return person
    users = gateway.users_by_email(person.email)
    if len(users) != 1:
        how = "no Jira user has" if not users else "several Jira users have"
        warnings.append(
            f"{how} the email of the on-call engineer {person.name}; the issue is "
            "unassigned (add their Jira id to oncall: in the project file)"
        )
        return replace(person, jira_account_id=None, jira_user_name=None)
    return replace(person, jira_account_id=users[0].account_id, jira_user_name=users[0].name)
