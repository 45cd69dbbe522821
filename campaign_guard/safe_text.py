"""Text from outside, made safe to print: one function per kind of output.

File names, spec and project-file values, and the names Jira sends back are not the
tool's to trust. Printed as they are, an escape sequence rewrites the terminal (an
OSC 8 link, an OSC 52 clipboard write), a carriage return overwrites what was shown, a
newline starts a line of its own, and GitHub Actions reads a line that starts with
``::name …::`` (after any spaces) as a workflow command, and ``##[name]`` anywhere in a
line as one too. A file name that is not UTF-8 reaches Python as lone surrogates, which
no UTF-8 output can hold.

One convention everywhere people read the text: a character that must not be printed is
shown as its Python escape, ``\\x1b`` for ESC, ``\\x07`` for BEL, ``\\r``, ``\\n`` (where
the text must stay on one line), ``\\u202e`` for a bidi override; a byte of a file name
that is not UTF-8 as ``\\xff``; and the two GitHub markers are broken up as ``:\\x3a``
and ``##\\x5b``. Nothing else changes, so ordinary text reads as written.

* :func:`one_line`: a finding, an ``error:`` line, a table cell, a name;
* :func:`block`: text whose newlines are the tool's own (a ticket description);
* :func:`github_data`, :func:`github_property`: a workflow command's message and
  property values, escaped as GitHub's toolkit does after :func:`one_line`;
* :func:`json_document`: JSON, exact where JSON can be (escapes, not replacements);
* XML (JUnit) takes :func:`one_line` or :func:`block`: what they return is XML 1.0 text.

Standard library only: ``lint`` uses it and must start fast.
"""

from __future__ import annotations

import json
import re

# C0 controls but tab and newline (``json.dumps`` escapes all of C0 itself); DEL and C1
# controls, the line and paragraph separators, bidi controls (which reorder what follows
# on screen), lone surrogates, and U+FFFE/U+FFFF (which XML 1.0 cannot hold).
_C0 = "\x00-\x08\x0b-\x1f"
_OTHERS = "\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff"
_MARKERS = "::|##\\["
_ONE_LINE = re.compile(f"[\n{_C0}{_OTHERS}]|{_MARKERS}")
_BLOCK = re.compile(f"[{_C0}{_OTHERS}]|{_MARKERS}")
_JSON = re.compile(f"[{_OTHERS}]|##\\[")

_NAMED = {"\n": "\\n", "\r": "\\r", "::": ":\\x3a", "##[": "##\\x5b"}
_SURROGATE_ESCAPED = range(0xDC80, 0xDD00)
"""Where ``surrogateescape`` puts the bytes 0x80-0xFF it could not decode."""


def _escape(found: str) -> str:
    named = _NAMED.get(found)
    if named is not None:
        return named
    code = ord(found)
    if code in _SURROGATE_ESCAPED:
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def one_line(text: str) -> str:
    """``text`` on one line, every character that must not be printed shown as an escape."""
    return _ONE_LINE.sub(lambda m: _escape(m.group()), text)


def tab_field(text: str) -> str:
    """A field of a tab-separated line: :func:`one_line`, with tabs escaped too (they
    separate the fields)."""
    return one_line(text).replace("\t", "\\t")


def block(text: str) -> str:
    """``text`` with its line breaks kept (CRLF read as one), everything else as
    :func:`one_line` shows it."""
    return _BLOCK.sub(lambda m: _escape(m.group()), text.replace("\r\n", "\n"))


def github_data(text: str) -> str:
    """A workflow command's message: :func:`one_line`, then ``escapeData`` of GitHub's
    toolkit (``@actions/core``, ``command.ts``): ``%``, CR and LF percent-encoded."""
    return one_line(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def github_property(text: str) -> str:
    """A workflow command's property value: as :func:`github_data`, and ``:`` and ``,``
    percent-encoded too (the toolkit's ``escapeProperty``)."""
    return github_data(text).replace(":", "%3A").replace(",", "%2C")


def _json_escape(found: str) -> str:
    if found == "##[":
        return "##\\u005b"  # the same string, where no log reader sees ``##[``
    code = ord(found)
    if 0xD800 <= code <= 0xDFFF:  # no UTF-8 text holds it: the visible form, as text
        return "\\" + _escape(found)
    return f"\\u{code:04x}"


def json_document(value: object) -> str:
    """``value`` as indented JSON (UTF-8 text, not ASCII-escaped), newline-terminated.

    Strings stay exact: controls, C1 controls, bidi controls and ``##[`` are written as
    JSON escapes. A lone surrogate (a file name's byte that is not UTF-8) cannot be
    written exactly; it becomes the text :func:`one_line` shows (``\\xff``).
    """
    text = json.dumps(value, indent=2, ensure_ascii=False)
    return _JSON.sub(lambda m: _json_escape(m.group()), text) + "\n"
