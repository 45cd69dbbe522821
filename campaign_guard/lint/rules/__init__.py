"""Every lint rule, each in one home: its code, its level, what it means, with a bad and
a good example, and its check.

The checks beyond the schema have a module each (the rule and its check function); the
problems of reading a file are the loader's (:mod:`campaign_guard.spec.codes`), and
:mod:`~campaign_guard.lint.rules.reading`, :mod:`~campaign_guard.lint.rules.yaml_file`
and :mod:`~campaign_guard.lint.rules.schema` document them, grouped by what they check.
``lint`` imports the check modules only; :mod:`campaign_guard.lint.rules.table` gathers
every rule, for ``--explain``, ``rules``, the reporters and the project settings.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from campaign_guard.lint.findings import Finding
from campaign_guard.lint.policy import LintPolicy
from campaign_guard.lint.rule import Rule
from campaign_guard.lint.rules import (
    ambiguous_time,
    disable_comment,
    duplicate_id,
    launch_in_past,
    legacy_timezone,
    nonexistent_time,
    out_of_range,
    privacy_review,
    short_lead_time,
    uncounted_traffic,
)
from campaign_guard.spec.campaign import CampaignSpec
from campaign_guard.spec.load import Loaded, LoadedSpec

SpecCheck = Callable[[LoadedSpec, CampaignSpec, LintPolicy], Iterable[Finding]]
ProfileCheck = Callable[[Loaded[Any]], Iterable[Finding]]

SPEC_CHECKS: tuple[SpecCheck, ...] = (
    legacy_timezone.check,
    launch_in_past.check,
    short_lead_time.check,
    out_of_range.check,
    nonexistent_time.check,
    ambiguous_time.check,
    privacy_review.check,
    uncounted_traffic.check,
)
"""Every check of one campaign spec that passed the schema."""
PROFILE_CHECKS: tuple[ProfileCheck, ...] = (legacy_timezone.check_profile,)
"""Every check of one capacity profile that passed the schema."""

CHECKED: tuple[Rule, ...] = (
    launch_in_past.RULE,
    short_lead_time.RULE,
    legacy_timezone.RULE,
    nonexistent_time.RULE,
    ambiguous_time.RULE,
    duplicate_id.RULE,
    privacy_review.RULE,
    uncounted_traffic.RULE,
    disable_comment.RULE,
)
"""The rules beyond the schema (all but ``out-of-range``, a schema rule checked here too)."""
