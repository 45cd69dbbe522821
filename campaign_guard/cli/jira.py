"""``campaign-guard jira fields``: how the review fields map onto the project's Jira fields."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from campaign_guard.cli.boundary import run_options
from campaign_guard.cli.progress import waiting_status
from campaign_guard.safe_text import block, json_document, one_line

if TYPE_CHECKING:
    from campaign_guard.config.save import SaveOutcome
    from campaign_guard.jira.fields import CreateScreen, JiraField
    from campaign_guard.jira.settings import JiraSettings

app = typer.Typer(
    help="Look at the Jira project campaign-guard files tickets in.",
    no_args_is_help=True,
    add_completion=False,
    # Plain help: no Rich markup to swallow `[code]`, no `<bool>` after a flag.
    rich_markup_mode=None,
)


@app.command("fields")
def fields(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print the mapping as JSON.")] = False,
    save: Annotated[
        bool,
        typer.Option(
            "--save",
            help="Write the issue type id and the mapped fields into the project file.",
        ),
    ] = False,
) -> None:
    """Show the review fields' Jira fields, and every field on the create screen.

    Reads the create screen of jira.issue_type in jira.project from Jira and
    refreshes the copy submit caches. Map a review field under jira.fields by
    the Jira field's name or id. --save writes the issue type's id and each
    mapped field's id and type into the project file, with their names as
    comments: then no submit reads the create screen. Exit code 0 when done,
    2 when the project file cannot be rewritten (the lines to paste are
    printed), 3 when Jira fails or is not set up.

    \b
    Example:
      campaign-guard jira fields --save
    """
    from campaign_guard.config.save import NotSaved, save_ids
    from campaign_guard.config.settings import resolve
    from campaign_guard.jira.gateway import JiraGateway
    from campaign_guard.jira.saved_fields import live_fields, named_screen, saved_ids
    from campaign_guard.jira.screen import cached_file, cached_screen
    from campaign_guard.jira.settings import credentials
    from campaign_guard.submission import require_jira

    settings = resolve(environ=os.environ, cwd=Path.cwd())
    jira = require_jira(settings)
    with waiting_status(run_options(ctx)):
        gateway = JiraGateway.connect(jira, credentials(jira, os.environ))
        screen = cached_screen(gateway, jira, cached_file(os.environ, jira), refresh=True)
        if screen.issue_type == screen.issue_type_id:  # read by id: the name is not known
            screen = named_screen(screen, gateway.issue_types(jira.project))
    resolved = live_fields(jira.fields, screen)
    report = _report(jira, screen, resolved)
    if save and settings.config_path is not None:
        try:
            outcome = save_ids(settings.config_path, jira, saved_ids(jira.fields, screen))
        except NotSaved as exc:
            report["saved"] = {"file": str(settings.config_path), "written": False}
            _show(report, as_json, paste=exc.paste)
            raise
        report["saved"] = _saved(outcome)
    _show(report, as_json)


def _report(
    jira: JiraSettings, screen: CreateScreen, resolved: dict[str, JiraField]
) -> dict[str, Any]:
    from campaign_guard.jira.settings import REVIEW_FIELDS

    return {
        "project": screen.project,
        "issue_type": {"id": screen.issue_type_id, "name": screen.issue_type},
        "mapping": {
            review: _mapped(jira, review, resolved[review]) if review in resolved else None
            for review in REVIEW_FIELDS
        },
        "fields": [f.to_json() for f in screen.fields],
    }


def _mapped(jira: JiraSettings, review: str, field: JiraField) -> dict[str, Any]:
    """The Jira field, and whether the project file holds it saved (and as Jira has it)."""
    from campaign_guard.jira.saved_fields import differs
    from campaign_guard.jira.settings import SavedField

    target = jira.fields[review]
    saved = None
    if isinstance(target, SavedField):
        saved = "differs" if differs(target, field) else "same"
    return {**field.to_json(), "saved": saved}


def _saved(outcome: SaveOutcome) -> dict[str, Any]:
    return {
        "file": str(outcome.path),
        "written": outcome.written,
        "changes": [
            {"setting": c.setting, "before": c.before, "after": c.after} for c in outcome.changes
        ],
    }


def _show(report: dict[str, Any], as_json: bool, paste: str | None = None) -> None:
    if as_json:
        if paste is not None:
            report["saved"]["paste"] = paste
        sys.stdout.write(json_document(report))
        return
    lines = [one_line(line) for line in _as_text(report)]
    saved: dict[str, Any] | None = report.get("saved")
    if saved is not None and paste is not None:
        where = one_line(f"Not saved. Put these settings in {saved['file']} by hand:")
        lines += ["", where, "", block(paste)]
    elif saved is not None:
        lines += ["", *map(one_line, _save_lines(saved))]
    sys.stdout.write("\n".join(lines).rstrip("\n") + "\n")


def _as_text(report: dict[str, Any]) -> list[str]:
    issue_type = report["issue_type"]["name"]
    lines = [f"Review fields → Jira fields ('{issue_type}' in {report['project']}):"]
    for review, target in report["mapping"].items():
        shown = "not mapped"
        if target is not None:
            state = {None: "", "same": ", saved", "differs": ", saved: differs from Jira"}
            shown = f"{target['name']} ({target['id']}, {target['type']}{state[target['saved']]})"
        lines.append(f"  {review:<17} {shown}")
    lines += ["", "Fields on the create screen:"]
    for field in report["fields"]:
        need = "required" if field["required"] and not field["has_default"] else ""
        lines.append(f"  {field['id']:<20} {field['name']:<30} {field['type']:<9} {need}".rstrip())
    return lines


def _save_lines(saved: dict[str, Any]) -> list[str]:
    if not saved["written"]:
        return [
            f"Nothing to change: {saved['file']} already holds the issue type id and the "
            "mapped fields as Jira has them."
        ]
    lines = [f"Saved in {saved['file']}:"]
    for change in saved["changes"]:
        before = change["before"] or "(not set)"
        lines.append(f"  {change['setting']}: {before} → {change['after']}")
    lines.append("No submit needs to read the create screen now.")
    return lines
