"""``nonexistent-time``: a time the clocks skip that day."""

from __future__ import annotations

from collections.abc import Iterator

from campaign_guard.lint.findings import Finding, Level
from campaign_guard.lint.policy import LintPolicy, found
from campaign_guard.lint.rule import Rule, campaign
from campaign_guard.spec.campaign import CampaignSpec
from campaign_guard.spec.clock_changes import written_changes
from campaign_guard.spec.load import LoadedSpec

RULE = Rule(
    "nonexistent-time",
    Level.WARNING,
    "A time the clocks skip that day (daylight saving time starts); the message names "
    "the time it means.",
    "On the day daylight saving time starts, the clocks jump forward an hour: in Paris on "
    "28 March 2027, 02:00 becomes 03:00, so 02:30 never happens. campaign-guard reads "
    "such a time as the moment it would be with the old clocks (03:30), which is likely "
    "not what was meant. Write the time you want as it will show on the clock.",
    bad=campaign(("start: 2027-03-15 09:00", "start: 2027-03-28 02:30")),
    good=campaign(("start: 2027-03-15 09:00", "start: 2027-03-28 03:30")),
)


def check(loaded: LoadedSpec, spec: CampaignSpec, policy: LintPolicy) -> Iterator[Finding]:
    for loc, change in written_changes(spec.written_times(), spec.launch.zone):
        if change.skipped:
            yield found(RULE, loaded, loc, change.message)
