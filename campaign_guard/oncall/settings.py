"""The ``oncall:`` section of the project file: one settings model per provider.

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
A ``provider`` that names none of these is an error at its line, with the providers
there are; :mod:`campaign_guard.oncall.providers` turns the settings into a provider.
"""

from __future__ import annotations

import datetime as dt
import difflib
from typing import Annotated, Any, Literal, get_args

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_core import InitErrorDetails, PydanticCustomError

from campaign_guard.oncall.base import OnCallPerson
from campaign_guard.spec.campaign import time_zone
from campaign_guard.spec.field_errors import custom_error
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


ProviderSettings = FixedSettings | RotationSettings | PagerDutySettings
"""The settings of one provider (each registered in :mod:`campaign_guard.oncall.providers`)."""


def provider_name(model: type[BaseModel]) -> str:
    """The provider a settings model is for: the value its ``provider`` field takes."""
    return str(get_args(model.model_fields["provider"].annotation)[0])


PROVIDER_NAMES = tuple(provider_name(model) for model in get_args(ProviderSettings))
"""Every provider ``provider:`` may name, in the order the README lists them."""


def _known_provider(value: Any) -> Any:
    """An ``oncall:`` section naming no provider, or one that does not exist, is refused
    at ``provider``, with the providers there are (never taken for another one)."""
    if not isinstance(value, dict):
        return value  # the section itself is wrong; the models say how
    names = ", ".join(PROVIDER_NAMES)
    if "provider" not in value:
        problem = custom_error("missing_field", "needs `provider:` (one of {names})", names=names)
    elif value["provider"] not in PROVIDER_NAMES:
        given = str(value["provider"])[:60]
        close = difflib.get_close_matches(given, PROVIDER_NAMES, n=1, cutoff=0.6)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        problem = custom_error(
            "invalid_value",
            "unknown on-call provider '{given}'{hint}; the providers are {names}",
            given=given,
            hint=hint,
            names=names,
        )
    else:
        return value
    detail = InitErrorDetails(type=problem, loc=("provider",), input=value.get("provider"))
    raise ValidationError.from_exception_data("OnCallSettings", [detail])


OnCallSettings = Annotated[
    ProviderSettings, Field(discriminator="provider"), BeforeValidator(_known_provider)
]
"""The ``oncall:`` section: pick the provider with ``provider: fixed|rotation|pagerduty``."""
