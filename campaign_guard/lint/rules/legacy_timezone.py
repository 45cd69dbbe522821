"""``legacy-timezone``: a zone name such as ``EST`` that ignores daylight saving time."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from campaign_guard.lint.findings import Finding, Level
from campaign_guard.lint.policy import LintPolicy, found
from campaign_guard.lint.rule import Rule, campaign
from campaign_guard.spec.campaign import CampaignSpec
from campaign_guard.spec.load import Loaded, LoadedSpec
from campaign_guard.spec.zones import legacy_warning

RULE = Rule(
    "legacy-timezone",
    Level.WARNING,
    "A legacy time zone name (EST, MST...) that ignores daylight saving time.",
    "Names such as `EST`, `MST` or `EST5EDT` are old zone names kept for compatibility: "
    "`EST` is New York's winter time all year round, so a summer launch written in `EST` "
    "happens an hour off. Write the city's zone instead (the message names it), which "
    "follows the local clocks through the year. Campaign specs and capacity profiles are "
    "both checked.",
    bad=campaign(
        ("timezone: Europe/Paris", "timezone: EST"),
        ("start: 2027-03-15 09:00", "start: 2027-07-15 09:00"),
    ),
    good=campaign(
        ("timezone: Europe/Paris", "timezone: America/New_York"),
        ("start: 2027-03-15 09:00", "start: 2027-07-15 09:00"),
    ),
)


def check(loaded: LoadedSpec, spec: CampaignSpec, policy: LintPolicy) -> Iterator[Finding]:
    return _zone(loaded, ("launch", "timezone"), spec.launch.timezone)


def check_profile(loaded: Loaded[Any]) -> Iterator[Finding]:
    """The capacity profile's ``timezone``."""
    profile = loaded.value
    return _zone(loaded, ("timezone",), None if profile is None else profile.timezone)


def _zone(loaded: Loaded[Any], loc: tuple[str, ...], name: str | None) -> Iterator[Finding]:
    warning = None if name is None else legacy_warning(name)
    if warning is not None:
        yield found(RULE, loaded, loc, warning)
