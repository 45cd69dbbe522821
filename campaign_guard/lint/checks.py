"""Checks beyond the schema: what a valid spec can still get wrong.

Each check is a pure function of the spec (and the clock and policy passed in): it
returns findings and never prints. The runner adds the file-level context.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from campaign_guard.lint.findings import Finding, Level
from campaign_guard.lint.rules import rule
from campaign_guard.loadmodel.gaps import spec_gaps
from campaign_guard.spec.bounds import MAX_AHEAD
from campaign_guard.spec.campaign import CampaignSpec, say_when
from campaign_guard.spec.clock_changes import skipped_or_repeated
from campaign_guard.spec.load import Loaded, LoadedSpec
from campaign_guard.spec.messages import format_path
from campaign_guard.spec.zones import legacy_warning

DAY = timedelta(days=1)
DEFAULT_LEAD_TIME_BUSINESS_DAYS = 3
"""Notice DevOps needs before a launch: time to review, scale and add rate limits."""


@dataclass(frozen=True)
class LintPolicy:
    """What the date checks compare against. ``now`` must carry a time zone."""

    now: datetime
    lead_time_business_days: int = DEFAULT_LEAD_TIME_BUSINESS_DAYS


def finding(
    loaded: Loaded[Any],
    loc: Sequence[str | int],
    code: str,
    message: str,
    level: Level | None = None,
) -> Finding:
    """A finding of ``code`` at the place ``loc`` names in ``loaded``'s document.

    ``level`` defaults to the rule's; estimate notes, which are no lint rules, give it.
    """
    line, column = loaded.position(loc)
    level = rule(code).level if level is None else level
    return Finding(loaded.path, line, column, level, code, message, format_path(loc) or None)


def check_spec(loaded: LoadedSpec, policy: LintPolicy) -> list[Finding]:
    """Every single-file check on a spec that passed the schema."""
    spec = loaded.value
    if spec is None:
        return []
    return [
        *_legacy_zone(loaded, ("launch", "timezone"), spec.launch.timezone),
        *_dates(loaded, spec, policy),
        *_far_ahead(loaded, spec, policy),
        *_clock_changes(loaded, spec),
        *_privacy(loaded, spec),
        *_uncounted(loaded, spec),
    ]


def check_profile(loaded: Loaded[Any]) -> list[Finding]:
    """Every check on a capacity profile that passed the schema."""
    profile = loaded.value
    if profile is None:
        return []
    return list(_legacy_zone(loaded, ("timezone",), profile.timezone))


def _legacy_zone(loaded: Loaded[Any], loc: tuple[str, ...], name: str | None) -> Iterator[Finding]:
    warning = None if name is None else legacy_warning(name)
    if warning is not None:
        yield finding(loaded, loc, "legacy-timezone", warning)


def _dates(loaded: LoadedSpec, spec: CampaignSpec, policy: LintPolicy) -> Iterator[Finding]:
    launch = spec.launch
    zone = launch.zone
    start = launch.start.astimezone(zone)
    now = policy.now.astimezone(zone)
    where = ("launch", "start")
    if launch.ends <= now:
        yield finding(
            loaded,
            where,
            "launch-in-past",
            f"this campaign already ended ({say_when(launch.ends.astimezone(zone))}); "
            "move the file out of the campaigns folder or update its dates",
        )
    elif start <= now:
        yield finding(
            loaded,
            where,
            "launch-in-past",
            f"the launch ({say_when(start)}) is in the past; update the date if it moved",
        )
    else:
        needed = policy.lead_time_business_days
        earliest = add_business_days(now, needed)
        if start.date() < earliest.date():
            days = business_days_between(now.date(), start.date())
            yield finding(
                loaded,
                where,
                "short-lead-time",
                f"the launch ({say_when(start)}) is {_days(days)} away; the capacity review "
                f"needs {_days(needed)} of notice, so tell DevOps today or move the launch "
                f"to {_day(earliest)} or later",
            )


def _far_ahead(loaded: LoadedSpec, spec: CampaignSpec, policy: LintPolicy) -> Iterator[Finding]:
    """A launch more than :data:`MAX_AHEAD` after now: the wrong year, most likely."""
    start, zone = spec.launch.start, spec.launch.zone
    if start - policy.now > MAX_AHEAD:
        days = math.ceil((start - policy.now) / DAY)
        latest = say_when((policy.now + MAX_AHEAD).astimezone(zone))
        yield finding(
            loaded,
            ("launch", "start"),
            "out-of-range",
            f"the launch ({say_when(start.astimezone(zone))}) is {days:,} days away; a launch "
            f"is at most two years ahead ({MAX_AHEAD.days} days, until {latest}): check the "
            "year",
        )


def _clock_changes(loaded: LoadedSpec, spec: CampaignSpec) -> Iterator[Finding]:
    """A time written without an offset that the clocks skip or repeat that day."""
    zone = spec.launch.zone
    for loc, moment in spec.written_times():
        found = skipped_or_repeated(moment, zone)
        if found is not None:
            yield finding(loaded, loc, *found)


def _privacy(loaded: LoadedSpec, spec: CampaignSpec) -> Iterator[Finding]:
    for index, data_field in enumerate(spec.new_data_fields):
        if data_field.personal_data and not data_field.privacy_review:
            yield finding(
                loaded,
                ("new_data_fields", index, "personal_data"),
                "privacy-review",
                f"'{data_field.name}' is personal data: it needs a privacy review; add "
                "`privacy_review:` with the review's ticket or link once it is approved",
            )


def _uncounted(loaded: LoadedSpec, spec: CampaignSpec) -> Iterator[Finding]:
    """Traffic the estimate would leave out: the same condition as its notes."""
    for index, gap in spec_gaps(spec):
        yield finding(loaded, ("traffic", index, gap.field), "uncounted-traffic", gap.message)


@dataclass(frozen=True)
class IdSite:
    """Where a file states its campaign id: all the duplicate check keeps of a file."""

    campaign_id: str
    path: str
    loc: tuple[str]
    line: int
    column: int


def id_site(loaded: LoadedSpec) -> IdSite | None:
    """The campaign id of a valid spec and the line it comes from (``id``, else ``name``)."""
    spec = loaded.value
    if spec is None:
        return None
    loc = ("id",) if spec.id else ("name",)
    return IdSite(spec.campaign_id, loaded.path, loc, *loaded.position(loc))


def check_duplicate_ids(sites: Sequence[IdSite]) -> list[Finding]:
    """Two files describing the same campaign id (each file gets a finding)."""
    by_id: dict[str, list[IdSite]] = {}
    for site in sites:
        by_id.setdefault(site.campaign_id, []).append(site)
    level = rule("duplicate-id").level
    findings: list[Finding] = []
    for campaign_id, same in by_id.items():
        if len(same) < 2:
            continue
        for site in same:
            others = ", ".join(f"{o.path}:{o.line}" for o in same if o is not site)
            message = (
                f"campaign id '{campaign_id}' is also used by {others}; give each campaign "
                "its own `id` (or name)"
            )
            findings.append(
                Finding(
                    site.path,
                    site.line,
                    site.column,
                    level,
                    "duplicate-id",
                    message,
                    format_path(site.loc),
                )
            )
    return findings


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
