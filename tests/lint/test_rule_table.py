"""The rule table: every rule has one home, an explanation and examples that hold.

Each rule's bad example, checked by ``lint`` as of the moment the examples are written
for, gives that rule's finding, and its good example does not. Every code the loader can
give is in the table, and no module writes a code as a bare string.
"""

from __future__ import annotations

import ast
from datetime import datetime
from pathlib import Path

import pytest

import campaign_guard
from campaign_guard.lint.policy import LintPolicy
from campaign_guard.lint.rule import EXAMPLES_AS_OF, Rule, example_files
from campaign_guard.lint.rules import CHECKED
from campaign_guard.lint.rules.table import RULES
from campaign_guard.lint.runner import lint_files
from campaign_guard.spec import codes

PACKAGE = Path(campaign_guard.__file__).parent
AS_OF = datetime.fromisoformat(EXAMPLES_AS_OF)
NOT_A_FILE = {codes.UNREADABLE, codes.TOO_LARGE}
"""The rules no small file shows: one that cannot be read, one over 256 KB."""


def codes_found(example: str, folder: Path) -> set[str]:
    files = example_files(example)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    result = lint_files([str(folder / name) for name in files], LintPolicy(AS_OF))
    return {f.code for f in result.findings}


@pytest.mark.parametrize("rule", RULES.values(), ids=lambda r: r.code)
def test_every_rule_is_explained_with_a_bad_and_a_good_example(rule: Rule) -> None:
    assert rule.summary.strip()
    assert rule.summary.endswith(".")
    assert len(rule.explanation) > 150, "one paragraph: what it means, why, how to fix"
    assert "\n" not in rule.explanation
    assert rule.bad.strip()
    assert rule.good.strip()
    assert rule.bad != rule.good


@pytest.mark.parametrize(
    "rule", [r for r in RULES.values() if r.example_is_a_file], ids=lambda r: r.code
)
def test_the_bad_example_gives_the_finding_and_the_good_one_does_not(
    rule: Rule, tmp_path: Path
) -> None:
    (tmp_path / "bad").mkdir()
    (tmp_path / "good").mkdir()
    assert rule.code in codes_found(rule.bad, tmp_path / "bad")
    assert rule.code not in codes_found(rule.good, tmp_path / "good")


def test_only_the_rules_no_file_shows_go_without_a_checked_example() -> None:
    assert {r.code for r in RULES.values() if not r.example_is_a_file} == NOT_A_FILE


def test_the_duplicate_id_examples_are_two_files() -> None:
    assert len(example_files(RULES["duplicate-id"].bad)) == 2
    assert len(example_files(RULES["duplicate-id"].good)) == 2


def test_every_code_the_loader_gives_is_in_the_table_and_cannot_be_turned_off() -> None:
    assert set(codes.READING_CODES) <= set(RULES)
    fixed = {code for code, rule in RULES.items() if rule.fixed}
    assert fixed == set(codes.READING_CODES)
    assert all(rule.level.value == "error" for rule in RULES.values() if rule.fixed)


def test_every_code_declared_for_the_loader_is_listed() -> None:
    declared = {
        value for name, value in vars(codes).items() if name.isupper() and isinstance(value, str)
    }
    assert declared == set(codes.READING_CODES)
    assert len(codes.READING_CODES) == len(declared)


def test_the_checks_beyond_the_schema_are_in_the_table() -> None:
    assert all(RULES[rule.code] is rule for rule in CHECKED)
    assert len(RULES) == len(codes.READING_CODES) + len(CHECKED)


def _home(code: str) -> set[Path]:
    """Where ``code`` may be written as a string: the rule's own module, or spec/codes.py."""
    if code in codes.READING_CODES:
        return {PACKAGE / "spec" / "codes.py"}
    return {PACKAGE / "lint" / "rules" / f"{code.replace('-', '_')}.py"}


FIELD_NAMES = {"timezone"}
"""Codes that are also the name of a field (``launch.timezone``): as a field, the word
stands in specs, profiles and settings."""
ESTIMATE_NOTES = PACKAGE / "loadmodel"
"""The estimate's notes have codes of their own (``no-default``, ``beyond-horizon``...),
no lint rules; one of them, for a channel's amount beyond what the estimate follows, is
also called ``too-large``."""


def test_no_code_is_a_bare_string_outside_its_home() -> None:
    wrong: list[str] = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Constant) and node.value in RULES):
                continue
            if path in _home(node.value) or node.value in FIELD_NAMES:
                continue
            if node.value == codes.TOO_LARGE and path.is_relative_to(ESTIMATE_NOTES):
                continue
            wrong.append(f"{path.relative_to(PACKAGE)}:{node.lineno}: {node.value!r}")
    assert wrong == []


def test_the_home_check_sees_a_bare_code() -> None:
    tree = ast.parse('code = "short-lead-time"')
    found = [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and n.value in RULES]
    assert found == ["short-lead-time"]
