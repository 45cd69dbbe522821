"""Pydantic validation errors, said in plain words and placed at line and column.

Pydantic reports ``loc`` paths and messages written for programmers ("Input should be a
valid boolean"). A marketer needs ``spec.yaml:14:20: new_data_fields[0].personal_data:
must be true or false``. Only the first :data:`MAX_PROBLEMS` errors are turned into
problems: a mistyped section can produce hundreds of errors, and nobody reads them.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from yaml.nodes import ScalarNode

from campaign_guard.spec import codes, lookalike
from campaign_guard.spec.channels import CHANNELS
from campaign_guard.spec.yamlload import Document

MAX_PROBLEMS = 20

# pydantic error type -> finding code; anything else is an invalid value
_CODES = {
    "missing": codes.MISSING_FIELD,
    "missing_field": codes.MISSING_FIELD,
    "extra_forbidden": codes.UNKNOWN_FIELD,
    "union_tag_invalid": codes.UNKNOWN_CHANNEL,
    "union_tag_not_found": codes.MISSING_FIELD,
    "endpoint_format": codes.ENDPOINT_FORMAT,
    "timezone": codes.TIMEZONE,
    "timezone_aware": codes.TIMEZONE,
    "missing_time": codes.MISSING_TIME,
    "unknown_reference": codes.UNKNOWN_REFERENCE,
    "out_of_range": codes.OUT_OF_RANGE,
}

# pydantic error type -> plain words ({placeholders} come from the error's ctx)
_WORDS = {
    "missing": "is required",
    "string_type": "must be text; put the value in quotes",
    "int_type": "must be a whole number",
    "int_parsing": "must be a whole number",
    "int_from_float": "must be a whole number",
    "float_type": "must be a number",
    "float_parsing": "must be a number",
    "bool_type": "must be true or false",
    "bool_parsing": "must be true or false",
    "list_type": "must be a list (one item per line, each starting with '- ')",
    "dict_type": "must be a section of `field: value` lines",
    "model_type": "must be a section of `field: value` lines",
    "model_attributes_type": "must be a section of `field: value` lines",
    "greater_than": "must be more than {gt}",
    "greater_than_equal": "must be at least {ge}",
    "less_than": "must be less than {lt}",
    "less_than_equal": "must be at most {le}",
    "string_too_short": "must not be empty",
    "string_too_long": "is too long (at most {max_length} characters)",
    "too_short": "needs at least {min_length} item(s)",
    "too_long": "has too many items (at most {max_length})",
    "string_pattern_mismatch": "is not in the expected form ({pattern})",
    "datetime_type": "must be a date and time, like 2027-03-02 09:00",
    "datetime_parsing": "must be a date and time, like 2027-03-02 09:00",
    "datetime_from_date_parsing": "must be a date and time, like 2027-03-02 09:00",
    "timezone_aware": "needs a time zone offset, like 2027-03-02T09:00-05:00",
    "time_delta_type": "must be a duration like 45m, 2h or 7d",
    "time_delta_parsing": "must be a duration like 45m, 2h or 7d",
    "union_tag_not_found": "needs `channel:` (one of {channels})",
    "union_tag_invalid": "unknown channel '{tag}' (channels: {expected_tags})",
}

# Errors about a value's size or absence: a look-alike character in it is no reason.
_ABOUT_SIZE = frozenset(("missing", "string_too_short", "string_too_long", "too_short", "too_long"))

# Friendlier words for specific fields whose pattern would mean nothing to a marketer.
_FIELD_WORDS = {
    "schema_version": "must be 1 (the spec format this version of campaign-guard reads)",
    "promo_code": "must be letters, digits, '-' or '_' (at most 64), like SPRING27",
    "jira_key": "must be a Jira issue key like OPS-123",
    "currency": "must be a three-letter currency code like USD or EUR",
}

# What to say when these fields are missing, beyond "is required".
_MISSING_WORDS = {
    "new_data_fields": "is required; write `new_data_fields: []` if the campaign collects "
    "no new data",
}


@dataclass(frozen=True)
class Problem:
    """One validation problem, placed in the document (1-based; 0 for the whole file)."""

    line: int
    column: int
    code: str
    field: str
    message: str
    count: int = 1
    """How many problems this one stands for (N for "N more problems not shown")."""


def format_path(path: Iterable[str | int]) -> str:
    """``("traffic", 1, "budget")`` → ``"traffic[1].budget"``."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def problems_from_errors(
    errors: list[Mapping[str, Any]], document: Document, vocabulary: Iterable[str]
) -> list[Problem]:
    """Turn ``ValidationError.errors()`` into placed, plain-words problems (capped)."""
    names = sorted(set(vocabulary))
    problems = [_problem(error, document, names) for error in errors[:MAX_PROBLEMS]]
    hidden = len(errors) - MAX_PROBLEMS
    if hidden > 0:
        more = "1 more problem" if hidden == 1 else f"{hidden} more problems"
        problems.append(
            Problem(
                0,
                0,
                codes.TOO_MANY_PROBLEMS,
                "",
                f"{more} not shown; fix the ones above first",
                hidden,
            )
        )
    return problems


