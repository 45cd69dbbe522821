"""Values that crashed or hung a command are findings at their line, under resource limits.

Each case is a spec that once ended in exit 4 ("a bug in campaign-guard"), ran for
seconds to hours, or ran out of memory. Every case is run through ``lint`` and
``estimate`` (all files in one run each) and ``submit --dry-run`` (one run per file),
each as the installed command under a CPU, memory and wall-clock limit
(:mod:`tests.limits`): each must stop at the finding, with the exit code the README
documents, and say nothing about a bug.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

import pytest

from tests.conftest import REPO_ROOT
from tests.limits import Limited, run_limited

BASE = """\
schema_version: 1
name: Hostile {name}
owner: jane@example.com
launch:
  timezone: America/New_York
  start: 2027-12-07 09:00
  duration: 3d
traffic:
  - channel: email
    list_size: 50k
landing_pages:
  - https://www.example.com/x
new_data_fields: []
"""
PROFILE = str(REPO_ROOT / "examples" / "capacity" / "production.yaml")
AS_OF = "2027-01-04T09:00Z"


class Case(NamedTuple):
    old: str
    new: str
    found: str
    """The finding's line, from its place to its code (its message may be cut by ``…``)."""


CASES = {
    "duration-20k-digits": Case(
        "duration: 3d",
        f'duration: "{"1" * 20_000}"',
        "7:13: error launch.duration: is too long for a duration: at most 64 characters, not "
        "20,000 [invalid-value]",
    ),
    "list-400-digits": Case(
        "list_size: 50k",
        "list_size: " + "9" * 400,
        "10:16: error traffic[0].list_size: is too long for a number: at most 40 characters, "
        "not 400 [invalid-value]",
    ),
    "list-5000-digits": Case(
        "list_size: 50k",
        "list_size: " + "9" * 5000,
        "10:16: error traffic[0].list_size: is too long for a number: at most 40 characters, "
        "not 5,000 [invalid-value]",
    ),
    "list-1000b": Case(
        "list_size: 50k",
        "list_size: 1000b",
        "10:16: error traffic[0].list_size: is 1,000,000,000,000; the plausible range is 0 to "
        "1,000,000,000 … [out-of-range]",
    ),
    "duration-99999999999999d": Case(
        "duration: 3d",
        "duration: 99999999999999d",
        "7:13: error launch.duration: is 99,999,999,999,999 days, longer than a year: … "
        "[out-of-range]",
    ),
    "duration-52000w": Case(
        "duration: 3d",
        "duration: 52000w",
        "7:13: error launch.duration: is 364,000 days, longer than a year: … [out-of-range]",
    ),
    "start-year-9999": Case(
        "start: 2027-12-07 09:00",
        "start: 9999-12-31 09:00",
        "6:10: error launch.start: is in the year 9999; a date falls between 2000 and 2099: "
        "check the year [out-of-range]",
    ),
    "start-year-1": Case(
        "start: 2027-12-07 09:00",
        "start: 0001-01-01 09:00",
        "6:10: error launch.start: is in the year 1; … [out-of-range]",
    ),
    "start-unix-timestamp": Case(
        "start: 2027-12-07 09:00",
        "start: 1807000000",
        "6:10: error launch.start: is a number, not a date and time (it would be read as "
        "seconds since 1970); … [invalid-value]",
    ),
    "channel-start-9999": Case(
        "list_size: 50k",
        "list_size: 50k\n    start: 9999-12-31 00:00",
        "11:12: error traffic[0].start: is in the year 9999; … [out-of-range]",
    ),
    "send-rate-0": Case(
        "new_data_fields: []",
        "new_data_fields: []\nassumptions:\n  email.send_rate: 0",
        "15:20: error assumptions.email.send_rate: must be from 1 to 1,000,000,000 emails a "
        "minute, not 0 [out-of-range]",
    ),
    "shape-0": Case(
        "new_data_fields: []",
        "new_data_fields: []\nassumptions:\n  email.click_delay.shape: 0",
        "15:28: error assumptions.email.click_delay.shape: must be from 0.2 to 20 (how steep "
        "the curve is), not 0 [out-of-range]",
    ),
    "timezone-localtime": Case(
        "timezone: America/New_York",
        "timezone: localtime",
        "5:13: error launch.timezone: 'localtime' is whatever the machine reading the file is "
        "set to, … [timezone]",
    ),
}
SKIPPED_TIME = Case(
    "start: 2027-12-07 09:00",
    "start: 2027-03-14 02:30",
    "6:10: warning launch.start: 02:30 does not exist on 14 Mar 2027 in America/New_York; the "
    "clocks jump to 03:00, so this means 03:30 EDT; … [nonexistent-time]",
)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One spec file per case, and the clock-change one."""
    folder = tmp_path_factory.mktemp("hostile")
    for name, case in {**CASES, "skipped-time": SKIPPED_TIME}.items():
        assert BASE.count(case.old) == 1
        text = BASE.format(name=name).replace(case.old, case.new)
        (folder / f"{name}.yaml").write_text(text, encoding="utf-8")
    return folder


def shows(run: Limited, name: str, case: Case) -> bool:
    """Whether ``run`` printed the finding of ``case`` for ``name``.yaml."""
    head, _, tail = f"{name}.yaml:{case.found}".partition(" … ")
    return any(
        line.startswith(head) and line.endswith(tail)
        for line in (run.stdout + run.stderr).splitlines()
    )


def fine(run: Limited) -> None:
    """Stopped by no limit and by no bug."""
    assert not run.killed, run.stderr[-2000:]
    assert "bug" not in run.stderr, run.stderr[-2000:]
    assert "Traceback" not in run.stderr, run.stderr[-2000:]


def test_lint_finds_each_at_its_line(folder: Path) -> None:
    every = {**CASES, "skipped-time": SKIPPED_TIME}
    run = run_limited("lint", "--as-of", AS_OF, *(f"{name}.yaml" for name in every), cwd=folder)
    fine(run)
    assert run.code == 1
    assert [name for name, case in every.items() if not shows(run, name, case)] == []
    assert f"Checked {len(every)} files: {len(CASES)} errors, 1 warning." in run.stderr


def test_estimate_stops_at_each(folder: Path) -> None:
    files = [f"{name}.yaml" for name in CASES]
    run = run_limited("estimate", *files, "--capacity", PROFILE, cwd=folder)
    fine(run)
    assert run.code == 1
    assert [name for name, case in CASES.items() if not shows(run, name, case)] == []


@pytest.mark.parametrize("name", list(CASES))
def test_submit_dry_run_stops_at_it(folder: Path, name: str) -> None:
    run = run_limited("submit", f"{name}.yaml", "--dry-run", "--capacity", PROFILE, cwd=folder)
    fine(run)
    assert (run.code, run.stdout) == (1, "")
    assert shows(run, name, CASES[name])


def test_submit_dry_run_warns_of_a_skipped_time(folder: Path) -> None:
    run = run_limited("submit", "skipped-time.yaml", "--dry-run", "--capacity", PROFILE, cwd=folder)
    fine(run)
    assert run.code == 0
    assert shows(run, "skipped-time", SKIPPED_TIME)


def test_lint_reads_a_full_size_file_of_long_durations_in_time(tmp_path: Path) -> None:
    # Twelve durations of 20,000 digits: about 240 KB, under the 256 KB a spec may have.
    # Searched for duration parts at every digit, such a file took half an hour.
    entry = f'  - channel: email\n    list_size: 50k\n    send_over: "{"1" * 20_000}"\n'
    text = BASE.format(name="durations").replace(
        "  - channel: email\n    list_size: 50k\n", entry * 12
    )
    assert 200_000 < len(text.encode()) < 256 * 1024
    (tmp_path / "durations.yaml").write_text(text, encoding="utf-8")
    run = run_limited("lint", "--as-of", AS_OF, "durations.yaml", cwd=tmp_path)
    fine(run)
    assert run.code == 1
    assert run.stdout.count("is too long for a duration: at most 64 characters") == 12


def test_estimate_matches_a_page_against_a_route_of_many_stars_in_time(tmp_path: Path) -> None:
    # A route pattern read as a regular expression (one `.*` per star) backtracked: with
    # eight stars, 46 s against 60 letters; with twelve, longer than anyone waits.
    stars = "https://www.example.com/" + "*a" * 12 + "*b"
    profile = Path(PROFILE).read_text(encoding="utf-8")
    first = "  - match: https://shop.example.com/flash*\n"
    assert profile.count(first) == 1
    profile = profile.replace(first, f"  - match: {stars}\n    service: web\n{first}")
    (tmp_path / "profile.yaml").write_text(profile, encoding="utf-8")
    page = "https://www.example.com/" + "a" * 1_000
    spec = BASE.format(name="stars").replace("https://www.example.com/x", page)
    (tmp_path / "spec.yaml").write_text(spec, encoding="utf-8")
    run = run_limited("estimate", "spec.yaml", "--capacity", "profile.yaml", cwd=tmp_path)
    fine(run)
    assert run.code == 0, run.stderr[-2000:]
