"""Fixtures shared by every test: a deterministic environment and ways to run the CLI.

* ``_deterministic_environment`` (autouse) removes the variables that change what the
  tool prints (CI detection, lead time, colours) and fixes the terminal width.
* ``cli`` runs the Typer app in-process and returns ``(exit_code, stdout, stderr)``.
* ``run_installed`` runs the installed ``campaign-guard`` console script in a subprocess.
"""

from __future__ import annotations

import contextlib
import io
import subprocess
import sys
import traceback
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import NamedTuple, Protocol

import pytest
from hypothesis import settings
from typer.testing import CliRunner

# Hypothesis profiles: `pytest --hypothesis-profile=ci tests/…` picks one. Examples are
# derandomized (the same on every run) and no example database is kept, so a failure
# reproduces by rerunning; `deep` draws new examples on every run. Tests that set their
# own `max_examples` keep it.
settings.register_profile(
    "default", max_examples=40, deadline=None, derandomize=True, database=None
)
settings.register_profile("ci", max_examples=2_000, deadline=None, derandomize=True, database=None)
settings.register_profile("deep", max_examples=50_000, deadline=None, database=None)
settings.load_profile("default")

REPO_ROOT = Path(__file__).resolve().parents[1]
"""The repository's top folder (the one holding ``pyproject.toml``)."""
E2E = REPO_ROOT / "tests" / "e2e"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test under tests/e2e is an ``e2e`` test (run with ``pytest -m e2e``)."""
    for item in items:
        if E2E in item.path.parents:
            item.add_marker(pytest.mark.e2e)


SUBPROCESS_TIMEOUT = 60
"""Seconds a console-script run may take before the test fails."""

# Variables that change the output: CI detection, the lead time, colour and width.
_CLEARED = (
    "GITHUB_ACTIONS",
    "CAMPAIGN_GUARD_LEAD_TIME_DAYS",
    "CAMPAIGN_GUARD_CAPACITY",
    "NO_COLOR",
    "FORCE_COLOR",
)


@pytest.fixture(autouse=True)
def _deterministic_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in _CLEARED:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.setenv("TERM", "dumb")


@pytest.fixture
def repo_root() -> Path:
    """The repository root, whatever the current folder is."""
    return REPO_ROOT


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty temporary folder made the current one (no ``campaign-guard.yaml`` above it)."""
    from campaign_guard.config.settings import find_config

    found = find_config(tmp_path)
    assert found is None, f"{found} would leak project settings into the tests; remove it"
    monkeypatch.chdir(tmp_path)
    return tmp_path


# --- in-process runs ----------------------------------------------------------------


class CliRun(NamedTuple):
    """What one in-process run of the CLI produced."""

    exit_code: int
    stdout: str
    stderr: str


class RunCli(Protocol):
    """The ``cli`` fixture: ``cli("lint", "x.yaml", input=..., env=..., tty=...)``."""

    def __call__(
        self,
        *args: str,
        input: str | None = None,
        env: Mapping[str, str | None] | None = None,
        tty: bool = False,
    ) -> CliRun: ...


class _TerminalRunner(CliRunner):
    """A runner whose stdin says it is a terminal, so commands prompt as on a shell.

    The answer ``^C`` is Ctrl-C pressed at that question; the end of the input is
    Ctrl-D.
    """

    @contextlib.contextmanager
    def isolation(
        self,
        input: str | bytes | None = None,
        env: Mapping[str, str | None] | None = None,
        color: bool = False,
    ) -> Iterator[tuple[io.BytesIO, io.BytesIO, io.BytesIO]]:
        from typer._click import termui

        with super().isolation(input=input, env=env, color=color) as streams:
            sys.stdin.isatty = lambda: True  # type: ignore[method-assign]
            answer = termui.visible_prompt_func

            def typed(prompt: str = "") -> str:
                value = answer(prompt)
                if value == "^C":
                    raise KeyboardInterrupt
                return value

            termui.visible_prompt_func = typed
            yield streams


def invoke(
    *args: str,
    input: str | None = None,
    env: Mapping[str, str | None] | None = None,
    tty: bool = False,
) -> CliRun:
    """Run ``campaign-guard ARGS...`` in-process; fail on an exception that escaped it.

    ``CliRunner`` keeps stdout and stderr apart (``Result.stdout``/``Result.stderr``);
    its stdin is never a terminal unless ``tty`` is true.
    """
    __tracebackhide__ = True
    from campaign_guard.cli import app

    runner = _TerminalRunner() if tty else CliRunner()
    result = runner.invoke(app, list(args), input=input, env=env, prog_name="campaign-guard")
    exception = result.exception
    if exception is not None and not isinstance(exception, SystemExit):
        assert result.exc_info is not None
        pytest.fail(
            f"campaign-guard {' '.join(args)} raised {type(exception).__name__}:\n"
            + "".join(traceback.format_exception(*result.exc_info))
            + f"\nstderr:\n{result.stderr}"
        )
    return CliRun(result.exit_code, result.stdout, result.stderr)


@pytest.fixture
def cli() -> RunCli:
    """Run the Typer app in-process and return ``(exit_code, stdout, stderr)``."""
    return invoke


# --- the installed console script ---------------------------------------------------


class RunInstalled(Protocol):
    """The ``run_installed`` fixture: ``run_installed("lint", "x", cwd=path)``."""

    def __call__(self, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]: ...


def console_script() -> Path:
    """The ``campaign-guard`` script installed beside this Python; fails if it is missing."""
    __tracebackhide__ = True
    script = Path(sys.executable).parent / "campaign-guard"
    if not script.is_file():
        pytest.fail(
            f"the console script {script} is missing: install the project into this "
            "environment with `pip install -e .[dev]` so its entry point exists"
        )
    return script


def run_command(
    command: list[str],
    cwd: Path | None,
    *,
    env: Mapping[str, str] | None = None,
    timeout: float = SUBPROCESS_TIMEOUT,
) -> subprocess.CompletedProcess[str]:
    """Run ``command`` capturing UTF-8 text; fail the test if it outlasts ``timeout`` s.

    It runs with the test environment, or with exactly ``env`` when given.
    """
    __tracebackhide__ = True
    try:
        return subprocess.run(
            command,
            cwd=cwd,
            env=None if env is None else dict(env),
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"{' '.join(command)} did not finish within {timeout} s")


@pytest.fixture
def run_installed() -> RunInstalled:
    """Run the installed ``campaign-guard`` in a subprocess (cwd defaults to the repo root)."""
    script = console_script()

    def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
        __tracebackhide__ = True
        return run_command([str(script), *args], REPO_ROOT if cwd is None else cwd)

    return run
