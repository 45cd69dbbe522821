"""Benchmark ``campaign-guard estimate`` against its speed targets.

Run it from the root of the repository, in the venv campaign-guard is installed in::

    python benchmarks/bench_estimate.py                       # 500 campaigns, 5 repetitions
    python benchmarks/bench_estimate.py --repeat 7 --out benchmarks/out/calendar
    python benchmarks/bench_estimate.py --cprofile /tmp/estimate   # also write .prof files

It writes a quarter's calendar of ``--calendar`` campaign specs and a capacity profile
that routes every page and endpoint they use (``generate_calendar.py``) to a temporary
folder (or ``--out``), loads them once (timed separately), then times the in-process
compute of ``campaign_guard.loadmodel.engine.estimate(specs, profile)``, imports and file
loading excluded:

* target 1: the estimate of ONE spec (``--one``, default the first of the calendar)
  against the profile takes well under **100 ms**; every spec of the calendar is also
  estimated alone once, to show the slowest;
* target 2: the estimate of the whole calendar (500 campaigns over a quarter, overlaps
  added up) takes under **2 s** on one core.

Each case runs ``--repeat`` times (the one-spec case ``--one-repeat`` times), after a
warm-up, with a garbage collection before each run; the report is a Markdown table of the
minimum and median wall-clock time and the minimum CPU time of the process
(``time.process_time``: the estimate is single-threaded, so CPU time is the time on one
core, whatever else the machine runs). A target counts as met on the minimum; the median
shows how steady the machine was. For context the table also has the end-to-end wall time
of ``campaign-guard estimate SPECS --capacity PROFILE --json`` as a new process
(interpreter start, imports, loading, estimate and output), and the size of the problem:
flows, loads, targets, sample times and the notes the estimate made. ``--cpu N`` pins
the process (and the CLI runs) to CPU ``N`` (Linux). Exit code 0, or 1 with
``--fail-on-miss`` when a target is missed.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

try:
    import resource
except ImportError:  # pragma: no cover - Windows
    resource = None  # type: ignore[assignment]

from bench_lint import load_average
from generate_calendar import DEFAULT_COUNT, Calendar, generate_calendar
from generate_specs import DEFAULT_SEED

from campaign_guard.defaults import SCENARIOS
from campaign_guard.loadmodel.channels import flows_for
from campaign_guard.loadmodel.engine import Estimate, estimate
from campaign_guard.loadmodel.loads import map_loads
from campaign_guard.spec.campaign import CampaignSpec
from campaign_guard.spec.capacity import CapacityProfile
from campaign_guard.spec.load import load_model, load_spec

BIN = Path(sys.executable).parent
ONE_LIMIT = 0.100
"""Target 1: seconds for the estimate of one spec."""
CALENDAR_LIMIT = 2.0
"""Target 2: seconds for the estimate of the calendar."""


@dataclass
class Timing:
    """The repeated runs of one case."""

    case: str
    timed: str
    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    limit: float | None = None
    """Target, in seconds of the minimum wall time; ``None``: for context only."""

    @property
    def best(self) -> float:
        return min(self.wall)

    @property
    def median(self) -> float:
        return statistics.median(self.wall)

    def met(self) -> bool | None:
        return None if self.limit is None else self.best < self.limit


@dataclass(frozen=True)
class Inputs:
    specs: list[CampaignSpec]
    profile: CapacityProfile


def load_inputs(calendar: Calendar) -> Inputs:
    """Every spec of ``calendar`` and its profile, validated; stops on any problem."""
    specs: list[CampaignSpec] = []
    for path in calendar.specs:
        loaded = load_spec(path)
        if loaded.value is None:
            raise SystemExit(f"error: {path} is not valid: {loaded.problems[:3]}")
        specs.append(loaded.value)
    profile = load_model(calendar.profile, CapacityProfile)
    if profile.value is None:
        raise SystemExit(f"error: {calendar.profile} is not valid: {profile.problems[:3]}")
    return Inputs(specs, profile.value)


def time_runs(timing: Timing, run: Callable[[], object], repeat: int) -> Timing:
    """Run ``run`` once to warm up, then ``repeat`` timed times into ``timing``."""
    run()
    for _ in range(repeat):
        gc.collect()
        cpu, wall = time.process_time(), time.perf_counter()
        run()
        timing.wall.append(time.perf_counter() - wall)
        timing.cpu.append(time.process_time() - cpu)
    return timing


def each_alone(inputs: Inputs) -> tuple[list[float], int]:
    """The compute time of each spec estimated alone (once each), and the slowest's index."""
    times: list[float] = []
    for spec in inputs.specs:
        start = time.perf_counter()
        estimate([spec], inputs.profile)
        times.append(time.perf_counter() - start)
    return times, max(range(len(times)), key=times.__getitem__)


