"""The project file's model: ``campaign-guard.yaml``, or ``[tool.campaign-guard]`` in
``pyproject.toml``.

Imported only when a project file is read
(:func:`campaign_guard.config.settings.load_project_config`): building these models, and
the Jira and on-call settings they hold, is start-up time a command run without a
project file does not pay.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_validator

from campaign_guard.jira.settings import JiraSettings
from campaign_guard.lint.policy import DEFAULT_LEAD_TIME_BUSINESS_DAYS
from campaign_guard.lint.rule import Setting
from campaign_guard.oncall.change_settings import PagerDutyEventSettings
from campaign_guard.oncall.settings import OnCallSettings


class LintSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    lead_time_business_days: int = Field(
        DEFAULT_LEAD_TIME_BUSINESS_DAYS,
        ge=0,
        le=60,
        description="Business days of notice DevOps needs before a launch.",
    )
    rules: dict[str, Setting] = Field(
        default_factory=dict,
        max_length=100,
        description="A level for some rules, by code: error, warning or off "
        "(`campaign-guard rules` lists them).",
    )

    @field_validator("rules", mode="before")
    @classmethod
    def _known_rules(cls, value: object) -> object:
        if isinstance(value, dict) and value:
            from campaign_guard.lint.rules.settings import check_settings

            check_settings(value)
        return value


class EstimateSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    capacity: str | None = Field(
        None,
        max_length=1000,
        description="The capacity profile to estimate against, relative to this file.",
    )


class ProjectConfig(BaseModel):
    """The project file: ``campaign-guard.yaml``, or ``[tool.campaign-guard]`` in pyproject.toml."""

    # defer_build: the validators are built only when a project file is read, so commands
    # run without one (and lint) do not pay for the submit settings.
    model_config = ConfigDict(
        extra="forbid", frozen=True, title="campaign-guard project config", defer_build=True
    )

    lint: LintSettings = Field(default_factory=LintSettings)
    estimate: EstimateSettings = Field(default_factory=EstimateSettings)
    templates: str | None = Field(
        None,
        min_length=1,
        max_length=1000,
        description="A folder of Jinja2 templates that override the built-in ones by file "
        "name (ticket-summary.txt.j2, ticket-description.jira.j2, ticket-comment.jira.j2, "
        "ticket-resubmitted.jira.j2), relative to this file.",
    )
    jira: JiraSettings | None = Field(
        None, description="Where the campaign launch tickets go (used by submit)."
    )
    oncall: OnCallSettings | None = Field(
        None, description="Who is on call, to assign the tickets to (used by submit)."
    )
    pagerduty: PagerDutyEventSettings | None = Field(
        None,
        description="What campaign-guard tells PagerDuty: change_events.on_approve sends "
        "a change event when review approves a campaign (routing key from "
        "PAGERDUTY_CHANGE_ROUTING_KEY).",
    )
