"""``--format text``: one line per finding, the way compilers print them.

This module also holds :func:`ordered`, the finding order every reporter uses.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from campaign_guard.lint.findings import Finding, sort_key

if TYPE_CHECKING:
    from campaign_guard.lint.reporters import LintReport

# Characters that would let a hostile spec break the one-line-per-finding layout or
# garble the terminal: C0/C1 controls (tab is harmless), line and paragraph separators,
# bidi overrides (which reorder what follows them on screen) and lone surrogates.
_BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)


def _unsafe(char: str) -> bool:
    return (
        (char < " " and char != "\t")
        or "\x7f" <= char <= "\x9f"
        or char in "\u2028\u2029"
        or char in _BIDI_CONTROLS
        or "\ud800" <= char <= "\udfff"
    )


def ordered(findings: Iterable[Finding]) -> list[Finding]:
    """Findings sorted by (path, line, column, code), then message, so output is stable;
    a file's "N more problems not shown" line comes after its other findings."""
    return sorted(findings, key=sort_key)


def printable(value: str) -> str:
    """``value`` with unsafe characters shown as Python escapes (``\\n``, ``\\u202e``)."""
    if not any(_unsafe(c) for c in value):
        return value
    return "".join(
        c.encode("unicode_escape", "backslashreplace").decode("ascii") if _unsafe(c) else c
        for c in value
    )


def line(finding: Finding) -> str:
    """``path:line:col: level message [code]`` (``path: level ...`` for whole-file ones)."""
    return printable(f"{finding.location}: {finding.level} {finding.text} [{finding.code}]")


def render(report: LintReport) -> str:
    """One line per finding, newline-terminated; the empty string when there are none."""
    return "".join(line(f) + "\n" for f in ordered(report.findings))