def time_cli(timing: Timing, argv: list[str], cwd: Path, repeat: int) -> Timing:
    """Wall (and user + sys CPU) time of ``argv`` as a new process, after one warm-up run
    (which writes the .pyc files)."""
    env = dict(os.environ)
    env.pop("CAMPAIGN_GUARD_CAPACITY", None)
    for number in range(repeat + 1):
        cpu, start = _children_cpu(), time.perf_counter()
        result = subprocess.run(argv, cwd=cwd, capture_output=True, text=True, check=False, env=env)
        wall = time.perf_counter() - start
        cpu = _children_cpu() - cpu
        if result.returncode not in (0, 1):  # 1: findings (e.g. notes), still an estimate
            raise SystemExit(
                f"error: {' '.join(argv[:3])} ... exited {result.returncode}:\n"
                f"{(result.stdout + result.stderr)[:2000]}"
            )
        if number:
            timing.wall.append(wall)
            if resource is not None:
                timing.cpu.append(cpu)
    return timing


def _children_cpu() -> float:
    if resource is None:
        return 0.0
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


@dataclass(frozen=True)
class Shape:
    """How big one estimate is."""

    campaigns: int
    flows: dict[str, int]
    loads: int
    targets: int
    times: int
    notes: Counter[str]


def shape(specs: Sequence[CampaignSpec], profile: CapacityProfile, result: Estimate) -> Shape:
    flows: dict[str, int] = {}
    loads = 0
    for scenario in SCENARIOS:
        scenario_flows = [f for spec in specs for f in flows_for(spec, scenario)[0]]
        flows[scenario] = len(scenario_flows)
        load_map = map_loads(specs, scenario_flows, profile)
        loads += sum(len(target.loads) for target in load_map.targets.values())
    return Shape(
        len(specs),
        flows,
        loads,
        len(result.targets),
        len(result.times),
        Counter(note.code for note in result.notes),
    )


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:,.1f} ms" if seconds < 10 else f"{seconds:,.2f} s"


def _row(timing: Timing) -> str:
    cpu = _ms(min(timing.cpu)) if timing.cpu else "n/a"
    if timing.limit is None:
        goal, met = "(context)", ""
    else:
        goal = f"< {_ms(timing.limit)}"
        met = "**yes**" if timing.met() else "**no**"
        if (timing.median < timing.limit) != timing.met():
            met += f" (median: {'yes' if timing.median < timing.limit else 'no'})"
        met += f", {timing.best / timing.limit:.2f}x of the limit"
    cells = [timing.case, timing.timed, str(len(timing.wall)), _ms(timing.best)]
    cells += [_ms(timing.median), cpu, goal, met]
    return "| " + " | ".join(cells) + " |"


def _shape_line(name: str, size: Shape) -> str:
    flows = " / ".join(str(size.flows[s]) for s in SCENARIOS)
    notes = ", ".join(f"{code} {n}" for code, n in sorted(size.notes.items())) or "none"
    return (
        f"- {name}: {size.campaigns} campaign(s), {flows} flows (low / expected / high), "
        f"{size.loads} loads over the 3 scenarios, {size.targets} targets, "
        f"{size.times:,} sample times; notes: {notes} "
        f"(unknown-route: {size.notes.get('unknown-route', 0)})."
    )


def report(
    timings: Sequence[Timing],
    shapes: Sequence[tuple[str, Shape]],
    alone: tuple[list[float], int, str],
    load_before: str,
) -> str:
    lines = [
        f"Python {platform.python_version()} on {platform.system()} {platform.machine()}, "
        f"{os.cpu_count()} CPUs; load average (1, 5, 15 min) before: {load_before}, "
        f"after: {load_average()}.",
        "",
        "| Case | Timed | Runs | Min | Median | Min CPU | Target | Met |",
        "|---|---|---:|---:|---:|---:|---|---|",
        *(_row(timing) for timing in timings),
        "",
    ]
    times, slowest, name = alone
    holds = "holds" if max(times) < ONE_LIMIT else "does NOT hold"
    lines.append(
        f"- Each of the {len(times)} specs estimated alone (once each): median "
        f"{_ms(statistics.median(times))}, slowest {_ms(times[slowest])} ({name}); "
        f"target 1 {holds} for every spec."
    )
    lines += [_shape_line(name, size) for name, size in shapes]
    return "\n".join(lines) + "\n"


