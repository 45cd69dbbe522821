"""Editing the project file's text for ``jira fields --save``: golden files and refusals.

Each ``tests/config/project_files/X.yaml`` is a realistic project file; ``X.saved.yaml`` beside
it is the file after saving the fields it maps, against a create screen like the fake
Jira's. Rewrite them with ``CG_UPDATE_GOLDEN=1`` after an intended change, and read the
diff: only ``issue_type`` and the ``fields`` entries may change.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

from campaign_guard.config.edit import (
    NotEditable,
    toml_lines,
    with_saved_ids,
    yaml_section,
    yaml_value,
)
from campaign_guard.config.project import ProjectConfig
from campaign_guard.jira.saved_fields import SavedIds, saved_ids
from campaign_guard.jira.settings import JiraSettings, SavedField
from campaign_guard.spec.yamlload import load
from tests.golden import assert_golden
from tests.jira.test_saved_fields import SCREEN

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib  # type: ignore[import-not-found, unused-ignore]

FILES = Path(__file__).resolve().parent / "project_files"
CASES = sorted(p.name.removesuffix(".yaml") for p in FILES.glob("*.yaml") if ".saved" not in p.name)


def config(text: str) -> ProjectConfig:
    return ProjectConfig.model_validate(load(text.encode("utf-8")).data)


def ids_for(text: str) -> SavedIds:
    jira = config(text).jira
    assert jira is not None
    return saved_ids(jira.fields, SCREEN)


def expected(text: str, ids: SavedIds) -> ProjectConfig:
    before = config(text)
    assert before.jira is not None
    return before.model_copy(update={"jira": ids.applied_to(before.jira)})


def comments(text: str) -> list[str]:
    """Every comment of ``text`` (these files have no ``#`` inside a value)."""
    return [line[line.index("#") :] for line in text.splitlines() if "#" in line]


def in_order(some: list[str], every: list[str]) -> bool:
    rest = iter(every)
    return all(item in rest for item in some)


def test_the_cases_are_found() -> None:
    assert len(CASES) >= 5


@pytest.mark.parametrize("case", CASES)
def test_saving_edits_only_the_issue_type_and_the_fields(case: str) -> None:
    text = (FILES / f"{case}.yaml").read_text(encoding="utf-8")
    ids = ids_for(text)
    edited = with_saved_ids(text, ids)
    assert_golden(edited, FILES / f"{case}.saved.yaml")
    assert config(edited) == expected(text, ids)
    assert in_order(comments(text), comments(edited))  # no comment is lost
    lines = edited.splitlines()
    assert in_order([line for line in text.splitlines() if line.strip() == ""], lines)
    assert with_saved_ids(edited, ids) == edited  # saving again changes nothing


def test_the_example_project_file_can_be_saved() -> None:
    text = (FILES.parents[2] / "examples" / "campaign-guard.yaml").read_text(encoding="utf-8")
    ids = ids_for(text)
    edited = with_saved_ids(text, ids)
    assert config(edited) == expected(text, ids)
    assert in_order(comments(text), comments(edited))
    assert len(edited.splitlines()) == len(text.splitlines()) + 1  # issue_type: added


def test_crlf_line_endings_are_kept() -> None:
    text = (FILES / "commented.yaml").read_text(encoding="utf-8")
    saved = (FILES / "commented.saved.yaml").read_text(encoding="utf-8")
    crlf = text.replace("\n", "\r\n")
    assert with_saved_ids(crlf, ids_for(crlf)) == saved.replace("\n", "\r\n")


def test_a_file_without_a_final_line_break() -> None:
    text = "jira:\n  site: https://example.atlassian.net\n  project: OPS"
    edited = with_saved_ids(text, ids_for(text))
    assert edited == text + "\n  issue_type: 10050  # Marketing Campaign Launch"


@pytest.mark.parametrize(
    ("case", "line", "reason"),
    [
        (
            "flow-jira",
            2,
            "the jira: section is written in flow style ({...}), which --save does not rewrite",
        ),
        ("folded-issue-type", 4, "a value spans several lines"),
        ("two-line-name", 5, "a value spans several lines"),
    ],
)
def test_what_cannot_be_edited_safely_is_refused(case: str, line: int, reason: str) -> None:
    text = (FILES / "refused" / f"{case}.yaml").read_text(encoding="utf-8")
    with pytest.raises(NotEditable) as caught:
        with_saved_ids(text, ids_for(text))
    assert (caught.value.line, caught.value.reason) == (line, reason)


def test_a_lone_carriage_return_is_refused() -> None:
    text = "jira:\n  site: https://example.atlassian.net\r  project: OPS\n"
    ids = SavedIds("10050", "Marketing Campaign Launch", {})
    with pytest.raises(NotEditable, match="unusual line breaks"):
        with_saved_ids(text, ids)


HOSTILE_OPTIONS = [
    "OK",
    "No",
    "true",
    "null",
    "10",
    "Scale: up",
    "#1 priority",
    "a, b",
    "[x]",
    "Überlast",
    "trailing ",
    'say "hi"',
    "back\\slash",
    "bidi \u202e",
    "del \x7f",
    "line\nbreak",
]


def hostile_ids() -> SavedIds:
    verdict = SavedField(id="customfield_10055", type="option", options=HOSTILE_OPTIONS)
    text = SavedField(id="customfield_10054", type="string", custom="com.example:rich text")
    return SavedIds(
        "10050",
        "Launch\n# not a key: 1",
        {"verdict": (verdict, "Verdict\u202e # x"), "new_data_fields": (text, "")},
    )


def _jira(values: dict[str, Any]) -> JiraSettings:
    return JiraSettings.model_validate(
        {"site": "https://example.atlassian.net", "project": "OPS", **values}
    )


def test_any_option_value_reads_back_the_same_in_yaml() -> None:
    ids = hostile_ids()
    pasted = load(yaml_section(ids).encode("utf-8")).data["jira"]
    assert _jira(pasted) == ids.applied_to(_jira({}))
    assert "\u202e" not in yaml_section(ids)  # unprintable text is escaped or left out
    assert yaml_section(ids).count("\n") == 5  # a name never breaks a line


def test_any_option_value_reads_back_the_same_in_toml() -> None:
    ids = hostile_ids()
    table = tomllib.loads("[tool.campaign-guard.jira]\n" + toml_lines(ids))
    pasted = table["tool"]["campaign-guard"]["jira"]
    assert _jira(pasted) == ids.applied_to(_jira({}))
    assert "\u202e" not in toml_lines(ids)


def test_plain_values_stay_plain() -> None:
    saved = SavedField(
        id="customfield_10055", type="option", options=["OK", "Scale up", "No", "10"]
    )
    assert yaml_value(saved) == (
        '{id: customfield_10055, type: option, options: [OK, Scale up, "No", "10"]}'
    )
