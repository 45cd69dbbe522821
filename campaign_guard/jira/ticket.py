"""The text of a campaign's Jira issue: summary, wiki-markup description, labels, due date.

Pure: spec and estimate in, text out. Every value a template interpolates is escaped
for Jira wiki markup by the environment's ``finalize``, unless the code wrapped it as
:class:`~campaign_guard.jira.markup.Trusted` (fragments it escaped itself); markup
a template makes (``|safe``, ``|e``, ``|tojson``) is escaped like any other text.
"""

from __future__ import annotations

import os
import traceback
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import jinja2

from campaign_guard.errors import ConfigError
from campaign_guard.jira.fields import ReviewValues
from campaign_guard.jira.jql import CAMPAIGN_LABEL, campaign_label
from campaign_guard.jira.markup import Trusted, plain_summary, trusted, wiki_escape
from campaign_guard.loadmodel.channels import channel_line, moment
from campaign_guard.loadmodel.engine import CampaignEstimate, Estimate
from campaign_guard.loadmodel.summary import actions, headline, number, overall_verdict, rows
from campaign_guard.oncall.base import OnCallPerson
from campaign_guard.render import environment, render_capped
from campaign_guard.spec.campaign import CampaignSpec, DataField

_SUMMARY = "ticket-summary.txt.j2"
_DESCRIPTION = "ticket-description.jira.j2"


@dataclass(frozen=True)
class TicketText:
    summary: str
    description: str
    labels: tuple[str, ...]
    due_date: str
    """``YYYY-MM-DD``: the launch day in the launch's time zone."""
    stable_description: str = ""
    """The description without what depends on the day it is submitted (a short-notice
    line): what decides whether a re-submit changed anything. Empty: ``description``."""

    @property
    def compared_description(self) -> str:
        return self.stable_description or self.description


@dataclass(frozen=True)
class OnCall:
    """Who the ticket is assigned to (on call now) and who is on call at launch."""

    now: str
    at_launch: str

    @classmethod
    def of(cls, now: OnCallPerson | None, at_launch: OnCallPerson | None) -> OnCall | None:
        """The names to show; None without an assignee."""
        if now is None:
            return None
        return cls(now.contact, at_launch.contact if at_launch else "not known yet")


def wiki_environment(*template_dirs: Path) -> jinja2.Environment:
    """The shared environment, with every interpolated value escaped for Jira.

    ``template_dirs`` (a project's template folder) come before the built-in templates,
    so a project can override any of them by file name.
    """
    return environment(*template_dirs).overlay(finalize=_finalize)


def render_template(
    name: str, context: Mapping[str, Any], template_dir: Path | None, *, wiki: bool = True
) -> str:
    """Render a ticket template, the project's own (``templates:``) if it has one.

    A broken project template is the project's to fix, not a bug in campaign-guard:
    whatever it raises (a syntax error, an undefined name, something the sandbox
    refuses, output over the cap, a division by zero) becomes a one-line
    :class:`ConfigError` naming the file and, when known, the line.
    """
    dirs = (template_dir,) if template_dir is not None else ()
    env = wiki_environment(*dirs) if wiki else environment(*dirs)
    try:
        return render_capped(env.get_template(name), context)
    except Exception as exc:
        where = template_dir / name if template_dir is not None else None
        if where is None or not os.path.lexists(where):
            raise
        line = getattr(exc, "lineno", None) or _line_in(exc, where)
        place = f"{where}:{line}" if line else str(where)
        message = (getattr(exc, "message", None) or str(exc) or type(exc).__name__).strip()
        raise ConfigError(f"templates: {place}: {message.splitlines()[0]}") from None


def _line_in(exc: BaseException, template: Path) -> int | None:
    """The line of ``template`` the error came from (Jinja2 puts the template's lines
    in the traceback), or None."""
    lines = [
        frame.lineno
        for frame in traceback.extract_tb(exc.__traceback__)
        if frame.filename == os.path.normpath(template)
    ]
    return lines[-1] if lines else None


def _finalize(value: object) -> object:
    if isinstance(value, Trusted):
        return value
    if value is None:
        raise TypeError("a template printed None; test the value with {% if %} first")
    return wiki_escape(value)


def ticket_text(
    spec: CampaignSpec,
    estimate: Estimate | None,
    *,
    spec_file_name: str,
    lead_time_business_days: int,
    extra_labels: Iterable[str] = (),
    on_call: OnCall | None = None,
    template_dir: Path | None = None,
    now: datetime | None = None,
) -> TicketText:
    """The issue for ``spec``; ``estimate`` (if any) should include ``spec``.

    ``now``: when it is submitted; a submit later than the lead time asks for says so.
    """
    zone = spec.launch.zone
    start = spec.launch.start.astimezone(zone)
    file_by = _business_days_before(start.date(), lead_time_business_days)
    summary = render_template(
        _SUMMARY, {"name": spec.name, "start": _day(start)}, template_dir, wiki=False
    )
    context = {
        **review_fields(spec, estimate),
        "spec_file_name": spec_file_name,
        "campaign_id": spec.campaign_id,
        "owner": spec.owner,
        "team": spec.team,
        "promo_code": spec.promo_code,
        "lead_time": lead_time_business_days,
        "file_by": _day(file_by),
        "late": None,
        "links": [(link.title, link.url) for link in spec.links],
        "notes": trusted(wiki_escape(spec.notes, multiline=True)) if spec.notes else None,
        "estimate": _estimate_context(spec, estimate),
        "new_fields": [field.name for field in spec.new_data_fields],
        "personal_fields": [f.name for f in spec.new_data_fields if f.personal_data],
        "on_call_now": on_call.now if on_call else None,
        "on_call_at_launch": on_call.at_launch if on_call else None,
    }
    description = render_template(_DESCRIPTION, context, template_dir)
    late = _late(start, file_by, now)
    stable = description
    if late is not None:
        description = render_template(_DESCRIPTION, {**context, "late": late}, template_dir)
    return TicketText(
        summary=plain_summary(summary),
        description=description,
        labels=_labels(spec, extra_labels),
        due_date=start.date().isoformat(),
        stable_description=stable,
    )


