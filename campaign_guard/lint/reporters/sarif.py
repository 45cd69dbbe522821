"""``--format sarif``: SARIF 2.1.0, for GitHub code scanning and other dashboards.

Every result carries what GitHub code scanning requires: ``ruleId``, ``message.text``
and a physical location with ``artifactLocation.uri`` and ``region.startLine``.
Relative paths are URIs relative to ``%SRCROOT%`` (the repository root, for GitHub);
absolute paths become ``file://`` URIs. A URI percent-encodes the path's bytes, so a
file name that is not UTF-8 keeps its exact name there; messages, which people read,
are shown as in the text format (:func:`campaign_guard.safe_text.one_line`).
"""

from __future__ import annotations

import os
from pathlib import PurePath
from typing import TYPE_CHECKING, Any
from urllib.parse import quote_from_bytes

from campaign_guard.lint.findings import Finding
from campaign_guard.lint.reporters.text import ordered
from campaign_guard.lint.rule import Rule
from campaign_guard.lint.rules.table import RULES
from campaign_guard.safe_text import json_document, one_line

if TYPE_CHECKING:
    from campaign_guard.lint.reporters import LintReport

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_VERSION = "2.1.0"
INFORMATION_URI = "https://example.invalid/campaign-guard"  # placeholder until there is a home page
SRCROOT = "%SRCROOT%"

_RULE_INDEX = {code: index for index, code in enumerate(RULES)}


def artifact_location(path: str) -> dict[str, str]:
    """The SARIF ``artifactLocation`` of ``path``: a percent-encoded URI, ``/``-separated."""
    pure = PurePath(path)
    if pure.is_absolute():
        return {"uri": pure.as_uri()}
    uri = quote_from_bytes(os.fsencode(pure.as_posix()), safe="/")
    return {"uri": uri, "uriBaseId": SRCROOT}


def _region(finding: Finding) -> dict[str, int]:
    # Whole-file findings (line 0) point at line 1: GitHub needs a startLine.
    if finding.line < 1:
        return {"startLine": 1}
    region = {"startLine": finding.line}
    if finding.column >= 1:
        region["startColumn"] = finding.column
    return region


def _result(finding: Finding) -> dict[str, Any]:
    result: dict[str, Any] = {"ruleId": finding.code}
    if finding.code in _RULE_INDEX:
        result["ruleIndex"] = _RULE_INDEX[finding.code]
    result["level"] = finding.level.value
    result["message"] = {"text": one_line(finding.text)}
    result["locations"] = [
        {
            "physicalLocation": {
                "artifactLocation": artifact_location(finding.path),
                "region": _region(finding),
            }
        }
    ]
    return result


def _rule(rule: Rule) -> dict[str, Any]:
    """A ``reportingDescriptor``: the rule's summary, its explanation, and as help the
    explanation with its bad and good examples (plain text, and Markdown)."""
    shown = [(name, yaml.rstrip("\n")) for name, yaml in (("Bad", rule.bad), ("Good", rule.good))]
    text = "\n\n".join([rule.explanation, *(f"{name}:\n{yaml}" for name, yaml in shown)])
    markdown = "\n\n".join(
        [rule.explanation, *(f"{name}:\n\n```yaml\n{yaml}\n```" for name, yaml in shown)]
    )
    return {
        "id": rule.code,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.explanation},
        "help": {"text": text, "markdown": markdown},
        "defaultConfiguration": {"level": rule.level.value},
    }


def render(report: LintReport) -> str:
    """The report as a SARIF 2.1.0 log with one run, newline-terminated."""
    rules = [_rule(rule) for rule in RULES.values()]
    driver = {
        "name": "campaign-guard",
        "version": report.tool_version,
        "informationUri": INFORMATION_URI,
        "rules": rules,
    }
    artifacts = [{"location": artifact_location(path)} for path in sorted(set(report.files))]
    log = {
        "$schema": SCHEMA_URI,
        "version": SARIF_VERSION,
        "runs": [
            {
                "tool": {"driver": driver},
                "artifacts": artifacts,
                "results": [_result(f) for f in ordered(report.findings)],
            }
        ],
    }
    return json_document(log)
