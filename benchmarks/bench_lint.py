"""Benchmark ``campaign-guard lint`` against its speed targets.

Run it from the venv campaign-guard is installed in, with the peers installed too::

    pip install -e '.[bench]'
    python benchmarks/bench_lint.py                 # 1,000 files, 5 repetitions
    python benchmarks/bench_lint.py --repeat 7 --files 1000 --out benchmarks/out

It writes ``--files`` generated specs (see ``generate_specs.py``; each about 30 lines,
valid for campaign-guard, check-jsonschema and yamllint's default config) into a
temporary folder (or ``--out``, emptied first), checks once that every command
succeeds on them with no findings (which also warms the caches and writes the
``.pyc`` files), then runs each command ``--repeat`` times as a whole subprocess,
round-robin so that a busy spell on the machine hits every command alike. The
report is a Markdown table of the minimum and median wall-clock time (and the
minimum CPU time, user + sys, where the platform reports it), the ratio to the
relevant baseline, and whether each target is met:

* A: ``campaign-guard lint DIR`` within 1.5x of a ``python -c`` that only parses the
  same files with ``yaml.load(f, Loader=yaml.CSafeLoader)`` (interpreter start-up
  counts on both sides);
* B: ``campaign-guard lint DIR`` at least 6x faster than each of
  ``check-jsonschema --schemafile schema/campaign-spec.schema.json FILES...`` and
  ``yamllint -d default FILES...`` (yamllint's default config, stated explicitly so
  that no ``.yamllint`` file nearby changes it);
* C: ``campaign-guard lint FILE`` no slower than 1.2x ``yamllint -d default FILE``.

A target counts as met on the minimum times (the least disturbed run); the ratio of
the medians is shown too. All commands run from the directory of this interpreter
(``Path(sys.executable).parent``) with ``--as-of 2027-01-04T09:00Z`` for campaign-guard,
in the folder above the specs (so no ``campaign-guard.yaml`` is picked up). The exit
code is 0, or 1 with ``--fail-on-miss`` when a target is missed.
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from generate_specs import AS_OF, DEFAULT_SEED, generate  # beside this script

try:
    import resource
except ImportError:  # pragma: no cover - Windows
    resource = None  # type: ignore[assignment]

REPO = Path(__file__).resolve().parent.parent
SCHEMA = REPO / "schema" / "campaign-spec.schema.json"
BIN = Path(sys.executable).parent
INSTALL_HINT = "pip install -e '.[bench]'"

PARSE_ONLY = """\
import os, sys, yaml
folder = sys.argv[1]
for name in sorted(os.listdir(folder)):
    if name.endswith(('.yaml', '.yml')):
        with open(os.path.join(folder, name), 'rb') as f:
            yaml.load(f, Loader=yaml.CSafeLoader)
"""
"""The target-A baseline: parse every spec of the folder with libyaml, nothing else."""


@dataclass
class Command:
    key: str
    label: str
    argv: list[str]
    times: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)

    @property
    def best(self) -> float:
        return min(self.times)

    @property
    def median(self) -> float:
        return statistics.median(self.times)


@dataclass(frozen=True)
class Target:
    name: str
    subject: str
    """Key of the command the target is about."""
    baseline: str
    """Key of the command it is compared with."""
    limit: float
    faster: bool
    """True: baseline/subject must be >= limit; false: subject/baseline must be <= limit."""
    against: str
    """How the table names the other side of the ratio."""

    def ratio(self, subject: float, baseline: float) -> float:
        return baseline / subject if self.faster else subject / baseline

    def met(self, ratio: float) -> bool:
        return ratio >= self.limit if self.faster else ratio <= self.limit

    @property
    def wanted(self) -> str:
        return f">= {self.limit:g}x faster" if self.faster else f"<= {self.limit:g}x"


TARGETS = (
    Target("A", "cg_dir", "parse_dir", 1.5, faster=False, against="parse only"),
    Target("B", "cg_dir", "cjs_files", 6.0, faster=True, against="campaign-guard lint DIR"),
    Target("B", "cg_dir", "yamllint_files", 6.0, faster=True, against="campaign-guard lint DIR"),
    Target("C", "cg_one", "yamllint_one", 1.2, faster=False, against="yamllint FILE"),
)


def find_tool(name: str) -> str | None:
    """The console script ``name`` in this interpreter's venv, if installed."""
    return shutil.which(name, path=str(BIN))


