"""Review fields mapped to saved Jira field definitions, which need no create screen.

``jira.fields`` maps each review field either to a Jira field's name or id (resolved
through the create screen, which costs two requests the first time on each machine)
or to the definition ``campaign-guard jira fields --save`` wrote: the id, the type and
what the type needs to format a value (the kind of text, a select list's options).
Pure: settings and screens in, :class:`~campaign_guard.jira.fields.JiraField` out.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from typing import Any

from campaign_guard.errors import SetupError
from campaign_guard.jira.fields import (
    CreateScreen,
    JiraField,
    ReviewValues,
    field_values,
    resolve,
)
from campaign_guard.jira.settings import FieldMapping, JiraSettings, SavedField

SAVE_COMMAND = "campaign-guard jira fields --save"
FIELDS_CHANGED = f"run `{SAVE_COMMAND}` to save the field as Jira has it now"
"""The fix when Jira refuses a mapped field's value: its definition changed."""
CUSTOM_PREFIX = "com.atlassian.jira.plugin.system.customfieldtypes:"
"""Jira's own custom field types; saved without it (``textarea``)."""

SAMPLE = ReviewValues(
    campaign_name="Sample",
    launch=datetime(2030, 1, 7, 9, 0, tzinfo=timezone.utc),
    launch_text="Mon 7 Jan 2030 09:00 UTC",
    expected_visits=1000.0,
    traffic_text="email: list of 1,000",
    targets=("https://www.example.com/",),
    new_data_fields=("phone",),
    verdict="ok",
    verdict_text="Today's capacity holds.",
)
"""Values of every kind, to find mapped fields whose type cannot take them."""


@dataclass(frozen=True)
class SavedIds:
    """What ``--save`` writes: the issue type's id and each mapped field's definition,
    with the names Jira shows for them (written as comments)."""

    issue_type_id: str
    issue_type_name: str
    fields: Mapping[str, tuple[SavedField, str]]
    """Review field → (its saved definition, the Jira field's name)."""

    def applied_to(self, jira: JiraSettings) -> JiraSettings:
        saved = {review: definition for review, (definition, _) in self.fields.items()}
        return jira.model_copy(update={"issue_type": self.issue_type_id, "fields": saved})


def needs_screen(mapping: Mapping[str, FieldMapping]) -> bool:
    """Whether a review field is mapped by name or id (not saved): the screen is needed."""
    return any(isinstance(target, str) for target in mapping.values())


def resolve_mapping(
    mapping: Mapping[str, FieldMapping], screen: CreateScreen | None
) -> dict[str, JiraField]:
    """Each mapped review field's Jira field: saved ones as saved, the others through
    ``screen`` (which must be given when :func:`needs_screen`)."""
    named = {review: target for review, target in mapping.items() if isinstance(target, str)}
    if named and screen is None:
        raise ValueError("fields mapped by name need the create screen")
    found = resolve(named, screen) if named and screen is not None else {}
    return {
        review: found[review] if isinstance(target, str) else as_jira_field(target)
        for review, target in mapping.items()
    }


def as_jira_field(saved: SavedField) -> JiraField:
    """The field a saved definition describes (its id stands in for its name)."""
    custom = saved.custom
    if custom is not None and ":" not in custom:
        custom = CUSTOM_PREFIX + custom
    return JiraField(
        id=saved.id, name=saved.id, type=saved.type, custom=custom, allowed=tuple(saved.options)
    )


def saved_form(review: str, field: JiraField) -> SavedField:
    """What ``--save`` writes for ``field``; a SetupError when submit could not fill it."""
    fits({review: field})
    custom = field.custom if field.type == "string" else None
    if custom is not None and custom.startswith(CUSTOM_PREFIX):
        custom = custom.removeprefix(CUSTOM_PREFIX)
    options = list(field.allowed) if field.type == "option" else []
    return SavedField.model_validate(
        {"id": field.id, "type": field.type, "custom": custom, "options": options}
    )


def named_screen(screen: CreateScreen, issue_types: Sequence[Mapping[str, Any]]) -> CreateScreen:
    """``screen`` (read by the issue type's id) with the issue type's name from Jira."""
    for issue_type in issue_types:
        if str(issue_type.get("id")) == screen.issue_type_id and issue_type.get("name"):
            return replace(screen, issue_type=str(issue_type["name"]))
    raise SetupError(
        f"jira.issue_type: project {screen.project} has no issue type with id "
        f"{screen.issue_type_id} that you can create; set jira.issue_type to its name"
    )


def saved_ids(mapping: Mapping[str, FieldMapping], screen: CreateScreen) -> SavedIds:
    """What ``--save`` writes: the issue type's id and name, and every mapped field as
    ``screen`` has it now (a SetupError when one cannot take its review field)."""
    live = live_fields(mapping, screen)
    fields = {review: (saved_form(review, f), f.name) for review, f in live.items()}
    return SavedIds(screen.issue_type_id, screen.issue_type, fields)


def fits(resolved: Mapping[str, JiraField]) -> None:
    """A SetupError naming the setting when a field's type cannot hold its review field."""
    field_values(resolved, SAMPLE)


def live_fields(mapping: Mapping[str, FieldMapping], screen: CreateScreen) -> dict[str, JiraField]:
    """Each mapped review field's Jira field as ``screen`` has it now (saved ones by id)."""
    wanted = {
        review: target if isinstance(target, str) else target.id
        for review, target in mapping.items()
    }
    return resolve(wanted, screen)


def differs(saved: SavedField, live: JiraField) -> bool:
    """Whether Jira's field is no longer what was saved (in what formatting needs)."""
    return _signature(as_jira_field(saved)) != _signature(live)


def check_saved(mapping: Mapping[str, FieldMapping], screen: CreateScreen) -> dict[str, JiraField]:
    """The mapped fields as Jira has them; a SetupError when a saved one differs from it."""
    live = live_fields(mapping, screen)
    for review, target in mapping.items():
        now = live[review]
        if isinstance(target, SavedField) and differs(target, now):
            raise SetupError(
                f"jira.fields.{review}: the saved field {target.id} differs from Jira's "
                f"'{now.name}' (saved: {_described(as_jira_field(target))}; in Jira: "
                f"{_described(now)}); run `{SAVE_COMMAND}` to save it as it is now"
            )
    return live


def _signature(field: JiraField) -> tuple[str, str | None, tuple[str, ...]]:
    custom = field.custom if field.type == "string" else None
    return field.type, custom, field.allowed if field.type == "option" else ()


def _described(field: JiraField) -> str:
    kind, custom, options = _signature(field)
    if options:
        return f"options {', '.join(options)}"
    return kind + (f" ({custom.removeprefix(CUSTOM_PREFIX)})" if custom else "")
