"""``--format github``: workflow commands that GitHub Actions turns into annotations.

The escaping mirrors ``escapeData`` and ``escapeProperty`` in GitHub's Actions toolkit
(``@actions/core``, ``command.ts``), which the runner undoes. Escaping CR and LF is what
stops a hostile message from starting a line of its own, and with it a new command.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from campaign_guard.lint.findings import Finding
from campaign_guard.lint.reporters.text import ordered

if TYPE_CHECKING:
    from campaign_guard.lint.reporters import LintReport


def escape_data(value: str) -> str:
    """Escape a command's message, as the toolkit's ``escapeData`` does."""
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(value: str) -> str:
    """Escape a command's property value, as the toolkit's ``escapeProperty`` does."""
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")


def command(finding: Finding) -> str:
    """``::error file=PATH,line=L,col=C,title=campaign-guard CODE::MESSAGE`` (one line)."""
    properties = [("file", finding.path)]
    if finding.line >= 1:
        properties += [("line", str(finding.line)), ("col", str(max(finding.column, 1)))]
    properties.append(("title", f"campaign-guard {finding.code}"))
    joined = ",".join(f"{key}={escape_property(value)}" for key, value in properties)
    return f"::{finding.level.value} {joined}::{escape_data(finding.text)}"


def render(report: LintReport) -> str:
    """One workflow command per finding, newline-terminated; empty when there are none."""
    return "".join(command(f) + "\n" for f in ordered(report.findings))
