"""The ``pagerduty:`` section of the project file: change events on approval.

::

    pagerduty:
      change_events:
        on_approve: true                               # review KEY --approve sends one
        events_url: https://events.eu.pagerduty.com    # optional: EU service region

The routing key (the integration key of an Events API v2 integration on a service) is
read only from ``PAGERDUTY_CHANGE_ROUTING_KEY``. Who is on call is another matter, set
under ``oncall:``.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_validator
from pydantic_core import PydanticCustomError

from campaign_guard.service_url import safe_service_url

DEFAULT_EVENTS_URL = "https://events.pagerduty.com"
"""PagerDuty's Events API (US service region)."""
EU_EVENTS_URL = "https://events.eu.pagerduty.com"
"""The Events API of an account in PagerDuty's EU service region."""

_STRICT = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class ChangeEventSettings(BaseModel):
    """When campaign-guard sends PagerDuty a change event, and where."""

    model_config = _STRICT

    on_approve: bool = Field(
        False,
        description="Send one change event when `review KEY --approve` approves a "
        "campaign (once per approval), to the service whose integration key is in "
        "PAGERDUTY_CHANGE_ROUTING_KEY.",
    )
    events_url: str = Field(
        DEFAULT_EVENTS_URL,
        max_length=1000,
        description="PagerDuty's Events API address: https://events.pagerduty.com, or "
        "https://events.eu.pagerduty.com for an account in the EU service region.",
    )

    @field_validator("events_url")
    @classmethod
    def _https(cls, value: str) -> str:
        if not safe_service_url(value):
            raise PydanticCustomError(
                "invalid_value",
                "must be the https:// address of PagerDuty's Events API, like "
                "https://events.pagerduty.com",
            )
        return value.strip().rstrip("/")


class PagerDutyEventSettings(BaseModel):
    """What campaign-guard tells PagerDuty (the ``pagerduty:`` section)."""

    model_config = _STRICT

    change_events: ChangeEventSettings = Field(
        default_factory=ChangeEventSettings,
        description="Change events: a launch approved in review shows on the service's "
        "timeline and its incidents.",
    )
