"""``campaign-guard rules`` and ``lint --explain``: the table of rules, and one rule
explained with its examples."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from campaign_guard.errors import ExitCode
from campaign_guard.lint.rules.table import RULES
from tests.conftest import RunCli

WIDTH = {"COLUMNS": "80", "LINES": "40", "TERM": "dumb", "NO_COLOR": "1"}


@pytest.mark.parametrize("code", list(RULES))
def test_explain_prints_the_rule_and_its_examples(cli: RunCli, workdir: Path, code: str) -> None:
    rule = RULES[code]
    exit_code, out, err = cli("lint", "--explain", code, env=WIDTH)
    assert (exit_code, err) == (0, "")
    assert out.startswith(f"{code} ({rule.level.value}")
    assert rule.summary in out
    assert " ".join(rule.explanation.split()) in " ".join(out.split())
    bad, good = out.split("\nBad:\n", 1)[1].split("\n\nGood:\n", 1)
    shown_bad = "".join(line[2:] + "\n" for line in bad.splitlines())
    assert shown_bad.replace("\\x08", "\x08") == rule.bad
    assert "".join(line[2:] + "\n" for line in good.splitlines()) == rule.good


def test_explain_says_which_rules_cannot_be_turned_off(cli: RunCli, workdir: Path) -> None:
    first = cli("lint", "--explain", "yaml-syntax")[1].splitlines()[0]
    assert first == (
        "yaml-syntax (error: it decides whether the file can be read, so it cannot be turned off)"
    )
    assert cli("lint", "--explain", "privacy-review")[1].splitlines()[0] == (
        "privacy-review (warning)"
    )


def test_explain_needs_no_path_and_checks_none(cli: RunCli, workdir: Path) -> None:
    code, out, _ = cli("lint", "missing.yaml", "--explain", "tabs")
    assert code == 0
    assert out.startswith("tabs (error")


def test_an_unknown_code_is_a_usage_error_naming_the_closest(cli: RunCli, workdir: Path) -> None:
    code, out, err = cli("lint", "--explain", "lead-time")
    assert (code, out) == (ExitCode.USAGE, "")
    assert err == (
        "error: no rule is called 'lead-time' (did you mean 'short-lead-time' or "
        "'legacy-timezone'?); `campaign-guard rules` lists them\n"
    )
    code, _, err = cli("lint", "--explain", "yaml")
    assert code == ExitCode.USAGE
    assert "(did you mean 'yaml-syntax' or 'yaml-feature'?)" in err
    code, _, err = cli("lint", "--explain", "xyzzy")
    assert code == ExitCode.USAGE
    assert err == "error: no rule is called 'xyzzy'; `campaign-guard rules` lists them\n"


def test_rules_lists_every_rule_with_its_level(cli: RunCli, workdir: Path) -> None:
    code, out, err = cli("rules", env=WIDTH)
    assert (code, err) == (0, "")
    rows = [line.split("│") for line in out.splitlines() if "│" in line]
    listed = {r[0].strip(): r[1].strip() for r in rows if r[0].strip()}
    assert listed == {c: rule.level.value for c, rule in RULES.items()}
    assert "in this" not in out


def test_rules_shows_no_column_for_a_level_the_rule_has_anyway(cli: RunCli, workdir: Path) -> None:
    (workdir / "campaign-guard.yaml").write_text("lint:\n  rules: {tabs: error}\n")
    code, out, _ = cli("rules", env=WIDTH)
    assert code == 0
    assert "in this" not in out


def test_rules_shows_what_the_project_file_sets(cli: RunCli, workdir: Path) -> None:
    (workdir / "campaign-guard.yaml").write_text(
        "lint:\n  rules:\n    short-lead-time: error\n    privacy-review: off\n    tabs: error\n"
    )
    _, out, _ = cli("rules", env=WIDTH)
    rows = [[c.strip() for c in line.split("│")] for line in out.splitlines() if "│" in line]
    assert "in this" in out
    assert [r[:3] for r in rows if r[2]] == [
        ["short-lead-time", "warning", "error"],
        ["privacy-review", "warning", "off"],
    ]
    code, out, _ = cli("rules", "--json")
    assert code == 0
    by_code = {r["code"]: r for r in json.loads(out)}
    assert list(by_code) == list(RULES)
    assert by_code["short-lead-time"] == {
        "code": "short-lead-time",
        "level": "error",
        "default_level": "warning",
        "can_be_changed": True,
        "summary": RULES["short-lead-time"].summary,
    }
    assert by_code["privacy-review"]["level"] == "off"
    assert by_code["tabs"]["can_be_changed"] is False


def test_rules_stops_on_a_wrong_project_file(cli: RunCli, workdir: Path) -> None:
    (workdir / "campaign-guard.yaml").write_text("lint:\n  rules:\n    tabs: off\n")
    code, out, err = cli("rules")
    assert (code, out) == (ExitCode.USAGE, "")
    assert "lint.rules.tabs: 'tabs' cannot be turned off or lowered" in err
