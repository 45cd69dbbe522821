"""Errors become one line and a documented exit code, for every command, in one place."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from campaign_guard.cli import app
from campaign_guard.errors import ExitCode, UsageError
from tests.conftest import RunCli

SPEC = Path(__file__).resolve().parents[2] / "examples" / "campaigns" / "winter-newsletter.yaml"


def _breaks(monkeypatch: pytest.MonkeyPatch, error: BaseException) -> None:
    """Make opening any campaign document fail with ``error``."""

    def broken(*_: object, **__: object) -> None:
        raise error

    monkeypatch.setattr("campaign_guard.spec.load.open_regular", broken)


@pytest.mark.parametrize(
    "command",
    [["lint", str(SPEC)], ["estimate", str(SPEC)], ["submit", str(SPEC), "--dry-run"]],
    ids=["lint", "estimate", "submit"],
)
def test_an_unexpected_error_is_exit_4_with_one_line(
    cli: RunCli, monkeypatch: pytest.MonkeyPatch, command: list[str]
) -> None:
    _breaks(monkeypatch, ZeroDivisionError("boom"))
    code, out, err = cli(*command)
    assert code == ExitCode.INTERNAL
    assert err == (
        "error: unexpected ZeroDivisionError: this is a bug in campaign-guard; "
        "rerun with --debug and report it\n"
    )
    assert out == ""


def test_a_project_error_is_its_own_exit_code(cli: RunCli, monkeypatch: pytest.MonkeyPatch) -> None:
    _breaks(monkeypatch, UsageError("that is not a spec"))
    assert cli("estimate", str(SPEC)) == (ExitCode.USAGE, "", "error: that is not a spec\n")


def test_ctrl_c_is_exit_130(cli: RunCli, monkeypatch: pytest.MonkeyPatch) -> None:
    _breaks(monkeypatch, KeyboardInterrupt())
    assert cli("lint", str(SPEC)) == (ExitCode.INTERRUPTED, "", "error: interrupted\n")


def test_debug_shows_the_error_and_does_not_outlive_its_run(
    monkeypatch: pytest.MonkeyPatch, debug_log: None
) -> None:
    _breaks(monkeypatch, ZeroDivisionError("boom"))
    runner = CliRunner()
    debugged = runner.invoke(app, ["--debug", "lint", str(SPEC)])
    assert isinstance(debugged.exception, ZeroDivisionError)
    after = runner.invoke(app, ["lint", str(SPEC)])
    assert after.exit_code == ExitCode.INTERNAL
    assert "rerun with --debug" in after.stderr
