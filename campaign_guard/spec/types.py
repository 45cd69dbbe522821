"""Field types that accept what marketers write and reject what hurts downstream.

``50k`` and ``1.2M`` are counts, ``3%`` is a rate, ``7d`` is a duration. Text that will
reach a Jira ticket may not carry control or bidirectional-override characters.
Validation failures raise :class:`PydanticCustomError` whose *type* becomes the finding
code (see :mod:`campaign_guard.spec.messages`), and whose message is already in plain
words.
"""

from __future__ import annotations

import math
import re
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Annotated, Any
from urllib.parse import urlsplit

from pydantic import AfterValidator, BeforeValidator, Field, WithJsonSchema
from pydantic_core import PydanticCustomError

from campaign_guard.spec import lookalike

# Control characters and the bidirectional controls that can disguise text (Trojan Source).
_INVISIBLE = "\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ufffe\uffff"
_HIDDEN_RE = re.compile(f"[\x00-\x1f{_INVISIBLE}]")
_HIDDEN_MULTILINE_RE = re.compile(f"[\x00-\x09\x0b-\x1f{_INVISIBLE}]")  # line breaks allowed


def hidden_character(value: str) -> str | None:
    """The first control or bidi character in ``value`` (line breaks included), if any."""
    found = _HIDDEN_RE.search(value)
    return None if found is None else found.group()


def _invalid(message: str, **context: Any) -> PydanticCustomError:
    return PydanticCustomError("invalid_value", message, context or None)


def _check_text(value: str, pattern: re.Pattern[str]) -> str:
    value = value.strip()
    hidden = pattern.search(value)
    if hidden is not None:
        char = hidden.group()
        what = "a line break" if char in "\r\n" else f"an invisible character (U+{ord(char):04X})"
        raise _invalid(f"contains {what}; remove it")
    return value


def _single_line(value: str) -> str:
    return _check_text(value, _HIDDEN_RE)


def _multi_line(value: str) -> str:
    return _check_text(value, _HIDDEN_MULTILINE_RE)


PlainText = Annotated[str, AfterValidator(_single_line), Field(min_length=1, max_length=200)]
"""One line of text, no control or bidi characters (it ends up in Jira)."""
LongText = Annotated[str, AfterValidator(_multi_line), Field(max_length=10_000)]
"""Several lines of text (notes)."""

# --- numbers -------------------------------------------------------------------------

# Decimal, so that 4.1M is exactly 4100000 (4.1 * 1e6 in floats is 4099999.9999999995).
_SUFFIX = {
    "": 1,
    "k": 1_000,
    "thousand": 1_000,
    "m": 1_000_000,
    "million": 1_000_000,
    "b": 1_000_000_000,
    "bn": 1_000_000_000,
    "billion": 1_000_000_000,
}
_NUMBER_RE = re.compile(
    r"(?P<num>\d{1,3}(?:[,_ ]\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)\s*(?P<suffix>[a-z]*)\Z"
)
_NUMBER_SCHEMA = {
    "anyOf": [
        {"type": "number", "minimum": 0},
        {
            "type": "string",
            "pattern": r"^\s*[0-9][0-9,_ ]*(\.[0-9]+)?\s*"
            r"([kKmMbB]|[Bb]n|thousand|million|billion)?\s*$",
        },
    ]
}


_COUNT_HINT = "must be a number like 50000, 50,000 or 50k"
_RATE_HINT = "must be a share like 0.03 or 3%"
_POINT_NOT_COMMA = "decimals take a point, not a comma: write {written}"
# A comma before one, two or four and more digits is a decimal comma (1,5k; 0,85),
# never a thousands separator.
_DECIMAL_COMMA_RE = re.compile(r"\d+,(?!\d{3}\b)\d+(?:\s*[a-z]*)?\Z")


