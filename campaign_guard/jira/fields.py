"""Map the review fields onto a project's Jira fields, by display name or id.

Pure: Jira's create metadata (``/issue/createmeta/{project}/issuetypes[/{id}]``) and the
``jira.fields`` mapping in, resolved fields and typed values out. Every problem is a
:class:`~campaign_guard.errors.SetupError` naming the setting to change.

The value each review field takes depends on the Jira field's type:

=================  ========================================================
review field       Jira field types it fits
=================  ========================================================
campaign_name      text
launch             date (the launch day), date-time, text
expected_traffic   number (expected visits), text (visits and leads)
targets            text, URL (the first landing page or endpoint)
new_data_fields    text (one line each), number (how many)
verdict            select list (OK / Scale up / Overload or similar), text
=================  ========================================================
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from campaign_guard.errors import SetupError
from campaign_guard.jira.markup import wiki_escape

_TEXTAREA = "com.atlassian.jira.plugin.system.customfieldtypes:textarea"
_URL = "com.atlassian.jira.plugin.system.customfieldtypes:url"
TEXT_LIMIT = 255
"""Jira's limit for a single-line text field."""

_VERDICT_WORDS = {
    "ok": ("ok", "okay", "go", "green", "pass", "passed", "fine"),
    "scale": ("scale", "scale up", "scale-up", "scaling needed", "amber", "yellow", "warning"),
    "overload": ("overload", "overloaded", "red", "no-go", "no go", "blocked", "fail"),
}


@dataclass(frozen=True)
class JiraField:
    """One field on an issue type's create screen."""

    id: str
    name: str
    type: str
    """Jira's ``schema.type``: string, number, date, datetime, option, array, user, ..."""
    custom: str | None = None
    required: bool = False
    has_default: bool = False
    allowed: tuple[str, ...] = ()
    """For select lists: the option values."""

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "type": self.type,
            "custom": self.custom,
            "required": self.required,
            "has_default": self.has_default,
            "allowed": list(self.allowed),
        }

    @classmethod
    def from_meta(cls, meta: Mapping[str, Any]) -> JiraField | None:
        """From one createmeta field entry; None when the entry is unusable."""
        ident = meta.get("fieldId") or meta.get("key")
        name = meta.get("name")
        raw_schema, raw_allowed = meta.get("schema"), meta.get("allowedValues")
        schema: Mapping[str, Any] = raw_schema if isinstance(raw_schema, Mapping) else {}
        allowed: list[Any] = raw_allowed if isinstance(raw_allowed, list) else []
        if not isinstance(ident, str) or not isinstance(name, str):
            return None
        values = [a.get("value") or a.get("name") for a in allowed if isinstance(a, Mapping)]
        return cls(
            id=ident,
            name=name,
            type=str(schema.get("type") or "unknown"),
            custom=schema.get("custom") if isinstance(schema.get("custom"), str) else None,
            required=meta.get("required") is True,
            has_default=meta.get("hasDefaultValue") is True,
            allowed=tuple(str(v) for v in values if isinstance(v, str)),
        )

    @classmethod
    def from_json(cls, value: Mapping[str, Any]) -> JiraField:
        return cls(
            id=str(value["id"]),
            name=str(value["name"]),
            type=str(value["type"]),
            custom=value.get("custom"),
            required=bool(value.get("required")),
            has_default=bool(value.get("has_default")),
            allowed=tuple(str(v) for v in value.get("allowed") or ()),
        )


@dataclass(frozen=True)
class CreateScreen:
    """An issue type of the project, and the fields its create screen offers."""

    project: str
    issue_type_id: str
    issue_type: str
    fields: tuple[JiraField, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "project": self.project,
            "issue_type_id": self.issue_type_id,
            "issue_type": self.issue_type,
            "fields": [f.to_json() for f in self.fields],
        }

    @classmethod
    def from_json(cls, value: Mapping[str, Any]) -> CreateScreen:
        return cls(
            project=str(value["project"]),
            issue_type_id=str(value["issue_type_id"]),
            issue_type=str(value["issue_type"]),
            fields=tuple(JiraField.from_json(f) for f in value["fields"]),
        )


@dataclass(frozen=True)
class ReviewValues:
    """The review fields' values, in every form a Jira field type may need."""

    campaign_name: str
    launch: datetime
    launch_text: str
    expected_visits: float | None
    traffic_text: str
    targets: tuple[str, ...]
    new_data_fields: tuple[str, ...]
    verdict: str | None
    """ok, scale or overload (the expected scenario's worst), None without capacity."""
    verdict_text: str | None


SYSTEM_FILLED = frozenset(
    {"project", "issuetype", "summary", "description", "labels", "duedate", "assignee"}
)
"""Fields every create fills (plus components when configured, and the mapped ones)."""