def require_tools() -> dict[str, str]:
    tools: dict[str, str] = {}
    missing: list[str] = []
    for name in ("campaign-guard", "yamllint", "check-jsonschema"):
        found = find_tool(name)
        if found is None:
            missing.append(name)
        else:
            tools[name] = found
    if missing:
        raise SystemExit(
            f"error: {', '.join(missing)} not installed in {BIN} (the venv of {sys.executable}).\n"
            f"Install the benchmark peers from the project root with:  {INSTALL_HINT}"
        )
    return tools


def build_commands(tools: dict[str, str], folder: Path, files: list[Path]) -> list[Command]:
    names = [str(p) for p in files]
    one = names[0]
    cg, yl = tools["campaign-guard"], tools["yamllint"]
    n = len(files)
    return [
        Command(
            "python",
            "`python -c pass` (interpreter start-up, for reference)",
            [sys.executable, "-c", "pass"],
        ),
        Command(
            "parse_dir",
            f"parse only, `yaml.CSafeLoader`, {n} files (baseline A)",
            [sys.executable, "-c", PARSE_ONLY, str(folder)],
        ),
        Command(
            "cg_dir",
            f"`campaign-guard lint DIR`, {n} files",
            [cg, "lint", str(folder), "--as-of", AS_OF],
        ),
        Command(
            "cjs_files",
            f"`check-jsonschema --schemafile ... FILES`, {n} files",
            [tools["check-jsonschema"], "--schemafile", str(SCHEMA), *names],
        ),
        Command(
            "yamllint_files",
            f"`yamllint -d default FILES`, {n} files",
            [yl, "-d", "default", *names],
        ),
        Command(
            "yamllint_one",
            "`yamllint -d default FILE`, 1 file (baseline C)",
            [yl, "-d", "default", one],
        ),
        Command(
            "cg_one", "`campaign-guard lint FILE`, 1 file", [cg, "lint", one, "--as-of", AS_OF]
        ),
    ]


def _children_cpu() -> float:
    if resource is None:
        return float("nan")
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_once(command: Command, cwd: Path) -> tuple[float, float, subprocess.CompletedProcess[str]]:
    """Wall and CPU seconds of one run of ``command``, and its outcome."""
    cpu_before = _children_cpu()
    start = time.perf_counter()
    result = subprocess.run(
        command.argv, cwd=cwd, capture_output=True, text=True, check=False, env=_environment()
    )
    wall = time.perf_counter() - start
    return wall, _children_cpu() - cpu_before, result


def _environment() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("GITHUB_ACTIONS", None)  # campaign-guard's `auto` format: plain text
    env.pop("PYTHONPROFILEIMPORTTIME", None)
    return env


def verify(commands: Sequence[Command], cwd: Path) -> None:
    """Run every command once (warm-up) and stop unless each one passed cleanly."""
    for command in commands:
        _, _, result = run_once(command, cwd)
        clean = result.returncode == 0
        if command.key.startswith(("cg_", "yamllint_")):
            clean = clean and not result.stdout.strip()  # warnings exit 0 but are printed
        if not clean:
            output = (result.stdout + result.stderr).strip()
            raise SystemExit(
                f"error: {command.label} did not pass cleanly (exit {result.returncode}); "
                f"the timings would not compare like with like:\n{output[:3000]}"
            )


def measure(commands: Sequence[Command], cwd: Path, repeat: int, *, quiet: bool) -> None:
    for round_number in range(1, repeat + 1):
        for command in commands:
            wall, cpu, result = run_once(command, cwd)
            if result.returncode != 0:
                raise SystemExit(f"error: {command.label} failed (exit {result.returncode})")
            command.times.append(wall)
            command.cpu.append(cpu)
        if not quiet:
            print(f"  round {round_number}/{repeat} done", file=sys.stderr)


def _version(argv: list[str]) -> str:
    result = subprocess.run(argv, capture_output=True, text=True, check=False)
    text = (result.stdout or result.stderr).strip().splitlines()
    return text[0] if text else "?"


def _target_cells(target: Target, by_key: dict[str, Command]) -> list[str]:
    subject, baseline = by_key[target.subject], by_key[target.baseline]
    best = target.ratio(subject.best, baseline.best)
    median = target.ratio(subject.median, baseline.median)
    what = f"{target.name}: this ÷ {target.against}"
    met = "**yes**" if target.met(best) else "**no**"
    if target.met(best) != target.met(median):
        met += f" (medians: {'yes' if target.met(median) else 'no'})"
    return [what, f"{best:.2f}x", f"{median:.2f}x", target.wanted, met]


