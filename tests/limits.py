"""Run the installed command under resource limits, so a regression fails fast.

A denial-of-service regression (a quadratic regex, an unbounded simulation, a read that
never returns) must fail the test, not hang CI or exhaust the machine. :func:`run_limited`
runs ``campaign-guard ARGS`` in a subprocess with a CPU-time limit and an address-space
limit (``resource.setrlimit``), and a wall-clock timeout for waits that use no CPU.
"""

from __future__ import annotations

import resource
import subprocess
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import console_script

CPU_SECONDS = 10
MEMORY_BYTES = 512 * 1024 * 1024
WALL_SECONDS = 30.0


@dataclass(frozen=True)
class Limited:
    """One limited run: its exit code (negative: killed by that signal), output and time."""

    code: int
    stdout: str
    stderr: str
    seconds: float

    @property
    def killed(self) -> bool:
        """True when a limit stopped it (CPU: SIGXCPU/SIGKILL; memory shows as MemoryError
        or a signal)."""
        return self.code < 0 or "MemoryError" in self.stderr


def run_limited(
    *args: str,
    cwd: Path,
    env: Mapping[str, str] | None = None,
    cpu_seconds: int = CPU_SECONDS,
    memory_bytes: int = MEMORY_BYTES,
    wall_seconds: float = WALL_SECONDS,
    stdin: str | None = None,
) -> Limited:
    """``campaign-guard ARGS`` in ``cwd`` under the limits; fails the test on a hang."""
    __tracebackhide__ = True

    def limit() -> None:  # in the child, before exec
        resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))
        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))

    started = time.monotonic()
    try:
        done = subprocess.run(
            [str(console_script()), *args],
            cwd=cwd,
            env=None if env is None else dict(env),
            input=stdin,
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            timeout=wall_seconds,
            preexec_fn=limit,  # only setrlimit, before exec
            check=False,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"campaign-guard {' '.join(args)[:200]} hung past {wall_seconds} s")
    return Limited(done.returncode, done.stdout, done.stderr, time.monotonic() - started)
