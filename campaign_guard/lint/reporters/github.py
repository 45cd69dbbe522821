"""``--format github``: workflow commands that GitHub Actions turns into annotations.

Messages and property values are shown as everywhere else (control characters as
escapes, on one line: :mod:`campaign_guard.safe_text`), then escaped as ``escapeData``
and ``escapeProperty`` in GitHub's Actions toolkit (``@actions/core``, ``command.ts``)
do, which the runner undoes. So a hostile message can neither start a line of its own
(and with it a new command) nor send an escape sequence to the log.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from campaign_guard.lint.findings import Finding
from campaign_guard.lint.reporters.text import ordered
from campaign_guard.safe_text import github_data, github_property

if TYPE_CHECKING:
    from campaign_guard.lint.reporters import LintReport


def command(finding: Finding) -> str:
    """``::error file=PATH,line=L,col=C,title=campaign-guard CODE::MESSAGE`` (one line)."""
    properties = [("file", finding.path)]
    if finding.line >= 1:
        properties += [("line", str(finding.line)), ("col", str(max(finding.column, 1)))]
    properties.append(("title", f"campaign-guard {finding.code}"))
    joined = ",".join(f"{key}={github_property(value)}" for key, value in properties)
    return f"::{finding.level.value} {joined}::{github_data(finding.text)}"


def render(report: LintReport) -> str:
    """One workflow command per finding, newline-terminated; empty when there are none."""
    return "".join(command(f) + "\n" for f in ordered(report.findings))
