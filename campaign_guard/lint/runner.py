"""``lint`` as a function: paths in, findings out. No printing, no exiting.

A file whose top level says ``kind: capacity-profile`` is a capacity profile and is
validated as one; any other file is a campaign spec. Each file is parsed once.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from campaign_guard.lint.checks import (
    IdSite,
    LintPolicy,
    check_duplicate_ids,
    check_spec,
    id_site,
)
from campaign_guard.lint.findings import Finding
from campaign_guard.lint.rules import rule
from campaign_guard.spec.campaign import CampaignSpec
from campaign_guard.spec.load import Loaded, load_document, validate_document
from campaign_guard.spec.yamlload import Document

CAMPAIGN_KIND = "campaign"
PROFILE_KIND = "capacity-profile"  # campaign_guard.spec.capacity.KIND, without importing it
KINDS = (CAMPAIGN_KIND, PROFILE_KIND)


@dataclass(frozen=True)
class LintResult:
    files: list[str]
    findings: list[Finding]


def lint_files(files: Sequence[str], policy: LintPolicy) -> LintResult:
    """Load every spec file, validate it, and run the checks beyond the schema.

    Files are checked one at a time and only their findings and id are kept, so memory
    (and the garbage collector's work) stays flat however many files there are.
    """
    findings: list[Finding] = []
    sites: list[IdSite] = []
    for name in files:
        document, problems = load_document(Path(name))
        if document is None:
            findings.extend(problem_findings(Loaded(name, None, None, problems)))
            continue
        kind = document.data.get("kind", CAMPAIGN_KIND)
        if kind == PROFILE_KIND:
            findings.extend(_profile_findings(document, name))
            continue
        if kind != CAMPAIGN_KIND:
            findings.append(_unknown_kind(document, name, kind))
            continue
        loaded = validate_document(document, CampaignSpec, name)
        findings.extend(problem_findings(loaded))
        findings.extend(check_spec(loaded, policy))
        site = id_site(loaded)
        if site is not None:
            sites.append(site)
    findings.extend(check_duplicate_ids(sites))
    findings.sort(key=lambda f: (f.path, f.line, f.column, f.code))
    return LintResult(list(files), findings)


def problem_findings(loaded: Loaded[Any]) -> list[Finding]:
    """The loader's and the schema's problems as findings."""
    return [
        Finding(
            loaded.path, p.line, p.column, rule(p.code).level, p.code, p.message, p.field or None
        )
        for p in loaded.problems
    ]


def _profile_findings(document: Document, name: str) -> list[Finding]:
    """A capacity profile's problems (the campaign checks do not apply to it)."""
    from campaign_guard.spec.capacity import CapacityProfile  # only when there is one

    return problem_findings(validate_document(document, CapacityProfile, name))


def _unknown_kind(document: Document, name: str, kind: object) -> Finding:
    """A ``kind`` that is neither a campaign spec nor a capacity profile."""
    text = "" if kind is None else str(kind)
    text = text if len(text) <= 40 else text[:39] + "…"
    close = difflib.get_close_matches(text, KINDS, n=1, cutoff=0.6)
    hint = f"did you mean '{close[0]}'? " if close else ""
    located = document.locate(("kind",))
    message = (
        f"unknown kind '{text}' ({hint}a campaign spec has `kind: campaign` or no `kind`, "
        f"a capacity profile has `kind: {PROFILE_KIND}`)"
    )
    code = "invalid-value"
    return Finding(name, located.line, located.column, rule(code).level, code, message, "kind")
