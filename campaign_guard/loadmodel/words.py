"""Numbers and times as people read them: ``1,234``, ``Tue 7 Dec 09:00 EST``."""

from __future__ import annotations

import math
from datetime import datetime, tzinfo


def number(value: float) -> str:
    """``1,234`` or ``3.4`` or ``0.05``: enough digits to read, no false precision."""
    if value > 1e18:  # past what the estimate counts (and infinity)
        return "over 10^18"
    if value >= 9.95:
        return f"{math.floor(value + 0.5):,}"  # half up: 12.5 reads 13, not 12
    if value >= 0.095:
        return f"{value:.1f}"
    return f"{value:.2f}" if value > 0 else "0"


AFTER_9999 = "after the year 9999"


def local(epoch: float, zone: tzinfo) -> datetime | None:
    """``epoch`` in ``zone``, or ``None`` past the year 9999 (which Python cannot show)."""
    try:
        return datetime.fromtimestamp(epoch, zone)
    except (OverflowError, ValueError):
        return None


def when(epoch: float, zone: tzinfo) -> str:
    """``Tue 7 Dec 09:00 EST``."""
    moment = local(epoch, zone)
    if moment is None:
        return AFTER_9999
    return f"{moment:%a} {moment.day} {moment:%b %H:%M %Z}".strip()


def period(start: float, end: float, zone: tzinfo) -> str:
    """``Fri 26 Nov 12:00 → 14:00 CET``, or ``Mon 12 Apr 19:00 → Mon 19 Apr 19:00 CDT``."""
    first, last = local(start, zone), local(end, zone)
    if first is None or last is None:
        return f"{when(start, zone)} → {when(end, zone)}"
    until = when(end, zone)
    if first.date() == last.date():
        until = f"{last:%H:%M %Z}".strip()
    since = when(start, zone)
    if first.tzname() == last.tzname() and first.tzname():
        since = since.removesuffix(f" {first.tzname()}")
    return f"{since} → {until}"
