"""``--format json``: a stable, versioned document for scripts.

Named ``json_report`` so that it never shadows the standard library's ``json``. Bump
``version`` on any incompatible change to the document's shape.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from campaign_guard.lint.findings import tally
from campaign_guard.lint.reporters.text import ordered
from campaign_guard.safe_text import json_document

if TYPE_CHECKING:
    from campaign_guard.lint.reporters import LintReport

FORMAT_VERSION = 1


def render(report: LintReport) -> str:
    """The report as indented JSON (UTF-8 text, not ASCII-escaped), newline-terminated.

    Values are exact, but for the bytes of a file name that are not UTF-8, which no
    JSON text can hold (see :func:`campaign_guard.safe_text.json_document`).
    """
    findings = ordered(report.findings)
    errors, warnings = tally(findings)
    document = {
        "version": FORMAT_VERSION,
        "tool": "campaign-guard",
        "tool_version": report.tool_version,
        "files_checked": len(report.files),
        "strict": report.strict,
        "summary": {
            "errors": errors,
            "warnings": warnings,
            "files_with_findings": len({f.path for f in findings}),
        },
        "findings": [
            {
                "path": f.path,
                "line": f.line,
                "column": f.column,
                "level": f.level.value,
                "code": f.code,
                "field": f.field,
                "message": f.message,
            }
            for f in findings
        ],
    }
    return json_document(document)
