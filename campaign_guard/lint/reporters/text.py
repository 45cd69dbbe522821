"""``--format text``: one line per finding, the way compilers print them.

This module also holds :func:`ordered`, the finding order every reporter uses.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from campaign_guard.lint.findings import Finding, sort_key
from campaign_guard.safe_text import one_line

if TYPE_CHECKING:
    from campaign_guard.lint.reporters import LintReport


def ordered(findings: Iterable[Finding]) -> list[Finding]:
    """Findings sorted by (path, line, column, code), then message, so output is stable;
    a file's "N more problems not shown" line comes after its other findings."""
    return sorted(findings, key=sort_key)


def line(finding: Finding) -> str:
    """``path:line:col: level message [code]`` (``path: level ...`` for whole-file ones),
    on one line whatever the path or message holds (see :mod:`campaign_guard.safe_text`)."""
    return one_line(f"{finding.location}: {finding.level} {finding.text} [{finding.code}]")


def note(finding: Finding) -> str:
    """``path:line:col: message [code]``: a finding shown among others of one level."""
    return one_line(f"{finding.location}: {finding.text} [{finding.code}]")


def render(report: LintReport) -> str:
    """One line per finding, newline-terminated; the empty string when there are none."""
    return "".join(line(f) + "\n" for f in ordered(report.findings))
