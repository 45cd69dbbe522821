"""``launch-in-past``: the launch, or the whole campaign, is already over."""

from __future__ import annotations

from collections.abc import Iterator

from campaign_guard.lint.findings import Finding, Level
from campaign_guard.lint.policy import LintPolicy, found
from campaign_guard.lint.rule import Rule, campaign
from campaign_guard.spec.campaign import CampaignSpec, say_when
from campaign_guard.spec.load import LoadedSpec

RULE = Rule(
    "launch-in-past",
    Level.WARNING,
    "The launch date is already in the past.",
    "The launch (or the whole campaign) is earlier than today. Either the date moved and "
    "the file was not updated, or the campaign is over and its file is still among the "
    "campaigns to review. DevOps plans from these dates, so a stale one hides the real "
    "launch: update `start`, or move the file of a finished campaign out of the folder.",
    bad=campaign(("start: 2027-03-15 09:00", "start: 2027-02-01 09:00   # a month ago")),
    good=campaign(("start: 2027-03-15 09:00", "start: 2027-03-15 09:00   # in two weeks")),
)


def check(loaded: LoadedSpec, spec: CampaignSpec, policy: LintPolicy) -> Iterator[Finding]:
    launch = spec.launch
    zone = launch.zone
    start = launch.start.astimezone(zone)
    now = policy.now.astimezone(zone)
    where = ("launch", "start")
    if launch.ends <= now:
        yield found(
            RULE,
            loaded,
            where,
            f"this campaign already ended ({say_when(launch.ends.astimezone(zone))}); "
            "move the file out of the campaigns folder or update its dates",
        )
    elif start <= now:
        yield found(
            RULE,
            loaded,
            where,
            f"the launch ({say_when(start)}) is in the past; update the date if it moved",
        )
