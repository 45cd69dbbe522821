"""Local times that the clocks skip or repeat when daylight saving time starts or ends.

A time written without an offset is read in the launch's zone. On the day the clocks
spring forward, 02:30 does not exist in New York: Python reads it with the offset from
before the change, which makes it the instant 03:30 EDT. On the day they fall back, 01:30
happens twice, and Python takes the first (01:30 EDT). Both are said in plain words,
with the instant that is used.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo

_UTC = timezone.utc
Loc = tuple[str | int, ...]


@dataclass(frozen=True)
class ClockChange:
    """A written time that falls in a clock change: skipped (it does not exist that day)
    or repeated (it happens twice), and what to say about it."""

    skipped: bool
    message: str


def skipped_or_repeated(moment: datetime, zone: tzinfo) -> ClockChange | None:
    """The clock change ``moment``, written without an offset (naive, or read in a
    zone), falls in, in ``zone``; None when it falls in none."""
    if moment.tzinfo is not None and not isinstance(moment.tzinfo, ZoneInfo):
        return None  # written with its offset: one instant, whatever the clocks do
    local: tzinfo = moment.tzinfo or zone
    wall = moment.replace(tzinfo=local)
    first, second = wall.replace(fold=0), wall.replace(fold=1)
    before, after = first.utcoffset(), second.utcoffset()
    if before is None or after is None or before == after:
        return None
    zone_name = getattr(local, "key", str(local))
    written = f"{wall:%H:%M} on {wall.day} {wall:%b %Y} in {zone_name}"
    used, other = first.astimezone(_UTC), second.astimezone(_UTC)
    real = used.astimezone(local)
    if real.replace(tzinfo=None) != wall.replace(tzinfo=None):
        jump = _change(other, used, local, before)  # fold=1 is the earlier instant
        return ClockChange(
            True,
            f"{written.replace(' on ', ' does not exist on ', 1)}; the clocks jump to "
            f"{jump + after:%H:%M}, so this means {real:%H:%M %Z}; write {real:%H:%M} if "
            "that is the time you want",
        )
    back = _change(used, other, local, before)
    second_time = wall.replace(tzinfo=None).isoformat(" ", "minutes") + _offset(after)
    return ClockChange(
        False,
        f"{written} happens twice, as the clocks go back from {back + before:%H:%M} to "
        f"{back + after:%H:%M}; this means the first, {first:%H:%M %Z} (UTC{_offset(before)}); "
        f"for the second, {_span(before - after)} later, write {second_time}",
    )


def _change(early: datetime, late: datetime, zone: tzinfo, old: timedelta) -> datetime:
    """The UTC instant, between ``early`` and ``late``, when ``zone`` leaves the offset
    ``old`` (by bisection to the second: the two are at most a few hours apart)."""
    low, high = early, late
    while high - low > timedelta(seconds=1):
        middle = low + (high - low) / 2
        if middle.astimezone(zone).utcoffset() == old:
            low = middle
        else:
            high = middle
    return high.replace(microsecond=0, tzinfo=None)


def _span(length: timedelta) -> str:
    """``an hour`` or ``30 minutes``."""
    minutes = int(length.total_seconds() // 60)
    return "an hour" if minutes == 60 else f"{minutes} minutes"


def _offset(offset: timedelta) -> str:
    """``-05:00``."""
    minutes = int(offset.total_seconds() // 60)
    sign = "-" if minutes < 0 else "+"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def written_changes(
    times: Iterable[tuple[Loc, datetime]], zone: tzinfo
) -> Iterator[tuple[Loc, ClockChange]]:
    """Each of ``times`` (where it is written, and the time) that falls in a clock
    change of ``zone``, with the change."""
    for loc, moment in times:
        found = skipped_or_repeated(moment, zone)
        if found is not None:
            yield loc, found