def write_profiles(prefix: Path, inputs: Inputs, one: CampaignSpec) -> list[Path]:
    """cProfile the calendar's estimate once and the one spec's 50 times."""
    written = []
    for suffix, run in (
        ("calendar", lambda: estimate(inputs.specs, inputs.profile)),
        ("one", lambda: [estimate([one], inputs.profile) for _ in range(50)]),
    ):
        profiler = cProfile.Profile()
        profiler.runcall(run)
        path = prefix.with_name(f"{prefix.name}-{suffix}.prof")
        profiler.dump_stats(path)
        written.append(path)
    return written


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Time campaign-guard's estimate of one spec and of a quarter's calendar."
    )
    parser.add_argument(
        "--calendar", type=int, default=DEFAULT_COUNT, help="campaigns in the calendar (500)"
    )
    parser.add_argument("--repeat", type=int, default=5, help="timed runs of each case (5)")
    parser.add_argument(
        "--one-repeat", type=int, default=50, help="timed runs of the one-spec estimate (50)"
    )
    parser.add_argument(
        "--one", type=int, default=1, help="which spec is the one-spec case (1: spec-0001)"
    )
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="generator seed")
    parser.add_argument(
        "--out",
        type=Path,
        help="write the calendar to OUT/specs and OUT/capacity.yaml (specs emptied first; "
        "e.g. benchmarks/out/calendar, git-ignored) instead of a temporary folder",
    )
    parser.add_argument("--no-cli", action="store_true", help="skip the end-to-end CLI runs")
    parser.add_argument("--cpu", type=int, help="pin this process and the CLI runs to CPU N")
    parser.add_argument(
        "--cprofile",
        type=Path,
        metavar="PREFIX",
        help="also write PREFIX-calendar.prof and PREFIX-one.prof (cProfile)",
    )
    parser.add_argument("--quiet", action="store_true", help="print the table only")
    parser.add_argument(
        "--fail-on-miss", action="store_true", help="exit 1 when a target is missed"
    )
    args = parser.parse_args(argv)
    if min(args.calendar, args.repeat, args.one_repeat) < 1:
        parser.error("--calendar, --repeat and --one-repeat must be at least 1")
    if not 1 <= args.one <= args.calendar:
        parser.error("--one must be between 1 and --calendar")
    if args.cpu is not None and not hasattr(os, "sched_setaffinity"):
        parser.error("--cpu needs Linux (os.sched_setaffinity)")
    return args


def cli_timings(args: argparse.Namespace, calendar: Calendar, one: Path) -> list[Timing]:
    """``campaign-guard estimate ... --json`` end to end, on the one spec and the calendar."""
    exe = shutil.which("campaign-guard", path=str(BIN))
    if exe is None:
        raise SystemExit(f"error: campaign-guard is not installed in {BIN}")
    options = ["--capacity", str(calendar.profile), "--json"]
    root = calendar.profile.parent
    what = "CLI end to end, new process"
    return [
        time_cli(Timing("1 spec", what), [exe, "estimate", str(one), *options], root, args.repeat),
        time_cli(
            Timing(f"{len(calendar.specs)} specs", what),
            [exe, "estimate", str(calendar.specs[0].parent), *options],
            root,
            args.repeat,
        ),
    ]


def run(args: argparse.Namespace, root: Path, say: Callable[[str], None]) -> tuple[str, bool]:
    """Generate the calendar in ``root``, time every case; the report, and whether a
    target was missed."""
    load_before = load_average()
    calendar = generate_calendar(root, args.calendar, seed=args.seed, clean=True)
    one_path = calendar.specs[args.one - 1]
    say(f"Wrote {len(calendar.specs)} specs and {calendar.profile}; loading...")
    inputs = load_inputs(calendar)  # also warms up the imports and caches
    one = inputs.specs[args.one - 1]
    one_calendar = Calendar([one_path], calendar.profile)
    n = f"{args.calendar} specs"
    say(f"Timing the one-spec case ({one_path.name})...")
    timings = [
        time_runs(
            Timing("1 spec", f"load {one_path.name} + profile"),
            lambda: load_inputs(one_calendar),
            args.one_repeat,
        ),
        time_runs(
            Timing("1 spec", "`estimate()` compute", limit=ONE_LIMIT),
            lambda: estimate([one], inputs.profile),
            args.one_repeat,
        ),
    ]
    say("Estimating every spec alone...")
    alone_times, slowest = each_alone(inputs)
    say(f"Timing the {args.calendar}-campaign calendar...")
    timings += [
        time_runs(
            Timing(n, f"load {len(inputs.specs)} specs + profile"),
            lambda: load_inputs(calendar),
            args.repeat,
        ),
        time_runs(
            Timing(n, "`estimate()` compute", limit=CALENDAR_LIMIT),
            lambda: estimate(inputs.specs, inputs.profile),
            args.repeat,
        ),
    ]
    if not args.no_cli:
        say("Timing the CLI end to end...")
        one_cli, calendar_cli = cli_timings(args, calendar, one_path)
        timings.insert(2, one_cli)
        timings.append(calendar_cli)
    shapes = [
        (
            f"1 spec ({one_path.name})",
            shape([one], inputs.profile, estimate([one], inputs.profile)),
        ),
        (
            f"calendar ({n})",
            shape(inputs.specs, inputs.profile, estimate(inputs.specs, inputs.profile)),
        ),
    ]
    if args.cprofile is not None:
        for path in write_profiles(args.cprofile, inputs, one):
            say(f"Wrote {path}")
    alone = (alone_times, slowest, calendar.specs[slowest].name)
    missed = any(timing.met() is False for timing in timings)
    return report(timings, shapes, alone, load_before), missed


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if args.cpu is not None:
        os.sched_setaffinity(0, {args.cpu})  # inherited by the CLI subprocesses

    def say(text: str) -> None:
        if not args.quiet:
            print(text, file=sys.stderr)

    with tempfile.TemporaryDirectory(prefix="cg-bench-estimate-") as temp:
        text, missed = run(args, args.out.resolve() if args.out else Path(temp), say)
    print(text, end="")
    return 1 if args.fail_on_miss and missed else 0


if __name__ == "__main__":
    sys.exit(main())
