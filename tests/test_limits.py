"""The resource limits of :mod:`tests.limits` really stop a run."""

from __future__ import annotations

from pathlib import Path

from tests.limits import run_limited


def test_a_clean_run_stays_within_the_limits(tmp_path: Path) -> None:
    run = run_limited("--version", cwd=tmp_path)
    assert (run.code, run.killed) == (0, False)
    assert run.stdout.startswith("campaign-guard ")


def test_the_cpu_limit_stops_a_run(tmp_path: Path) -> None:
    run = run_limited("--version", cwd=tmp_path, cpu_seconds=0)
    assert run.killed
