"""Every ``--help``, as a reader at an 80-column terminal sees it (golden files).

The whole suite also runs on the oldest Typer the project supports (CI's
minimum-versions step), so these files hold for it as well as for the newest.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.main import get_command

from campaign_guard.cli import app
from tests.conftest import RunCli
from tests.golden import assert_golden

GOLDEN = Path(__file__).parent / "golden" / "help"
WIDTH = {"COLUMNS": "80", "LINES": "40", "TERM": "dumb"}


def _commands() -> list[tuple[str, ...]]:
    """Every command path: the top level, each command, each subcommand."""
    root = get_command(app)
    found: list[tuple[str, ...]] = [()]
    for name, command in getattr(root, "commands", {}).items():
        found.append((name,))
        for sub in getattr(command, "commands", {}):
            found.append((name, sub))
    return found


COMMANDS = _commands()
CHOICES: dict[tuple[str, ...], tuple[str, str]] = {
    ("lint",): ("--format", "auto|text|json|github|junit|sarif"),
    ("estimate",): ("--fail-on", "never|scale|overload"),
    ("schema",): ("--kind", "campaign|capacity"),
    ("init",): ("--kind", "campaign|capacity|project"),
    ("protect", "edge"): ("--target", "nginx|haproxy"),
}


def test_every_command_is_covered() -> None:
    assert {("lint",), ("estimate",), ("submit",), ("jira", "fields")} <= set(COMMANDS)


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: "-".join(c) or "top")
def test_help_at_80_columns(command: tuple[str, ...], cli: RunCli) -> None:
    code, out, err = cli(*command, "--help", env=WIDTH)
    assert (code, err) == (0, "")
    assert all(len(line) <= 80 for line in out.splitlines()), out
    assert "<bool>" not in out  # a flag takes no value: `--strict true` is no option
    assert not re.search(r"\{[a-z]", out.split("\n", 1)[0])  # metavars are upper case
    assert_golden(out, GOLDEN / f"{'-'.join(command) or 'campaign-guard'}.txt")


@pytest.mark.parametrize("command", list(CHOICES), ids="-".join)
def test_choices_are_listed_where_the_option_is(command: tuple[str, ...], cli: RunCli) -> None:
    option, choices = CHOICES[command]
    _, out, _ = cli(*command, "--help", env=WIDTH)
    assert re.search(rf"{option} {re.escape(choices)}\b", out), out


def test_markup_like_text_is_shown_as_written(cli: RunCli) -> None:
    _, out, _ = cli("lint", "--help", env=WIDTH)
    assert "`file:line:col: level message [code]`" in out


def test_examples_are_whole_command_lines(cli: RunCli) -> None:
    """An example that does not fit 80 columns is continued with ``\\``, never wrapped."""
    for command in COMMANDS:
        _, out, _ = cli(*command, "--help", env=WIDTH)
        lines = out.splitlines()
        starts = [i for i, line in enumerate(lines) if line.strip() == "Example:"]
        for start in starts:
            block = []
            for line in lines[start + 1 :]:
                if not line.strip():
                    break
                block.append(line.strip())
            assert block[0].startswith("campaign-guard ")
            joined = " ".join(part.rstrip("\\").strip() for part in block)
            assert all(part.endswith("\\") for part in block[:-1]), block
            assert "  " not in joined
