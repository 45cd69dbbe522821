"""Escaping for Jira wiki markup (REST v2 descriptions and comments) and plain summaries.

Every character with a markup meaning is backslash-escaped (Jira's ``\\X`` notation), so
user text can never become a link, an image, a mention, a macro, a heading, a table or a
list. A backslash itself is written as the entity ``&#92;``: ``\\\\`` is a line break in
Jira. ``://`` is broken with entities so that bare URLs do not auto-link.
"""

from __future__ import annotations

import re


class Trusted(str):
    """A fragment campaign-guard built itself, escaped where needed: printed as it is.

    Only campaign-guard's code makes one (:func:`trusted`). A template cannot: Jinja2's
    ``|safe``, ``|e`` and ``|tojson`` make markupsafe's ``Markup``, which is escaped
    like any other text, and every operation on a ``Trusted`` (slicing, ``~``, a
    filter) gives back a plain ``str``.
    """

    __slots__ = ()


# C0 controls (line breaks handled apart), DEL, C1 controls, bidi and other invisible
# direction marks, non-characters.
_HIDDEN = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
    "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff\ufffe\uffff]"
)
_LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
_SPECIAL = re.compile(r"[\\*_?\-+^~{}\[\]!|#()]")
# Lines that start a heading or a quote block: h1. to h6. and bq. Linear time: the
# spaces before one never cross a line break (after clean(), only \n breaks a line), so
# each line's start is read once.
_BLOCK_START = re.compile(r"^([^\S\n]*)(h[1-6]|bq)\.", re.IGNORECASE | re.MULTILINE)
# An ampersand that starts an entity (&#92; &amp;) would be decoded by Jira.
_ENTITY_START = re.compile(r"&(?=#?[0-9A-Za-z]+;)")
_URL_SEPARATOR = re.compile(r":(?=/)")
_MAILTO = re.compile(r"(mailto|tel|callto|file|news):", re.IGNORECASE)

MAX_SUMMARY = 255


def clean(text: str, *, multiline: bool = False) -> str:
    """``text`` without controls; line breaks become ``\\n`` (or a space if one line)."""
    text = _HIDDEN.sub("", text).replace("\t", " ")
    return _LINE_BREAK.sub("\n" if multiline else " ", text)


def wiki_escape(text: object, *, multiline: bool = False) -> str:
    """``text`` as literal Jira wiki markup: shown exactly, never interpreted."""
    value = clean(str(text), multiline=multiline)
    value = _ENTITY_START.sub("&amp;", value)
    value = _SPECIAL.sub(_escape_one, value)
    value = _BLOCK_START.sub(lambda m: f"{m.group(1)}{m.group(2)}&#46;", value)
    value = _URL_SEPARATOR.sub("&#58;", value)
    return _MAILTO.sub(lambda m: m.group(1) + "&#58;", value)


def _escape_one(match: re.Match[str]) -> str:
    char = match.group()
    return "&#92;" if char == "\\" else "\\" + char


def trusted(fragment: str) -> Trusted:
    """Mark ``fragment`` (built by campaign-guard, escaped where needed) as markup."""
    return Trusted(fragment)


def plain_summary(text: str) -> str:
    """One line of plain text, no controls, at most 255 characters (cut on a word)."""
    value = " ".join(clean(text).split())
    if len(value) <= MAX_SUMMARY:
        return value
    cut = value[: MAX_SUMMARY - 1]
    space = cut.rfind(" ")
    if space > MAX_SUMMARY // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:-") + "…"
