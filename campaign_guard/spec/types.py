"""Field types that accept what marketers write and reject what hurts downstream.

``50k`` and ``1.2M`` are counts, ``3%`` is a rate (both in
:mod:`campaign_guard.spec.numbers`), ``7d`` is a duration. Text that will
reach a Jira ticket may not carry control or bidirectional-override characters.
Validation failures raise :class:`PydanticCustomError` whose *type* becomes the finding
code (see :mod:`campaign_guard.spec.messages`), and whose message is already in plain
words.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Annotated, Any
from urllib.parse import urlsplit

from pydantic import AfterValidator, BeforeValidator, Field, WithJsonSchema
from pydantic_core import PydanticCustomError

from campaign_guard.spec import lookalike
from campaign_guard.spec.bounds import (
    FIRST_YEAR,
    LAST_YEAR,
    MAX_DURATION,
    MAX_DURATION_CHARS,
    MAX_MOMENT_CHARS,
    capped,
    grouped,
    out_of_range,
)
from campaign_guard.spec.numbers import Amount, Count, Rate, parse_number
from campaign_guard.spec.numbers import invalid as _invalid

__all__ = [
    "HTTP_METHODS",
    "Amount",
    "Count",
    "Duration",
    "Email",
    "Endpoint",
    "Figure",
    "LongText",
    "Moment",
    "PlainText",
    "Rate",
    "Slug",
    "Url",
    "hidden_character",
]

# Control characters and the bidirectional controls that can disguise text (Trojan Source).
# Linear time: a character class, searched once.
_INVISIBLE = "\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ufffe\uffff"
_HIDDEN_RE = re.compile(f"[\x00-\x1f{_INVISIBLE}]")
_HIDDEN_MULTILINE_RE = re.compile(f"[\x00-\x09\x0b-\x1f{_INVISIBLE}]")  # line breaks allowed


def hidden_character(value: str) -> str | None:
    """The first control or bidi character in ``value`` (line breaks included), if any."""
    found = _HIDDEN_RE.search(value)
    return None if found is None else found.group()


_PLAIN_MAX, _LONG_MAX = 200, 10_000


def _check_text(value: str, pattern: re.Pattern[str], limit: int) -> str:
    value = value.strip()
    if len(value) > limit:  # before the pattern; the field may allow less, checked after
        raise PydanticCustomError(
            "string_too_long",
            "is too long (at most {max_length} characters)",
            {"max_length": limit},
        )
    hidden = pattern.search(value)
    if hidden is not None:
        char = hidden.group()
        what = "a line break" if char in "\r\n" else f"an invisible character (U+{ord(char):04X})"
        raise _invalid(f"contains {what}; remove it")
    return value


def _single_line(value: str) -> str:
    return _check_text(value, _HIDDEN_RE, _PLAIN_MAX)


def _multi_line(value: str) -> str:
    return _check_text(value, _HIDDEN_MULTILINE_RE, _LONG_MAX)


PlainText = Annotated[str, AfterValidator(_single_line), Field(min_length=1, max_length=_PLAIN_MAX)]
"""One line of text, no control or bidi characters (it ends up in Jira)."""
LongText = Annotated[str, AfterValidator(_multi_line), Field(max_length=_LONG_MAX)]
"""Several lines of text (notes)."""

# --- durations -----------------------------------------------------------------------

_UNITS = {
    "s": 1,
    "sec": 1,
    "second": 1,
    "seconds": 1,
    "m": 60,
    "min": 60,
    "minute": 60,
    "minutes": 60,
    "h": 3600,
    "hour": 3600,
    "hours": 3600,
    "d": 86400,
    "day": 86400,
    "days": 86400,
    "w": 604800,
    "week": 604800,
    "weeks": 604800,
}
# One part of a duration: a number and its unit. Linear time: tried with .match where
# the part must start (never searched for), on text capped at MAX_DURATION_CHARS, and
# the spaces, digits and letters follow one another, so a failure backtracks once.
_DURATION_PART_RE = re.compile(r"\s*(\d+(?:\.\d+)?)\s*([a-z]+)")
_DURATION_HINT = "must be a duration like 45m, 2h, 7d or 2 weeks"


def _duration(value: Any) -> timedelta:
    """``90m``, ``2h``, ``1d 12h``, ``2 weeks`` (or an ISO 8601 ``P7D``, left to pydantic)."""
    if isinstance(value, timedelta):
        return value
    if not isinstance(value, str):
        raise _invalid(_DURATION_HINT)
    text = capped(value.strip(), MAX_DURATION_CHARS, "a duration").lower()
    if text.startswith("p"):
        return value  # type: ignore[return-value]  # ISO 8601: pydantic parses it
    seconds = duration_seconds(text)
    if seconds is None:
        raise _invalid(_DURATION_HINT)
    _within_a_year(seconds)
    return timedelta(seconds=seconds)


def duration_seconds(text: str) -> float | None:
    """The seconds ``text`` (``1d 12h``, lower case, stripped) spells; None if none.

    Each part is matched where the previous one ended, so the text is read once from
    left to right (searching for parts instead would start again at every digit).
    """
    seconds, pos = 0.0, 0
    while pos < len(text):
        match = _DURATION_PART_RE.match(text, pos)
        if match is None or match[2] not in _UNITS:
            return None
        seconds += float(match[1]) * _UNITS[match[2]]
        pos = match.end()
    return seconds if pos else None


def _within_a_year(seconds: float) -> None:
    """Refuse a duration longer than :data:`MAX_DURATION`, before ``timedelta`` overflows."""
    if seconds > MAX_DURATION.total_seconds():
        raise out_of_range(
            "is {days} days, longer than a year: a duration is at most {most} days; check "
            "the number and the unit",
            days=grouped(seconds // 86400),
            most=MAX_DURATION.days,
        )


def _plausible_duration(value: timedelta) -> timedelta:
    if value <= timedelta(0):
        raise _invalid("must be longer than zero")
    _within_a_year(value.total_seconds())
    return value


Duration = Annotated[
    timedelta,
    BeforeValidator(_duration),
    AfterValidator(_plausible_duration),
    WithJsonSchema({"type": "string", "examples": ["45m", "2h", "7d", "2 weeks", "P7D"]}),
]

# --- moments -------------------------------------------------------------------------

# Linear time: fixed repetitions only, tried with .match on capped text.
_DATE_ONLY_RE = re.compile(r"\d{4}-\d{2}-\d{2}\Z")


def _with_time(value: Any) -> Any:
    """A date and time; a date alone is refused rather than read as midnight, and a
    number rather than read as seconds since 1970."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        raise _number_not_time()
    if not isinstance(value, str):
        return value
    text = capped(value.strip(), MAX_MOMENT_CHARS, "a date and time")
    if text.lstrip("+-").replace(".", "", 1).isdigit():
        raise _number_not_time()
    if _DATE_ONLY_RE.match(text):
        raise PydanticCustomError(
            "missing_time",
            "has a date but no time, which would mean midnight; write the time too, like "
            "{day} 09:00 (or {day} 00:00 if you do mean midnight)",
            {"day": text},
        )
    return value


