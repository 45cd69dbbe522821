"""``--format junit``: JUnit XML (the Jenkins/Ant flavour CI servers read).

Each file checked is one test case; each finding that fails the run (errors, and
warnings under ``--strict``) is a ``<failure>`` of that case, and the remaining
warnings go to the case's ``<system-out>``. The suite's ``failures`` counts failed
test cases, as JUnit does, not ``<failure>`` elements.

XML 1.0 cannot hold most control characters at all, so paths and messages are shown as
in the text format (:func:`campaign_guard.safe_text.one_line`): one line each, every
control character an escape.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import TYPE_CHECKING

from campaign_guard.lint.findings import Finding, Level
from campaign_guard.lint.reporters.text import line, ordered
from campaign_guard.lint.rules.table import RULES
from campaign_guard.safe_text import one_line

if TYPE_CHECKING:
    from campaign_guard.lint.reporters import LintReport

SUITE_NAME = "campaign-guard lint"
CLASS_NAME = "campaign-guard.lint"
_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'


def _summary(finding: Finding) -> str:
    return one_line(f"{finding.location}: {finding.level} {finding.text}")


def _full_text(finding: Finding) -> str:
    known = RULES.get(finding.code)
    detail = f"\n{finding.code}: {known.summary}" if known else ""
    return f"{line(finding)}{detail}"


def render(report: LintReport) -> str:
    """The report as a JUnit XML document, with its XML declaration."""
    by_path: dict[str, list[Finding]] = {path: [] for path in report.files}
    for finding in ordered(report.findings):
        # A finding about a file not in ``files`` still gets a test case: never drop one.
        by_path.setdefault(finding.path, []).append(finding)

    def fails(finding: Finding) -> bool:
        return finding.level is Level.ERROR or report.strict

    failed_cases = sum(any(fails(f) for f in found) for found in by_path.values())
    counts = {"tests": str(len(by_path)), "failures": str(failed_cases), "errors": "0"}
    root = ET.Element("testsuites", counts)
    suite = ET.SubElement(root, "testsuite", {"name": SUITE_NAME, **counts, "skipped": "0"})
    for path in sorted(by_path):
        case = ET.SubElement(suite, "testcase", classname=CLASS_NAME, name=one_line(path))
        for finding in filter(fails, by_path[path]):
            failure = ET.SubElement(case, "failure", type=finding.code, message=_summary(finding))
            failure.text = _full_text(finding)
        passing = [f for f in by_path[path] if not fails(f)]
        if passing:
            ET.SubElement(case, "system-out").text = "".join(_full_text(f) + "\n" for f in passing)
    ET.indent(root)
    return _DECLARATION + ET.tostring(root, encoding="unicode") + "\n"
