"""How large a figure, how long a duration and how far a date a spec may give.

A figure off by a few digits (a list of 50 billion people, a campaign that runs for a
century, a launch in the year 9999) makes the estimate meaningless, and costly to
compute. Every bound here is far beyond any real campaign; the message that refuses a
value names the range, and the README's spec section lists them all. Text is capped too,
before any pattern or number conversion sees it: a value of 20,000 digits is refused for
its length, in time proportional to nothing but that length.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from pydantic_core import PydanticCustomError

OUT_OF_RANGE = "out_of_range"
"""The error type (finding code ``out-of-range``) of a value outside its plausible range."""

MAX_PEOPLE = 1_000_000_000
"""Any count of a channel (a list, an audience, impressions, visits): a billion, about the
monthly reach of the largest platforms, so more is a typo."""
MAX_BUDGET = 1_000_000_000_000
"""A channel's budget, in any currency: 10^12, millions of dollars even in the currencies
with the most digits."""
MAX_DURATION = timedelta(days=366)
"""Any duration (a campaign's, a send's, a spot's, a scale-up's): a year."""
MAX_CAMPAIGN = timedelta(days=366)
"""From a campaign's launch to its end: a year (a leap year's 366 days)."""
MAX_AHEAD = timedelta(days=731)
"""How far after today a launch may be (``lint`` checks it): two years."""
FIRST_YEAR, LAST_YEAR = 2000, 2099
"""The years a date may fall in, whatever today is (``lint`` narrows it to two years)."""

MAX_NUMBER_CHARS = 40
"""A number as written (``1,000,000,000``, ``1.2M``, ``3.5%``): ample for any figure."""
MAX_DURATION_CHARS = 64
"""A duration as written (``1 week 2 days 3 hours``, ``P1DT12H``)."""
MAX_MOMENT_CHARS = 64
"""A date and time as written (``2027-03-02T09:00:00.000000+05:30`` is 32)."""


def out_of_range(message: str, **context: Any) -> PydanticCustomError:
    """A value beyond its plausible range; ``message`` names the range."""
    return PydanticCustomError(OUT_OF_RANGE, message, context or None)


def capped(text: str, limit: int, what: str) -> str:
    """``text``, refused when longer than ``limit`` characters (``what`` it should be)."""
    if len(text) > limit:
        raise PydanticCustomError(
            "invalid_value",
            "is too long for {what}: at most {limit} characters, not {length}",
            {"what": what, "limit": limit, "length": f"{len(text):,}"},
        )
    return text


def grouped(number: float) -> str:
    """``1,000,000,000``: a whole figure with its thousands grouped."""
    return f"{number:,.0f}"
