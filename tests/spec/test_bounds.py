"""Figures, durations and dates beyond any campaign are findings naming the range, and
text too long to be a number, a duration or a time is refused for its length.

Each case goes through the loader and the model, as every command reads a spec.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pydantic_core import PydanticCustomError

from campaign_guard.spec import types
from campaign_guard.spec.bounds import MAX_BUDGET
from campaign_guard.spec.channels import CHANNEL_MODELS, count_fields
from campaign_guard.spec.numbers import parse_number
from campaign_guard.spec.types import Count
from tests.spec.test_campaign import Row, edit, problems, valid

RANGE = "the plausible range is 0 to 1,000,000,000 (a billion, more than any campaign reaches)"
COUNTS = sorted(
    (channel, name) for channel, model in CHANNEL_MODELS.items() for name in count_fields(model)
)


def channel(entry: str) -> str:
    """MINIMAL with its one traffic entry replaced by ``entry`` (lines from line 9)."""
    return edit("  - channel: email\n    list_size: 50k\n", entry)


def one(tmp_path: Path, text: str) -> Row:
    found = problems(tmp_path, text)
    assert len(found) == 1, found
    return found[0]


def test_the_counts_are_every_count_field_of_the_model() -> None:
    assert {name for _, name in COUNTS} >= {"list_size", "recipients", "expected_visits"}
    for channel_name, model in CHANNEL_MODELS.items():
        for name, info in model.model_fields.items():
            is_count = info.annotation == Count or Count in getattr(info.annotation, "__args__", ())
            assert is_count == ((channel_name, name) in COUNTS)


@pytest.mark.parametrize(("channel_name", "field"), COUNTS)
def test_every_count_of_every_channel_stops_at_a_billion(
    tmp_path: Path, channel_name: str, field: str
) -> None:
    others = "" if field == "expected_visits" else "    expected_visits: 1000\n"
    entry = f"  - channel: {channel_name}\n    {field}: {{value}}\n{others}"
    assert valid(tmp_path, channel(entry.format(value="1,000,000,000")))
    row = one(tmp_path, channel(entry.format(value="1000000001")))
    assert row == (
        10,
        7 + len(field),
        "out-of-range",
        f"traffic[0].{field}",
        f"is 1,000,000,001; {RANGE}: check the digits",
    )


def test_a_list_of_a_thousand_billion_is_out_of_range(tmp_path: Path) -> None:
    text = channel("  - channel: email\n    list_size: 1000b\n")
    assert one(tmp_path, text)[2:] == (
        "out-of-range",
        "traffic[0].list_size",
        f"is 1,000,000,000,000; {RANGE}: check the digits",
    )


def test_a_budget_stops_at_a_million_million(tmp_path: Path) -> None:
    entry = "  - channel: paid_social\n    budget: {value}\n"
    assert valid(tmp_path, channel(entry.format(value=MAX_BUDGET)))
    assert one(tmp_path, channel(entry.format(value="5000000000000")))[2:] == (
        "out-of-range",
        "traffic[0].budget",
        "is 5,000,000,000,000; the plausible range is 0 to 1,000,000,000,000 (more than any "
        "campaign spends, in any currency): check the digits",
    )


def test_a_budget_buying_more_than_a_billion_clicks_is_out_of_range(tmp_path: Path) -> None:
    entry = "  - channel: display\n    budget: {budget}\n    cost_per_click: 0.001\n"
    assert valid(tmp_path, channel(entry.format(budget="1M")))
    assert one(tmp_path, channel(entry.format(budget="2M")))[2:] == (
        "out-of-range",
        "traffic[0].budget",
        "buys 2,000,000,000 clicks at 0.001 per click; the plausible range is 0 to "
        "1,000,000,000 clicks (a billion, more than any campaign reaches): check the budget "
        "and `cost_per_click`",
    )


# --- durations ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "days"),
    [
        ("367d", "367"),
        ("52000w", "364,000"),
        ("99999999999999d", "99,999,999,999,999"),
        ("P400D", "400"),
    ],
)
def test_a_duration_longer_than_a_year_is_out_of_range(
    tmp_path: Path, written: str, days: str
) -> None:
    assert one(tmp_path, edit("duration: 7d", f"duration: {written}")) == (
        7,
        13,
        "out-of-range",
        "launch.duration",
        f"is {days} days, longer than a year: a duration is at most 366 days; check the "
        "number and the unit",
    )


def test_a_duration_of_a_year_is_accepted(tmp_path: Path) -> None:
    assert valid(tmp_path, edit("duration: 7d", "duration: 366d")).launch.duration


def test_an_iso_duration_too_large_for_any_clock_is_a_finding(tmp_path: Path) -> None:
    row = one(tmp_path, edit("duration: 7d", "duration: P99999999999999D"))
    assert row[2:] == ("invalid-value", "launch.duration", "must be a duration like 45m, 2h or 7d")


def test_a_campaign_ending_more_than_a_year_after_its_launch_is_out_of_range(
    tmp_path: Path,
) -> None:
    assert valid(tmp_path, edit("duration: 7d", "end: 2028-03-02 09:00"))  # 366 days
    assert one(tmp_path, edit("duration: 7d", "end: 2029-03-02 09:00")) == (
        7,
        8,
        "out-of-range",
        "launch.end",
        "makes the campaign run 731 days; a campaign runs at most a year (366 days): check "
        "the year",
    )


# --- dates ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "year"),
    [
        ("9999-12-31 23:59", 9999),
        ("0001-01-01 00:00", 1),
        ('"0001-01-01T00:30+01:00"', 1),
        ("1999-12-31 23:59", 1999),
        ("2100-01-01 00:00", 2100),
    ],
)
def test_a_date_outside_2000_to_2099_is_out_of_range(
    tmp_path: Path, written: str, year: int
) -> None:
    assert one(tmp_path, edit("start: 2027-03-02 09:00", f"start: {written}")) == (
        6,
        10,
        "out-of-range",
        "launch.start",
        f"is in the year {year}; a date falls between 2000 and 2099: check the year",
    )


def test_a_channel_start_in_the_year_9999_is_out_of_range(tmp_path: Path) -> None:
    text = channel("  - channel: email\n    list_size: 50k\n    start: 9999-12-31 00:00\n")
    assert one(tmp_path, text)[:4] == (11, 12, "out-of-range", "traffic[0].start")


def test_the_first_and_last_years_are_accepted(tmp_path: Path) -> None:
    assert valid(tmp_path, edit("start: 2027-03-02 09:00", "start: 2000-01-01 00:00"))
    assert valid(tmp_path, edit("start: 2027-03-02 09:00", "start: 2099-12-24 00:00"))


@pytest.mark.parametrize("written", ["1807000000", '"1807000000"', "1807000000.5", "'+1807000000'"])
def test_a_number_is_no_time(tmp_path: Path, written: str) -> None:
    assert one(tmp_path, edit("start: 2027-03-02 09:00", f"start: {written}")) == (
        6,
        10,
        "invalid-value",
        "launch.start",
        "is a number, not a date and time (it would be read as seconds since 1970); write "
        "the date and the time of day, like 2027-03-02 09:00",
    )


# --- text too long to read ------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "where", "expected"),
    [
        ("list_size: 50k", "list_size: " + "9" * 400, (10, 16), ("a number", 40)),
        ("list_size: 50k", "list_size: " + "9" * 5000, (10, 16), ("a number", 40)),
        ("list_size: 50k", 'list_size: "' + "1" * 41 + '"', (10, 16), ("a number", 40)),
        ("list_size: 50k", "list_size: 1" + ".000" * 2000, (10, 16), ("a number", 40)),
        ("duration: 7d", "duration: " + "1" * 20000, (7, 13), ("a duration", 64)),
        ("duration: 7d", "duration: " + "1 " * 40 + "d", (7, 13), ("a duration", 64)),
        (
            "start: 2027-03-02 09:00",
            "start: 2027-03-02 09:00" + " " * 60 + "x",
            (6, 10),
            ("a date and time", 64),
        ),
    ],
)
def test_text_too_long_for_its_field_is_refused_for_its_length(
    tmp_path: Path, old: str, new: str, where: tuple[int, int], expected: tuple[str, int]
) -> None:
    what, limit = expected
    line, column, code, _, message = one(tmp_path, edit(old, new))
    written = new.split(": ", 1)[1].strip('"')
    assert (line, column, code) == (*where, "invalid-value")
    assert message == f"is too long for {what}: at most {limit} characters, not {len(written):,}"


def test_a_rate_too_long_to_be_a_number_is_refused(tmp_path: Path) -> None:
    text = edit("list_size: 50k", "list_size: 50k\n    click_rate: " + "3" * 100 + "%")
    assert one(tmp_path, text)[2:] == (
        "invalid-value",
        "traffic[0].click_rate",
        "is too long for a number: at most 40 characters, not 101",
    )


@pytest.mark.parametrize("value", [10**400, -(10**5000)], ids=["400 digits", "5001 digits"])
def test_an_integer_built_in_python_too_long_for_a_number_is_refused(value: int) -> None:
    with pytest.raises(PydanticCustomError, match="is too long for a number: at most 40"):
        parse_number(value)


@pytest.mark.parametrize(("digits", "read"), [(38, True), (39, False)])
def test_a_plain_number_is_read_up_to_forty_characters(
    tmp_path: Path, digits: int, read: bool
) -> None:
    written = "0." + "0" * digits  # 40 characters, then 41
    text = edit("list_size: 50k", f"list_size: 50k\n    click_rate: {written}")
    if read:
        assert valid(tmp_path, text).traffic[0].click_rate == 0  # type: ignore[union-attr]
    else:
        assert one(tmp_path, text)[4] == "is too long for a number: at most 40 characters, not 41"


@pytest.mark.parametrize(
    ("line", "field", "limit"),
    [("team: " + "x" * 201, "team", 200), ("notes: " + "x" * 10_001, "notes", 10_000)],
)
def test_text_past_its_length_is_said_too_long_before_any_pattern_reads_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, line: str, field: str, limit: int
) -> None:
    seen: list[int] = []

    class Spy:
        def __init__(self, pattern: re.Pattern[str]) -> None:
            self.pattern = pattern

        def search(self, text: str) -> re.Match[str] | None:
            seen.append(len(text))
            return self.pattern.search(text)

    monkeypatch.setattr(types, "_HIDDEN_RE", Spy(types._HIDDEN_RE))
    monkeypatch.setattr(types, "_HIDDEN_MULTILINE_RE", Spy(types._HIDDEN_MULTILINE_RE))
    row = one(tmp_path, edit("name: Spring Sale 2027", f"name: Spring Sale 2027\n{line}"))
    assert row[2:] == ("invalid-value", field, f"is too long (at most {limit} characters)")
    assert all(length <= limit for length in seen)
