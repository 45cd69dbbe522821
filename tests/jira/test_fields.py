"""Review fields onto Jira fields: createmeta parsing, resolution and typed values."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from campaign_guard.errors import SetupError
from campaign_guard.jira.fields import (
    TEXT_LIMIT,
    CreateScreen,
    JiraField,
    ReviewValues,
    field_values,
    pick_issue_type,
    resolve,
    screen_from_meta,
    unfilled_required,
)
from campaign_guard.jira.markup import wiki_escape
from campaign_guard.jira.ticket import review_values
from campaign_guard.loadmodel.engine import estimate
from campaign_guard.spec.campaign import CampaignSpec
from campaign_guard.spec.capacity import CapacityProfile
from campaign_guard.spec.load import load_model
from tests.conftest import REPO_ROOT

WINTER = REPO_ROOT / "examples" / "campaigns" / "winter-newsletter.yaml"
PRODUCTION = REPO_ROOT / "examples" / "capacity" / "production.yaml"

TEXTAREA = "com.atlassian.jira.plugin.system.customfieldtypes:textarea"
TEXTFIELD = "com.atlassian.jira.plugin.system.customfieldtypes:textfield"
URL = "com.atlassian.jira.plugin.system.customfieldtypes:url"
SELECT = "com.atlassian.jira.plugin.system.customfieldtypes:select"
FLOAT = "com.atlassian.jira.plugin.system.customfieldtypes:float"
DATE = "com.atlassian.jira.plugin.system.customfieldtypes:datepicker"
DATETIME = "com.atlassian.jira.plugin.system.customfieldtypes:datetime"

HOSTILE = "Spring [link|http://evil] {code}x{code} *bold*"


def values(**changes: Any) -> ReviewValues:
    base: dict[str, Any] = {
        "campaign_name": "Spring Sale",
        "launch": datetime(2027, 3, 2, 9, 0, tzinfo=ZoneInfo("Europe/Paris")),
        "launch_text": "Tue 2 Mar 2027 09:00 CET to Thu 4 Mar 2027 09:00 CET",
        "expected_visits": 1234.6,
        "traffic_text": "1,235 visits; email: list of 10,000",
        "targets": ("GET /api/sale", "https://www.example.com/spring", "http://old.example.com"),
        "new_data_fields": ("phone (personal data)", "size (not personal data)"),
        "verdict": "ok",
        "verdict_text": "Today's capacity holds.",
    }
    base.update(changes)
    return ReviewValues(**base)


def jira_field(
    type_: str = "string",
    custom: str | None = TEXTFIELD,
    *,
    ident: str = "customfield_10100",
    name: str = "Review field",
    allowed: tuple[str, ...] = (),
) -> JiraField:
    return JiraField(id=ident, name=name, type=type_, custom=custom, allowed=allowed)


def value_of(review: str, target: JiraField, review_values_: ReviewValues) -> Any:
    out = field_values({review: target}, review_values_)
    assert set(out) <= {target.id}
    return out.get(target.id)


# --- JiraField.from_meta ----------------------------------------------------------------

CLOUD_SUMMARY = {
    "required": True,
    "schema": {"type": "string", "system": "summary"},
    "name": "Summary",
    "key": "summary",
    "fieldId": "summary",
    "hasDefaultValue": False,
    "operations": ["set"],
}
CLOUD_TEXTAREA = {
    "required": False,
    "schema": {"type": "string", "custom": TEXTAREA, "customId": 10200},
    "name": "Traffic notes",
    "key": "customfield_10200",
    "fieldId": "customfield_10200",
    "hasDefaultValue": False,
    "operations": ["set"],
}
CLOUD_SELECT = {
    "required": True,
    "schema": {"type": "option", "custom": SELECT, "customId": 10300},
    "name": "Capacity verdict",
    "key": "customfield_10300",
    "fieldId": "customfield_10300",
    "hasDefaultValue": True,
    "operations": ["set"],
    "allowedValues": [
        {"self": "https://x/rest/api/3/customFieldOption/1", "value": "OK", "id": "1"},
        {"self": "https://x/rest/api/3/customFieldOption/2", "value": "Scale up", "id": "2"},
        {"self": "https://x/rest/api/3/customFieldOption/3", "value": "Overload", "id": "3"},
    ],
}
# Data Center: no "key", allowed values of system fields carry a "name".
DC_DUEDATE = {
    "required": False,
    "schema": {"type": "date", "system": "duedate"},
    "name": "Due Date",
    "fieldId": "duedate",
    "hasDefaultValue": False,
    "operations": ["set"],
}
DC_NUMBER = {
    "required": True,
    "schema": {"type": "number", "custom": FLOAT, "customId": 10400},
    "name": "Expected visits",
    "fieldId": "customfield_10400",
    "hasDefaultValue": False,
    "operations": ["set"],
}
DC_PRIORITY = {
    "required": False,
    "schema": {"type": "priority", "system": "priority"},
    "name": "Priority",
    "fieldId": "priority",
    "hasDefaultValue": True,
    "operations": ["set"],
    "allowedValues": [
        {"self": "https://jira/rest/api/2/priority/1", "name": "Highest", "id": "1"},
        {"self": "https://jira/rest/api/2/priority/3", "name": "Medium", "id": "3"},
    ],
}


def test_from_meta_reads_a_cloud_system_field() -> None:
    assert JiraField.from_meta(CLOUD_SUMMARY) == JiraField(
        id="summary", name="Summary", type="string", custom=None, required=True
    )


def test_from_meta_reads_a_cloud_custom_textarea() -> None:
    parsed = JiraField.from_meta(CLOUD_TEXTAREA)
    assert parsed == JiraField(
        id="customfield_10200", name="Traffic notes", type="string", custom=TEXTAREA
    )


def test_from_meta_reads_a_select_list_with_its_options() -> None:
    parsed = JiraField.from_meta(CLOUD_SELECT)
    assert parsed is not None
    assert parsed.type == "option"
    assert parsed.custom == SELECT
    assert parsed.required is True
    assert parsed.has_default is True
    assert parsed.allowed == ("OK", "Scale up", "Overload")


def test_from_meta_reads_data_center_entries_without_key() -> None:
    assert JiraField.from_meta(DC_DUEDATE) == JiraField(
        id="duedate", name="Due Date", type="date", custom=None
    )
    assert JiraField.from_meta(DC_NUMBER) == JiraField(
        id="customfield_10400", name="Expected visits", type="number", custom=FLOAT, required=True
    )
    priority = JiraField.from_meta(DC_PRIORITY)
    assert priority is not None
    assert priority.allowed == ("Highest", "Medium")
    assert priority.has_default is True


def test_from_meta_falls_back_to_key_when_there_is_no_field_id() -> None:
    legacy = {"key": "customfield_1", "name": "Legacy", "schema": {"type": "string"}}
    parsed = JiraField.from_meta(legacy)
    assert parsed is not None
    assert parsed.id == "customfield_1"


@pytest.mark.parametrize(
    "meta",
    [
        {},
        {"name": "No id"},
        {"fieldId": "customfield_1"},
        {"fieldId": 10001, "name": "Numeric id"},
        {"fieldId": "customfield_1", "name": None},
        {"fieldId": "customfield_1", "name": ["a list"]},
    ],
)
def test_from_meta_rejects_junk_entries(meta: dict[str, Any]) -> None:
    assert JiraField.from_meta(meta) is None


def test_from_meta_tolerates_malformed_schema_and_options() -> None:
    meta = {
        "fieldId": "customfield_9",
        "name": "Odd",
        "schema": "not a mapping",
        "required": "true",  # only a real true counts
        "hasDefaultValue": 1,
        "allowedValues": [{"value": "A"}, "junk", {"value": 5}, {"id": "x"}, {"name": "B"}],
    }
    assert JiraField.from_meta(meta) == JiraField(
        id="customfield_9", name="Odd", type="unknown", allowed=("A", "B")
    )
    not_a_list = {"fieldId": "f", "name": "F", "allowedValues": {"value": "A"}}
    parsed = JiraField.from_meta(not_a_list)
    assert parsed is not None
    assert parsed.allowed == ()
    odd_custom = {"fieldId": "f", "name": "F", "schema": {"type": "string", "custom": 12}}
    parsed = JiraField.from_meta(odd_custom)
    assert parsed is not None
    assert parsed.custom is None


def test_screen_from_meta_drops_unusable_entries() -> None:
    screen = screen_from_meta(
        "OPS", "10001", "Marketing Campaign Launch", [CLOUD_SUMMARY, {"name": "x"}, DC_NUMBER]
    )
    assert [f.id for f in screen.fields] == ["summary", "customfield_10400"]
    assert screen.project == "OPS"
    assert screen.issue_type_id == "10001"
    assert screen.issue_type == "Marketing Campaign Launch"


# --- CreateScreen JSON ------------------------------------------------------------------


def test_create_screen_survives_a_json_round_trip() -> None:
    screen = screen_from_meta(
        "OPS",
        "10001",
        "Marketing Campaign Launch",
        [CLOUD_SUMMARY, CLOUD_TEXTAREA, CLOUD_SELECT, DC_DUEDATE, DC_NUMBER, DC_PRIORITY],
    )
    text = json.dumps(screen.to_json())
    back = CreateScreen.from_json(json.loads(text))
    assert back == screen
    assert back.fields[2].allowed == ("OK", "Scale up", "Overload")
    assert isinstance(back.fields[2].allowed, tuple)


def test_jira_field_to_json_lists_its_options() -> None:
    parsed = JiraField.from_meta(CLOUD_SELECT)
    assert parsed is not None
    assert parsed.to_json() == {
        "id": "customfield_10300",
        "name": "Capacity verdict",
        "type": "option",
        "custom": SELECT,
        "required": True,
        "has_default": True,
        "allowed": ["OK", "Scale up", "Overload"],
    }


# --- pick_issue_type --------------------------------------------------------------------

ISSUE_TYPES = [
    {"id": "10001", "name": "Task"},
    {"id": "10002", "name": "Marketing Campaign Launch"},
    {"id": "10003", "name": "Bug"},
]


def test_pick_issue_type_matches_case_insensitively() -> None:
    assert pick_issue_type("OPS", ISSUE_TYPES, "marketing campaign LAUNCH") == "10002"
    assert pick_issue_type("OPS", ISSUE_TYPES, "Task") == "10001"


def test_pick_issue_type_unknown_lists_the_types() -> None:
    with pytest.raises(SetupError) as caught:
        pick_issue_type("OPS", ISSUE_TYPES, "Epic")
    message = str(caught.value)
    assert message.startswith("jira.issue_type:")
    assert "'Epic'" in message
    assert "OPS" in message
    assert "Bug, Marketing Campaign Launch, Task" in message


def test_pick_issue_type_ignores_entries_without_a_numeric_id_or_a_name() -> None:
    types = [{"id": "abc", "name": "Epic"}, {"name": "Story"}, {"id": "7"}]
    with pytest.raises(SetupError) as caught:
        pick_issue_type("OPS", types, "Epic")
    assert "none you can create" in str(caught.value)


# --- resolve ----------------------------------------------------------------------------

SCREEN = CreateScreen(
    project="OPS",
    issue_type_id="10002",
    issue_type="Marketing Campaign Launch",
    fields=(
        JiraField("summary", "Summary", "string", required=True),
        JiraField("customfield_1", "Launch date", "date", DATE),
        JiraField("customfield_2", "Verdict", "option", SELECT, allowed=("OK",)),
        JiraField("customfield_3", "Verdict", "string", TEXTFIELD),
        JiraField("customfield_4", "Landing page", "string", URL),
    ),
)


def test_resolve_by_id() -> None:
    resolved = resolve({"verdict": "customfield_2"}, SCREEN)
    assert resolved == {"verdict": SCREEN.fields[2]}


def test_resolve_by_display_name_case_insensitively() -> None:
    resolved = resolve({"launch": "LAUNCH date", "targets": "landing page"}, SCREEN)
    assert resolved == {"launch": SCREEN.fields[1], "targets": SCREEN.fields[4]}


def test_resolve_ambiguous_name_asks_for_the_id() -> None:
    with pytest.raises(SetupError) as caught:
        resolve({"verdict": "verdict"}, SCREEN)
    message = str(caught.value)
    assert message.startswith("jira.fields.verdict:")
    assert "customfield_2, customfield_3" in message
    assert "field id" in message


def test_resolve_an_ambiguous_name_is_fine_by_id() -> None:
    assert resolve({"verdict": "customfield_3"}, SCREEN) == {"verdict": SCREEN.fields[3]}


def test_resolve_unknown_names_the_setting() -> None:
    with pytest.raises(SetupError) as caught:
        resolve({"launch": "Go-live"}, SCREEN)
    message = str(caught.value)
    assert message.startswith("jira.fields.launch:")
    assert "'Go-live'" in message
    assert "Marketing Campaign Launch" in message


# --- unfilled_required ------------------------------------------------------------------


def test_unfilled_required_skips_system_filled_defaulted_and_filled_fields() -> None:
    screen = CreateScreen(
        "OPS",
        "10002",
        "Marketing Campaign Launch",
        (
            JiraField("summary", "Summary", "string", required=True),
            JiraField("issuetype", "Issue Type", "issuetype", required=True),
            JiraField("reporter", "Reporter", "user", required=True, has_default=True),
            JiraField("customfield_1", "Launch date", "date", DATE, required=True),
            JiraField("customfield_2", "Team", "option", SELECT, required=True),
            JiraField("customfield_3", "Notes", "string", TEXTAREA, required=False),
            JiraField("components", "Components", "array", required=True),
        ),
    )
    missing = unfilled_required(screen, {"customfield_1"})
    assert [f.id for f in missing] == ["customfield_2", "components"]
    assert unfilled_required(screen, {"customfield_1", "customfield_2", "components"}) == []


# --- field_values: every row of the type table ------------------------------------------


def test_campaign_name_text_is_one_line() -> None:
    v = values(campaign_name="Spring\n  Sale\t2027")
    assert value_of("campaign_name", jira_field(), v) == "Spring Sale 2027"


def test_single_line_text_is_capped_with_an_ellipsis() -> None:
    long_name = " ".join(["word"] * 100)  # 499 characters
    out = value_of("campaign_name", jira_field(), values(campaign_name=long_name))
    assert len(out) == TEXT_LIMIT
    assert out.endswith("…")
    assert out[:-1] == long_name[: TEXT_LIMIT - 1]
    exact = "x" * TEXT_LIMIT
    assert value_of("campaign_name", jira_field(), values(campaign_name=exact)) == exact


def test_campaign_name_textarea_is_wiki_escaped() -> None:
    out = value_of("campaign_name", jira_field(custom=TEXTAREA), values(campaign_name=HOSTILE))
    assert out == wiki_escape(HOSTILE, multiline=True)
    assert "[link|" not in out
    assert "{code}" not in out
    assert r"\{code\}" in out


def test_single_line_text_is_not_wiki_escaped() -> None:
    # Single-line text fields do not render wiki markup: the text goes in as written.
    assert value_of("campaign_name", jira_field(), values(campaign_name=HOSTILE)) == HOSTILE


def test_launch_date_is_the_launch_day_in_its_own_zone() -> None:
    # 23:30 in Los Angeles is already the next day in UTC.
    late = datetime(2027, 12, 7, 23, 30, tzinfo=ZoneInfo("America/Los_Angeles"))
    assert value_of("launch", jira_field("date", DATE), values(launch=late)) == "2027-12-07"


def test_launch_datetime_carries_the_offset() -> None:
    late = datetime(2027, 12, 7, 23, 30, tzinfo=ZoneInfo("America/Los_Angeles"))
    out = value_of("launch", jira_field("datetime", DATETIME), values(launch=late))
    assert out == "2027-12-07T23:30:00.000-0800"
    summer = datetime(2027, 7, 1, 9, 5, 7, tzinfo=ZoneInfo("Europe/Paris"))
    out = value_of("launch", jira_field("datetime", DATETIME), values(launch=summer))
    assert out == "2027-07-01T09:05:07.000+0200"


def test_launch_text_uses_the_launch_text() -> None:
    v = values()
    assert value_of("launch", jira_field(), v) == v.launch_text
    multi = value_of("launch", jira_field(custom=TEXTAREA), values(launch_text="a [b|c]"))
    assert multi == wiki_escape("a [b|c]", multiline=True)


def test_expected_traffic_number_is_the_rounded_expected_visits() -> None:
    out = value_of("expected_traffic", jira_field("number", FLOAT), values(expected_visits=1234.6))
    assert out == 1235
    assert isinstance(out, int)


def test_expected_traffic_number_without_an_estimate_is_omitted() -> None:
    target = jira_field("number", FLOAT)
    assert field_values({"expected_traffic": target}, values(expected_visits=None)) == {}


def test_expected_traffic_text_uses_the_traffic_text() -> None:
    v = values()
    assert value_of("expected_traffic", jira_field(), v) == v.traffic_text
    hostile = values(traffic_text="email: {color:red}x{color}")
    out = value_of("expected_traffic", jira_field(custom=TEXTAREA), hostile)
    assert out == wiki_escape("email: {color:red}x{color}", multiline=True)


def test_targets_text_joins_them_on_one_line() -> None:
    out = value_of("targets", jira_field(), values())
    assert out == "GET /api/sale; https://www.example.com/spring; http://old.example.com"


def test_targets_textarea_is_one_escaped_line_each() -> None:
    targets = ("https://www.example.com/[x|y]", "POST /api/{code}")
    out = value_of("targets", jira_field(custom=TEXTAREA), values(targets=targets))
    assert out == "\n".join(wiki_escape(t) for t in targets)
    assert out.count("\n") == 1
    assert "{code}" not in out


def test_targets_url_field_takes_the_first_http_target() -> None:
    out = value_of("targets", jira_field(custom=URL), values())
    assert out == "https://www.example.com/spring"
    plain = values(targets=("GET /api/a", "http://old.example.com/x", "https://b.example.com"))
    assert value_of("targets", jira_field(custom=URL), plain) == "http://old.example.com/x"


def test_targets_url_field_without_a_web_address_is_omitted() -> None:
    only_api = values(targets=("GET /api/a", "ftp://files.example.com", "POST /api/b"))
    assert field_values({"targets": jira_field(custom=URL)}, only_api) == {}


def test_new_data_fields_text_lists_them() -> None:
    v = values()
    assert value_of("new_data_fields", jira_field(), v) == (
        "phone (personal data); size (not personal data)"
    )
    fields = ("[~admin] phone", "size")
    out = value_of("new_data_fields", jira_field(custom=TEXTAREA), values(new_data_fields=fields))
    assert out == f"{wiki_escape('[~admin] phone')}\nsize"


def test_new_data_fields_text_says_none_when_there_are_none() -> None:
    empty = values(new_data_fields=())
    assert value_of("new_data_fields", jira_field(), empty) == "none"
    assert value_of("new_data_fields", jira_field(custom=TEXTAREA), empty) == "none"


def test_new_data_fields_number_is_how_many() -> None:
    assert value_of("new_data_fields", jira_field("number", FLOAT), values()) == 2
    assert value_of("new_data_fields", jira_field("number", FLOAT), values(new_data_fields=())) == 0


@pytest.mark.parametrize(
    ("verdict", "options", "expected"),
    [
        ("ok", ("OK", "Scale up", "Overload"), "OK"),
        ("scale", ("OK", "Scale up", "Overload"), "Scale up"),
        ("overload", ("OK", "Scale up", "Overload"), "Overload"),
        ("ok", ("RED", "AMBER", "GREEN"), "GREEN"),
        ("scale", ("red", "amber", "green"), "amber"),
        ("overload", ("Go", "SCALE-UP", "No-Go"), "No-Go"),
        ("scale", ("Okay", "SCALE UP", "Blocked"), "SCALE UP"),
    ],
)
def test_verdict_select_matches_an_option(
    verdict: str, options: tuple[str, ...], expected: str
) -> None:
    target = jira_field("option", SELECT, allowed=options)
    assert value_of("verdict", target, values(verdict=verdict)) == {"value": expected}


def test_verdict_select_without_a_fitting_option_lists_the_options() -> None:
    target = jira_field("option", SELECT, name="Risk", allowed=("Low", "High"))
    with pytest.raises(SetupError) as caught:
        field_values({"verdict": target}, values(verdict="scale"))
    message = str(caught.value)
    assert message.startswith("jira.fields.verdict:")
    assert "'Risk'" in message
    assert "Low, High" in message
    assert "'scale'" in message


def test_verdict_select_without_options_says_none() -> None:
    target = jira_field("option", SELECT, allowed=())
    with pytest.raises(SetupError, match=r"its options: none"):
        field_values({"verdict": target}, values(verdict="ok"))


def test_verdict_text_uses_the_headline_else_the_word() -> None:
    v = values(verdict="overload", verdict_text="Overload: web peaks at 180%.")
    assert value_of("verdict", jira_field(), v) == "Overload: web peaks at 180%."
    assert value_of("verdict", jira_field(), values(verdict="scale", verdict_text=None)) == "scale"


def test_a_verdict_of_none_is_omitted() -> None:
    none = values(verdict=None, verdict_text=None)
    resolved = {
        "verdict": jira_field("option", SELECT, allowed=("OK",)),
    }
    assert field_values(resolved, none) == {}
    assert field_values({"verdict": jira_field()}, none) == {}


def test_field_values_keys_by_jira_field_id() -> None:
    resolved = {
        "campaign_name": jira_field(ident="customfield_1"),
        "launch": jira_field("date", DATE, ident="customfield_2"),
        "expected_traffic": jira_field("number", FLOAT, ident="customfield_3"),
        "verdict": jira_field("option", SELECT, ident="customfield_4", allowed=("OK",)),
    }
    assert field_values(resolved, values()) == {
        "customfield_1": "Spring Sale",
        "customfield_2": "2027-03-02",
        "customfield_3": 1235,
        "customfield_4": {"value": "OK"},
    }


@pytest.mark.parametrize(
    ("review", "target", "kind"),
    [
        ("launch", jira_field("number", FLOAT), "number"),
        ("campaign_name", jira_field("option", SELECT, allowed=("OK",)), "select list"),
        ("campaign_name", jira_field("date", DATE), "date"),
        ("expected_traffic", jira_field("date", DATE), "date"),
        ("expected_traffic", jira_field("option", SELECT, allowed=("OK",)), "select list"),
        ("targets", jira_field("datetime", DATETIME), "date-time"),
        ("targets", jira_field("number", FLOAT), "number"),
        ("new_data_fields", jira_field("option", SELECT, allowed=("OK",)), "select list"),
        ("verdict", jira_field("number", FLOAT), "number"),
        ("verdict", jira_field("user", None), "user"),
    ],
)
def test_unsupported_combinations_name_the_setting_and_the_kind(
    review: str, target: JiraField, kind: str
) -> None:
    with pytest.raises(SetupError) as caught:
        field_values({review: target}, values())
    message = str(caught.value)
    assert message.startswith(f"jira.fields.{review}:")
    assert f"is a {kind} field" in message
    assert f"'{target.name}'" in message


# --- from an example spec ---------------------------------------------------------------


def test_field_values_from_the_example_spec_and_profile() -> None:
    loaded = load_model(WINTER, CampaignSpec, str(WINTER))
    assert loaded.value is not None, loaded.problems
    spec = loaded.value
    profile = load_model(PRODUCTION, CapacityProfile, str(PRODUCTION))
    assert profile.value is not None, profile.problems
    result = estimate([spec], profile.value)
    review = review_values(spec, result)
    assert review.verdict in {"ok", "scale", "overload"}
    assert review.expected_visits is not None

    resolved = {
        "campaign_name": jira_field(ident="customfield_1"),
        "launch": jira_field("date", DATE, ident="customfield_2"),
        "expected_traffic": jira_field("number", FLOAT, ident="customfield_3"),
        "targets": jira_field(custom=URL, ident="customfield_4"),
        "new_data_fields": jira_field("number", FLOAT, ident="customfield_5"),
        "verdict": jira_field(
            "option", SELECT, ident="customfield_6", allowed=("OK", "Scale up", "Overload")
        ),
    }
    option = {"ok": "OK", "scale": "Scale up", "overload": "Overload"}[review.verdict]
    local_start = spec.launch.start.astimezone(spec.launch.zone)
    assert field_values(resolved, review) == {
        "customfield_1": spec.name,
        "customfield_2": local_start.date().isoformat(),
        "customfield_3": round(review.expected_visits),
        "customfield_4": spec.landing_pages[0],
        "customfield_5": len(spec.new_data_fields),
        "customfield_6": {"value": option},
    }
    # The example launches on Tue 7 Dec 2027, 09:00 in New York.
    assert local_start.date().isoformat() == "2027-12-07"

    as_text = {
        "expected_traffic": jira_field(ident="customfield_7"),
        "verdict": jira_field(custom=TEXTAREA, ident="customfield_8"),
    }
    out = field_values(as_text, review)
    assert out["customfield_7"].startswith(f"{round(review.expected_visits):,} ")
    assert "visits" in out["customfield_7"]
    assert review.verdict_text is not None
    assert out["customfield_8"] == wiki_escape(review.verdict_text, multiline=True)


def test_field_values_from_the_example_spec_without_a_profile() -> None:
    loaded = load_model(WINTER, CampaignSpec, str(WINTER))
    assert loaded.value is not None, loaded.problems
    review = review_values(loaded.value, None)
    resolved = {
        "expected_traffic": jira_field("number", FLOAT, ident="customfield_3"),
        "verdict": jira_field("option", SELECT, ident="customfield_6", allowed=("OK",)),
        "launch": jira_field("datetime", DATETIME, ident="customfield_2"),
    }
    assert field_values(resolved, review) == {"customfield_2": "2027-12-07T09:00:00.000-0500"}


@pytest.mark.parametrize(
    "review", ["campaign_name", "launch", "expected_traffic", "new_data_fields", "verdict"]
)
def test_a_url_field_holds_only_the_landing_page(review: str) -> None:
    url_field = jira_field(custom=URL, name="Landing page")
    with pytest.raises(SetupError, match=rf"jira\.fields\.{review}: 'Landing page' is a URL field"):
        field_values({review: url_field}, values())