def _number(value: Any, hint: str = _COUNT_HINT) -> float:
    """A non-negative figure from ``1200``, ``"1,200"``, ``"1.2k"`` or ``"3 million"``.

    ``hint`` is the message for what is not a number at all.
    """
    if isinstance(value, bool):
        raise _invalid("must be a number, not yes/no")
    if isinstance(value, int | float):
        number = float(value)
    elif isinstance(value, str):
        text = value.strip().lower()
        match = _NUMBER_RE.match(text)
        if match is None or match["suffix"] not in _SUFFIX:
            if _DECIMAL_COMMA_RE.match(text):
                raise _invalid(_POINT_NOT_COMMA, written=text.replace(",", "."))
            raise _invalid(hint)
        digits = re.sub(r"[,_ ]", "", match["num"])
        number = float(Decimal(digits) * _SUFFIX[match["suffix"]])
    else:
        raise _invalid(hint)
    if not math.isfinite(number):
        raise _invalid("must be a finite number")
    if number < 0:
        raise _invalid("must not be negative")
    return number


# Digits ending in a point and exactly three more: 300.000 or 1.234.567 (thousands in
# much of Europe), which Python and YAML read as 300.0.
_POINT_THEN_THREE_RE = re.compile(r"\d[\d,_ .]*\.\d{3}\Z")


def _written(value: Any) -> str | None:
    """``value`` as the file has it: the text, or the digits of a number with a point."""
    text = value if isinstance(value, str) else getattr(value, "text", None)
    return text.strip().lower() if isinstance(text, str) else None


def _no_decimal_point(text: str) -> PydanticCustomError:
    """``300.000`` in a count: a thousands separator, or a mistake, but never 300."""
    whole = int(re.sub(r"\D", "", text))
    forms = dict.fromkeys((str(whole), f"{whole:,}", _short(whole)))
    written = [form for form in forms if form]
    listed = ", ".join(written[:-1]) + " or " + written[-1] if len(written) > 1 else written[0]
    return _invalid(
        "a count has no decimal point; if you mean {whole}, write {listed}",
        whole=f"{whole:,}",
        listed=listed,
    )


def _short(whole: int) -> str:
    """``300k``, ``2M`` or ``1.25M`` when that is exactly ``whole``, else the empty string."""
    if whole and whole % 1_000_000 == 0:
        return f"{whole // 1_000_000}M"
    if whole > 1_000_000 and whole % 10_000 == 0:
        return f"{(Decimal(whole) / 1_000_000).normalize():f}M"
    if whole and whole % 1_000 == 0:
        return f"{whole // 1_000}k"
    return ""


def _count(value: Any) -> int:
    """A whole number: ``50000``, ``50,000`` or ``50k``; never ``300.000``, whatever
    was meant by it."""
    text = _written(value)
    if text is not None and _POINT_THEN_THREE_RE.match(text):
        raise _no_decimal_point(text)
    number = _number(value)
    if number != int(number):
        raise _invalid("must be a whole number")
    return int(number)


Count = Annotated[int, BeforeValidator(_count), WithJsonSchema(_NUMBER_SCHEMA)]
"""A whole number of people, messages or visits: ``50000``, ``50,000``, ``50k``."""
Amount = Annotated[float, BeforeValidator(_number), WithJsonSchema(_NUMBER_SCHEMA)]
"""A non-negative amount (a budget, a cost per click)."""


def _rate(value: Any) -> float:
    if isinstance(value, str) and "," in value:
        raise _comma_rate(value.strip())
    if isinstance(value, str) and value.strip().endswith("%"):
        number = _number(value.strip()[:-1].strip(), _RATE_HINT) / 100
    else:
        number = _number(value, _RATE_HINT)
        if number > 1:
            raise _invalid(
                "is a share between 0 and 1; write {value} as '{value}%' or {share}",
                value=value,
                share=round(number / 100, 6),
            )
    if number > 1:
        raise _invalid("cannot be more than 100%")
    return number


