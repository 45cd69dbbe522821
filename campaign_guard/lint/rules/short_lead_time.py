"""``short-lead-time``: the launch is sooner than DevOps needs to review it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta

from campaign_guard.lint.findings import Finding, Level
from campaign_guard.lint.policy import LintPolicy, found
from campaign_guard.lint.rule import Rule, campaign
from campaign_guard.spec.campaign import CampaignSpec, say_when
from campaign_guard.spec.load import LoadedSpec

RULE = Rule(
    "short-lead-time",
    Level.WARNING,
    "The launch is sooner than the review lead time.",
    "DevOps needs some business days of notice before a launch (3 unless the project "
    "file's `lint.lead_time_business_days` says otherwise) to review the load, add "
    "servers and set rate limits. A launch sooner than that may go out before anyone is "
    "ready for its traffic. Tell DevOps today, or move the launch to the day the message "
    "names or later.",
    bad=campaign(("start: 2027-03-15 09:00", "start: 2027-03-02 09:00   # tomorrow")),
    good=campaign(("start: 2027-03-15 09:00", "start: 2027-03-15 09:00   # in two weeks")),
)


def check(loaded: LoadedSpec, spec: CampaignSpec, policy: LintPolicy) -> Iterator[Finding]:
    zone = spec.launch.zone
    start = spec.launch.start.astimezone(zone)
    now = policy.now.astimezone(zone)
    if start <= now:
        return  # launch-in-past says so
    needed = policy.lead_time_business_days
    earliest = add_business_days(now, needed)
    if start.date() < earliest.date():
        days = business_days_between(now.date(), start.date())
        yield found(
            RULE,
            loaded,
            ("launch", "start"),
            f"the launch ({say_when(start)}) is {_days(days)} away; the capacity review "
            f"needs {_days(needed)} of notice, so tell DevOps today or move the launch "
            f"to {_day(earliest)} or later",
        )


def add_business_days(moment: datetime, days: int) -> datetime:
    """``moment`` plus ``days`` working days (Monday to Friday; holidays are not known)."""
    result = moment
    while days > 0:
        result += timedelta(days=1)
        if result.weekday() < 5:
            days -= 1
    return result


def business_days_between(first: date, last: date) -> int:
    """Working days after ``first`` up to and including ``last``."""
    count, day = 0, first
    while day < last:
        day += timedelta(days=1)
        if day.weekday() < 5:
            count += 1
    return count


def _days(count: int) -> str:
    return f"{count} business day" + ("" if count == 1 else "s")


def _day(moment: datetime) -> str:
    """``Wed 8 Dec 2027``."""
    return f"{moment:%a} {moment.day} {moment:%b %Y}"