def _late(start: datetime, file_by: date, now: datetime | None) -> str | None:
    """What to say of a submit later than the lead time asks for, if it is."""
    if now is None:
        return None
    local = now.astimezone(start.tzinfo)
    if now >= start:
        return f"this version was submitted on {_day(local)}, after the launch had started"
    if local.date() > file_by:
        return (
            f"this version was submitted on {_day(local)}, after {_day(file_by)}: less "
            "notice than DevOps asks for"
        )
    return None


def review_fields(spec: CampaignSpec, estimate: Estimate | None) -> dict[str, Any]:
    """The five review fields, as plain text, shared by the description and the comment."""
    zone = spec.launch.zone
    mine = _campaign(spec, estimate)
    return {
        "name": spec.name,
        "launch": f"{moment(spec.launch.start, zone)} to {moment(spec.launch.ends, zone)}",
        "starts": moment(spec.launch.start, zone),
        "ends": moment(spec.launch.ends, zone),
        "zone_name": spec.launch.timezone or _zone_name(spec),
        "channels": [channel_line(channel, zone) for channel in spec.traffic],
        "visits": None if mine is None else _span(mine.visits),
        "leads": None if mine is None else _span(mine.leads),
        "landing_pages": list(spec.landing_pages),
        "endpoints": list(spec.endpoints),
        "targets": [*spec.landing_pages, *spec.endpoints],
        "data_fields": [_data_field(field) for field in spec.new_data_fields],
    }


def review_values(spec: CampaignSpec, estimate: Estimate | None) -> ReviewValues:
    """The review fields in the typed forms mapped Jira fields need."""
    values = review_fields(spec, estimate)
    mine = _campaign(spec, estimate)
    traffic = "; ".join(values["channels"])
    if values["visits"] is not None:
        traffic = (
            f"{values['visits']} visits, {values['leads']} leads (expected, low–high); {traffic}"
        )
    verdict = overall_verdict(estimate) if estimate is not None else None
    return ReviewValues(
        campaign_name=spec.name,
        launch=spec.launch.start.astimezone(spec.launch.zone),
        launch_text=values["launch"],
        expected_visits=None if mine is None else mine.visits["expected"],
        traffic_text=traffic,
        targets=tuple(values["targets"]),
        new_data_fields=tuple(values["data_fields"]),
        verdict=verdict,
        verdict_text=None if estimate is None or verdict is None else headline(estimate),
    )


def _zone_name(spec: CampaignSpec) -> str:
    return spec.launch.start.tzname() or "UTC"


def _campaign(spec: CampaignSpec, estimate: Estimate | None) -> CampaignEstimate | None:
    if estimate is None:
        return None
    found = [c for c in estimate.campaigns if c.campaign_id == spec.campaign_id]
    return found[0] if found else None


def _estimate_context(spec: CampaignSpec, estimate: Estimate | None) -> dict[str, Any] | None:
    if estimate is None:
        return None
    left_out = [u for u in estimate.uncounted if u.campaign_id == spec.campaign_id]
    return {
        "profile": estimate.profile,
        "headline": headline(estimate),
        "not_counted": list(dict.fromkeys(u.what for u in left_out)),
        "notes": [u.note.message for u in left_out],
        "actions": actions(estimate),
        "rows": [
            {"target": r.target, "peak": f"{r.peak} {r.unit}", "at": r.at, "verdict": r.verdict}
            for r in rows(estimate)
        ],
    }


def _span(values: dict[Any, float]) -> str:
    low, expected, high = (values[s] for s in ("low", "expected", "high"))
    return f"{number(expected)} ({number(low)}–{number(high)})"


def _data_field(field: DataField) -> str:
    parts = ["personal data" if field.personal_data else "not personal data"]
    if field.purpose:
        parts.append(f"purpose: {field.purpose}")
    if field.privacy_review:
        parts.append(f"privacy review: {field.privacy_review}")
    return f"{field.name} ({'; '.join(parts)})"


def _day(moment: datetime | date) -> str:
    return f"{moment:%a} {moment.day} {moment:%b %Y}"


def _business_days_before(day: date, count: int) -> date:
    while count > 0:
        day -= timedelta(days=1)
        if day.weekday() < 5:
            count -= 1
    return day


def _labels(spec: CampaignSpec, extra: Iterable[str]) -> tuple[str, ...]:
    labels = [campaign_label(spec.campaign_id), CAMPAIGN_LABEL]
    for label in extra:
        if not label or len(label) > 255 or any(c.isspace() or ord(c) < 32 for c in label):
            raise ConfigError(
                f"jira.labels: {label[:40]!r} is not a Jira label (no spaces, 1-255 characters)"
            )
        if label not in labels:
            labels.append(label)
    return tuple(labels)


__all__: Sequence[str] = (
    "CAMPAIGN_LABEL",
    "OnCall",
    "TicketText",
    "review_fields",
    "ticket_text",
    "wiki_environment",
)