def _problem(error: Mapping[str, Any], document: Document, names: list[str]) -> Problem:
    kind = str(error["type"])
    loc = _without_union_tags(tuple(error["loc"]))
    if kind == "union_tag_invalid":
        loc = (*loc, "channel")  # point at the channel's name, not the whole entry
    located = document.locate(loc)
    if not located.found and kind != "missing":
        # A last part that names nothing is a union's tag (jira.fields.launch.saved):
        # the problem is the value itself.
        located = document.locate(loc[:-1])
    field = format_path(located.path)
    code = _CODES.get(kind, codes.INVALID_VALUE)
    message = _message(kind, error, located.path, names)
    if kind == "too_short" and isinstance(located.node, ScalarNode):
        message = "must not be empty"  # pydantic says "too_short" for empty text too
    node = located.node
    if kind == "extra_forbidden" and located.key is not None:
        node = located.key  # point at the unknown key, not its value
    if kind not in _ABOUT_SIZE and isinstance(node, ScalarNode):
        pasted = lookalike.find(node.value)
        if pasted is not None:  # the likely reason the value is wrong, and one nobody sees
            code, message = codes.LOOKALIKE_CHARACTER, lookalike.message(node.value[pasted])
    line, column = int(node.start_mark.line) + 1, int(node.start_mark.column) + 1
    return Problem(line, column, code, field, message)


def _message(
    kind: str, error: Mapping[str, Any], path: tuple[str | int, ...], names: list[str]
) -> str:
    if kind == "extra_forbidden":
        name = str(path[-1]) if path else "?"
        others = [known for known in names if known != name]  # known elsewhere, not here
        hint = difflib.get_close_matches(name, others, n=1, cutoff=0.75)
        suggestion = f" (did you mean '{hint[0]}'?)" if hint else ""
        return f"unknown field '{shorten(name)}'{suggestion}"
    ctx: dict[str, Any] = dict(error.get("ctx") or {})
    ctx["channels"] = ", ".join(CHANNELS)
    if kind == "union_tag_invalid":
        tags = str(ctx.get("expected_tags", "")).replace("'", "").split(", ")
        hint = difflib.get_close_matches(str(ctx.get("tag", "")), tags, n=1, cutoff=0.6)
        if hint:
            return f"unknown channel '{shorten(str(ctx['tag']))}' (did you mean '{hint[0]}'?)"
        ctx["tag"] = shorten(str(ctx.get("tag", "")))
    last = path[-1] if path else ""
    words = _MISSING_WORDS if kind == "missing" else _FIELD_WORDS
    if isinstance(last, str) and last in words:
        return words[last]
    template = _WORDS.get(kind)
    if template is None:
        return str(error["msg"])  # our own validators already speak plainly
    if "expected_tags" in ctx:
        ctx["expected_tags"] = str(ctx["expected_tags"]).replace("'", "")
    try:
        return template.format(**ctx)
    except (KeyError, IndexError):
        return str(error["msg"])


def shorten(text: str, limit: int = 40) -> str:
    """``text`` to show in a message: printable, and at most ``limit`` characters."""
    printable = "".join(ch if ch.isprintable() else "?" for ch in text)
    return printable if len(printable) <= limit else printable[: limit - 1] + "…"


def _without_union_tags(loc: tuple[Any, ...]) -> tuple[Any, ...]:
    """Drop the channel names pydantic inserts after a list index (``traffic.0.email``)."""
    return tuple(
        part
        for i, part in enumerate(loc)
        if not (i > 0 and isinstance(loc[i - 1], int) and part in CHANNELS)
    )
