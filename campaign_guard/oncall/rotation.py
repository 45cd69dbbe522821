"""A weekly rotation kept in the project file: one person per week, in list order."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta, tzinfo
from datetime import timezone as dt_timezone

from campaign_guard.oncall.base import OnCallError, OnCallPerson, require_aware

_UTC = dt_timezone.utc
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


class Rotation:
    """Person ``i`` is on call from the ``i``-th handoff (counting from 0) to the next.

    Handoffs happen every week on ``handoff_weekday`` (0 = Monday, as ``date.weekday()``)
    at the local wall time ``handoff_time`` in ``timezone``, so they follow DST changes.
    The first handoff is the first such day on or after ``start``; the list wraps around.
    """

    def __init__(
        self,
        people: Sequence[OnCallPerson],
        handoff_weekday: int,
        handoff_time: time,
        timezone: tzinfo,
        start: date,
    ) -> None:
        if not people:
            raise ValueError("a rotation needs at least one person")
        if not 0 <= handoff_weekday <= 6:
            raise ValueError(f"handoff_weekday must be 0 (Monday) to 6, got {handoff_weekday}")
        if handoff_time.tzinfo is not None:
            raise ValueError("handoff_time is a local wall time: give it without a tzinfo")
        self.people = tuple(people)
        self.handoff_weekday = handoff_weekday
        self.handoff_time = handoff_time
        self.timezone = timezone
        self.first_handoff_day = start + timedelta(days=(handoff_weekday - start.weekday()) % 7)

    def __repr__(self) -> str:
        return (
            f"Rotation({len(self.people)} people, {WEEKDAYS[self.handoff_weekday]} "
            f"{self.handoff_time:%H:%M} {self.timezone}, from {self.first_handoff_day})"
        )

    def handoff(self, week: int) -> datetime:
        """The instant (in UTC) of handoff number ``week`` (0 is the first)."""
        day = self.first_handoff_day + timedelta(weeks=week)
        local = datetime.combine(day, self.handoff_time, tzinfo=self.timezone)
        return local.astimezone(_UTC)

    def on_call(self, at: datetime) -> OnCallPerson:
        instant = require_aware(at).astimezone(_UTC)
        local_day = instant.astimezone(self.timezone).date()
        week = (local_day - self.first_handoff_day).days // 7
        if instant < self.handoff(week):
            week -= 1
        if week < 0:
            first = self.handoff(0).astimezone(self.timezone)
            raise OnCallError(
                f"the on-call rotation starts at its first handoff, {first:%Y-%m-%d %H:%M} "
                f"({self.timezone}); nobody is on call at {at.isoformat()}. "
                "Move the rotation's start earlier in the project file."
            )
        return self.people[week % len(self.people)]
