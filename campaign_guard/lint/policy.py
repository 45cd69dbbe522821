"""What the checks beyond the schema compare against, and how they place a finding."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from campaign_guard.lint.findings import Finding, Level
from campaign_guard.spec.messages import format_path

if TYPE_CHECKING:
    from campaign_guard.lint.rule import Rule, Setting
    from campaign_guard.spec.load import Loaded

DEFAULT_LEAD_TIME_BUSINESS_DAYS = 3
"""Notice DevOps needs before a launch: time to review, scale and add rate limits."""


@dataclass(frozen=True)
class LintPolicy:
    """What the checks compare against. ``now`` must carry a time zone.

    ``levels`` are the project file's rule settings (``lint.rules``): a rule's level, or
    ``off``, by code.
    """

    now: datetime
    lead_time_business_days: int = DEFAULT_LEAD_TIME_BUSINESS_DAYS
    levels: Mapping[str, Setting] = field(default_factory=dict)


def finding(
    loaded: Loaded[Any], loc: Sequence[str | int], code: str, message: str, level: Level
) -> Finding:
    """A finding of ``code`` at the place ``loc`` names in ``loaded``'s document."""
    line, column = loaded.position(loc)
    return Finding(loaded.path, line, column, level, code, message, format_path(loc) or None)


def found(rule: Rule, loaded: Loaded[Any], loc: Sequence[str | int], message: str) -> Finding:
    """A finding of ``rule``, at its default level, at the place ``loc`` names."""
    return finding(loaded, loc, rule.code, message, rule.level)
