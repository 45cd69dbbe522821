"""``campaign-guard submit``: the campaign launch ticket for DevOps.

Files the "Marketing Campaign Launch" ticket in Jira (or updates it, with one comment on
what changed), assigned to the DevOps engineer on call. ``--dry-run`` shows exactly the
ticket it would file, with no network. The work is in
:mod:`campaign_guard.submission`; this module only reads the files and prints.
"""

from __future__ import annotations

import json
import os
import shlex
import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from campaign_guard.cli.boundary import RunOptions, run_options, say_warning
from campaign_guard.cli.progress import waiting_status
from campaign_guard.errors import ExitCode, UsageError
from campaign_guard.lint.reporters.text import note
from campaign_guard.safe_text import block, json_document, one_line

if TYPE_CHECKING:
    from campaign_guard.config.settings import Settings
    from campaign_guard.estimate.engine import Estimate
    from campaign_guard.jira.settings import JiraSettings
    from campaign_guard.jira.ticket import OnCall
    from campaign_guard.oncall.base import OnCallPerson
    from campaign_guard.spec.campaign import CampaignSpec


def submit(
    ctx: typer.Context,
    spec_path: Annotated[
        Path, typer.Argument(help="The campaign spec.", show_default=False, metavar="SPEC")
    ],
    dry_run: Annotated[
        bool,
        typer.Option("--dry-run", help="Show the ticket that would be filed; send nothing."),
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
    capacity: Annotated[
        Path | None,
        typer.Option(
            "--capacity",
            "-c",
            metavar="FILE",
            help="Capacity profile for the estimate.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """File the "Marketing Campaign Launch" ticket in Jira for the DevOps on call.

    The ticket carries the campaign's name, launch, expected traffic, pages
    and endpoints, new data fields, the load estimate and the checklist.
    Submitting again updates the same ticket and comments on what changed.
    Exit code 0 when filed, 1 when the spec has problems, 3 when Jira or the
    on-call provider fails or is not set up (one line says what to fix).

    \b
    Example:
      campaign-guard submit campaigns/spring-sale.yaml --dry-run
    """
    from campaign_guard.cli.estimate import (
        load_profile,
        note_findings,
        print_findings,
        say_findings,
    )
    from campaign_guard.config.settings import resolve
    from campaign_guard.estimate.engine import estimate
    from campaign_guard.jira.settings import DEFAULT_ISSUE_TYPE
    from campaign_guard.lint.checks import LintPolicy, check_spec
    from campaign_guard.lint.findings import fails
    from campaign_guard.lint.runner import problem_findings
    from campaign_guard.spec.documents import CAMPAIGN_KIND, load_any
    from campaign_guard.submission import ticket_for

    if not spec_path.is_file():
        raise UsageError(f"no such file: '{spec_path}'")
    settings = resolve(capacity=capacity, environ=os.environ, cwd=Path.cwd())
    kind, loaded = load_any(spec_path, str(spec_path))
    if loaded.problems:
        print_findings(problem_findings(loaded))
        raise typer.Exit(int(ExitCode.FINDINGS))
    if kind != CAMPAIGN_KIND or loaded.value is None:
        raise UsageError(f"'{spec_path}' is not a campaign spec")
    spec: CampaignSpec = loaded.value
    now = datetime.now(timezone.utc)
    policy = LintPolicy(now=now, lead_time_business_days=settings.lead_time_business_days)
    checks = check_spec(loaded, policy)
    if fails(checks, strict=False):  # a launch years away: lint's errors stop it too
        print_findings(checks)
        raise typer.Exit(int(ExitCode.FINDINGS))
    profile = load_profile(settings.capacity, [])
    result = estimate([spec], profile.value if profile else None)
    notes = note_findings(result, [loaded])
    # Late, past or privacy warnings come before anything is filed; the estimate's
    # notes too (the dry run lists them in its preview instead).
    say_findings([*checks, *([] if dry_run else notes)])
    if not dry_run:
        _file(settings, spec, result, spec_path, as_json, now, run_options(ctx))
        return
    from campaign_guard.jira.jql import id_reminder

    reminder = id_reminder(spec)
    if reminder is not None:
        say_warning(reminder)
    jira = settings.jira
    on_call, unknown = _on_call(settings, spec)
    text = ticket_for(
        settings, spec, result, spec_file_name=_file_name(spec_path), on_call=on_call, now=now
    )
    preview: dict[str, Any] = {
        "action": "dry-run",
        "project": jira.project if jira else None,
        "issue_type": jira.issue_type if jira else DEFAULT_ISSUE_TYPE,
        "summary": text.summary,
        "labels": list(text.labels),
        "due_date": text.due_date,
        "assignee": on_call.now if on_call else None,
        "on_call_at_launch": on_call.at_launch if on_call else None,
        "on_call_provider": settings.oncall.provider if settings.oncall else None,
        "components": list(jira.components) if jira else [],
        "fields": _preview_fields(jira, spec, result),
        "attachment": _file_name(spec_path),
        "description": text.description,
        "notes": [note(n) for n in notes],
    }
    if as_json:
        sys.stdout.write(json_document(preview))
        return
    sys.stdout.write(_as_text(preview, jira is not None, unknown))


def _file(
    settings: Settings,
    spec: CampaignSpec,
    result: Estimate,
    spec_path: Path,
    as_json: bool,
    now: datetime,
    options: RunOptions,
) -> None:
    """File (or update) the ticket in Jira and say what happened."""
    from campaign_guard import STARTED
    from campaign_guard.jira.jira_http import JiraError, RerunSubmit
    from campaign_guard.submission import file_campaign

    try:
        with waiting_status(options):
            filed = file_campaign(
                settings,
                spec,
                result,
                spec_file_name=_file_name(spec_path),
                spec_bytes=spec_path.read_bytes(),
                environ=os.environ,
                now=now,
                started=STARTED,
            )
    except RerunSubmit as exc:
        again = f"`campaign-guard submit {shlex.quote(str(spec_path))}`"
        raise JiraError(exc.with_command(again)) from None
    for warning in filed.warnings:
        say_warning(warning)
    done = filed.result
    if as_json:
        report = {
            "action": done.action,
            "key": done.key,
            "url": done.url,
            "duplicates": list(done.duplicates),
            "assignee": _person(filed.assignee),
            "on_call_at_launch": _person(filed.at_launch),
            "requests": filed.requests,
            "warnings": list(filed.warnings),
        }
        sys.stdout.write(json_document(report))
        return
    said = {
        "created": f"Filed {done.key} for the DevOps review: {done.url}",
        "updated": f"Updated {done.key} and told DevOps what changed: {done.url}",
        "unchanged": f"Nothing changed since the last submit: {done.key} is as it was ({done.url})",
    }[done.action]
    lines = [said]
    if filed.assignee is not None:
        lines.append(f"Assigned to {filed.assignee.name}, the DevOps engineer on call now.")
    if filed.at_launch is not None:
        lines.append(f"On call at launch: {filed.at_launch.name}.")
    if done.duplicates:
        lines.append(
            f"Other tickets for this campaign: {', '.join(done.duplicates)} (ask DevOps to "
            f"close them as duplicates of {done.key})."
        )
    sys.stdout.write("".join(one_line(line) + "\n" for line in lines))


def _preview_fields(
    jira: JiraSettings | None, spec: CampaignSpec, result: Estimate
) -> dict[str, Any] | str:
    """The mapped Jira fields' values, from the saved fields or the cached create screen
    (no network)."""
    if jira is None or not jira.fields:
        return {}
    from campaign_guard.jira.fields import field_values
    from campaign_guard.jira.saved_fields import needs_screen, resolve_mapping
    from campaign_guard.jira.screen import cached_file, stored_screen
    from campaign_guard.jira.ticket import review_values

    screen = None
    if needs_screen(jira.fields):
        screen = stored_screen(cached_file(os.environ, jira), jira)
        if screen is None:
            return (
                "read from Jira when filed (run `campaign-guard jira fields` once to see them here)"
            )
    resolved = resolve_mapping(jira.fields, screen)
    values = field_values(resolved, review_values(spec, result))
    return {
        f.id if f.name == f.id else f"{f.name} ({f.id})": values[f.id]
        for f in resolved.values()
        if f.id in values
    }


def _file_name(path: Path) -> str:
    """The spec's file name as the ticket and its attachment carry it: printable UTF-8
    (a byte that is not UTF-8 or a control character reads as its escape)."""
    from campaign_guard.safe_text import one_line

    return one_line(path.name)


def _person(person: OnCallPerson | None) -> str | None:
    return None if person is None else person.contact


def _on_call(settings: Settings, spec: CampaignSpec) -> tuple[OnCall | None, str]:
    """Who is on call now and at launch, when the provider can tell without the network,
    and what to show when it cannot."""
    oncall = settings.oncall
    if oncall is None:
        return None, "nobody (add an oncall: section to the project file)"
    if oncall.provider == "pagerduty":
        return None, "(asked from PagerDuty when filed)"
    from campaign_guard.jira.ticket import OnCall
    from campaign_guard.oncall.base import OnCallError
    from campaign_guard.oncall.who import on_call

    try:
        now, launch = on_call(settings.oncall, spec, os.environ, datetime.now(timezone.utc), [])
    except OnCallError as exc:  # the dry run shows it; a real submit stops on it
        return None, f"nobody: {exc}"
    return OnCall.of(now, launch), "not known yet"


def _field_lines(fields: dict[str, Any] | str) -> list[str]:
    if isinstance(fields, str):
        return [f"Fields:      {fields}"]
    return [
        f"Field:       {name} = {json.dumps(value, ensure_ascii=False)}"
        for name, value in fields.items()
    ]


def _as_text(preview: dict[str, Any], configured: bool, unknown: str) -> str:
    """The preview for people; ``unknown`` stands in for on-call names it cannot show."""
    where = (
        f"project {preview['project']}"
        if configured
        else "no project yet (add a jira: section to campaign-guard.yaml)"
    )
    kind = preview["issue_type"]
    ticket = f"ticket of issue type {kind}" if kind.isdigit() else f"{kind} ticket"
    lines = [
        f"Dry run: nothing was sent. The {ticket} for {where}:",
        "",
        f"Summary:     {preview['summary']}",
        f"Labels:      {', '.join(preview['labels'])}",
        f"Due date:    {preview['due_date']}",
        f"Assignee:    {preview['assignee'] or unknown}",
        f"On call at launch: {preview['on_call_at_launch'] or unknown}",
        f"Components:  {', '.join(preview['components']) or '(none)'}",
        *_field_lines(preview["fields"]),
        f"Attachment:  {preview['attachment']}",
        "",
        "Description (Jira wiki markup):",
    ]
    shown = [*map(one_line, lines), block(preview["description"].rstrip("\n")), ""]
    if preview["notes"]:
        shown += ["Notes:", *(f"  {line}" for line in preview["notes"]), ""]
    return "\n".join(shown)