def pick_issue_type(project: str, issue_types: Sequence[Mapping[str, Any]], wanted: str) -> str:
    """The id of the issue type named ``wanted`` (case-insensitive), or a SetupError."""
    named = {
        str(t.get("name")): str(t.get("id"))
        for t in issue_types
        if isinstance(t.get("name"), str) and str(t.get("id", "")).isdigit()
    }
    for name, ident in named.items():
        if name.casefold() == wanted.casefold():
            return ident
    have = ", ".join(sorted(named)) or "none you can create"
    raise SetupError(
        f"jira.issue_type: project {project} has no issue type '{wanted}' you can create "
        f"(it has: {have}); ask a Jira admin to add it, or set jira.issue_type"
    )


def screen_from_meta(
    project: str, issue_type_id: str, issue_type: str, fields: Sequence[Mapping[str, Any]]
) -> CreateScreen:
    parsed = (JiraField.from_meta(meta) for meta in fields)
    return CreateScreen(project, issue_type_id, issue_type, tuple(f for f in parsed if f))


def resolve(mapping: Mapping[str, str], screen: CreateScreen) -> dict[str, JiraField]:
    """Each mapped review field's Jira field (matched by id, then by display name)."""
    by_id = {f.id: f for f in screen.fields}
    resolved: dict[str, JiraField] = {}
    for review, wanted in mapping.items():
        found = by_id.get(wanted)
        if found is None:
            named = [f for f in screen.fields if f.name.casefold() == wanted.casefold()]
            if len(named) > 1:
                ids = ", ".join(f.id for f in named)
                raise SetupError(
                    f"jira.fields.{review}: several fields are named '{wanted}' ({ids}); "
                    "give the field id instead"
                )
            found = named[0] if named else None
        if found is None:
            raise SetupError(
                f"jira.fields.{review}: no field '{wanted}' on the create screen of "
                f"'{screen.issue_type}' in {screen.project}; add it to the screen or fix the "
                "name (`campaign-guard jira fields` lists the fields there)"
            )
        resolved[review] = found
    return resolved


def unfilled_required(screen: CreateScreen, filled: set[str]) -> list[JiraField]:
    """Required fields without a default that a create would leave empty."""
    return [
        f
        for f in screen.fields
        if f.required and not f.has_default and f.id not in filled and f.id not in SYSTEM_FILLED
    ]


def field_values(resolved: Mapping[str, JiraField], values: ReviewValues) -> dict[str, Any]:
    """The create/edit ``fields`` entries for the mapped review fields."""
    out: dict[str, Any] = {}
    for review, target in resolved.items():
        value = _value(review, target, values)
        if value is not None:
            out[target.id] = value
    return out


def _value(review: str, field: JiraField, v: ReviewValues) -> Any:  # noqa: PLR0911, PLR0912
    kind = field.type
    multiline = field.custom == _TEXTAREA
    if field.custom == _URL and review != "targets":
        kind = "url"  # a URL field holds only a landing page: fall through to the error
    if review == "campaign_name" and kind == "string":
        return _text(v.campaign_name, multiline)
    if review == "launch":
        if kind == "date":
            return v.launch.date().isoformat()
        if kind == "datetime":
            return v.launch.strftime("%Y-%m-%dT%H:%M:%S.000%z")
        if kind == "string":
            return _text(v.launch_text, multiline)
    if review == "expected_traffic":
        if kind == "number":
            return None if v.expected_visits is None else round(v.expected_visits)
        if kind == "string":
            return _text(v.traffic_text, multiline)
    if review == "targets" and kind == "string":
        if field.custom == _URL:
            urls = [t for t in v.targets if t.startswith(("https://", "http://"))]
            return urls[0] if urls else None
        return _lines(v.targets, multiline)
    if review == "new_data_fields":
        if kind == "number":
            return len(v.new_data_fields)
        if kind == "string":
            return _lines(v.new_data_fields, multiline) if v.new_data_fields else "none"
    if review == "verdict":
        if v.verdict is None:
            return None
        if kind == "option":
            return {"value": _option(field, v.verdict)}
        if kind == "string":
            return _text(v.verdict_text or v.verdict, multiline)
    raise SetupError(
        f"jira.fields.{review}: '{field.name}' is a {_kind(field)} field, which cannot hold "
        f"the {review.replace('_', ' ')}; map it to a field of another type (see the README)"
    )


def _option(field: JiraField, verdict: str) -> str:
    words = _VERDICT_WORDS[verdict]
    for allowed in field.allowed:
        if allowed.casefold() in words:
            return allowed
    raise SetupError(
        f"jira.fields.verdict: the select list '{field.name}' has no option for '{verdict}' "
        f"(its options: {', '.join(field.allowed) or 'none'}); add an option such as "
        f"'{words[0]}' or '{words[1]}'"
    )


def _kind(field: JiraField) -> str:
    if field.custom == _URL:
        return "URL"
    return {"string": "text", "option": "select list", "datetime": "date-time"}.get(
        field.type, field.type
    )


def _text(text: str, multiline: bool) -> str:
    if multiline:  # multi-line text fields render wiki markup: escape it
        return wiki_escape(text, multiline=True)
    line = " ".join(text.split())
    return line if len(line) <= TEXT_LIMIT else line[: TEXT_LIMIT - 1] + "…"


def _lines(items: Sequence[str], multiline: bool) -> str:
    if multiline:
        return "\n".join(wiki_escape(item) for item in items)
    return _text("; ".join(items), False)
