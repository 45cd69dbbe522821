"""A terminal chart of load against capacity over time, as plain text lines.

``█`` is the expected load, ``░`` the extra of the high estimate, ``─`` what the target
takes today. The capacity line is drawn over the load, so it stays visible exactly where
the load crosses it. The time axis runs from half an hour before the earlier of the
expected and the high peak to when the load has mostly died down after the later one (at
most 12 hours after it, however far apart they are), so a seconds-long TV spike stays
visible and neither peak is left out.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from datetime import tzinfo

from campaign_guard.loadmodel.summary import number, when

MAX_TAIL = 12 * 3600.0
MIN_SPAN = 600.0
LEAD_IN = 1800.0


def time_span(
    times: Sequence[float], expected: Sequence[float], high: Sequence[float]
) -> tuple[float, float]:
    """From a little before the first peak to when the load has mostly died down after the
    last one (the peaks of ``expected`` and ``high``)."""
    if not times:
        return 0.0, MIN_SPAN
    tops = [max(range(len(v)), key=v.__getitem__) for v in (expected, high)]
    first, last = min(tops), max(tops)
    start = max(times[0], times[first] - LEAD_IN)
    before = high[bisect.bisect_left(times, start)]
    floor = before + 0.1 * (high[last] - before)
    end = times[-1]
    for i in range(last, len(high)):
        if high[i] <= floor:
            end = times[i]
            break
    end = min(end, times[last] + MAX_TAIL)
    return start, max(end, times[last] + MIN_SPAN, start + MIN_SPAN)


def _columns(
    times: Sequence[float], values: Sequence[float], start: float, end: float, width: int
) -> list[float]:
    """The highest sample in each of ``width`` equal time slices (peaks must show)."""
    step = (end - start) / width
    columns = []
    for c in range(width):
        lo, hi = start + c * step, start + (c + 1) * step
        i, j = bisect.bisect_left(times, lo), bisect.bisect_left(times, hi)
        inside = values[i:j]
        if inside:
            columns.append(max(inside))
        else:  # no sample in this slice: the last one before it
            columns.append(values[max(i - 1, 0)] if values else 0.0)
    return columns


def chart(
    times: Sequence[float],
    expected: Sequence[float],
    high: Sequence[float],
    capacity: float | None,
    zone: tzinfo,
    *,
    width: int = 60,
    height: int = 10,
) -> list[str]:
    """The chart's lines (without colour), y-axis labels on the left."""
    start, end = time_span(times, expected, high)
    exp_cols = _columns(times, expected, start, end, width)
    high_cols = _columns(times, high, start, end, width)
    top = max([*high_cols, capacity or 0.0, 1e-9]) * 1.05
    labels = {0: number(top), height - 1: "0", height // 2: number(top / 2)}
    line = _capacity_row(capacity, top, height)
    if line is not None:
        labels[line] = number(capacity or 0.0)
    pad = max(len(label) for label in labels.values())
    lines = []
    for row in range(height):
        level = top * (height - row - 0.5) / height
        if row == line:
            cells = "─" * width
        else:
            cells = "".join(
                "█" if e >= level else "░" if h >= level else " "
                for e, h in zip(exp_cols, high_cols, strict=True)
            )
        lines.append(f"{labels.get(row, ''):>{pad}} ┤{cells}")
    left, right = when(start, zone), when(end, zone)
    gap = max(1, width - len(left) - len(right))
    lines.append(f"{'':>{pad}} └{'─' * width}")
    lines.append(f"{'':>{pad}}  {left}{' ' * gap}{right}")
    return lines


def _capacity_row(capacity: float | None, top: float, height: int) -> int | None:
    """The row whose level is nearest ``capacity`` (row 0 is the top)."""
    if capacity is None:
        return None
    row = round(height - 0.5 - capacity / top * height)
    return min(max(row, 0), height - 1)
