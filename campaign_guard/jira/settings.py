"""The ``jira:`` section of the project file, and Jira credentials from the environment.

Jira Cloud (``*.atlassian.net``) authenticates with an account email and an API token
(HTTP Basic); Jira Data Center with a personal access token (Bearer). Tokens are read
only from the environment, never from the project file or a flag, and are kept in a
:class:`Secret` whose ``repr`` and ``str`` hide them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated, Literal
from urllib.parse import urlsplit

from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from campaign_guard.errors import SetupError
from campaign_guard.secret import Secret
from campaign_guard.service_url import safe_service_url

ENV_CLOUD_EMAIL = "JIRA_EMAIL"
ENV_CLOUD_TOKEN = "JIRA_API_TOKEN"
ENV_DC_TOKEN = "JIRA_PAT"

DEFAULT_ISSUE_TYPE = "Marketing Campaign Launch"

# The review fields a project may map to Jira fields (by display name or id).
REVIEW_FIELDS = (
    "campaign_name",
    "launch",
    "expected_traffic",
    "targets",
    "new_data_fields",
    "verdict",
)


PROJECT_KEY = re.compile(r"[A-Z][A-Z0-9_]{1,9}\Z")
"""Jira's default project key rule: an uppercase letter, then uppercase letters, digits
or underscores, at most 10 characters in all."""
ISSUE_KEY = re.compile(r"[A-Z][A-Z0-9_]{1,9}-[1-9][0-9]{0,9}\Z")
"""An issue key: a project key, a dash, the issue's number (``OPS-42``)."""


class SavedField(BaseModel):
    """A Jira field as ``campaign-guard jira fields --save`` writes it under ``jira.fields``.

    It holds what ``submit`` needs to format a value, so that no create screen has to
    be read: the field's id, Jira's ``schema.type``, for text fields the kind of text
    (``schema.custom``: one line, several lines or a URL), for select lists the options.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    id: str = Field(
        pattern=r"^[A-Za-z][A-Za-z0-9_]{0,99}$",
        description="The Jira field's id, e.g. customfield_10050.",
    )
    type: Literal["string", "number", "date", "datetime", "option"] = Field(
        description="Jira's type of the field (its schema.type)."
    )
    custom: str | None = Field(
        None,
        min_length=1,
        max_length=255,
        description="For text fields, Jira's kind of text (schema.custom): textfield, "
        "textarea (several lines) or url.",
    )
    options: list[str] = Field(
        default_factory=list,
        max_length=200,
        description="For select lists (type: option), the option values.",
    )

    @model_validator(mode="after")
    def _options_of_select_lists(self) -> SavedField:
        if self.type == "option" and not self.options:
            raise PydanticCustomError(
                "invalid_value",
                "a select list (type: option) needs its options; `campaign-guard jira "
                "fields --save` saves them",
            )
        if self.type != "option" and self.options:
            raise PydanticCustomError(
                "invalid_value", "only a select list (type: option) has options"
            )
        return self


def _mapping_kind(value: object) -> str:
    return "saved" if isinstance(value, dict | SavedField) else "name"


FieldMapping = Annotated[
    Annotated[str, Tag("name")] | Annotated[SavedField, Tag("saved")],
    Discriminator(_mapping_kind),
]
"""A review field's Jira field: its display name or id, or its saved definition."""


class ReviewTransitions(BaseModel):
    """The workflow transition each decision makes, by id or name (any case)."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    approve: str | None = Field(None, min_length=1, max_length=255)
    reject: str | None = Field(None, min_length=1, max_length=255)
    request_changes: str | None = Field(None, min_length=1, max_length=255)

    def for_decision(self, decision: str) -> str | None:
        """The transition configured for ``approve``, ``reject`` or ``request-changes``."""
        value = getattr(self, decision.replace("-", "_"), None)
        return value if isinstance(value, str) else None


class ReviewSettings(BaseModel):
    """What ``campaign-guard review`` does in Jira beyond its comment and property."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    transitions: ReviewTransitions = Field(
        default_factory=ReviewTransitions,
        description="The workflow transition of each decision (approve, reject, "
        "request_changes), by id or name, e.g. approve: Approve; none: no transition.",
    )


