"""Benchmark ``campaign-guard protect edge`` over a quarter's calendar.

Run it from the root of the repository, in the venv campaign-guard is installed in::

    python benchmarks/bench_protect.py                 # 500 campaigns, 5 repetitions
    python benchmarks/bench_protect.py --repeat 7

It writes a quarter's calendar of ``--calendar`` campaign specs and a capacity profile
that routes them all (``generate_calendar.py``, as ``bench_estimate.py`` does) to a
temporary folder, loads them once, then times the in-process compute of the limits
for each target: the estimate of the calendar, the limits of every endpoint and the
rendered files (file loading excluded). Target: under **2 s** on one core. For context
it also times ``campaign-guard protect edge SPECS --capacity PROFILE`` as a new process.
Each case runs ``--repeat`` times after a warm-up; the report is a Markdown table of the
minimum and median wall-clock time and the minimum CPU time. Exit code 0, or 1 with
``--fail-on-miss`` when the target is missed.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from bench_estimate import BIN, load_inputs
from bench_protect_queue import timed
from generate_calendar import DEFAULT_COUNT, generate_calendar
from generate_specs import DEFAULT_SEED

from campaign_guard.loadmodel.engine import estimate
from campaign_guard.protect.edge import plan_edge
from campaign_guard.protecting import EDGE_TARGETS, render_files

LIMIT = 2.0
"""Target: seconds for the limits of the calendar, per target."""


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--calendar", type=int, default=DEFAULT_COUNT)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--fail-on-miss", action="store_true")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        calendar = generate_calendar(Path(folder), args.calendar, seed=args.seed, clean=True)
        inputs = load_inputs(calendar)
        specs, profile = inputs.specs, inputs.profile
        rows, missed = [], False
        for target in EDGE_TARGETS:

            def limits(target: str = target) -> object:
                plan = plan_edge(specs, profile, estimate(specs, profile))
                return render_files(plan, target)

            best, median, cpu = _summary(*timed(limits, args.repeat))
            missed |= best >= LIMIT
            verdict = "met" if best < LIMIT else "**missed**"
            rows.append(
                f"| `protect edge --target {target}`, {len(specs)} campaigns, compute "
                f"| {best:.2f} s | {median:.2f} s | {cpu:.2f} s | < {LIMIT:g} s — {verdict} |"
            )
        command = [
            str(BIN / "campaign-guard"), "protect", "edge", str(calendar.specs[0].parent),
            "--capacity", str(calendar.profile),
        ]  # fmt: skip
        best, median, cpu = _summary(
            *timed(lambda: subprocess.run(command, capture_output=True, check=False), args.repeat)
        )
        rows.append(
            f"| `campaign-guard protect edge DIR`, new process | {best:.2f} s | {median:.2f} s "
            "| | context |"
        )
    print("| case | min | median | CPU | target |\n|---|---:|---:|---:|---|")
    print("\n".join(rows))
    return 1 if missed and args.fail_on_miss else 0


def _summary(wall: list[float], cpu: list[float]) -> tuple[float, float, float]:
    """Minimum and median wall-clock seconds, and minimum CPU seconds."""
    return min(wall), statistics.median(wall), min(cpu)


if __name__ == "__main__":
    sys.exit(main())
