"""A terminal chart of load against capacity over time, as plain text lines.

``█`` is the expected load, ``░`` the extra of the high estimate, ``─`` what the
service takes today. The time axis runs from half an hour before the peak to when the load has
mostly died down (at most 12 hours), so a seconds-long TV spike stays visible.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from datetime import tzinfo

from campaign_guard.estimate.summary import number, when

MAX_SPAN = 12 * 3600.0
MIN_SPAN = 600.0
LEAD_IN = 1800.0


def time_span(times: Sequence[float], values: Sequence[float]) -> tuple[float, float]:
    """Around the peak: from a little before it to when the load has mostly died down."""
    if not times:
        return 0.0, MIN_SPAN
    top = max(range(len(values)), key=values.__getitem__)
    start = max(times[0], times[top] - LEAD_IN)
    before = values[bisect.bisect_left(times, start)]
    floor = before + 0.1 * (values[top] - before)
    end = times[-1]
    for i in range(top, len(values)):
        if values[i] <= floor:
            end = times[i]
            break
    return start, min(max(end, times[top] + MIN_SPAN), start + MAX_SPAN)


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
    start, end = time_span(times, high)
    exp_cols = _columns(times, expected, start, end, width)
    high_cols = _columns(times, high, start, end, width)
    top = max([*high_cols, capacity or 0.0, 1e-9]) * 1.05
    labels = {0: number(top), height - 1: "0", height // 2: number(top / 2)}
    pad = max(len(label) for label in labels.values())
    lines = []
    for row in range(height):
        level = top * (height - row - 0.5) / height
        band = top / height / 2
        cells = []
        for e, h in zip(exp_cols, high_cols, strict=True):
            if e >= level:
                cells.append("█")
            elif h >= level:
                cells.append("░")
            elif capacity is not None and abs(capacity - level) <= band:
                cells.append("─")
            else:
                cells.append(" ")
        lines.append(f"{labels.get(row, ''):>{pad}} ┤{''.join(cells)}")
    left, right = when(start, zone), when(end, zone)
    gap = max(1, width - len(left) - len(right))
    lines.append(f"{'':>{pad}} └{'─' * width}")
    lines.append(f"{'':>{pad}}  {left}{' ' * gap}{right}")
    return lines
