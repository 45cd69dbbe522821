"""The checks beyond the schema, run on one file, and what the project file
(``lint.rules``) and the file's disable comments make of their findings.

Each check is a pure function of the spec (and the clock and policy passed in): it
returns findings and never prints. The rules and their checks live in
:mod:`campaign_guard.lint.rules`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import Any

from campaign_guard.lint.findings import Finding, Level
from campaign_guard.lint.policy import LintPolicy
from campaign_guard.lint.rule import Setting
from campaign_guard.lint.rules import PROFILE_CHECKS, SPEC_CHECKS
from campaign_guard.lint.rules.disable_comment import Inline, read_comments
from campaign_guard.spec.load import Loaded, LoadedSpec


def check_spec(
    loaded: LoadedSpec, policy: LintPolicy, inline: Inline | None = None
) -> list[Finding]:
    """Every single-file check on a spec that passed the schema, as the settings and the
    file's comments (``inline``, read from the file unless given) leave them."""
    spec = loaded.value
    if spec is None:
        return []
    found = [f for check in SPEC_CHECKS for f in check(loaded, spec, policy)]
    return _settle(found, loaded, policy, inline)


def check_profile(
    loaded: Loaded[Any], policy: LintPolicy, inline: Inline | None = None
) -> list[Finding]:
    """Every check on a capacity profile that passed the schema, as :func:`check_spec`."""
    if loaded.value is None:
        return []
    found = [f for check in PROFILE_CHECKS for f in check(loaded)]
    return _settle(found, loaded, policy, inline)


def _settle(
    found: list[Finding], loaded: Loaded[Any], policy: LintPolicy, inline: Inline | None
) -> list[Finding]:
    inline = read_comments(loaded) if inline is None else inline
    kept = [f for f in (*found, *inline.findings) if inline.keeps(f)]
    return apply_levels(kept, policy.levels)


def apply_levels(findings: Iterable[Finding], levels: Mapping[str, Setting]) -> list[Finding]:
    """``findings`` at the levels the project file sets (``off``: left out)."""
    settled: list[Finding] = []
    for finding in findings:
        setting = levels.get(finding.code)
        if setting == "off":
            continue
        settled.append(finding if setting is None else replace(finding, level=Level(setting)))
    return settled