def _number_not_time() -> PydanticCustomError:
    return _invalid(
        "is a number, not a date and time (it would be read as seconds since 1970); write "
        "the date and the time of day, like 2027-03-02 09:00"
    )


def _in_years(value: datetime) -> datetime:
    """Refuse a year outside :data:`FIRST_YEAR` to :data:`LAST_YEAR` (9999 overflows)."""
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise out_of_range(
            "is in the year {year}; a date falls between {first} and {last}: check the year",
            year=value.year,
            first=FIRST_YEAR,
            last=LAST_YEAR,
        )
    return value


Moment = Annotated[datetime, BeforeValidator(_with_time), AfterValidator(_in_years)]
"""A date and time of day (``2027-03-02 09:00``); the zone is checked where it is used.

A launch time is what DevOps scales up for, so a date without a time is an error, not
midnight: a campaign sent at 09:00 but written ``2027-03-02`` would put the peak nine
hours early, and the scaling with it. A number is an error too, rather than a moment
counted in seconds from 1970, and so is a year before 2000 or after 2099."""


# --- identifiers, addresses ----------------------------------------------------------

# Linear time: tried with .match on at most 64 characters, each group starting with the
# dash the letters before it cannot take.
_SLUG_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\Z")


def _slug(value: str) -> str:
    if not _SLUG_RE.match(value):
        raise _invalid("must be lowercase letters, digits and dashes, like spring-sale-2027")
    return value


Slug = Annotated[str, Field(min_length=1, max_length=64), AfterValidator(_slug)]

# Linear time: tried with .match on at most 254 characters; giving a character back
# leaves the rest facing '@' or '.' and a run of letters, each tried once.
_EMAIL_RE = re.compile(r"[^@\s]+@[^@\s]+\.[A-Za-z]{2,}\Z")


def _email(value: str) -> str:
    value = value.strip()
    if not _EMAIL_RE.match(value) or _HIDDEN_RE.search(value) or lookalike.find(value) is not None:
        raise _invalid("must be an email address like jane@example.com")
    return value


Email = Annotated[str, Field(max_length=254), AfterValidator(_email)]


def _url(value: str) -> str:
    value = value.strip()
    try:
        parts = urlsplit(value)
    except ValueError:
        parts = None
    if (
        parts is None
        or parts.scheme not in ("http", "https")
        or not parts.hostname
        or _HIDDEN_RE.search(value)
        or lookalike.find(value) is not None
        or " " in value
    ):
        raise _invalid("must be a web address starting with https://")
    return value


Url = Annotated[str, Field(max_length=2000), AfterValidator(_url)]

HTTP_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")
# Linear time: one character class to the end, tried with .match on at most 2,000.
_PATH_RE = re.compile(r"/[A-Za-z0-9\-._~!$&'()*+,;=:@%/{}]*\Z")


def _endpoint(value: str) -> str:
    parts = value.split()
    if len(parts) == 2 and parts[0].upper() in HTTP_METHODS and _PATH_RE.match(parts[1]):
        return f"{parts[0].upper()} {parts[1]}"
    raise PydanticCustomError(
        "endpoint_format",
        "write an API endpoint as METHOD /path, like 'POST /api/signup' (method one of {methods})",
        {"methods": ", ".join(HTTP_METHODS)},
    )


Endpoint = Annotated[
    str,
    Field(max_length=2000),
    AfterValidator(_endpoint),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": rf"^({'|'.join(HTTP_METHODS)}) /\S*$",
            "examples": ["POST /api/signup"],
        }
    ),
]
"""``METHOD /path``, normalised to an upper-case method."""


# --- load-model assumptions ------------------------------------------------------------


def _figure(value: Any) -> float:
    """A default's replacement: ``5%``, a duration (``30s``, ``2h``: in seconds) or a number."""
    if isinstance(value, str):
        text = value.strip()
        if text.endswith("%"):
            return parse_number(text[:-1].strip()) / 100
        if text[-1:].isalpha():
            duration = _duration(text)
            if isinstance(duration, timedelta):
                return duration.total_seconds()
    return parse_number(value)


Figure = Annotated[
    float,
    BeforeValidator(_figure),
    WithJsonSchema({"anyOf": [{"type": "number", "minimum": 0}, {"type": "string"}]}),
]
"""A number, a percentage (``5%``) or a duration (``30s``, in seconds)."""
