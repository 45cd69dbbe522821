"""Saved field definitions: what ``--save`` keeps of a Jira field, and using them."""

from __future__ import annotations

from typing import Any

import pytest

from campaign_guard.errors import SetupError
from campaign_guard.jira.fields import CreateScreen, JiraField, field_values
from campaign_guard.jira.saved_fields import (
    SAMPLE,
    as_jira_field,
    check_saved,
    differs,
    named_screen,
    needs_screen,
    resolve_mapping,
    saved_form,
    saved_ids,
)
from campaign_guard.jira.settings import FieldMapping, SavedField

CUSTOM = "com.atlassian.jira.plugin.system.customfieldtypes:"
LAUNCH = JiraField("customfield_10050", "Launch date", "datetime", CUSTOM + "datetime")
TRAFFIC = JiraField("customfield_10051", "Expected traffic", "number", CUSTOM + "float")
NAME = JiraField("customfield_10052", "Campaign name", "string", CUSTOM + "textfield")
PAGE = JiraField("customfield_10053", "Landing page", "string", CUSTOM + "url")
NEW_DATA = JiraField("customfield_10054", "New data fields", "string", CUSTOM + "textarea")
VERDICT = JiraField(
    "customfield_10055",
    "Load verdict",
    "option",
    CUSTOM + "select",
    allowed=("OK", "Scale up", "Overload"),
)
SCREEN = CreateScreen(
    "OPS",
    "10050",
    "Marketing Campaign Launch",
    (JiraField("summary", "Summary", "string"), LAUNCH, TRAFFIC, NAME, PAGE, NEW_DATA, VERDICT),
)
BY_REVIEW = {
    "campaign_name": NAME,
    "launch": LAUNCH,
    "expected_traffic": TRAFFIC,
    "targets": PAGE,
    "new_data_fields": NEW_DATA,
    "verdict": VERDICT,
}


def saved(**values: Any) -> SavedField:
    return SavedField.model_validate(values)


@pytest.mark.parametrize(
    ("review", "expected"),
    [
        ("campaign_name", {"id": "customfield_10052", "type": "string", "custom": "textfield"}),
        ("launch", {"id": "customfield_10050", "type": "datetime"}),
        ("expected_traffic", {"id": "customfield_10051", "type": "number"}),
        ("targets", {"id": "customfield_10053", "type": "string", "custom": "url"}),
        ("new_data_fields", {"id": "customfield_10054", "type": "string", "custom": "textarea"}),
        (
            "verdict",
            {"id": "customfield_10055", "type": "option", "options": list(VERDICT.allowed)},
        ),
    ],
)
def test_the_saved_form_keeps_what_formatting_needs(review: str, expected: dict[str, Any]) -> None:
    form = saved_form(review, BY_REVIEW[review])
    assert form == saved(**expected)
    # The saved definition formats every value exactly as the create screen's field does.
    from_screen = field_values({review: BY_REVIEW[review]}, SAMPLE)
    assert field_values({review: as_jira_field(form)}, SAMPLE) == from_screen
    assert not differs(form, BY_REVIEW[review])


def test_a_field_of_a_third_party_type_keeps_its_whole_custom_type() -> None:
    rich = JiraField("customfield_10300", "Notes", "string", "com.example.jira:richtext")
    form = saved_form("campaign_name", rich)
    assert form.custom == "com.example.jira:richtext"
    assert as_jira_field(form).custom == "com.example.jira:richtext"


@pytest.mark.parametrize(
    ("review", "field", "says"),
    [
        ("verdict", TRAFFIC, "jira.fields.verdict: 'Expected traffic' is a number field"),
        (
            "verdict",
            JiraField("customfield_1", "Colour", "option", allowed=("Blue", "Red")),
            "jira.fields.verdict: the select list 'Colour' has no option for 'ok'",
        ),
        ("launch", JiraField("customfield_2", "People", "array"), "'People' is a array field"),
    ],
)
def test_a_field_that_cannot_hold_its_review_field_is_not_saved(
    review: str, field: JiraField, says: str
) -> None:
    with pytest.raises(SetupError, match=says):
        saved_form(review, field)


