"""``out-of-range``: a figure, duration or date beyond what any campaign needs.

Most of these are found by the schema (:mod:`campaign_guard.spec.bounds`); a launch too
far ahead needs the clock, so it is checked here.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from datetime import timedelta

from campaign_guard.lint.findings import Finding, Level
from campaign_guard.lint.policy import LintPolicy, found
from campaign_guard.lint.rule import Rule, campaign
from campaign_guard.spec import codes
from campaign_guard.spec.bounds import MAX_AHEAD
from campaign_guard.spec.campaign import CampaignSpec, say_when
from campaign_guard.spec.load import LoadedSpec

DAY = timedelta(days=1)

RULE = Rule(
    codes.OUT_OF_RANGE,
    Level.ERROR,
    "A figure, duration or date beyond what any campaign needs (more than a billion "
    "people, longer than a year, before 2000 or after 2099); the message names the range.",
    "Some values are beyond anything a campaign can mean: a list of more than a billion "
    "people, a campaign longer than a year, a date before 2000 or after 2099, a launch "
    "more than two years ahead. They are almost always a typo (an extra zero, the wrong "
    "year), and an estimate built on them would be meaningless. The message names the "
    "range a value must be in; fix the value.",
    bad=campaign(("list_size: 50k", "list_size: 5000000000")),
    good=campaign(("list_size: 50k", "list_size: 50000")),
    fixed=True,
)


def check(loaded: LoadedSpec, spec: CampaignSpec, policy: LintPolicy) -> Iterator[Finding]:
    """A launch more than :data:`MAX_AHEAD` after now: the wrong year, most likely."""
    start, zone = spec.launch.start, spec.launch.zone
    if start - policy.now > MAX_AHEAD:
        days = math.ceil((start - policy.now) / DAY)
        latest = say_when((policy.now + MAX_AHEAD).astimezone(zone))
        yield found(
            RULE,
            loaded,
            ("launch", "start"),
            f"the launch ({say_when(start.astimezone(zone))}) is {days:,} days away; a launch "
            f"is at most two years ahead ({MAX_AHEAD.days} days, until {latest}): check the "
            "year",
        )
