"""Where the start-up of a one-file ``campaign-guard lint`` goes: ``python -X importtime``.

Run it from the venv campaign-guard is installed in::

    python -m benchmarks.bench_startup                  # 15 runs of the first example
    python -m benchmarks.bench_startup --repeat 25 FILE

It runs ``python -X importtime -m campaign_guard lint FILE`` ``--repeat`` times, takes
each module's smallest self time over the runs (the least disturbed), and prints a
Markdown table of the import time by group: Typer (with the Click it vendors), pydantic
(with pydantic-core and annotated-types), PyYAML, and campaign-guard package by package;
a standard-library module counts for the group that imported it first. It also prints
the smallest wall-clock time of the whole command and of ``python -c pass``; what is
neither import nor interpreter start-up is the work itself (reading, validating and
checking the file, building pydantic's validators, printing the result).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "examples" / "campaigns" / "winter-newsletter.yaml"
AS_OF = "2027-01-04T09:00Z"
STDLIB = "the standard library, for itself"
GROUPS = (
    ("typer", "Typer (and its vendored Click)"),
    ("click", "Typer (and its vendored Click)"),
    ("pydantic", "pydantic, pydantic-core, annotated-types"),
    ("pydantic_core", "pydantic, pydantic-core, annotated-types"),
    ("annotated_types", "pydantic, pydantic-core, annotated-types"),
    ("typing_inspection", "pydantic, pydantic-core, annotated-types"),
    ("typing_extensions", "pydantic, pydantic-core, annotated-types"),
    ("yaml", "PyYAML"),
    ("_yaml", "PyYAML"),
)


def group_of(module: str) -> str:
    """The table row ``module``'s import time counts in."""
    top = module.split(".", maxsplit=1)[0]
    if top == "campaign_guard":
        parts = module.split(".")
        return "campaign_guard." + parts[1] if len(parts) > 1 else "campaign_guard"
    for name, label in GROUPS:
        if top == name:
            return label
    return STDLIB


def self_times(stderr: str) -> dict[str, tuple[int, str]]:
    """Microseconds of self time by module, from ``-X importtime``'s report, and the
    group it counts in: a standard-library module counts for the package that imported
    it first (the report lists a module after the modules it imports, indented deeper).
    """
    rows: list[tuple[int, str, int]] = []
    for line in stderr.splitlines():
        if not line.startswith("import time:") or "[us]" in line:
            continue
        us, _cumulative, name = line[len("import time:") :].split("|")
        rows.append(((len(name) - len(name.lstrip())) // 2, name.strip(), int(us)))
    times: dict[str, tuple[int, str]] = {}
    pending: list[tuple[int, str, int]] = []  # imports waiting for their importer
    for depth, module, own in rows:
        group = group_of(module)
        if group == STDLIB and depth > 0:
            pending.append((depth, module, own))
            continue
        # the pending rows deeper than this one were imported by it (or below it)
        while pending and pending[-1][0] > depth:
            _, child, child_own = pending.pop()
            times[child] = (child_own, group)
        times[module] = (own, group)
    for _, child, child_own in pending:
        times[child] = (child_own, STDLIB)
    return times


def wall(argv: Sequence[str]) -> float:
    start = time.perf_counter()
    subprocess.run(argv, capture_output=True, check=False)
    return time.perf_counter() - start


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", nargs="?", type=Path, default=EXAMPLE)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args(argv)
    command = [sys.executable, "-m", "campaign_guard", "lint", str(args.file), "--as-of", AS_OF]
    best: dict[str, tuple[int, str]] = {}
    walls, bare = [], []
    for _ in range(args.repeat):
        done = subprocess.run(
            [sys.executable, "-X", "importtime", *command[1:]],
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            print(done.stdout + done.stderr[-2000:], file=sys.stderr)
            return 1
        for module, (own, group) in self_times(done.stderr).items():
            best[module] = min((own, group), best.get(module, (own, group)))
        walls.append(wall(command))
        bare.append(wall([sys.executable, "-c", "pass"]))
    by_group: dict[str, int] = defaultdict(int)
    for own, group in best.values():
        by_group[group] += own
    total = sum(by_group.values())
    print(
        f"`campaign-guard lint {args.file.name}`: {min(walls) * 1000:.0f} ms wall (best of "
        f"{args.repeat}); `python -c pass`: {min(bare) * 1000:.0f} ms; imports "
        f"{total / 1000:.0f} ms (sum of each module's best self time)\n"
    )
    print("| imports of | ms | share |\n|---|---:|---:|")
    for group, own in sorted(by_group.items(), key=lambda item: -item[1]):
        print(f"| {group} | {own / 1000:.1f} | {own / total:.0%} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
