"""Benchmark ``campaign-guard protect queue`` over a quarter's calendar.

Run it from the root of the repository, in the venv campaign-guard is installed in::

    python benchmarks/bench_protect_queue.py                 # 500 campaigns, 5 repetitions
    python benchmarks/bench_protect_queue.py --repeat 7 --calendar 500

It writes the quarter's calendar of ``--calendar`` campaign specs and its capacity
profile (``generate_calendar.py``, the same as ``bench_estimate.py``; the profile is
``examples/capacity/production.yaml`` with its ingestion queue and settings) to a
temporary folder, loads them once, and times in-process, after a warm-up, with a
garbage collection before each run:

* the sizing alone: ``plan_queue`` on the finished estimate (backlog, delays, the
  workers needed all along and hour by hour, the pre-scale windows, the checks);
* target: the estimate and the sizing together, what the command computes, under
  **2 s** on one core;
* for context, the KEDA ScaledObject's rendering, and the whole command as a new process
  (``campaign-guard protect queue SPECS --capacity PROFILE --json``).

The report is a Markdown table of the minimum and median wall-clock time and the minimum
CPU time; the target counts on CPU time (the machine may be shared). Exit code 0, or 1
with ``--fail-on-miss`` when the target is missed.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench_estimate import BIN, load_inputs
from generate_calendar import DEFAULT_COUNT, Calendar, generate_calendar

from campaign_guard.loadmodel.engine import estimate
from campaign_guard.protect.keda import scaled_object_text
from campaign_guard.protect.queue import DEFAULT_MAX_DELAY
from campaign_guard.protect.queue_plan import plan_queue

TARGET = 2.0
"""Seconds for the estimate and the sizing of the calendar, on one core."""


def timed(run: Callable[[], object], repeat: int) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU seconds of ``repeat`` runs of ``run``, after a warm-up (CPU
    time is this process's: the time on one core, whatever else the machine runs)."""
    run()
    wall, cpu = [], []
    for _ in range(repeat):
        gc.collect()
        start, used = time.perf_counter(), time.process_time()
        run()
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - used)
    return wall, cpu


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--calendar", type=int, default=DEFAULT_COUNT, metavar="N")
    parser.add_argument("--repeat", type=int, default=5, metavar="N")
    parser.add_argument("--fail-on-miss", action="store_true")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        calendar = generate_calendar(Path(folder), args.calendar)
        inputs = load_inputs(calendar)
        done = estimate(inputs.specs, inputs.profile)
        plan = plan_queue(done, inputs.profile, DEFAULT_MAX_DELAY)
        rows = [
            (
                "sizing only (`plan_queue` on the estimate)",
                timed(lambda: plan_queue(done, inputs.profile, DEFAULT_MAX_DELAY), args.repeat),
                None,
            ),
            (
                "estimate only",
                timed(lambda: estimate(inputs.specs, inputs.profile), args.repeat),
                None,
            ),
            (
                f"estimate + sizing, {len(inputs.specs)} campaigns",
                timed(
                    lambda: plan_queue(
                        estimate(inputs.specs, inputs.profile), inputs.profile, DEFAULT_MAX_DELAY
                    ),
                    args.repeat,
                ),
                TARGET,
            ),
            (
                "KEDA ScaledObject rendering",
                timed(lambda: scaled_object_text(plan), args.repeat),
                None,
            ),
            ("the command, new process (`--json`)", _cli(calendar, args.repeat), None),
        ]
    print(
        f"protect queue over {args.calendar} campaigns: {len(done.times):,} samples, "
        f"{len(plan.hours)} rows of workers per hour, {len(plan.prescale)} pre-scale windows\n"
    )
    print("| case | min | median | min CPU | target |\n|---|---:|---:|---:|---|")
    missed = False
    for case, (wall, cpu), limit in rows:
        verdict = ""
        if limit is not None:
            met = min(cpu) < limit
            missed = missed or not met
            verdict = f"under {limit:g} s on one core — {'met' if met else '**missed**'}"
        shown_cpu = f"{min(cpu):.3f} s" if max(cpu) > 0 else "–"
        print(
            f"| {case} | {min(wall):.3f} s | {statistics.median(wall):.3f} s | {shown_cpu} "
            f"| {verdict} |"
        )
    return 1 if missed and args.fail_on_miss else 0


def _cli(calendar: Calendar, repeat: int) -> tuple[list[float], list[float]]:
    specs = [str(p) for p in calendar.specs]
    argv = [str(BIN / "campaign-guard"), "protect", "queue", *specs]
    argv += ["--capacity", str(calendar.profile), "--json"]

    def run() -> None:
        done = subprocess.run(argv, capture_output=True, text=True, check=False)
        if done.returncode not in (0, 1):
            raise SystemExit(f"error: protect queue exited {done.returncode}: {done.stderr[:500]}")

    wall, _ = timed(run, repeat)
    return wall, [0.0] * len(wall)  # the child's CPU is not this process's


if __name__ == "__main__":
    sys.exit(main())
