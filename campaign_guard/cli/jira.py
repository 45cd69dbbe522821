"""``campaign-guard jira fields``: how the review fields map onto the project's Jira fields."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from campaign_guard.cli._boundary import guarded, progress_notes

app = typer.Typer(
    help="Look at the Jira project campaign-guard files tickets in.",
    no_args_is_help=True,
    add_completion=False,
)


@app.command("fields")
@guarded
def fields(
    as_json: Annotated[bool, typer.Option("--json", help="Print the mapping as JSON.")] = False,
) -> None:
    """Show the review fields' Jira fields, and every field on the create screen.

    Reads the create screen of jira.issue_type in jira.project from Jira and
    refreshes the copy submit caches. Map a review field under jira.fields by
    the Jira field's name or id.

    Example: campaign-guard jira fields
    """
    from campaign_guard.config import resolve
    from campaign_guard.jira_settings import REVIEW_FIELDS, credentials
    from campaign_guard.tracker.filing import require_jira
    from campaign_guard.tracker.gateway import JiraGateway
    from campaign_guard.tracker.saved_fields import live_fields
    from campaign_guard.tracker.screen import cached_file, cached_screen

    progress_notes()
    settings = resolve(environ=os.environ, cwd=Path.cwd())
    jira = require_jira(settings)
    gateway = JiraGateway.connect(jira, credentials(jira, os.environ))
    screen = cached_screen(gateway, jira, cached_file(os.environ, jira), refresh=True)
    resolved = live_fields(jira.fields, screen)
    if as_json:
        report = {
            "project": screen.project,
            "issue_type": {"id": screen.issue_type_id, "name": screen.issue_type},
            "mapping": {
                review: resolved[review].to_json() if review in resolved else None
                for review in REVIEW_FIELDS
            },
            "fields": [f.to_json() for f in screen.fields],
        }
        sys.stdout.write(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
        return
    lines = [f"Review fields → Jira fields ('{screen.issue_type}' in {screen.project}):"]
    for review in REVIEW_FIELDS:
        target = resolved.get(review)
        shown = f"{target.name} ({target.id}, {target.type})" if target else "not mapped"
        lines.append(f"  {review:<17} {shown}")
    lines += ["", "Fields on the create screen:"]
    for field in screen.fields:
        need = "required" if field.required and not field.has_default else ""
        lines.append(f"  {field.id:<20} {field.name:<30} {field.type:<9} {need}".rstrip())
    sys.stdout.write("\n".join(lines) + "\n")