def _comma_rate(text: str) -> PydanticCustomError:
    """``3,5%`` or ``0,03``: a decimal comma, said with the rate written with a point."""
    fixed = text.replace(",", ".")
    percent = fixed.endswith("%")
    try:
        share = Decimal(fixed.rstrip("%").strip()) / (100 if percent else 1)
    except ArithmeticError:
        return _invalid(_RATE_HINT + " (decimals take a point, not a comma)")
    as_percent = f"{(share * 100).normalize():f}%"
    written = as_percent if percent else f"{share.normalize():f} or {as_percent}"
    return _invalid(_POINT_NOT_COMMA, written=written)


Rate = Annotated[
    float,
    BeforeValidator(_rate),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "number", "minimum": 0, "maximum": 1},
                {"type": "string", "pattern": r"^\s*[0-9.]+\s*%\s*$"},
            ]
        }
    ),
]
"""A share: ``0.03`` or ``"3%"``."""

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
_DURATION_PART_RE = re.compile(r"\s*(\d+(?:\.\d+)?)\s*([a-z]+)")


def _duration(value: Any) -> timedelta:
    """``90m``, ``2h``, ``1d 12h``, ``2 weeks`` (or an ISO 8601 ``P7D``, left to pydantic)."""
    if isinstance(value, timedelta):
        return value
    if isinstance(value, str) and not value.strip().upper().startswith("P"):
        text = value.strip().lower()
        seconds, pos = 0.0, 0
        for match in _DURATION_PART_RE.finditer(text):
            if match.start() != pos or match[2] not in _UNITS:
                break
            seconds += float(match[1]) * _UNITS[match[2]]
            pos = match.end()
        if pos != len(text) or pos == 0:
            raise _invalid("must be a duration like 45m, 2h, 7d or 2 weeks")
        return timedelta(seconds=seconds)
    if isinstance(value, str):
        return value  # type: ignore[return-value]  # ISO 8601: pydantic parses it
    raise _invalid("must be a duration like 45m, 2h, 7d or 2 weeks")


def _positive_duration(value: timedelta) -> timedelta:
    if value <= timedelta(0):
        raise _invalid("must be longer than zero")
    return value


Duration = Annotated[
    timedelta,
    BeforeValidator(_duration),
    AfterValidator(_positive_duration),
    WithJsonSchema({"type": "string", "examples": ["45m", "2h", "7d", "2 weeks", "P7D"]}),
]

# --- moments -------------------------------------------------------------------------

_DATE_ONLY_RE = re.compile(r"\d{4}-\d{2}-\d{2}\Z")


def _with_time(value: Any) -> Any:
    """A date and time; a date alone is refused rather than read as midnight."""
    if isinstance(value, str) and _DATE_ONLY_RE.match(value.strip()):
        raise PydanticCustomError(
            "missing_time",
            "has a date but no time, which would mean midnight; write the time too, like "
            "{day} 09:00 (or {day} 00:00 if you do mean midnight)",
            {"day": value.strip()},
        )
    return value


Moment = Annotated[datetime, BeforeValidator(_with_time)]
"""A date and time of day (``2027-03-02 09:00``); the zone is checked where it is used.

A launch time is what DevOps scales up for, so a date without a time is an error, not
midnight: a campaign sent at 09:00 but written ``2027-03-02`` would put the peak nine
hours early, and the scaling with it."""


# --- identifiers, addresses ----------------------------------------------------------

_SLUG_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\Z")


def _slug(value: str) -> str:
    if not _SLUG_RE.match(value):
        raise _invalid("must be lowercase letters, digits and dashes, like spring-sale-2027")
    return value


Slug = Annotated[str, Field(min_length=1, max_length=64), AfterValidator(_slug)]

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
            return _number(text[:-1].strip()) / 100
        if text[-1:].isalpha():
            duration = _duration(text)
            if isinstance(duration, timedelta):
                return duration.total_seconds()
    return _number(value)


Figure = Annotated[
    float,
    BeforeValidator(_figure),
    WithJsonSchema({"anyOf": [{"type": "number", "minimum": 0}, {"type": "string"}]}),
]
"""A number, a percentage (``5%``) or a duration (``30s``, in seconds)."""
