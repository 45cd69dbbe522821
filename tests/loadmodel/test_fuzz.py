"""Fuzzing beyond lint: specs and profiles that lint lets through never crash or exhaust
``estimate`` or ``submit --dry-run``.

The specs and profiles come from :mod:`tests.strategies`: every channel, figures across
the whole accepted range, dates from 2000 to 2099, assumptions in their ranges. Each
example runs
the commands in-process, as the CLI does (files on disk, the Typer app), and must end
with exit code 0 or 1 (never 4, "a bug in campaign-guard") within a budget of CPU time
and memory. Each example runs ``estimate`` as text or as ``--json`` (each as often), and
``submit --dry-run`` on its first spec. How many examples run is the Hypothesis profile's
(``tests/conftest.py``): 40 by default, ``--hypothesis-profile=ci`` and ``=deep`` for more.
"""

from __future__ import annotations

import math
import resource
import sys
import time
import traceback
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner, Result

from campaign_guard.cli import app
from tests.strategies import campaign_specs, capacity_profiles, sizes

CPU_SECONDS = 2.0
"""The most CPU time one command may take on one example."""
JSON_CPU_SECONDS = 6.0
"""The same for ``estimate --json``, which writes every target's series: up to 1.5
million numbers (:data:`~campaign_guard.loadmodel.timeline.SAMPLE_CELLS` per scenario)."""
MEMORY_BYTES = 300 * 1024 * 1024
"""The most the process may grow while the examples run (its peak resident size)."""

FUZZ = settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A folder of its own, made the current one (no project file above it)."""
    path = tmp_path_factory.mktemp("fuzz")
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(path)
        yield path


def peak_rss() -> int:
    """The process's peak resident size so far, in bytes."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024


def run(*args: str, start_rss: int) -> Result:
    """``campaign-guard ARGS`` in-process: exit 0 or 1, within the budget (a run over it
    is timed once more: a slow input is slow twice, a pause of the process is not)."""
    budget = JSON_CPU_SECONDS if "--json" in args else CPU_SECONDS
    spent = math.inf
    for _ in range(2):
        started = time.process_time()
        result = CliRunner().invoke(app, list(args))
        spent = min(spent, time.process_time() - started)
        if spent <= budget:
            break
    assert result.exit_code in {0, 1}, f"{args[0]} ended with {result.exit_code}: {cause(result)}"
    assert "unexpected" not in result.stderr, result.stderr[-2000:] + cause(result)
    assert spent <= budget, f"{' '.join(args)} took {spent:.2f} s of CPU"
    assert peak_rss() - start_rss <= MEMORY_BYTES, f"{args[0]} grew the process past 300 MB"
    return result


def cause(result: Result) -> str:
    """The traceback of the exception the CLI turned into exit code 4, if any."""
    error: BaseException | None = result.exception
    while error is not None and error.__context__ is not None:
        error = error.__context__
    if error is None or isinstance(error, SystemExit):
        return ""
    return "".join(traceback.format_exception(error))


def write(path: Path, data: dict[str, Any]) -> str:
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path.name


@FUZZ
@given(
    specs=sizes(1, 3).flatmap(
        lambda count: st.tuples(*(campaign_specs(f"Fuzz {n}") for n in range(count)))
    ),
    profile=st.one_of(st.none(), capacity_profiles()),
    as_json=st.booleans(),
)
def test_estimate_and_dry_run_never_crash_nor_exhaust(
    folder: Path, specs: tuple[dict[str, Any], ...], profile: dict[str, Any] | None, as_json: bool
) -> None:
    start_rss = peak_rss()
    names = [write(folder / f"spec-{n}.yaml", spec) for n, spec in enumerate(specs)]
    capacity = ["--capacity", write(folder / "capacity.yaml", profile)] if profile else []
    run("estimate", *names, *capacity, *(["--json"] if as_json else []), start_rss=start_rss)
    run("submit", names[0], "--dry-run", *capacity, start_rss=start_rss)
