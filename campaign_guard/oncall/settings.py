"""The ``oncall:`` section of the project file, and the provider it describes.

Three kinds, chosen by ``provider``::

    oncall: {provider: fixed, name: Ana Ops, email: ana@example.com}

    oncall:
      provider: rotation
      timezone: Europe/Paris
      handoff: {weekday: monday, time: "09:00"}
      start: 2027-01-04
      people: [{name: Ana Ops, email: ana@example.com}, ...]

    oncall: {provider: pagerduty, schedule_id: PABC123}

The PagerDuty token is read only from the ``PAGERDUTY_TOKEN`` environment variable.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

from campaign_guard.oncall.base import (
    ENV_TOKEN,
    JiraIdentity,
    OnCallError,
    OnCallPerson,
    OnCallProvider,
)
from campaign_guard.oncall.fixed import FixedUser
from campaign_guard.oncall.rotation import WEEKDAYS, Rotation

if TYPE_CHECKING:
    import requests
from campaign_guard.spec.campaign import time_zone
from campaign_guard.spec.types import Email, PlainText

_STRICT = ConfigDict(extra="forbid", frozen=True, defer_build=True)

Weekday = Literal["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]

_ACCOUNT_ID = Field(
    None,
    description="Jira Cloud accountId of this person (Jira Cloud assigns issues by it); "
    "find it in the URL of their Jira profile page.",
)
_USER_NAME = Field(
    None,
    description="Jira Data Center / Server user name of this person (Data Center "
    "assigns issues by it).",
)


class PersonSettings(BaseModel):
    """One engineer who can be on call."""

    model_config = _STRICT

    name: PlainText = Field(description="Full name, as it should appear in the ticket.")
    email: Email = Field(description="Work email address.")
    jira_account_id: PlainText | None = _ACCOUNT_ID
    jira_user_name: PlainText | None = _USER_NAME

    def person(self) -> OnCallPerson:
        return OnCallPerson(self.name, self.email, self.jira_account_id, self.jira_user_name)


class FixedSettings(PersonSettings):
    """The same engineer is always assigned."""

    provider: Literal["fixed"] = Field(description="Always assign the person given here.")


class Handoff(BaseModel):
    """When one week's on-call hands over to the next person."""

    model_config = _STRICT

    weekday: Weekday = Field(description="Day of the week of the handoff, e.g. monday.")
    time: dt.time = Field(
        description="Local wall-clock time of the handoff in the rotation's time zone, "
        'e.g. "09:00" (quote it in YAML). It follows daylight-saving changes.'
    )

    @field_validator("time", mode="before")
    @classmethod
    def _quoted_time(cls, value: Any) -> Any:
        if isinstance(value, int):  # YAML 1.1 reads an unquoted 9:00 as 540
            raise PydanticCustomError(
                "invalid_value", 'write the time in quotes as HH:MM, like "09:00"'
            )
        return value


class RotationSettings(BaseModel):
    """A weekly rotation: each person in turn, one week each, in the order listed."""

    model_config = _STRICT

    provider: Literal["rotation"] = Field(description="A weekly rotation kept in this file.")
    timezone: str = Field(
        max_length=64,
        description="IANA time zone of the handoff time, e.g. Europe/Paris.",
    )
    handoff: Handoff = Field(description="Day and time at which the week changes hands.")
    start: dt.date = Field(
        description="The rotation begins at the first handoff on or after this date, "
        "with the first person listed; e.g. 2027-01-04.",
    )
    people: list[PersonSettings] = Field(
        min_length=1,
        description="The engineers in rotation order; after the last comes the first again.",
    )

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        time_zone(value)
        return value


class JiraMapping(BaseModel):
    """How Jira knows a PagerDuty user, matched by email address."""

    model_config = _STRICT

    email: Email = Field(description="The user's email address in PagerDuty.")
    jira_account_id: PlainText | None = _ACCOUNT_ID
    jira_user_name: PlainText | None = _USER_NAME


class PagerDutySettings(BaseModel):
    """Ask PagerDuty who is on call (level 1). The token comes from PAGERDUTY_TOKEN."""

    model_config = _STRICT

    provider: Literal["pagerduty"] = Field(description="Ask PagerDuty's REST API.")
    schedule_id: PlainText | None = Field(
        None,
        description="ID of the PagerDuty schedule, e.g. PABC123 (the last part of the "
        "schedule's URL). Give this or escalation_policy_id.",
    )
    escalation_policy_id: PlainText | None = Field(
        None,
        description="ID of the PagerDuty escalation policy whose level 1 is asked, e.g. "
        "PXYZ789. Give this or schedule_id.",
    )
    people: list[JiraMapping] = Field(
        default_factory=list,
        description="Optional: Jira ids for PagerDuty users, matched by email. Anyone not "
        "listed is looked up in Jira by email.",
    )

    @model_validator(mode="after")
    def _one_target(self) -> PagerDutySettings:
        if (self.schedule_id is None) == (self.escalation_policy_id is None):
            raise PydanticCustomError(
                "invalid_value", "give exactly one of schedule_id and escalation_policy_id"
            )
        return self


OnCallSettings = Annotated[
    FixedSettings | RotationSettings | PagerDutySettings,
    Field(discriminator="provider"),
]
"""The ``oncall:`` section: pick the provider with ``provider: fixed|rotation|pagerduty``."""


def provider_from(
    settings: FixedSettings | RotationSettings | PagerDutySettings,
    environ: Mapping[str, str],
    session: requests.Session | None = None,
) -> OnCallProvider:
    """The provider ``settings`` describe; secrets come from ``environ`` only."""
    if isinstance(settings, FixedSettings):
        return FixedUser(settings.person())
    if isinstance(settings, RotationSettings):
        return Rotation(
            people=[p.person() for p in settings.people],
            handoff_weekday=WEEKDAYS.index(settings.handoff.weekday),
            handoff_time=settings.handoff.time,
            timezone=time_zone(settings.timezone),
            start=settings.start,
        )
    token = environ.get(ENV_TOKEN, "").strip()
    if not token:
        raise OnCallError(
            f"the on-call provider is PagerDuty but {ENV_TOKEN} is not set: set it to a "
            "PagerDuty REST API token with read access"
        )
    from campaign_guard.oncall.pagerduty import PagerDuty  # needs requests: only now

    return PagerDuty(
        token,
        schedule_id=settings.schedule_id,
        escalation_policy_id=settings.escalation_policy_id,
        users_by_email={
            m.email: JiraIdentity(m.jira_account_id, m.jira_user_name) for m in settings.people
        },
        session=session,
    )
