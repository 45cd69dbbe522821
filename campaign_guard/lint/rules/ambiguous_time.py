"""``ambiguous-time``: a time that happens twice that day."""

from __future__ import annotations

from collections.abc import Iterator

from campaign_guard.lint.findings import Finding, Level
from campaign_guard.lint.policy import LintPolicy, found
from campaign_guard.lint.rule import Rule, campaign
from campaign_guard.spec.campaign import CampaignSpec
from campaign_guard.spec.clock_changes import written_changes
from campaign_guard.spec.load import LoadedSpec

RULE = Rule(
    "ambiguous-time",
    Level.WARNING,
    "A time that happens twice that day (daylight saving time ends); the message says "
    "which of the two is used.",
    "On the day daylight saving time ends, the clocks go back an hour: in Paris on "
    "31 October 2027, 03:00 becomes 02:00 again, so 02:30 happens twice. campaign-guard "
    "takes the first; the message says how to write the second, with its offset "
    "(`2027-10-31 02:30+01:00`). Pick another time, or write the offset to say which one.",
    bad=campaign(("start: 2027-03-15 09:00", "start: 2027-10-31 02:30")),
    good=campaign(("start: 2027-03-15 09:00", 'start: "2027-10-31 02:30+01:00"')),
)


def check(loaded: LoadedSpec, spec: CampaignSpec, policy: LintPolicy) -> Iterator[Finding]:
    for loc, change in written_changes(spec.written_times(), spec.launch.zone):
        if not change.skipped:
            yield found(RULE, loaded, loc, change.message)
