"""Ask PagerDuty (REST API v2) who is on call at a given moment.

One read-only call: ``GET /oncalls`` for one schedule or escalation policy, level 1,
with ``since`` = ``until`` = the moment asked, and ``include[]=users`` so the reply
carries each user's email. The token is held in a :class:`Secret` and only ever put in
the ``Authorization`` header; no message, repr or log line contains it.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import datetime
from datetime import timezone as dt_timezone
from typing import Any

import requests

from campaign_guard.deadline_call import within
from campaign_guard.oncall.base import (
    ENV_TOKEN,
    JiraIdentity,
    OnCallError,
    OnCallPerson,
    require_aware,
)
from campaign_guard.retry import RETRY_STATUSES, RetryPolicy
from campaign_guard.secret import Secret

logger = logging.getLogger(__name__)

DEFAULT_BASE_URL = "https://api.pagerduty.com"
ACCEPT = "application/vnd.pagerduty+json;version=2"
REFUSED = f"PagerDuty refused the token ({ENV_TOKEN}): check it is valid and has read access"


class _TokenAuth(requests.auth.AuthBase):
    """Adds ``Authorization: Token token=…`` to each request, at the last moment."""

    def __init__(self, token: Secret) -> None:
        self._token = token

    def __repr__(self) -> str:
        return "_TokenAuth(***)"

    def __call__(self, r: requests.PreparedRequest) -> requests.PreparedRequest:
        r.headers["Authorization"] = f"Token token={self._token.reveal()}"
        return r


class PagerDuty:
    """An :class:`~campaign_guard.oncall.base.OnCallProvider` backed by PagerDuty."""

    def __init__(
        self,
        token: str | Secret,
        *,
        schedule_id: str | None = None,
        escalation_policy_id: str | None = None,
        users_by_email: Mapping[str, JiraIdentity] | None = None,
        session: requests.Session | None = None,
        timeout: tuple[float, float] = (5, 30),
        base_url: str = DEFAULT_BASE_URL,
        retry: RetryPolicy | None = None,
    ) -> None:
        if (schedule_id is None) == (escalation_policy_id is None):
            raise ValueError("give exactly one of schedule_id and escalation_policy_id")
        self._token = token if isinstance(token, Secret) else Secret(token)
        if not self._token.reveal():
            raise OnCallError(f"{ENV_TOKEN} is empty: set it to a PagerDuty REST API token")
        self.schedule_id = schedule_id
        self.escalation_policy_id = escalation_policy_id
        self.users_by_email = {k.lower(): v for k, v in (users_by_email or {}).items()}
        self.session = session if session is not None else requests.Session()
        self.timeout = timeout
        self.base_url = base_url.rstrip("/")
        self.retry = retry if retry is not None else RetryPolicy()

    def __repr__(self) -> str:
        target = self._target()
        return f"PagerDuty({target[0]}={target[1]!r}, base_url={self.base_url!r})"

    def _target(self) -> tuple[str, str]:
        if self.schedule_id is not None:
            return "schedule", self.schedule_id
        assert self.escalation_policy_id is not None
        return "escalation policy", self.escalation_policy_id

    def on_call(self, at: datetime) -> OnCallPerson:
        moment = require_aware(at).astimezone(dt_timezone.utc)
        stamp = moment.strftime("%Y-%m-%dT%H:%M:%SZ")
        params = [
            (
                "schedule_ids[]" if self.schedule_id is not None else "escalation_policy_ids[]",
                self._target()[1],
            ),
            ("escalation_levels[]", "1"),
            ("include[]", "users"),
            ("since", stamp),
            ("until", stamp),
            ("time_zone", "UTC"),
        ]
        reply = self._get("/oncalls", params)
        return self._person(reply, stamp)

    # --- HTTP -------------------------------------------------------------------------

    def _get(self, path: str, params: list[tuple[str, str]]) -> Any:
        policy = self.retry
        started = policy.monotonic()
        attempt = 0
        while True:
            attempt += 1
            logger.debug("PagerDuty GET %s (attempt %d of %d)", path, attempt, policy.attempts)
            try:
                response = within(
                    sum(self.timeout),
                    lambda: self.session.get(
                        self.base_url + path,
                        params=params,
                        headers={"Accept": ACCEPT},
                        auth=_TokenAuth(self._token),
                        timeout=self.timeout,
                        allow_redirects=False,
                    ),
                )
            except (requests.ConnectionError, requests.Timeout) as exc:
                problem, header = f"{type(exc).__name__} (no answer)", None
            except requests.RequestException as exc:
                raise OnCallError(
                    f"could not send the request to PagerDuty: {type(exc).__name__}"
                ) from None
            else:
                if response.status_code not in RETRY_STATUSES:
                    return self._read(response, path)
                problem, header = (
                    f"HTTP {response.status_code}",
                    response.headers.get("Retry-After"),
                )
            wait = policy.delay(attempt, header)
            elapsed = policy.monotonic() - started
            if attempt >= policy.attempts or elapsed + wait > policy.budget:
                raise OnCallError(
                    f"PagerDuty did not answer GET {path} after {attempt} attempt(s) in "
                    f"{elapsed:.0f} s (last: {problem}); try again later, or check "
                    "https://status.pagerduty.com"
                )
            logger.info(
                "PagerDuty did not answer (%s); trying again in %.0f s",
                problem,
                wait,
                extra={"wait_seconds": wait},
            )
            policy.sleep(wait)

    def _read(self, response: requests.Response, path: str) -> Any:
        status = response.status_code
        if status in (401, 403):
            raise OnCallError(REFUSED)
        if status != 200:
            raise OnCallError(
                f"PagerDuty answered HTTP {status} to GET {path}{self._error_text(response)}"
            )
        try:
            return response.json()
        except ValueError:
            raise OnCallError(f"PagerDuty's answer to GET {path} is not valid JSON") from None

    def _error_text(self, response: requests.Response) -> str:
        try:
            error = response.json().get("error", {})
            text = str(error.get("message", ""))
            details = error.get("errors") or []
            if isinstance(details, list) and details:
                text += " (" + "; ".join(str(d) for d in details[:3]) + ")"
        except (ValueError, AttributeError):
            return ""
        text = self._token.redact(text, limit=300)
        return f": {text}" if text else ""

    # --- the reply --------------------------------------------------------------------

    def _person(self, reply: Any, stamp: str) -> OnCallPerson:
        kind, ident = self._target()
        oncalls = reply.get("oncalls") if isinstance(reply, dict) else None
        if not isinstance(oncalls, list):
            raise OnCallError("PagerDuty's answer to GET /oncalls has no 'oncalls' list")
        level_one = [
            entry
            for entry in oncalls
            if isinstance(entry, dict) and entry.get("escalation_level") == 1
        ]
        if not level_one:
            raise OnCallError(
                f"PagerDuty lists nobody on call at level 1 of {kind} {ident} at {stamp}; "
                "check the schedule has no gap then"
            )
        user = level_one[0].get("user")
        email = user.get("email") if isinstance(user, dict) else None
        if not isinstance(email, str) or not email:
            raise OnCallError(f"PagerDuty's on-call entry for {kind} {ident} carries no user email")
        assert isinstance(user, dict)
        name = user.get("name") or user.get("summary") or email
        jira = self.users_by_email.get(email.lower(), JiraIdentity())
        return OnCallPerson(
            name=str(name),
            email=email,
            jira_account_id=jira.account_id,
            jira_user_name=jira.user_name,
        )
