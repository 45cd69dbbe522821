"""A submission planned without the network: the spec, its estimate and its ticket.

:func:`plan_submission` does everything ``submit`` does before it speaks to Jira: read
the spec, stop at the problems ``lint`` would stop at, estimate it. The dry run shows
the plan's :meth:`SubmissionPlan.preview`; the real submit files the same plan
(:func:`campaign_guard.submission.submit`). No printing and no exiting.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from campaign_guard.config.settings import Settings
from campaign_guard.errors import UsageError
from campaign_guard.estimation import choose_profile, estimate_loaded
from campaign_guard.jira.settings import DEFAULT_ISSUE_TYPE, JiraSettings
from campaign_guard.jira.ticket import OnCall, TicketText, ticket_text
from campaign_guard.lint.checks import LintPolicy, check_spec
from campaign_guard.lint.findings import Finding, ProblemsFound, fails
from campaign_guard.lint.reporters.text import note
from campaign_guard.lint.runner import problem_findings
from campaign_guard.loadmodel.engine import Estimate
from campaign_guard.safe_text import one_line
from campaign_guard.spec.campaign import CampaignSpec
from campaign_guard.spec.documents import CAMPAIGN_KIND, load_any


@dataclass(frozen=True)
class SubmissionPlan:
    """What ``submit`` files: the ticket for a spec and its estimate, under the settings."""

    settings: Settings
    spec_path: Path
    spec: CampaignSpec
    estimate: Estimate
    now: datetime
    environ: Mapping[str, str] = field(repr=False)
    checks: list[Finding]
    """``lint``'s warnings on the spec (late, past, privacy): said before filing."""
    notes: list[Finding]
    """The estimate's notes, placed in the spec."""

    @property
    def spec_file_name(self) -> str:
        """The spec's file name as the ticket and its attachment carry it: printable
        UTF-8 (a byte that is not UTF-8 or a control character reads as its escape)."""
        return one_line(self.spec_path.name)

    @property
    def reminder(self) -> str | None:
        """What to say when the spec gives no ``id:`` (renaming it would file anew)."""
        from campaign_guard.jira.jql import id_reminder

        return id_reminder(self.spec)

    def ticket(self, on_call: OnCall | None) -> TicketText:
        """The ticket's text, assigned to ``on_call``."""
        return ticket_for(
            self.settings,
            self.spec,
            self.estimate,
            spec_file_name=self.spec_file_name,
            on_call=on_call,
            now=self.now,
        )

    def on_call(self) -> tuple[OnCall | None, str]:
        """Who is on call now and at launch, when the provider can tell without the
        network, and what to show when it cannot."""
        oncall = self.settings.oncall
        if oncall is None:
            return None, "nobody (add an oncall: section to the project file)"
        from campaign_guard.oncall.base import OnCallError
        from campaign_guard.oncall.providers import provider_kind
        from campaign_guard.oncall.who import on_call

        asked_later = provider_kind(oncall).asked_when_filed
        if asked_later is not None:
            return None, asked_later

        try:
            now, launch = on_call(oncall, self.spec, self.environ, self.now, [])
        except OnCallError as exc:  # the dry run shows it; a real submit stops on it
            return None, f"nobody: {exc}"
        return OnCall.of(now, launch), "not known yet"

    def preview(self) -> dict[str, Any]:
        """The ticket as ``submit --dry-run --json`` shows it (no network)."""
        jira = self.settings.jira
        on_call, _ = self.on_call()
        text = self.ticket(on_call)
        return {
            "action": "dry-run",
            "project": jira.project if jira else None,
            "issue_type": jira.issue_type if jira else DEFAULT_ISSUE_TYPE,
            "summary": text.summary,
            "labels": list(text.labels),
            "due_date": text.due_date,
            "assignee": on_call.now if on_call else None,
            "on_call_at_launch": on_call.at_launch if on_call else None,
            "on_call_provider": self.settings.oncall.provider if self.settings.oncall else None,
            "components": list(jira.components) if jira else [],
            "fields": _preview_fields(jira, self.spec, self.estimate, self.environ),
            "attachment": self.spec_file_name,
            "description": text.description,
            "notes": [note(n) for n in self.notes],
        }


def plan_submission(
    spec_path: Path, settings: Settings, *, environ: Mapping[str, str], now: datetime
) -> SubmissionPlan:
    """Read, check and estimate the spec at ``spec_path``; ProblemsFound when ``lint``
    would fail it (a launch years away stops it too)."""
    if not spec_path.is_file():
        raise UsageError(f"no such file: '{spec_path}'")
    kind, loaded = load_any(spec_path, str(spec_path))
    if loaded.problems:
        raise ProblemsFound(problem_findings(loaded))
    if kind != CAMPAIGN_KIND or loaded.value is None:
        raise UsageError(f"'{spec_path}' is not a campaign spec")
    policy = LintPolicy(now=now, lead_time_business_days=settings.lead_time_business_days)
    checks = check_spec(loaded, policy)
    if fails(checks, strict=False):
        raise ProblemsFound(checks)
    run = estimate_loaded([loaded], choose_profile(settings.capacity, []))
    return SubmissionPlan(
        settings, spec_path, loaded.value, run.estimate, now, environ, checks, run.notes
    )


def _preview_fields(
    jira: JiraSettings | None, spec: CampaignSpec, result: Estimate, environ: Mapping[str, str]
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
        screen = stored_screen(cached_file(environ, jira), jira)
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


def ticket_for(
    settings: Settings,
    spec: CampaignSpec,
    estimate: Estimate | None,
    *,
    spec_file_name: str,
    on_call: OnCall | None,
    now: datetime | None = None,
) -> TicketText:
    """The ticket ``submit`` files, and its dry run shows, under the project's settings."""
    jira = settings.jira
    return ticket_text(
        spec,
        estimate,
        spec_file_name=spec_file_name,
        lead_time_business_days=settings.lead_time_business_days,
        extra_labels=jira.labels if jira else (),
        on_call=on_call,
        template_dir=settings.template_dir,
        now=now,
    )
