"""PyYAML's error messages, said in words a marketer can act on."""

from __future__ import annotations

from typing import Any

import yaml

from campaign_guard.spec import codes

# (fragment of PyYAML's "problem", code, what to tell the user)
_PROBLEMS: tuple[tuple[str, str, str], ...] = (
    (
        "expected a single document",
        codes.DOCUMENT_SHAPE,
        "the file holds more than one document (---); put each campaign in its own file",
    ),
    (
        "mapping values are not allowed",
        codes.YAML_SYNTAX,
        "unexpected ':' here; if a value contains ': ', put the whole value in quotes",
    ),
    (
        "could not find expected ':'",
        codes.YAML_SYNTAX,
        "a line here has no ':' after its field name, or its indentation is off",
    ),
    (
        "did not find expected key",
        codes.YAML_SYNTAX,
        "the indentation is inconsistent here; line up the fields of one section",
    ),
    (
        "did not find expected '-' indicator",
        codes.YAML_SYNTAX,
        "the items of this list are not lined up; start each with '-' at the same indent",
    ),
    (
        "found unexpected end of stream",
        codes.YAML_SYNTAX,
        "the file ends inside a quoted value; close the quote",
    ),
    (
        "found unknown escape character",
        codes.YAML_SYNTAX,
        "unknown backslash escape in a double-quoted value; use single quotes instead",
    ),
    (
        "found undefined tag handle",
        codes.YAML_FEATURE,
        "a value starts with '!'; put it in quotes",
    ),
    (
        "expected <block end>, but found",
        codes.YAML_SYNTAX,
        "the indentation is inconsistent here; line up the fields of one section",
    ),
    (
        "while scanning a quoted scalar",
        codes.YAML_SYNTAX,
        "a quoted value is not closed",
    ),
    (
        "exceeded maximum",
        codes.TOO_DEEP,
        "sections and lists are nested too deeply",
    ),
)


def describe_yaml_error(exc: yaml.YAMLError, text: str) -> tuple[str, str, Any]:
    """``(code, message, mark)`` for a PyYAML error in ``text``; ``mark`` may be ``None``."""
    problem = str(getattr(exc, "problem", None) or "")
    context = str(getattr(exc, "context", None) or "")
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    if "cannot start any token" in problem and mark is not None:
        # libyaml does not say which character; both parsers get the same message.
        char = char_at(text, mark.line, mark.column)
        return codes.YAML_SYNTAX, f"a value cannot start with {char!r}; put it in quotes", mark
    for fragment, code, message in _PROBLEMS:
        if fragment in problem or fragment in context:
            return code, message, mark
    detail = " ".join(part for part in (problem, context) if part) or str(exc).splitlines()[0]
    return codes.YAML_SYNTAX, f"this is not valid YAML: {detail}", mark


def char_at(text: str, line: int, column: int) -> str:
    """The character at 0-based ``line``/``column`` of ``text``, or ``?`` past its end."""
    lines = text.splitlines()
    if 0 <= line < len(lines) and 0 <= column < len(lines[line]):
        return lines[line][column]
    return "?"
