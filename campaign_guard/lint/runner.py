"""``lint`` as a function: paths in, findings out. No printing, no exiting.

Each file is validated by its kind (see :mod:`campaign_guard.spec.documents`); the
campaign checks run on campaign specs only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from campaign_guard.lint.checks import (
    IdSite,
    LintPolicy,
    check_duplicate_ids,
    check_profile,
    check_spec,
    id_site,
)
from campaign_guard.lint.findings import Finding, sort_key
from campaign_guard.lint.rules import rule
from campaign_guard.spec.documents import CAMPAIGN_KIND, PROFILE_KIND, load_any
from campaign_guard.spec.load import Loaded


@dataclass(frozen=True)
class LintResult:
    files: list[str]
    findings: list[Finding]


def lint_files(files: Sequence[str], policy: LintPolicy) -> LintResult:
    """Load every file, validate it, and run the checks beyond the schema.

    Files are checked one at a time and only their findings and id are kept, so memory
    (and the garbage collector's work) stays flat however many files there are.
    """
    findings: list[Finding] = []
    sites: list[IdSite] = []
    for name in files:
        kind, loaded = load_any(Path(name), name)
        findings.extend(problem_findings(loaded))
        if kind == PROFILE_KIND:
            findings.extend(check_profile(loaded))
        if kind != CAMPAIGN_KIND:
            continue
        findings.extend(check_spec(loaded, policy))
        site = id_site(loaded)
        if site is not None:
            sites.append(site)
    findings.extend(check_duplicate_ids(sites))
    findings.sort(key=sort_key)
    return LintResult(list(files), findings)


def problem_findings(loaded: Loaded[Any]) -> list[Finding]:
    """The loader's and the schema's problems as findings."""
    return [
        Finding(
            loaded.path,
            p.line,
            p.column,
            rule(p.code).level,
            p.code,
            p.message,
            p.field or None,
            p.count,
        )
        for p in loaded.problems
    ]
