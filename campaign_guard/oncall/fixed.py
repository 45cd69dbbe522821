"""The simplest provider: the same person is always on call."""

from __future__ import annotations

from datetime import datetime

from campaign_guard.oncall.base import OnCallPerson, require_aware


class FixedUser:
    """Always answers with ``person``."""

    def __init__(self, person: OnCallPerson) -> None:
        self.person = person

    def __repr__(self) -> str:
        return f"FixedUser({self.person!r})"

    def on_call(self, at: datetime) -> OnCallPerson:
        require_aware(at)
        return self.person
