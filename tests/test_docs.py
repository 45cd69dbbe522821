"""The README documents every command, every exit code and every finding code."""

from __future__ import annotations

import re
from pathlib import Path

import typer.main

from campaign_guard.cli import app
from campaign_guard.errors import ExitCode
from campaign_guard.lint.rules.table import RULES

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def _commands() -> dict[str, str]:
    group = typer.main.get_command(app)
    commands = getattr(group, "commands", {})
    return {name: command.help or "" for name, command in commands.items()}


def test_every_command_has_help_and_a_readme_section() -> None:
    commands = _commands()
    assert {"lint", "schema", "init"} <= set(commands)
    for name, help_text in commands.items():
        assert help_text.strip(), f"command {name} has no help text"
        assert f"### `campaign-guard {name}`" in README, f"README has no section for {name}"


def test_exit_code_table_matches_the_enum() -> None:
    table = dict(re.findall(r"^\| (\d+) \| (\w+)", README, flags=re.MULTILINE))
    assert {int(code) for code in table} == {int(code) for code in ExitCode}
    for code in ExitCode:
        assert table[str(int(code))] == code.name.lower(), code


def test_rule_table_matches_the_rules() -> None:
    rows = dict(re.findall(r"^\| `([a-z-]+)` \| (error|warning) \|", README, flags=re.MULTILINE))
    assert rows == {code: rule.level.value for code, rule in RULES.items()}


def test_quickstart_has_exactly_two_commands() -> None:
    section = README.split("## Quickstart", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"```sh\n(.+?)\n```", section, flags=re.DOTALL)
    assert len(commands) == 2
    assert commands[1] == "pip install -e '.[test]' && pytest"
    ci = (Path(__file__).resolve().parent.parent / ".ci" / "run").read_text(encoding="utf-8")
    assert commands[1] in ci.splitlines()