def test_saved_fields_need_no_screen_and_names_do() -> None:
    all_saved: dict[str, FieldMapping] = {"launch": saved_form("launch", LAUNCH)}
    assert not needs_screen(all_saved)
    assert not needs_screen({})
    assert needs_screen({**all_saved, "verdict": "Load verdict"})


def test_resolve_mapping_uses_saved_definitions_as_they_are() -> None:
    mapping: dict[str, FieldMapping] = {
        "launch": saved(id="customfield_10050", type="date"),  # differs from the screen
        "verdict": "Load verdict",
    }
    resolved = resolve_mapping(mapping, SCREEN)
    assert list(resolved) == ["launch", "verdict"]
    assert resolved["verdict"] == VERDICT
    assert (resolved["launch"].id, resolved["launch"].type) == ("customfield_10050", "date")
    only_saved = {"launch": mapping["launch"]}
    assert resolve_mapping(only_saved, None) == {"launch": resolved["launch"]}
    with pytest.raises(ValueError, match="need the create screen"):
        resolve_mapping(mapping, None)


def test_saved_ids_take_every_field_from_the_screen_as_it_is_now() -> None:
    mapping: dict[str, FieldMapping] = {
        "launch": "Launch date",
        "verdict": saved(id="customfield_10055", type="option", options=["OK"]),
    }
    ids = saved_ids(mapping, SCREEN)
    assert (ids.issue_type_id, ids.issue_type_name) == ("10050", "Marketing Campaign Launch")
    assert ids.fields == {
        "launch": (saved(id="customfield_10050", type="datetime"), "Launch date"),
        "verdict": (
            saved(id="customfield_10055", type="option", options=["OK", "Scale up", "Overload"]),
            "Load verdict",
        ),
    }


def test_a_saved_field_gone_from_the_screen_is_named() -> None:
    mapping: dict[str, FieldMapping] = {"launch": saved(id="customfield_99999", type="date")}
    with pytest.raises(SetupError, match=r"jira\.fields\.launch: no field 'customfield_99999'"):
        saved_ids(mapping, SCREEN)


def test_check_saved_names_a_field_that_changed_and_the_fix() -> None:
    mapping: dict[str, FieldMapping] = {
        "launch": saved(id="customfield_10050", type="date"),
        "verdict": saved(id="customfield_10055", type="option", options=["OK", "Scale up"]),
    }
    with pytest.raises(SetupError) as caught:
        check_saved(mapping, SCREEN)
    assert str(caught.value) == (
        "jira.fields.launch: the saved field customfield_10050 differs from Jira's 'Launch date' "
        "(saved: date; in Jira: datetime); run `campaign-guard jira fields --save` to save it "
        "as it is now"
    )
    del mapping["launch"]
    with pytest.raises(SetupError, match=r"saved: options OK, Scale up; in Jira: options OK, Sc"):
        check_saved(mapping, SCREEN)
    mapping["verdict"] = saved_form("verdict", VERDICT)
    assert check_saved(mapping, SCREEN) == {"verdict": VERDICT}


def test_a_text_field_that_became_several_lines_differs() -> None:
    one_line = saved(id="customfield_10054", type="string", custom="textfield")
    assert differs(one_line, NEW_DATA)
    assert not differs(saved(id="customfield_10054", type="string", custom="textarea"), NEW_DATA)


def test_named_screen_takes_the_issue_type_name_from_jira() -> None:
    by_id = CreateScreen("OPS", "10050", "10050", SCREEN.fields)
    types = [{"id": "10001", "name": "Task"}, {"id": "10050", "name": "Marketing Campaign Launch"}]
    assert named_screen(by_id, types) == SCREEN
    with pytest.raises(
        SetupError, match=r"jira\.issue_type: project OPS has no issue type with id"
    ):
        named_screen(by_id, types[:1])
