"""What ``campaign-guard jira fields`` reports: the review fields' Jira fields, and
every field on the create screen, read from Jira; and saving their ids."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from campaign_guard.config.save import SaveOutcome, save_ids
from campaign_guard.config.settings import Settings
from campaign_guard.jira.fields import CreateScreen, JiraField
from campaign_guard.jira.gateway import JiraGateway
from campaign_guard.jira.saved_fields import differs, live_fields, named_screen, saved_ids
from campaign_guard.jira.screen import cached_file, cached_screen
from campaign_guard.jira.settings import REVIEW_FIELDS, JiraSettings, SavedField, credentials
from campaign_guard.submission import require_jira


@dataclass(frozen=True)
class FieldsReport:
    """The mapping read from Jira, as the JSON report carries it (``document``)."""

    document: dict[str, Any]
    config_path: Path | None
    jira: JiraSettings
    screen: CreateScreen


def read_fields(settings: Settings, environ: Mapping[str, str]) -> FieldsReport:
    """Read the create screen from Jira (refreshing the cached copy) and map onto it."""
    jira = require_jira(settings)
    gateway = JiraGateway.connect(jira, credentials(jira, environ))
    screen = cached_screen(gateway, jira, cached_file(environ, jira), refresh=True)
    if screen.issue_type == screen.issue_type_id:  # read by id: the name is not known
        screen = named_screen(screen, gateway.issue_types(jira.project))
    resolved = live_fields(jira.fields, screen)
    document = {
        "project": screen.project,
        "issue_type": {"id": screen.issue_type_id, "name": screen.issue_type},
        "mapping": {
            review: _mapped(jira, review, resolved[review]) if review in resolved else None
            for review in REVIEW_FIELDS
        },
        "fields": [f.to_json() for f in screen.fields],
    }
    return FieldsReport(document, settings.config_path, jira, screen)


def save_fields(report: FieldsReport, path: Path) -> dict[str, Any]:
    """Write the issue type id and the mapped fields' ids into the project file at
    ``path``; what was saved, as the report's ``saved`` entry (NotSaved: nothing was)."""
    outcome = save_ids(path, report.jira, saved_ids(report.jira.fields, report.screen))
    return _saved(outcome)


def _mapped(jira: JiraSettings, review: str, field: JiraField) -> dict[str, Any]:
    """The Jira field, and whether the project file holds it saved (and as Jira has it)."""
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
