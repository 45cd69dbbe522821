"""The terminal chart: today's capacity stays visible, and both peaks are in view."""

from __future__ import annotations

from datetime import timezone

from campaign_guard.loadmodel.chart import chart

HOUR = 3600.0
TIMES = [i * 600.0 for i in range(6 * 48)]  # every 10 minutes for two days


def _body(lines: list[str]) -> list[str]:
    """The rows of cells, without the y-axis labels and the time axis."""
    return [line.split("┤", 1)[1] for line in lines if "┤" in line]


def test_the_capacity_line_stays_visible_where_the_load_crosses_it() -> None:
    # The load is 100 from hour 10 to hour 14, 0 elsewhere; capacity is 50.
    expected = [100.0 if 10 * HOUR <= t < 14 * HOUR else 0.0 for t in TIMES]
    lines = chart(TIMES, expected, expected, 50.0, timezone.utc)
    rows = _body(lines)
    capacity_rows = [i for i, row in enumerate(rows) if "─" in row]
    assert len(capacity_rows) == 1
    (row,) = capacity_rows
    # One unbroken line across the whole chart, over the bars where the load exceeds it.
    assert rows[row] == "─" * 60
    assert lines[row].lstrip().startswith("50 ┤")  # the line is labelled with its value
    # The load is still drawn above and below it.
    assert "█" in rows[row - 1]
    assert "█" in rows[row + 1]


def test_the_window_shows_the_expected_peak_and_the_high_one() -> None:
    # The high estimate peaks at hour 2 (a burst); the expected one at hour 30, where the
    # high estimate is lower than its own peak. A window following the high peak alone
    # would end a few hours after hour 2 and miss the expected peak.
    high = [
        100.0 if 2 * HOUR <= t < 3 * HOUR else 60.0 if 30 * HOUR <= t < 31 * HOUR else 0.0
        for t in TIMES
    ]
    expected = [
        10.0 if 2 * HOUR <= t < 3 * HOUR else 50.0 if 30 * HOUR <= t < 31 * HOUR else 0.0
        for t in TIMES
    ]
    lines = chart(TIMES, expected, high, None, timezone.utc)
    rows = _body(lines)
    # top = 105: the expected 50 fills the rows up to level 47; seen only if hour 30 is in.
    tallest_expected = min(i for i, row in enumerate(rows) if "█" in row)
    assert tallest_expected <= 5
    assert any("░" in row for row in rows[:2])  # and the high peak of 100 too
    # From half an hour before the first peak to when the second has died down.
    assert lines[-1].strip() == "Thu 1 Jan 01:30 UTC" + " " * 22 + "Fri 2 Jan 07:00 UTC"


def test_without_a_capacity_there_is_no_line() -> None:
    expected = [float(i % 7) for i in range(len(TIMES))]
    rows = _body(chart(TIMES, expected, expected, None, timezone.utc))
    assert not any("─" in row for row in rows)
