"""Times the clocks skip or repeat: a warning naming the instant each one means.

The clock is a fixed ``now`` (Friday 1 January 2027, 10:00 UTC), as in test_checks.
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from campaign_guard.spec.campaign import say_when
from campaign_guard.spec.load import load_spec
from tests.lint.test_checks import lint, spec, warning

NY = "America/New_York"


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty current folder, so findings name files as ``a.yaml``."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


SKIPPED = (
    "02:30 does not exist on 14 Mar 2027 in America/New_York; the clocks jump to 03:00, so "
    "this means 03:30 EDT; write 03:30 if that is the time you want"
)
TWICE = (
    "01:30 on 7 Nov 2027 in America/New_York happens twice, as the clocks go back from 02:00 "
    "to 01:00; this means the first, 01:30 EDT (UTC-04:00); for the second, an hour later, "
    "write 2027-11-07 01:30-05:00"
)


def test_a_launch_the_clocks_skip_names_the_time_it_means(folder: Path) -> None:
    assert lint({"a.yaml": spec("2027-03-14 02:30", zone=NY)}) == [
        warning("nonexistent-time", SKIPPED)
    ]


def test_a_launch_that_happens_twice_says_which_one_is_used(folder: Path) -> None:
    assert lint({"a.yaml": spec("2027-11-07 01:30", zone=NY)}) == [warning("ambiguous-time", TWICE)]


def test_the_second_of_two_times_written_as_advised_is_that_instant(folder: Path) -> None:
    # The advice, taken: the offset says which 01:30; both are the same wall time.
    assert lint({"a.yaml": spec('"2027-11-07 01:30-05:00"', zone=NY)}) == []
    loaded = load_spec(Path("a.yaml"))
    assert loaded.value is not None
    assert loaded.value.launch.start == datetime(2027, 11, 7, 6, 30, tzinfo=timezone.utc)


@pytest.mark.parametrize(
    "start", ["2027-03-14 01:59", "2027-03-14 03:00", "2027-11-07 00:59", "2027-11-07 02:00"]
)
def test_times_next_to_a_clock_change_are_fine(folder: Path, start: str) -> None:
    assert lint({"a.yaml": spec(start, zone=NY)}) == []


def test_a_time_with_its_offset_on_a_clock_change_day_is_fine(folder: Path) -> None:
    assert lint({"a.yaml": spec('"2027-03-14T02:30-05:00"', zone=NY)}) == []


def test_channel_starts_and_tv_spots_are_checked_too(folder: Path) -> None:
    text = spec("2027-03-13 09:00", zone=NY, duration="3d").replace(
        "  - channel: email\n    list_size: 50k\n",
        "  - channel: email\n    list_size: 50k\n    start: 2027-03-14 02:30\n"
        "  - channel: tv_radio\n    viewers: 1M\n    response_rate: 0.3%\n"
        "    spots: [2027-03-13 20:00, 2027-03-14 02:15]\n",
    )
    found = [(f.code, f.field, f.line) for f in lint({"a.yaml": text})]
    assert found == [
        ("nonexistent-time", "traffic[0].start", 11),
        ("nonexistent-time", "traffic[1].spots[1]", 15),
    ]


def test_a_skipped_time_is_said_as_the_instant_it_is() -> None:
    written = datetime(2027, 3, 14, 2, 30, tzinfo=ZoneInfo(NY))
    assert say_when(written) == "Sun 14 Mar 2027 03:30 EDT"


def test_a_skipped_launch_in_the_past_is_said_as_its_instant(folder: Path) -> None:
    now = datetime(2027, 3, 14, 12, 0, tzinfo=timezone.utc)
    findings = lint({"a.yaml": spec("2027-03-14 02:30", zone=NY)}, now=now)
    assert [f.message for f in findings if f.code == "launch-in-past"] == [
        "the launch (Sun 14 Mar 2027 03:30 EDT) is in the past; update the date if it moved"
    ]
