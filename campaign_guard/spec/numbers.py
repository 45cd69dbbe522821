"""Numbers as marketers write them: ``50000``, ``50,000``, ``50k``, ``1.2M``, ``3%``.

Counts are whole numbers, and a count is never read a thousand times too small: a
point before exactly three digits (``300.000``, the thousands separator of much of
Europe) is refused with the ways to write it, whether YAML saw a number or text. A
decimal comma (``3,5%``, ``0,85``) is refused with the number written with a point.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BeforeValidator, WithJsonSchema
from pydantic_core import PydanticCustomError

from campaign_guard.spec.bounds import MAX_NUMBER_CHARS, capped


def invalid(message: str, **context: Any) -> PydanticCustomError:
    """A value the field cannot take; ``message`` is in plain words (``{name}`` from
    ``context``)."""
    return PydanticCustomError("invalid_value", message, context or None)


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
# Linear time: every pattern of this module is tried with .match (one start) on text
# capped at MAX_NUMBER_CHARS, and none nests repetitions or lets two of them share a run
# of characters, so a failure backtracks over each character once. Here a repetition
# that gives a character back leaves the rest facing a digit or a separator, which it
# rejects at once.
_NUMBER_RE = re.compile(
    r"(?P<num>\d{1,3}(?:[,_ ]\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)\s*(?P<suffix>[a-z]*)\Z"
)
# An int whose digits would not fit in MAX_NUMBER_CHARS (10**40 < 2**133): the loader
# leaves longer numbers as text, so only a value built in Python gets here that large.
_MAX_INT_BITS = 133
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
# never a thousands separator. Linear: the digit runs end at the comma and at the end.
_DECIMAL_COMMA_RE = re.compile(r"\d+,(?!\d{3}\b)\d+(?:\s*[a-z]*)?\Z")


def parse_number(value: Any, hint: str = _COUNT_HINT) -> float:
    """A non-negative figure from ``1200``, ``"1,200"``, ``"1.2k"`` or ``"3 million"``.

    ``hint`` is the message for what is not a number at all.
    """
    if isinstance(value, bool):
        raise invalid("must be a number, not yes/no")
    if isinstance(value, int) and abs(value).bit_length() > _MAX_INT_BITS:
        raise invalid(
            "is too long for a number: at most {limit} characters", limit=MAX_NUMBER_CHARS
        )
    if isinstance(value, int | float):
        number = float(value)
    elif isinstance(value, str):
        text = _capped(value)
        match = _NUMBER_RE.match(text)
        if match is None or match["suffix"] not in _SUFFIX:
            if _DECIMAL_COMMA_RE.match(text):
                raise invalid(_POINT_NOT_COMMA, written=text.replace(",", "."))
            raise invalid(hint)
        digits = re.sub(r"[,_ ]", "", match["num"])
        number = float(Decimal(digits) * _SUFFIX[match["suffix"]])
    else:
        raise invalid(hint)
    if not math.isfinite(number):
        raise invalid("must be a finite number")
    if number < 0:
        raise invalid("must not be negative")
    return number


# Digits ending in a point and exactly three more: 300.000 or 1.234.567 (thousands in
# much of Europe), which Python and YAML read as 300.0. Linear: one repetition, and each
# point it gives back is checked against three digits and the end.
_POINT_THEN_THREE_RE = re.compile(r"\d[\d,_ .]*\.\d{3}\Z")


def _written(value: Any) -> str | None:
    """``value`` as the file has it: the text, or the digits of a number with a point
    (refused when too long to be a number, before any pattern sees it)."""
    text = value if isinstance(value, str) else getattr(value, "text", None)
    return _capped(text) if isinstance(text, str) else None


def _capped(text: str) -> str:
    """``text`` stripped and in lower case, refused past :data:`MAX_NUMBER_CHARS`."""
    return capped(text.strip(), MAX_NUMBER_CHARS, "a number").lower()


def _no_decimal_point(text: str) -> PydanticCustomError:
    """``300.000`` in a count: a thousands separator, or a mistake, but never 300."""
    whole = int(re.sub(r"\D", "", text))
    forms = dict.fromkeys((str(whole), f"{whole:,}", _short(whole)))
    written = [form for form in forms if form]
    listed = ", ".join(written[:-1]) + " or " + written[-1] if len(written) > 1 else written[0]
    return invalid(
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
    number = parse_number(value)
    if number != int(number):
        raise invalid("must be a whole number")
    return int(number)


# An amount whose point is a thousands separator: 40.000 or 1.250.000 (a leading 0, as in
# 0.085, is a decimal point; money has at most two decimals anyway). Linear: each group
# starts with the point, so the groups split the text one way only.
_AMOUNT_THOUSANDS_RE = re.compile(r"[1-9]\d{0,2}(?:\.\d{3})+\Z")


def _amount(value: Any) -> float:
    """A non-negative amount: ``40000``, ``40,000``, ``0.85``; never ``40.000``."""
    text = _written(value)
    if text is not None and _AMOUNT_THOUSANDS_RE.match(text):
        whole = int(text.replace(".", ""))
        return_as = f"{whole}" if whole < 1000 else f"{whole} or {whole:,}"
        raise invalid(
            "an amount has at most two digits after the point; if you mean {whole}, write {forms}",
            whole=f"{whole:,}",
            forms=return_as,
        )
    return parse_number(value)


Count = Annotated[int, BeforeValidator(_count), WithJsonSchema(_NUMBER_SCHEMA)]
"""A whole number of people, messages or visits: ``50000``, ``50,000``, ``50k``."""
Amount = Annotated[float, BeforeValidator(_amount), WithJsonSchema(_NUMBER_SCHEMA)]
"""A non-negative amount (a budget, a cost per click)."""


def _rate(value: Any) -> float:
    if isinstance(value, str):
        value = _capped(value)
    if isinstance(value, str) and "," in value:
        raise _comma_rate(value.strip())
    if isinstance(value, str) and value.strip().endswith("%"):
        number = parse_number(value.strip()[:-1].strip(), _RATE_HINT) / 100
    else:
        number = parse_number(value, _RATE_HINT)
        if number > 1:
            raise invalid(
                "is a share between 0 and 1; write {value} as '{value}%' or {share}",
                value=value,
                share=round(number / 100, 6),
            )
    if number > 1:
        raise invalid("cannot be more than 100%")
    return number


def _comma_rate(text: str) -> PydanticCustomError:
    """``3,5%`` or ``0,03``: a decimal comma, said with the rate written with a point."""
    fixed = text.replace(",", ".")
    percent = fixed.endswith("%")
    try:
        share = Decimal(fixed.rstrip("%").strip()) / (100 if percent else 1)
    except ArithmeticError:
        return invalid(_RATE_HINT + " (decimals take a point, not a comma)")
    as_percent = f"{(share * 100).normalize():f}%"
    written = as_percent if percent else f"{share.normalize():f} or {as_percent}"
    return invalid(_POINT_NOT_COMMA, written=written)


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
