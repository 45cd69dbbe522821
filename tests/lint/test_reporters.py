"""The ``lint`` output formats: golden files, schema validity, and hostile text.

Rewrite the golden files with ``CG_UPDATE_GOLDEN=1`` after an intended change, and read
the diff before committing it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
from jsonschema import Draft4Validator  # type: ignore[import-untyped]

from campaign_guard.errors import UsageError
from campaign_guard.lint.findings import Finding, Level
from campaign_guard.lint.reporters import (
    FORMAT_CHOICES,
    LintReport,
    github,
    json_report,
    junit,
    reporter,
    resolve_format,
    sarif,
    text,
)
from campaign_guard.lint.rules.table import RULES
from campaign_guard.safe_text import github_data, github_property, one_line
from tests.golden import assert_golden

GOLDEN = Path(__file__).parent / "golden"
# The OASIS SARIF 2.1.0 (errata 01) JSON Schema; it is draft-04, hence Draft4Validator.
SARIF_SCHEMA = Path(__file__).parents[1] / "data" / "sarif-schema-2.1.0.json"
REPO_ROOT = Path(__file__).parents[2]

E, W = Level.ERROR, Level.WARNING

# Everything a spec author could smuggle into a message: a CR/LF followed by a workflow
# command, the characters GitHub escapes (% , :), XML specials, a bidi override, an ANSI
# escape and non-ASCII text.
HOSTILE = (
    'expected a number, got "100%, 50:50 <b>&amp;</b>"\r\n'
    "::error file=evil.yaml::pwned \u202etxt.exe \x1b[31mrouge été"
)

BLACK_FRIDAY = "specs/black-friday.yaml"
SPRING = "specs/spring sale.yaml"
Q3 = "specs/q3,eu:west.yaml"

SAMPLE_FINDINGS = (
    Finding(BLACK_FRIDAY, 12, 5, E, "invalid-value", HOSTILE, "traffic[1].budget"),
    Finding(SPRING, 0, 0, E, "unreadable", "cannot read the file: Permission denied"),
    Finding(
        BLACK_FRIDAY, 3, 1, W, "launch-in-past", "2024-11-29T09:00+01:00 est passée — 夏", "launch"
    ),
    Finding(Q3, 7, 3, W, "privacy-review", "e-mail collected without privacy_review", "audience"),
)
# Deliberately unsorted: every reporter must sort.
SAMPLE = LintReport(
    findings=SAMPLE_FINDINGS, files=(SPRING, Q3, BLACK_FRIDAY), tool_version="1.2.3"
)
EMPTY = LintReport(findings=(), files=("specs/b.yaml", "specs/a.yaml"), tool_version="1.2.3")


# --- golden files ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "golden"),
    [
        ("text", "report.txt"),
        ("json", "report.json"),
        ("github", "report.github.txt"),
        ("junit", "report.junit.xml"),
        ("sarif", "report.sarif.json"),
    ],
)
def test_sample_report_matches_golden_file(name: str, golden: str) -> None:
    assert_golden(reporter(name)(SAMPLE), GOLDEN / golden)


def test_missing_golden_file_fails_instead_of_being_created(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CG_UPDATE_GOLDEN", raising=False)
    missing = tmp_path / "missing.txt"
    with pytest.raises(pytest.fail.Exception, match="missing"):
        assert_golden("anything\n", missing)
    assert not missing.exists()


def test_golden_file_comparison_catches_a_stray_carriage_return(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CG_UPDATE_GOLDEN", raising=False)
    golden = tmp_path / "golden.txt"
    golden.write_bytes(b"line\r\n")
    with pytest.raises(pytest.fail.Exception, match="differs"):
        assert_golden("line\n", golden)


# --- registry and --format ------------------------------------------------------------


def test_every_format_is_registered() -> None:
    assert FORMAT_CHOICES == ("auto", "text", "json", "github", "junit", "sarif")


@pytest.mark.parametrize(
    ("name", "environ", "expected"),
    [
        ("auto", {"GITHUB_ACTIONS": "true"}, "github"),
        ("auto", {}, "text"),
        ("auto", {"GITHUB_ACTIONS": "false"}, "text"),
        ("auto", {"GITHUB_ACTIONS": "1", "CI": "true"}, "text"),
        ("json", {"GITHUB_ACTIONS": "true"}, "json"),
        ("sarif", {}, "sarif"),
    ],
)
def test_resolve_format(name: str, environ: dict[str, str], expected: str) -> None:
    assert resolve_format(name, environ) == expected


def test_unknown_format_is_a_usage_error_listing_the_choices() -> None:
    with pytest.raises(UsageError) as caught:
        resolve_format("xml", {})
    message = str(caught.value)
    assert "\n" not in message
    assert "'xml'" in message
    assert all(choice in message for choice in FORMAT_CHOICES)


def test_reporters_import_no_heavy_dependency() -> None:
    """``lint`` must start fast: the reporters may not pull in rich, jinja2 or pydantic."""
    probe = (
        "import sys, campaign_guard.lint.reporters; "
        "print(sorted(m for m in ('rich', 'jinja2', 'pydantic') if m in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=REPO_ROOT, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "[]"


# --- text -----------------------------------------------------------------------------


def test_text_prints_one_sorted_line_per_finding() -> None:
    lines = text.render(SAMPLE).split("\n")
    assert lines[-1] == ""  # newline-terminated
    paths = [next(p for p in SAMPLE.files if line.startswith(p)) for line in lines[:-1]]
    assert paths == [BLACK_FRIDAY, BLACK_FRIDAY, Q3, SPRING]
    assert lines[0] == (
        f"{BLACK_FRIDAY}:3:1: warning launch: 2024-11-29T09:00+01:00 est passée — 夏 "
        "[launch-in-past]"
    )
    assert lines[3] == f"{SPRING}: error cannot read the file: Permission denied [unreadable]"


def test_text_sorts_lines_numerically_then_by_code() -> None:
    findings = [
        Finding("a.yaml", 10, 1, E, "tabs", "x"),
        Finding("a.yaml", 9, 2, E, "yaml-syntax", "x"),
        Finding("a.yaml", 9, 2, W, "duplicate-key", "x"),
    ]
    output = text.render(LintReport(findings, ["a.yaml"]))
    assert output.splitlines() == [
        "a.yaml:9:2: warning x [duplicate-key]",
        "a.yaml:9:2: error x [yaml-syntax]",
        "a.yaml:10:1: error x [tabs]",
    ]


def test_text_escapes_characters_that_would_break_lines_or_the_terminal() -> None:
    finding = Finding("a.yaml", 1, 1, E, "encoding", "nul\x00 cr\r lf\n bidi\u202e esc\x1b ok\tété")
    output = text.render(LintReport([finding], ["a.yaml"]))
    assert output == (
        "a.yaml:1:1: error nul\\x00 cr\\r lf\\n bidi\\u202e esc\\x1b ok\tété [encoding]\n"
    )


def test_text_is_empty_without_findings() -> None:
    assert text.render(EMPTY) == ""


# --- json -----------------------------------------------------------------------------


def test_json_document_round_trips_every_finding() -> None:
    document = json.loads(json_report.render(SAMPLE))
    assert document["version"] == 1
    assert document["tool"] == "campaign-guard"
    assert document["tool_version"] == "1.2.3"
    assert document["files_checked"] == 3
    assert document["strict"] is False
    assert document["summary"] == {"errors": 2, "warnings": 2, "files_with_findings": 3}
    rebuilt = [
        Finding(
            f["path"],
            f["line"],
            f["column"],
            Level(f["level"]),
            f["code"],
            f["message"],
            f["field"],
        )
        for f in document["findings"]
    ]
    assert rebuilt == text.ordered(SAMPLE_FINDINGS)


def test_json_of_empty_report_has_no_findings() -> None:
    document = json.loads(json_report.render(EMPTY))
    assert document["findings"] == []
    assert document["summary"] == {"errors": 0, "warnings": 0, "files_with_findings": 0}
    assert document["files_checked"] == 2


# --- github ---------------------------------------------------------------------------


def _unescape_data(value: str) -> str:
    return value.replace("%0D", "\r").replace("%0A", "\n").replace("%25", "%")


def _unescape_property(value: str) -> str:
    return _unescape_data(value.replace("%3A", ":").replace("%2C", ","))


def _parse_command(line: str) -> tuple[str, dict[str, str], str]:
    """Read a workflow command the way the Actions runner does."""
    assert line.startswith("::")
    head, message = line[2:].split("::", 1)
    name, _, properties = head.partition(" ")
    pairs = dict(pair.split("=", 1) for pair in properties.split(","))
    return name, {k: _unescape_property(v) for k, v in pairs.items()}, _unescape_data(message)


def test_github_escaping_matches_the_actions_toolkit() -> None:
    assert github_data("100% a:b,c") == "100%25 a:b,c"
    assert github_property("100% a:b,c") == "100%25 a%3Ab%2Cc"


def test_github_shows_line_breaks_and_escapes_instead_of_sending_them() -> None:
    assert github_data("a\r\nb\x1b[31m\x07") == "a\\r\\nb\\x1b[31m\\x07"
    assert github_property("a\nb\x1b") == "a\\nb\\x1b"


def test_github_prints_only_command_lines_that_decode_to_the_findings() -> None:
    output = github.render(SAMPLE)
    assert "\r" not in output
    lines = output.split("\n")
    assert lines[-1] == ""
    commands = [_parse_command(line) for line in lines[:-1]]
    assert len(commands) == len(SAMPLE_FINDINGS)
    for (name, properties, message), finding in zip(
        commands, text.ordered(SAMPLE_FINDINGS), strict=True
    ):
        assert name == finding.level.value
        assert properties["file"] == one_line(finding.path)
        assert properties["title"] == f"campaign-guard {finding.code}"
        assert message == one_line(finding.text)
        if finding.line:
            assert (properties["line"], properties["col"]) == (
                str(finding.line),
                str(finding.column),
            )
        else:
            assert "line" not in properties
            assert "col" not in properties


def test_github_hostile_message_cannot_start_a_second_command() -> None:
    finding = Finding("a.yaml", 2, 1, W, "tabs", "x\n::error file=a.yaml::injected\r::warning::y")
    output = github.render(LintReport([finding], ["a.yaml"]))
    assert output.count("\n") == 1
    assert output == (
        "::warning file=a.yaml,line=2,col=1,title=campaign-guard tabs::"
        "x\\n:\\x3aerror file=a.yaml:\\x3ainjected\\r:\\x3awarning:\\x3ay\n"
    )


def test_github_prints_nothing_without_findings() -> None:
    assert github.render(EMPTY) == ""


# --- junit ----------------------------------------------------------------------------


def _junit(report: LintReport) -> ET.Element:
    output = junit.render(report)
    assert output.startswith('<?xml version="1.0" encoding="UTF-8"?>\n')
    return ET.fromstring(output.encode("utf-8"))


def _cases(root: ET.Element) -> dict[str, ET.Element]:
    assert root.tag == "testsuites"
    (suite,) = root.findall("testsuite")
    assert suite.get("name") == "campaign-guard lint"
    cases = suite.findall("testcase")
    failed = [case for case in cases if case.find("failure") is not None]
    assert suite.get("tests") == str(len(cases))
    assert suite.get("failures") == str(len(failed))
    assert (suite.get("errors"), suite.get("skipped")) == ("0", "0")
    assert all(case.get("classname") == "campaign-guard.lint" for case in cases)
    return {str(case.get("name")): case for case in cases}


def _failure_types(case: ET.Element) -> list[str | None]:
    return [failure.get("type") for failure in case.findall("failure")]


def test_junit_fails_files_with_errors_and_logs_warnings() -> None:
    cases = _cases(_junit(SAMPLE))
    assert list(cases) == [BLACK_FRIDAY, Q3, SPRING]
    assert _failure_types(cases[BLACK_FRIDAY]) == ["invalid-value"]
    assert _failure_types(cases[Q3]) == []
    assert _failure_types(cases[SPRING]) == ["unreadable"]
    assert "[launch-in-past]" in str(cases[BLACK_FRIDAY].findtext("system-out"))
    assert "[privacy-review]" in str(cases[Q3].findtext("system-out"))
    assert cases[SPRING].find("system-out") is None


def test_junit_strict_turns_warnings_into_failures() -> None:
    strict = LintReport(SAMPLE.findings, SAMPLE.files, strict=True)
    root = _junit(strict)
    cases = _cases(root)
    assert root.get("failures") == "3"
    assert _failure_types(cases[BLACK_FRIDAY]) == ["launch-in-past", "invalid-value"]
    assert _failure_types(cases[Q3]) == ["privacy-review"]
    assert root.find(".//system-out") is None


def test_junit_keeps_xml_specials_and_shows_what_xml_cannot_hold() -> None:
    finding = Finding(
        "a<&>\x1b.yaml", 1, 2, E, "encoding", 'nul\x00 bell\x07 "q" <b>&\r\n\ufffe\ud800\u202e'
    )
    cases = _cases(_junit(LintReport([finding], ["a<&>\x1b.yaml"])))
    failure = cases["a<&>\\x1b.yaml"].find("failure")
    assert failure is not None
    shown = 'a<&>\\x1b.yaml:1:2: error nul\\x00 bell\\x07 "q" <b>&\\r\\n\\ufffe\\ud800\\u202e'
    assert failure.get("message") == shown
    assert str(failure.text) == f"{shown} [encoding]\nencoding: {RULES['encoding'].summary}"


def test_junit_reports_a_finding_about_a_file_not_in_the_checked_list() -> None:
    finding = Finding("other.yaml", 0, 0, E, "duplicate-id", "same id as a.yaml")
    cases = _cases(_junit(LintReport([finding], ["a.yaml"])))
    assert _failure_types(cases["other.yaml"]) == ["duplicate-id"]


def test_junit_of_empty_report_passes_every_file() -> None:
    root = _junit(EMPTY)
    assert list(_cases(root)) == ["specs/a.yaml", "specs/b.yaml"]
    assert root.find(".//failure") is None


# --- sarif ----------------------------------------------------------------------------


@cache
def _sarif_validator() -> Any:
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    Draft4Validator.check_schema(schema)
    return Draft4Validator(schema)


def _assert_valid_sarif(log: dict[str, Any]) -> None:
    errors = [error.message for error in _sarif_validator().iter_errors(log)]
    assert errors == []


def _assert_github_code_scanning_ready(log: dict[str, Any]) -> None:
    """The properties GitHub code scanning requires, beyond what the schema requires."""
    for run in log["runs"]:
        assert run["tool"]["driver"]["name"] == "campaign-guard"
        for result in run["results"]:
            assert result["ruleId"]
            assert result["message"]["text"]
            location = result["locations"][0]["physicalLocation"]
            uri = location["artifactLocation"]["uri"]
            assert uri
            assert not any(c in uri for c in " \\,\n")
            assert location["region"]["startLine"] >= 1


ABSOLUTE = LintReport(
    findings=[Finding("/srv/specs/my spec.yaml", 4, 0, W, "timezone", "no zone")],
    files=["/srv/specs/my spec.yaml"],
)


@pytest.mark.parametrize("report", [SAMPLE, EMPTY, ABSOLUTE], ids=["sample", "empty", "absolute"])
def test_sarif_is_valid_and_ready_for_github(report: LintReport) -> None:
    log = json.loads(sarif.render(report))
    _assert_valid_sarif(log)
    _assert_github_code_scanning_ready(log)
    assert log["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json"
    assert log["version"] == "2.1.0"
    (run,) = log["runs"]
    assert len(run["results"]) == len(report.findings)
    assert len(run["artifacts"]) == len(set(report.files))


def test_sarif_schema_check_rejects_a_broken_log() -> None:
    """Guards the validity test above: the schema really is enforced."""
    log = json.loads(sarif.render(SAMPLE))
    del log["runs"][0]["results"][0]["message"]
    with pytest.raises(AssertionError):
        _assert_valid_sarif(log)


def test_sarif_rules_come_from_the_rule_table() -> None:
    (run,) = json.loads(sarif.render(SAMPLE))["runs"]
    rules = run["tool"]["driver"]["rules"]
    assert [rule["id"] for rule in rules] == list(RULES)
    for rule in rules:
        assert rule["shortDescription"]["text"] == RULES[rule["id"]].summary
        assert rule["defaultConfiguration"]["level"] == RULES[rule["id"]].level.value
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]


def test_sarif_locations() -> None:
    (run,) = json.loads(sarif.render(SAMPLE))["runs"]
    locations = {r["ruleId"]: r["locations"][0]["physicalLocation"] for r in run["results"]}
    whole_file = locations["unreadable"]
    assert whole_file["artifactLocation"] == {
        "uri": "specs/spring%20sale.yaml",
        "uriBaseId": "%SRCROOT%",
    }
    assert whole_file["region"] == {"startLine": 1}
    assert locations["privacy-review"]["artifactLocation"]["uri"] == "specs/q3%2Ceu%3Awest.yaml"
    assert locations["invalid-value"]["region"] == {"startLine": 12, "startColumn": 5}
    for result in run["results"]:
        uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        assert unquote(uri) in SAMPLE.files
        assert result["message"]["text"] == next(
            one_line(f.text) for f in SAMPLE_FINDINGS if f.code == result["ruleId"]
        )


@pytest.mark.skipif(os.name != "posix", reason="POSIX absolute path")
def test_sarif_absolute_path_is_a_file_uri_without_base() -> None:
    (run,) = json.loads(sarif.render(ABSOLUTE))["runs"]
    location = run["results"][0]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": "file:///srv/specs/my%20spec.yaml"}
    assert location["region"] == {"startLine": 4}


# --- a file name that is not UTF-8 ----------------------------------------------------

NOT_UTF8 = os.fsdecode(b"specs/bad\xff\xfe.yaml")
NOT_UTF8_REPORT = LintReport(
    findings=[Finding(NOT_UTF8, 2, 1, E, "tabs", "a tab")], files=[NOT_UTF8], tool_version="1"
)


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("text", "specs/bad\\xff\\xfe.yaml:2:1: error a tab [tabs]\n"),
        ("json", '"path": "specs/bad\\\\xff\\\\xfe.yaml"'),
        ("github", "::error file=specs/bad\\xff\\xfe.yaml,line=2"),
        ("junit", 'name="specs/bad\\xff\\xfe.yaml"'),
        ("sarif", '"uri": "specs/bad%FF%FE.yaml"'),
    ],
)
def test_every_format_writes_utf8_for_a_file_name_that_is_not(name: str, shown: str) -> None:
    output = reporter(name)(NOT_UTF8_REPORT)
    output.encode("utf-8")  # what -o writes: no lone surrogate left to fail on
    assert shown in output


def test_sarif_uri_keeps_the_exact_bytes_of_a_file_name_that_is_not_utf8() -> None:
    log = json.loads(sarif.render(NOT_UTF8_REPORT))
    _assert_valid_sarif(log)
    (run,) = log["runs"]
    location = run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert location == {"uri": "specs/bad%FF%FE.yaml", "uriBaseId": "%SRCROOT%"}
    assert run["artifacts"] == [{"location": location}]
