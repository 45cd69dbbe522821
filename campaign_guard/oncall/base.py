"""What every on-call provider answers: who is on call at a given moment."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from campaign_guard.errors import CampaignGuardError, ExitCode

ENV_TOKEN = "PAGERDUTY_TOKEN"
"""The environment variable that holds the PagerDuty API token (never the project file)."""


class OnCallError(CampaignGuardError):
    """The on-call provider failed, refused, or has nobody on call at that time."""

    exit_code = ExitCode.EXTERNAL


@dataclass(frozen=True)
class OnCallPerson:
    """The engineer to assign: Jira Cloud assigns by account id, Data Center by user name."""

    name: str
    email: str
    jira_account_id: str | None = None
    jira_user_name: str | None = None

    @property
    def contact(self) -> str:
        """``Dana Ops <dana@example.com>``: how tickets and messages name the person."""
        return f"{self.name} <{self.email}>"


@dataclass(frozen=True)
class JiraIdentity:
    """How Jira knows a person: ``account_id`` on Cloud, ``user_name`` on Data Center."""

    account_id: str | None = None
    user_name: str | None = None


class OnCallProvider(Protocol):
    """Anything that can say who is on call at a moment."""

    def on_call(self, at: datetime) -> OnCallPerson:
        """The person on call at ``at`` (timezone-aware); raises :class:`OnCallError`."""
        ...


def require_aware(at: datetime) -> datetime:
    """``at`` itself; a naive datetime is a programming error, so ``ValueError``."""
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError(f"on_call() needs a timezone-aware datetime, got naive {at.isoformat()}")
    return at
