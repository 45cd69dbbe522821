"""``campaign-guard jira fields``: how the review fields map onto the project's Jira fields."""

from __future__ import annotations

import sys
from typing import Annotated, Any

import typer

from campaign_guard.cli.boundary import run_options
from campaign_guard.cli.progress import waiting_status
from campaign_guard.safe_text import block, json_document, one_line

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
    from campaign_guard.api import NotSaved, jira_fields, save_jira_fields

    with waiting_status(run_options(ctx)):
        read = jira_fields()
    report = read.document
    if save and read.config_path is not None:
        try:
            report["saved"] = save_jira_fields(read)
        except NotSaved as exc:
            report["saved"] = {"file": str(read.config_path), "written": False}
            _show(report, as_json, paste=exc.paste)
            raise
    _show(report, as_json)


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
