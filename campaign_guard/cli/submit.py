"""``campaign-guard submit``: the campaign launch ticket for DevOps.

Files the "Marketing Campaign Launch" ticket in Jira (or updates it, with one comment on
what changed), assigned to the DevOps engineer on call. ``--dry-run`` shows exactly the
ticket it would file and writes nothing (with no network unless the Jira credentials are
in the environment: then it reads the ticket to say what the submit would do to it). The work is in
:mod:`campaign_guard.api` (a plan, then filing it); this module only prints.
"""

from __future__ import annotations

import json
import shlex
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from campaign_guard.cli.boundary import RunOptions, run_options, say_findings, say_warning
from campaign_guard.cli.progress import waiting_status
from campaign_guard.safe_text import block, json_document, one_line

if TYPE_CHECKING:
    from campaign_guard.api import Decision, Filed, OnCallPerson, SubmissionPlan


def submit(
    ctx: typer.Context,
    spec_path: Annotated[
        Path, typer.Argument(help="The campaign spec.", show_default=False, metavar="SPEC")
    ],
    dry_run: Annotated[
        bool,
        typer.Option(
            "--dry-run",
            help="Show the ticket that would be filed; write nothing (with Jira "
            "credentials, read the ticket to say what the submit would do).",
        ),
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
    Submitting again updates the same ticket and comments on what changed;
    a DevOps decision on the earlier version is then said to be out of date.
    With Jira credentials in the environment, --dry-run also reads the ticket
    (writing nothing) and says what the submit would do to it.
    Exit code 0 when filed, 1 when the spec has problems, 3 when Jira or the
    on-call provider fails or is not set up (one line says what to fix).

    \b
    Example:
      campaign-guard submit campaigns/spring-sale.yaml --dry-run
    """
    from campaign_guard.api import plan_submission

    plan = plan_submission(spec_path, capacity=capacity)
    # Late, past or privacy warnings come before anything is filed; the estimate's
    # notes too (the dry run lists them in its preview instead).
    say_findings([*plan.checks, *([] if dry_run else plan.notes)])
    if not dry_run:
        _file(plan, as_json, run_options(ctx))
        return
    reminder = plan.reminder
    if reminder is not None:
        say_warning(reminder)
    preview = plan.preview()
    looked, asked = _look(plan, run_options(ctx))
    if as_json:
        if looked is not None:
            preview["jira"] = _looked_json(looked)
        sys.stdout.write(json_document(preview))
        return
    _, unknown = plan.on_call()
    text = _as_text(preview, plan.settings.jira is not None, unknown, read=asked)
    if looked is not None:
        text += "\n" + "".join(one_line(line) + "\n" for line in _looked_lines(looked))
    sys.stdout.write(text)


def _look(plan: SubmissionPlan, options: RunOptions) -> tuple[Filed | None, bool]:
    """What the submit would do to the ticket (reads only), and whether Jira was asked;
    None without Jira credentials, or (with a warning) when Jira could not be read."""
    from campaign_guard import STARTED
    from campaign_guard.api import look_before_submit
    from campaign_guard.errors import CampaignGuardError

    try:
        with waiting_status(options):
            looked = look_before_submit(plan, started=STARTED)
    except CampaignGuardError as exc:
        say_warning(
            "could not read the ticket in Jira, so the dry run cannot say what the submit "
            f"would do to it: {exc}"
        )
        return None, True
    return looked, looked is not None


def _looked_lines(looked: Filed) -> list[str]:
    done = looked.result
    said = {
        "created": "In Jira: no ticket for this campaign yet; the submit would file one.",
        "updated": (
            f"In Jira: the submit would update {done.key} and tell DevOps what changed "
            f"({done.url})."
        ),
        "unchanged": (
            f"In Jira: nothing changed since the last submit; {done.key} would stay as it "
            f"is ({done.url})."
        ),
    }[done.action]
    lines = [said]
    if done.outdated is not None:
        from campaign_guard.api import outdated_words

        lines.append(outdated_words(done.outdated, dry_run=True))
    return lines


def _looked_json(looked: Filed) -> dict[str, Any]:
    done = looked.result
    return {
        "action": done.action,
        "key": done.key or None,
        "url": done.url or None,
        "outdated_decision": _decision_json(done.outdated),
        "requests": looked.requests,
    }


def _decision_json(decision: Decision | None) -> dict[str, Any] | None:
    if decision is None:
        return None
    return {
        "decision": decision.decision,
        "reviewer": decision.reviewer,
        "decided_at": decision.decided_at,
    }


def _file(plan: SubmissionPlan, as_json: bool, options: RunOptions) -> None:
    """File (or update) the ticket in Jira and say what happened."""
    from campaign_guard import STARTED
    from campaign_guard.api import JiraError, RerunSubmit, submit_plan

    try:
        with waiting_status(options):
            filed = submit_plan(plan, started=STARTED)
    except RerunSubmit as exc:
        again = f"`campaign-guard submit {shlex.quote(str(plan.spec_path))}`"
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
            "outdated_decision": _decision_json(done.outdated),
        }
        sys.stdout.write(json_document(report))
        return
    said = {
        "created": f"Filed {done.key} for the DevOps review: {done.url}",
        "updated": f"Updated {done.key} and told DevOps what changed: {done.url}",
        "unchanged": f"Nothing changed since the last submit: {done.key} is as it was ({done.url})",
    }[done.action]
    lines = [said]
    if done.outdated is not None:
        from campaign_guard.api import outdated_words

        lines.append(outdated_words(done.outdated))
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


def _person(person: OnCallPerson | None) -> str | None:
    return None if person is None else person.contact


def _field_lines(fields: dict[str, Any] | str) -> list[str]:
    if isinstance(fields, str):
        return [f"Fields:      {fields}"]
    return [
        f"Field:       {name} = {json.dumps(value, ensure_ascii=False)}"
        for name, value in fields.items()
    ]


def _as_text(preview: dict[str, Any], configured: bool, unknown: str, *, read: bool = False) -> str:
    """The preview for people; ``unknown`` stands in for on-call names it cannot show;
    ``read``: Jira was read (not written) to say what the submit would do."""
    where = (
        f"project {preview['project']}"
        if configured
        else "no project yet (add a jira: section to campaign-guard.yaml)"
    )
    kind = preview["issue_type"]
    ticket = f"ticket of issue type {kind}" if kind.isdigit() else f"{kind} ticket"
    lines = [
        f"Dry run: nothing was {'written' if read else 'sent'}. The {ticket} for {where}:",
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