def _budget(target: Target, by_key: dict[str, Command]) -> str:
    """The time campaign-guard must reach for ``target``, from the minimum times."""
    subject, baseline = by_key[target.subject], by_key[target.baseline]
    allowed = baseline.best / target.limit if target.faster else baseline.best * target.limit
    verdict = "met" if target.met(target.ratio(subject.best, baseline.best)) else "MISSED"
    return (
        f"- Target {target.name} ({subject.key} vs {baseline.key}, want {target.wanted}): "
        f"{verdict}; {subject.key} takes {subject.best:.3f} s, the target allows "
        f"{allowed:.3f} s"
    )


def load_average() -> str:
    """The 1, 5 and 15 minute load averages, to judge how quiet the machine was."""
    if not hasattr(os, "getloadavg"):
        return "n/a"
    return ", ".join(f"{x:.2f}" for x in os.getloadavg())


def report(
    commands: Sequence[Command], tools: dict[str, str], files: int, repeat: int, load_before: str
) -> str:
    """The Markdown report: the table, one line per target, the versions."""
    by_key = {c.key: c for c in commands}
    cells = {t.baseline if t.faster else t.subject: _target_cells(t, by_key) for t in TARGETS}
    cpu_known = all(c.cpu and not math.isnan(c.cpu[0]) for c in commands)  # NaN on Windows
    columns = ["Command", "Min (s)", "Median (s)"]
    columns += ["Min CPU (s)"] if cpu_known else []
    columns += ["Target: ratio", "Min", "Median", "Goal", "Met"]
    lines = [
        f"{files} generated specs, {repeat} timed runs of each command (after one "
        f"warm-up run); Python {platform.python_version()} on {platform.system()} "
        f"{platform.machine()}, {os.cpu_count()} CPUs.",
        "",
        "| " + " | ".join(columns) + " |",
        "|---|" + "---:|" * (len(columns) - 6) + "---|---:|---:|---|---|",
    ]
    for command in commands:
        row = [command.label, f"{command.best:.3f}", f"{command.median:.3f}"]
        row += [f"{min(command.cpu):.3f}"] if cpu_known else []
        row += cells.get(command.key, ["", "", "", "", ""])
        lines.append("| " + " | ".join(row) + " |")
    lines += ["", *(_budget(target, by_key) for target in TARGETS)]
    versions = ", ".join(
        _version([tools[name], "--version"])
        for name in ("campaign-guard", "yamllint", "check-jsonschema")
    )
    lines += [
        "",
        f"Versions: {versions}. Load average (1, 5, 15 min) before: {load_before}; "
        f"after: {load_average()}.",
    ]
    return "\n".join(lines) + "\n"


def all_met(commands: Sequence[Command]) -> bool:
    by_key = {c.key: c for c in commands}
    return all(t.met(t.ratio(by_key[t.subject].best, by_key[t.baseline].best)) for t in TARGETS)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Time campaign-guard lint against a parse-only baseline, "
        "check-jsonschema and yamllint."
    )
    parser.add_argument("--files", type=int, default=1000, help="specs to generate (1000)")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per command (5)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="generator seed")
    parser.add_argument(
        "--out",
        type=Path,
        help="write the specs to OUT/specs (emptied first; e.g. benchmarks/out, git-ignored) "
        "instead of a temporary folder, and keep them",
    )
    parser.add_argument("--quiet", action="store_true", help="print the table only")
    parser.add_argument(
        "--fail-on-miss", action="store_true", help="exit 1 when a target is missed"
    )
    args = parser.parse_args(argv)
    if args.files < 1 or args.repeat < 1:
        parser.error("--files and --repeat must be at least 1")
    if not SCHEMA.is_file():
        raise SystemExit(f"error: {SCHEMA} not found; run the benchmark from a source checkout")
    tools = require_tools()

    with tempfile.TemporaryDirectory(prefix="cg-bench-") as temp:
        root = args.out.resolve() if args.out else Path(temp)
        folder = root / "specs"
        files = generate(folder, args.files, seed=args.seed, clean=True)
        commands = build_commands(tools, folder, files)
        if not args.quiet:
            print(
                f"Generated {len(files)} specs in {folder}; checking and warming up...",
                file=sys.stderr,
            )
        load_before = load_average()
        verify(commands, root)
        measure(commands, root, args.repeat, quiet=args.quiet)
    print(report(commands, tools, args.files, args.repeat, load_before), end="")
    return 1 if args.fail_on_miss and not all_met(commands) else 0


if __name__ == "__main__":
    sys.exit(main())