class JiraSettings(BaseModel):
    """Where and how campaign-guard files the campaign launch ticket."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    site: str = Field(
        description="The Jira site, e.g. https://example.atlassian.net (Cloud) or "
        "https://jira.example.com (Data Center).",
        max_length=500,
    )
    deployment: Literal["cloud", "data-center"] | None = Field(
        None,
        description="cloud or data-center; by default *.atlassian.net is cloud, any other "
        "site data-center.",
    )
    project: str = Field(description="The project key the tickets go to, e.g. OPS.")
    issue_type: str = Field(
        DEFAULT_ISSUE_TYPE,
        max_length=255,
        description="The issue type's name, or its id (e.g. 10050: one request fewer "
        "when the create screen is read).",
    )
    fields: dict[str, FieldMapping] = Field(
        default_factory=dict,
        description="Review fields mapped to Jira fields by display name or id, or as "
        "`campaign-guard jira fields --save` saves them ({id, type, ...}): "
        + ", ".join(REVIEW_FIELDS),
    )
    labels: list[str] = Field(default_factory=list, max_length=20)
    components: list[str] = Field(default_factory=list, max_length=20)
    review: ReviewSettings = Field(
        default_factory=ReviewSettings,
        description="What review decisions do in Jira: transitions.approve, "
        "transitions.reject, transitions.request_changes (transition ids or names).",
    )
    timeout_seconds: float = Field(30, gt=0, le=300, description="Per request.")
    retry_budget_seconds: float = Field(
        120,
        ge=1,
        le=900,
        description="The most a command that talks to Jira may take, start-up included: "
        "retries, waits Jira asks for and the search for a ticket whose create went "
        "unanswered all stop by then.",
    )

    @field_validator("site")
    @classmethod
    def _https_site(cls, value: str) -> str:
        # Plain http only for a Jira on this machine: the token never crosses a
        # network in clear text.
        if not safe_service_url(value):
            raise PydanticCustomError(
                "invalid_value", "must be the https:// address of the Jira site"
            )
        return value.strip().rstrip("/")

    @field_validator("issue_type", mode="before")
    @classmethod
    def _id_as_text(cls, value: object) -> object:
        """``issue_type: 10050`` (a YAML number) is the issue type's id."""
        return str(value) if isinstance(value, int) and not isinstance(value, bool) else value

    @field_validator("project")
    @classmethod
    def _project_key(cls, value: str) -> str:
        if not PROJECT_KEY.match(value):
            raise PydanticCustomError(
                "invalid_value",
                "must be a Jira project key: 2-10 capital letters, digits or _, starting "
                "with a letter (e.g. OPS)",
            )
        return value

    @field_validator("fields")
    @classmethod
    def _known_fields(cls, value: dict[str, FieldMapping]) -> dict[str, FieldMapping]:
        for name in value:
            if name not in REVIEW_FIELDS:
                raise PydanticCustomError(
                    "invalid_value",
                    "unknown review field '{name}' (the fields are: {known})",
                    {"name": name[:60], "known": ", ".join(REVIEW_FIELDS)},
                )
        return value

    @field_validator("labels")
    @classmethod
    def _labels_without_spaces(cls, value: list[str]) -> list[str]:
        for label in value:
            if not label or any(ch.isspace() for ch in label) or len(label) > 255:
                raise PydanticCustomError(
                    "invalid_value", "Jira labels cannot be empty or contain spaces"
                )
        return value

    @property
    def is_cloud(self) -> bool:
        if self.deployment is not None:
            return self.deployment == "cloud"
        return (urlsplit(self.site).hostname or "").endswith(".atlassian.net")


@dataclass(frozen=True)
class Credentials:
    """Basic auth (Cloud: email + API token) or a bearer token (Data Center: PAT)."""

    scheme: Literal["basic", "bearer"]
    token: Secret
    email: str | None = None


def credentials(settings: JiraSettings, environ: Mapping[str, str]) -> Credentials:
    """The credentials for ``settings``' deployment, from the environment only."""
    if settings.is_cloud:
        email, token = environ.get(ENV_CLOUD_EMAIL, ""), environ.get(ENV_CLOUD_TOKEN, "")
        missing = [n for n, v in ((ENV_CLOUD_EMAIL, email), (ENV_CLOUD_TOKEN, token)) if not v]
        if missing:
            raise SetupError(
                f"Jira Cloud needs {' and '.join(missing)} in the environment "
                "(an Atlassian account email and its API token)"
            )
        return Credentials("basic", Secret(token), email)
    token = environ.get(ENV_DC_TOKEN, "")
    if not token:
        raise SetupError(
            f"Jira Data Center needs {ENV_DC_TOKEN} in the environment (a personal access token)"
        )
    return Credentials("bearer", Secret(token))
