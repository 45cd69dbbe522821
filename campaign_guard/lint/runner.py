"""``lint`` as a function: paths in, findings out. No printing, no exiting.

Each file is validated by its kind (see :mod:`campaign_guard.spec.documents`); the
campaign checks run on campaign specs only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from campaign_guard.lint.checks import apply_levels, check_profile, check_spec
from campaign_guard.lint.findings import Finding, Level, sort_key
from campaign_guard.lint.policy import LintPolicy
from campaign_guard.lint.rules.disable_comment import NO_COMMENTS, Inline, read_comments
from campaign_guard.lint.rules.duplicate_id import IdSite, check_files, id_site
from campaign_guard.spec.documents import CAMPAIGN_KIND, PROFILE_KIND, load_any
from campaign_guard.spec.load import Loaded


@dataclass(frozen=True)
class LintResult:
    files: list[str]
    findings: list[Finding]


def lint_files(files: Sequence[str], policy: LintPolicy) -> LintResult:
    """Load every file, validate it, and run the checks beyond the schema.

    Files are checked one at a time and only their findings and id are kept (and the
    lines their disable comments silence), so memory (and the garbage collector's work)
    stays flat however many files there are.
    """
    findings: list[Finding] = []
    sites: list[IdSite] = []
    comments: dict[str, Inline] = {}
    for name in files:
        kind, loaded = load_any(Path(name), name)
        findings.extend(problem_findings(loaded))
        inline = read_comments(loaded)
        if inline.silenced:
            comments[loaded.path] = inline
        if kind == PROFILE_KIND:
            findings.extend(check_profile(loaded, policy, inline))
        if kind != CAMPAIGN_KIND:
            continue
        findings.extend(check_spec(loaded, policy, inline))
        site = id_site(loaded)
        if site is not None:
            sites.append(site)
    duplicates = check_files(sites)
    kept = (f for f in duplicates if comments.get(f.path, NO_COMMENTS).keeps(f))
    findings.extend(apply_levels(kept, policy.levels))
    findings.sort(key=sort_key)
    return LintResult(list(files), findings)


def problem_findings(loaded: Loaded[Any]) -> list[Finding]:
    """The loader's and the schema's problems as findings: errors, always (a file with
    any of them cannot be read)."""
    return [
        Finding(
            loaded.path,
            p.line,
            p.column,
            Level.ERROR,
            p.code,
            p.message,
            p.field or None,
            p.count,
        )
        for p in loaded.problems
    ]
