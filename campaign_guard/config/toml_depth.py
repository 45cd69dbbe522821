"""How deeply a TOML text nests, found before it is parsed.

``tomllib`` parses nested arrays and inline tables recursively: a ``pyproject.toml``
holding ``x = [[[[…]]]]`` a few hundred levels deep raises ``RecursionError`` inside
it. :func:`too_deep` finds such nesting with a linear scan that skips strings and
comments, so the file can be refused before the parser sees it. Dotted keys and table
headers nest without brackets and without recursion in the parser;
:func:`value_depth` measures the parsed value, without recursion either.
"""

from __future__ import annotations

import re

_TOKEN = re.compile(r"[\[\]{}#\"']")
_BASIC_END = re.compile(r'(?:[^"\\\n]|\\.)*"')
_MULTILINE_BASIC_END = re.compile(r'(?:[^"\\]|\\.|"(?!""))*"""', re.DOTALL)


def too_deep(text: str, limit: int) -> int:
    """The 1-based line where arrays and inline tables first nest deeper than ``limit``
    (0: they never do). Strings and comments are skipped; a string left open ends
    the scan (the parser will say what is wrong)."""
    depth = 0
    pos = 0
    while (token := _TOKEN.search(text, pos)) is not None:
        char = token.group()
        pos = token.end()
        if char in "[{":
            depth += 1
            if depth > limit:
                return text.count("\n", 0, token.start()) + 1
        elif char in "]}":
            depth = max(depth - 1, 0)
        elif char == "#":
            end = text.find("\n", pos)
            if end < 0:
                return 0
            pos = end + 1
        else:
            end = _string_end(text, token.start(), char)
            if end < 0:
                return 0
            pos = end
    return 0


def _string_end(text: str, start: int, quote: str) -> int:
    """Where the string opened at ``start`` ends (-1: it does not)."""
    if text.startswith(quote * 3, start):
        if quote == "'":
            end = text.find("'''", start + 3)
            return -1 if end < 0 else _past_quotes(text, end + 3, quote)
        found = _MULTILINE_BASIC_END.match(text, start + 3)
        return -1 if found is None else _past_quotes(text, found.end(), quote)
    if quote == "'":
        end = text.find("'", start + 1)
        return -1 if end < 0 else end + 1
    found = _BASIC_END.match(text, start + 1)
    return -1 if found is None else found.end()


def _past_quotes(text: str, pos: int, quote: str) -> int:
    """A multi-line string may end with one or two quotes just before its delimiter."""
    extra = 0
    while extra < 2 and text.startswith(quote, pos + extra):
        extra += 1
    return pos + extra


def value_depth(value: object) -> int:
    """How many tables and arrays deep ``value`` nests (a scalar: 0)."""
    deepest = 0
    pending: list[tuple[object, int]] = [(value, 0)]
    while pending:
        item, depth = pending.pop()
        children: list[object]
        if isinstance(item, dict):
            children = list(item.values())
        elif isinstance(item, list):
            children = item
        else:
            continue
        deepest = max(deepest, depth + 1)
        pending.extend((child, depth + 1) for child in children)
    return deepest
