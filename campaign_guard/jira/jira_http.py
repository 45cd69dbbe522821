"""Plain data and HTTP helpers for the Jira gateway and its transport.

The error types, the issue/user records, the auth hook that adds the Authorization
header at the last moment (and never shows the token), and the small validators and
parsers :mod:`~campaign_guard.jira.gateway` and
:mod:`~campaign_guard.jira.transport` use. No ``jira`` import here: only the gateway
imports it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, ParamSpec, TypeVar

import requests

from campaign_guard.errors import CampaignGuardError, ExitCode
from campaign_guard.jira.settings import (
    ENV_CLOUD_EMAIL,
    ENV_CLOUD_TOKEN,
    ENV_DC_TOKEN,
    ISSUE_KEY,
    PROJECT_KEY,
    Credentials,
)

MAX_ATTEMPTS = 8
SEARCH_MAX_RESULTS = 10
SEARCH_FIELDS = "key,status,labels,attachment"
ISSUE_FIELDS = "status,labels,attachment"
RECONCILE_LIMIT = 50
"""Cloud's search reconciles at most 50 issue ids (``reconcileIssues``)."""
PAGE_SIZE = 100
MAX_PAGES = 20
_PROPERTY_KEY = re.compile(r"[A-Za-z0-9_.-]{1,255}\Z")
_MESSAGE_LIMIT = 300
P = ParamSpec("P")
R = TypeVar("R")


class JiraError(CampaignGuardError):
    """Jira failed or refused; the message is safe to print."""

    exit_code = ExitCode.EXTERNAL

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        fields: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.field_errors = dict(fields or {})
        """Jira's per-field ``errors`` of a 400 answer (field id → message)."""


class OutcomeUnknown(JiraError):
    """A POST may or may not have taken effect: re-search before posting again."""

    def __init__(self, message: str, *, problem: str = "no usable answer") -> None:
        super().__init__(message)
        self.problem = problem
        """What happened to the answer, e.g. ``HTTP 502`` or ``ReadTimeout (no answer)``."""


class RerunSubmit(JiraError):
    """The submit stopped part-way in a way the next submit completes: it looks for the
    ticket before it writes anything, so running it again is safe.

    ``reason`` says what happened; ``then`` finishes "run … again" (when, and why it is
    safe). The message names a generic ``submit``; :meth:`with_command` names the exact
    command line to run.
    """

    def __init__(self, reason: str, *, then: str) -> None:
        self.reason = reason
        self.then = then
        super().__init__(self.with_command("submit"))

    def with_command(self, command: str) -> str:
        return f"{self.reason}; run {command} again {self.then}"


@dataclass(frozen=True)
class Attached:
    """A file attached to an issue: its name and size in bytes."""

    name: str
    size: int


@dataclass(frozen=True)
class IssueRef:
    key: str
    id: str
    labels: tuple[str, ...] = ()
    status: str | None = None
    properties: Mapping[str, Any] | None = field(default=None, hash=False)
    """Entity properties that were asked for (untrusted: anyone may edit them); None
    when they were not read (Data Center's search cannot return them)."""
    attachments: tuple[Attached, ...] | None = field(default=None, hash=False)
    """The issue's attachments; None when they were not read."""

    def has_attached(self, name: str, size: int | None = None) -> bool:
        """True when a file ``name`` (of ``size`` bytes, if given) is attached."""
        return any(
            a.name == name and (size is None or a.size == size) for a in self.attachments or ()
        )


@dataclass(frozen=True)
class SearchPage:
    """One page of a JQL search, and where the next one starts (None: this is the last).

    Cloud's ``search/jql`` pages by token (``next_token``); Data Center's ``search`` by
    position (``next_start``, with ``total``). Either may return fewer issues than asked.
    """

    issues: tuple[dict[str, Any], ...]
    next_token: str | None = None
    next_start: int | None = None
    total: int | None = None

    @property
    def last(self) -> bool:
        return self.next_token is None and self.next_start is None


@dataclass(frozen=True)
class JiraUser:
    account_id: str | None
    name: str | None
    display_name: str


class Counted:
    """Calls gateway methods, counting every call (failed ones too)."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, method: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> R:
        self.count += 1
        return method(*args, **kwargs)


class _Auth(requests.auth.AuthBase):
    """Adds the Authorization header at the last moment; never shows the token."""

    def __init__(self, credentials: Credentials) -> None:
        self._credentials = credentials

    def __repr__(self) -> str:
        return f"_Auth({self._credentials.scheme}, ***)"

    def __call__(self, r: requests.PreparedRequest) -> requests.PreparedRequest:
        creds = self._credentials
        if creds.scheme == "basic":
            requests.auth.HTTPBasicAuth(creds.email or "", creds.token.reveal())(r)
        else:
            r.headers["Authorization"] = f"Bearer {creds.token.reveal()}"
        return r


def _refused(credentials: Credentials, status: int) -> JiraError:
    if credentials.scheme == "basic":
        what = f"{ENV_CLOUD_EMAIL}/{ENV_CLOUD_TOKEN} (Cloud: account email + API token)"
    else:
        what = f"{ENV_DC_TOKEN} (Data Center: personal access token)"
    return JiraError(
        f"Jira refused the credentials (HTTP {status}): check {what} is valid, not "
        "expired, and allowed to use this project",
        status=status,
    )


def _require_key(key: str) -> str:
    if not isinstance(key, str) or not ISSUE_KEY.match(key):
        raise ValueError(f"{key!r:.40} is not a Jira issue key")
    return key


def _require_project(key: str) -> str:
    if not isinstance(key, str) or not PROJECT_KEY.match(key):
        raise ValueError(f"{key!r:.40} is not a Jira project key")
    return key


def _require_property(name: str) -> str:
    if not isinstance(name, str) or not _PROPERTY_KEY.match(name):
        raise ValueError(f"{name!r:.40} is not an entity property key")
    return name


def _issue_body(fields: Mapping[str, Any], properties: Mapping[str, Any] | None) -> dict[str, Any]:
    """An IssueUpdateDetails body: the fields and, when given, entity properties."""
    body: dict[str, Any] = {"fields": dict(fields)}
    if properties:
        body["properties"] = [{"key": k, "value": v} for k, v in properties.items()]
    return body


def _require_ref(fields: Mapping[str, Any], name: str, allowed: tuple[str, ...]) -> None:
    value = fields.get(name)
    if not isinstance(value, Mapping) or len(value) != 1 or next(iter(value)) not in allowed:
        raise ValueError(f"fields[{name!r}] must be one of {allowed} as a one-key mapping")


def _opt_str(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _issue_ref(issue: object) -> IssueRef | None:
    if not isinstance(issue, dict):
        return None
    key, ident = issue.get("key"), issue.get("id")
    fields = issue.get("fields")
    if not isinstance(key, str) or ident is None or not isinstance(fields, dict):
        return None
    labels = fields.get("labels")
    status = fields.get("status")
    properties = issue.get("properties")
    attached = fields.get("attachment")
    return IssueRef(
        key=key,
        id=str(ident),
        labels=tuple(str(x) for x in labels) if isinstance(labels, list) else (),
        status=_opt_str(status.get("name")) if isinstance(status, dict) else None,
        properties=dict(properties) if isinstance(properties, dict) else None,
        attachments=_attachments(attached) if isinstance(attached, list) else None,
    )


def _attachments(listed: list[Any]) -> tuple[Attached, ...]:
    found = []
    for item in listed:
        if isinstance(item, dict) and isinstance(item.get("filename"), str):
            size = item.get("size")
            found.append(Attached(item["filename"], size if isinstance(size, int) else -1))
    return tuple(found)
