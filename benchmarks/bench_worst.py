"""Time and memory of ``estimate`` and ``submit --dry-run`` on the worst spec lint accepts.

Run it from the root of the repository, in the venv campaign-guard is installed in::

    python benchmarks/bench_worst.py                 # 5 campaigns at once, 5 rounds
    python benchmarks/bench_worst.py --campaigns 50 --repeat 3 --out benchmarks/out/worst

The worst spec has every figure as large as the spec accepts: the largest audience of
every channel, the longest campaign, 50 channels (five of each kind, every TV channel with
500 spots a minute apart), 50 landing pages and 50 endpoints. "As large as accepted" is
found, not assumed: each figure is the largest of a list of candidates (10^300 down to
10^6 people, 520,000 weeks down to a year) that the spec model takes, so the benchmark
follows the limits the spec sets. ``--campaigns`` copies of it (pages and endpoints of
their own) launch at the same minute, and the capacity profile routes every page and
endpoint, so nothing is left out for want of a route. Every file must lint clean.

Each command runs as a new process, as a marketer runs it; the report gives its wall
time, CPU time (user + system) and peak resident memory (``ru_maxrss`` of the child),
the smallest and the median of ``--repeat`` runs, against the targets: under **2 s** and
under **300 MB**. Exit code 0, or 1 when a target is missed (with ``--fail-on-miss``).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

ROOT = Path(__file__).resolve().parent.parent
PROFILE = ROOT / "examples" / "capacity" / "production.yaml"
SECONDS, MEGABYTES = 2.0, 300
START = datetime(2027, 3, 2, 9, 0)
PEOPLE = (10**300, 10**100, 10**30, 10**15, 10**12, 10**10, 10**9, 10**8, 10**7, 10**6)
LONGEST = ("520000w", "52000w", "5200w", "520w", "104w", "366d", "52w")
LINKS = (10**300, 10**30, 10**9, 10**6, 10**4, 1000, 100)


def largest(candidates: tuple[Any, ...], accepted: Callable[[Any], bool]) -> Any:
    """The first of ``candidates`` (largest first) that ``accepted`` takes."""
    for value in candidates:
        if accepted(value):
            return value
    raise SystemExit(f"the spec accepts none of {candidates}")


def channel(kind: str, index: int, people: int, links: int) -> dict[str, Any]:
    """A channel of ``kind`` with every figure at its largest."""
    entry: dict[str, Any] = {"channel": kind, "label": f"{kind} {index}"}
    if kind == "email":
        entry.update(list_size=people, click_rate="100%", tracked_links=links)
        entry["images_from_origin"] = True
    elif kind in ("sms", "push"):
        entry["recipients"] = people
    elif kind in ("paid_social", "paid_search", "display"):
        entry.update(impressions=people, click_rate="100%")
    elif kind == "tv_radio":
        first = START + timedelta(minutes=index * 500)
        spots = [first + timedelta(minutes=n) for n in range(500)]
        entry.update(viewers=people, response_rate="100%")
        entry["spots"] = [f"{spot:%Y-%m-%d %H:%M}" for spot in spots]
    elif kind == "influencer":
        entry.update(followers=people, engagement_rate="100%")
    elif kind == "organic_pr":
        entry["expected_visits"] = people
    else:
        entry.update(audience=people, click_rate="100%")
    return entry


def worst_spec(number: int, people: int, duration: str, links: int) -> dict[str, Any]:
    """Campaign ``number``: 50 channels, 50 pages and 50 endpoints of its own."""
    from campaign_guard.spec.channels import CHANNEL_MODELS

    kinds = list(CHANNEL_MODELS)
    return {
        "schema_version": 1,
        "name": f"Worst {number}",
        "owner": "jane@example.com",
        "launch": {"timezone": "UTC", "start": f"{START:%Y-%m-%d %H:%M}", "duration": duration},
        "traffic": [
            channel(kind, n * len(kinds) + i, people, links)
            for n in range(50 // len(kinds))
            for i, kind in enumerate(kinds)
        ],
        "landing_pages": [f"https://www.example.com/w{number}/p{n}" for n in range(50)],
        "endpoints": [f"POST /api/w{number}/e{n}" for n in range(50)],
        "new_data_fields": [],
    }


def accepted(spec: dict[str, Any]) -> bool:
    from campaign_guard.spec.campaign import CampaignSpec

    try:
        CampaignSpec.model_validate(spec)
    except (ValidationError, OverflowError):
        return False
    return True


def write_case(folder: Path, campaigns: int) -> tuple[list[str], dict[str, Any]]:
    """The spec files and the profile; returns the file names and the figures used."""
    people = largest(PEOPLE, lambda n: accepted(worst_spec(0, n, "30d", 5)))
    duration = largest(LONGEST, lambda d: accepted(worst_spec(0, people, d, 5)))
    links = largest(LINKS, lambda n: accepted(worst_spec(0, people, duration, n)))
    names = []
    for number in range(campaigns):
        name = f"worst-{number:02}.yaml"
        spec = worst_spec(number, people, duration, links)
        (folder / name).write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")
        names.append(name)
    profile = yaml.safe_load(PROFILE.read_text(encoding="utf-8"))
    profile["routes"] += [
        {"match": "POST /api/*/*", "service": "api", "requests_per_visit": 1},
    ]
    (folder / "capacity.yaml").write_text(yaml.safe_dump(profile), encoding="utf-8")
    figures = {"people": _power(people), "duration": duration, "tracked_links": _power(links)}
    return names, figures


def _power(value: int) -> str:
    """``10^300`` for a power of ten."""
    return f"10^{len(str(value)) - 1}"


def run(args: list[str], cwd: Path) -> tuple[float, float, float, int]:
    """``campaign-guard ARGS``: (wall s, CPU s, peak MB, exit code)."""
    command = [str(Path(sys.executable).parent / "campaign-guard"), *args]
    started = time.perf_counter()
    child = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - started
    if child.stderr is not None:
        child.stderr.close()
    peak = usage.ru_maxrss / (1024 * 1024 if sys.platform == "darwin" else 1024)
    return wall, usage.ru_utime + usage.ru_stime, peak, os.waitstatus_to_exitcode(status)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--campaigns", type=int, default=5, help="campaigns at once")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs of each command")
    parser.add_argument("--out", type=Path, help="keep the files in this folder")
    parser.add_argument("--fail-on-miss", action="store_true", help="exit 1 on a miss")
    options = parser.parse_args()
    folder = options.out or Path(tempfile.mkdtemp(prefix="cg-worst-"))
    folder.mkdir(parents=True, exist_ok=True)
    try:
        names, figures = write_case(folder, options.campaigns)
        size = max((folder / name).stat().st_size for name in names)
        print(f"figures: {figures}; {len(names)} campaigns, {size // 1024} KB each")
        lint = run(
            ["lint", *names, "capacity.yaml", "--strict", "--as-of", "2027-01-04T09:00Z"], folder
        )
        if lint[3] != 0:
            print("the worst spec does not lint clean:", file=sys.stderr)
            lint_one = ["lint", names[0], "--as-of", "2027-01-04T09:00Z"]
            subprocess.run(
                [str(Path(sys.executable).parent / "campaign-guard"), *lint_one],
                cwd=folder,
                check=False,
            )
            return 2
        cases = {
            f"estimate ({len(names)} campaigns)": ["estimate", *names, "-c", "capacity.yaml"],
            "estimate (1 campaign)": ["estimate", names[0], "-c", "capacity.yaml"],
            "submit --dry-run": ["submit", names[0], "--dry-run", "-c", "capacity.yaml"],
        }
        missed = False
        print("| Command | Min wall | Median wall | Min CPU | Peak memory | Met |")
        print("|---|---:|---:|---:|---:|---|")
        for label, args in cases.items():
            runs = [run(args, folder) for _ in range(options.repeat)]
            if any(code not in (0, 1) for *_, code in runs):
                print(f"{label}: exit code {runs[0][3]}", file=sys.stderr)
                return 2
            walls = [wall for wall, *_ in runs]
            cpu = min(c for _, c, _, _ in runs)
            peak = max(p for _, _, p, _ in runs)
            met = min(walls) < SECONDS and peak < MEGABYTES
            missed |= not met
            print(
                f"| `{label}` | {min(walls):.2f} s | {statistics.median(walls):.2f} s "
                f"| {cpu:.2f} s | {peak:.0f} MB | {'yes' if met else '**no**'} |"
            )
        return 1 if missed and options.fail_on_miss else 0
    finally:
        if options.out is None:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
