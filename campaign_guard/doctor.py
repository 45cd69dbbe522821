"""``campaign-guard doctor``: is everything ``submit`` needs set up, and if not, what to fix.

Each check is data (:class:`Check`): its name, ``ok``/``warn``/``fail``/``skip`` and one
line that says what was found or exactly what to change. Checks run in order and the
ones that need an earlier one (the project needs the site, the fields need the issue
type) are skipped when it failed. No printing: the CLI shows the list.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from campaign_guard.config.settings import Settings
from campaign_guard.errors import CampaignGuardError
from campaign_guard.jira.fields import CreateScreen, unfilled_required
from campaign_guard.jira.gateway import JiraGateway
from campaign_guard.jira.saved_fields import SAVE_COMMAND, check_saved, fits, needs_screen
from campaign_guard.jira.screen import cached_file, cached_screen
from campaign_guard.jira.settings import Credentials, JiraSettings, credentials
from campaign_guard.jira.ticket import CAMPAIGN_LABEL
from campaign_guard.submission import require_jira

Status = Literal["ok", "warn", "fail", "skip"]
Probe = Callable[[JiraSettings, Credentials], JiraGateway]

_JIRA_CHECKS = (
    "credentials",
    "site",
    "account",
    "project",
    "issue type",
    "fields",
    "transitions",
    "on-call",
)

NEEDED_ON_SCREEN = {"summary": "Summary", "description": "Description", "duedate": "Due date"}


@dataclass(frozen=True)
class Check:
    name: str
    status: Status
    message: str


def _probe(settings: JiraSettings, creds: Credentials) -> JiraGateway:
    return JiraGateway.connect(settings, creds, probe=True)


def run_checks(
    settings: Settings,
    environ: Mapping[str, str],
    *,
    now: datetime,
    connect: Probe = _probe,
) -> list[Check]:
    """Every check, in order; later checks are skipped when what they need failed."""
    checks: list[Check] = []
    try:
        jira = require_jira(settings)
    except CampaignGuardError as exc:
        checks.append(Check("project file", "fail", str(exc)))
        return _skipped(checks, *_JIRA_CHECKS)
    checks.append(Check("project file", "ok", f"{settings.config_path}"))
    try:
        creds = credentials(jira, environ)
        who = creds.email or "a personal access token"
        checks.append(Check("credentials", "ok", f"from the environment ({who})"))
    except CampaignGuardError as exc:
        checks.append(Check("credentials", "fail", str(exc)))
        return _skipped(checks, *_after("credentials"))
    gateway = _step(checks, "site", lambda: connect(jira, creds))
    if gateway is None:
        return _skipped(checks, *_after("site"))
    checks[-1] = Check("site", *_site(gateway, jira))
    me = _step(checks, "account", gateway.myself)
    if me is None:
        return _skipped(checks, *_after("account"))
    checks[-1] = Check("account", "ok", f"signed in as {me.display_name or me.name or '?'}")
    project = _step(checks, "project", lambda: gateway.project(jira.project))
    if project is None:
        return _skipped(checks, *_after("project"))
    checks[-1] = Check("project", "ok", f"{jira.project} ({project.get('name', '?')})")
    path = cached_file(environ, jira)
    screen = _step(checks, "issue type", lambda: cached_screen(gateway, jira, path, refresh=True))
    if screen is not None:
        found = f"'{screen.issue_type}' (id {screen.issue_type_id})"
        if screen.issue_type == screen.issue_type_id:
            found = f"id {screen.issue_type_id}"
        checks[-1] = Check("issue type", "ok", found)
        checks.append(_fields(jira, screen))
    else:
        _skipped(checks, "fields")
    checks.append(_transitions(gateway, jira))
    checks.append(_on_call(settings, gateway, jira, environ, now))
    return checks


def failed(checks: list[Check]) -> bool:
    return any(check.status == "fail" for check in checks)


def _step(checks: list[Check], name: str, run: Callable[[], Any]) -> Any:
    """Run one check's request; on failure record it and return None."""
    try:
        value = run()
    except CampaignGuardError as exc:
        checks.append(Check(name, "fail", str(exc)))
        return None
    checks.append(Check(name, "ok", ""))
    return value


def _after(name: str) -> tuple[str, ...]:
    return _JIRA_CHECKS[_JIRA_CHECKS.index(name) + 1 :]


def _skipped(checks: list[Check], *names: str) -> list[Check]:
    checks.extend(Check(name, "skip", "needs the checks above") for name in names)
    return checks


def _site(gateway: JiraGateway, jira: JiraSettings) -> tuple[Status, str]:
    client = gateway.client
    kind = getattr(client, "deploymentType", None) or "unknown"
    version = ".".join(str(n) for n in getattr(client, "_version", ()) or ()) or "?"
    found = f"Jira {kind} {version} at {jira.site}"
    is_cloud = kind == "Cloud"
    if kind != "unknown" and is_cloud != jira.is_cloud:
        want = "cloud" if is_cloud else "data-center"
        return "fail", f"{found}, but the settings say otherwise: set jira.deployment: {want}"
    return "ok", found


def _fields(jira: JiraSettings, screen: CreateScreen) -> Check:
    on_screen = {field.id for field in screen.fields}
    missing = [name for fid, name in NEEDED_ON_SCREEN.items() if fid not in on_screen]
    if missing:
        return Check(
            "fields",
            "fail",
            f"the create screen of '{screen.issue_type}' lacks {', '.join(missing)}: ask a Jira "
            "admin to add them",
        )
    try:
        resolved = check_saved(jira.fields, screen)
        fits(resolved)
    except CampaignGuardError as exc:
        return Check("fields", "fail", str(exc))
    unfilled = unfilled_required(screen, {f.id for f in resolved.values()})
    if unfilled:
        names = ", ".join(f"{f.name} ({f.id})" for f in unfilled)
        return Check(
            "fields",
            "fail",
            f"required fields campaign-guard does not fill: {names}; map a review field to "
            "them under jira.fields, or ask a Jira admin to make them optional",
        )
    mapped = ", ".join(
        f"{review} → {f.name} ({f.id}{'' if isinstance(jira.fields[review], str) else ', saved'})"
        for review, f in resolved.items()
    )
    if needs_screen(jira.fields):
        mapped += f"; `{SAVE_COMMAND}` would make every first submit skip the create-screen reads"
    return Check("fields", "ok", mapped or "no review fields mapped (jira.fields is empty)")


def _transitions(gateway: JiraGateway, jira: JiraSettings) -> Check:
    try:
        newest = gateway.newest_labelled(jira.project, CAMPAIGN_LABEL)
        if newest is None:
            return Check(
                "transitions",
                "warn",
                f"no ticket labelled {CAMPAIGN_LABEL} in {jira.project} yet; transitions are "
                "checked once one exists",
            )
        names = [str(t.get("name")) for t in gateway.transitions(newest.key)]
    except CampaignGuardError as exc:
        return Check("transitions", "fail", str(exc))
    if not names:
        return Check("transitions", "warn", f"{newest.key} has no transitions open to you")
    return Check("transitions", "ok", f"from {newest.key}: {', '.join(names)}")


def _on_call(
    settings: Settings,
    gateway: JiraGateway,
    jira: JiraSettings,
    environ: Mapping[str, str],
    now: datetime,
) -> Check:
    oncall = settings.oncall
    if oncall is None:
        return Check("on-call", "warn", "no oncall: section; tickets are filed unassigned")
    from campaign_guard.oncall.providers import provider_kind

    kind = provider_kind(oncall)
    problem = kind.doctor(oncall, environ)
    if problem is not None:
        return Check("on-call", "fail", problem)
    try:
        person = kind.ask(oncall, environ, None).on_call(now)
        known = person.jira_account_id if jira.is_cloud else person.jira_user_name
        if known is None and len(gateway.users_by_email(person.email)) != 1:
            return Check(
                "on-call",
                "warn",
                f"{person.name} is on call now, but Jira has no single user with the email "
                f"{person.email}: add their Jira id to oncall: or the ticket is unassigned",
            )
    except CampaignGuardError as exc:
        return Check("on-call", "fail", str(exc))
    return Check("on-call", "ok", f"{person.contact} is on call now")
