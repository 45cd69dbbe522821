"""HTTP to Jira with one retry policy: what every gateway call goes through.

* GET, PUT and DELETE are retried on 429/502/503/504 and connection errors, honouring
  ``Retry-After`` (seconds or an HTTP date);
* a POST is retried only when Jira answered 429: a rate-limited request was not applied
  (https://developer.atlassian.com/cloud/jira/platform/rate-limiting/). A timeout, reset
  or 5xx after a POST raises :class:`OutcomeUnknown`, and the caller must re-search
  before any new POST;
* everything stops at the command's :class:`~campaign_guard.retry.Deadline`
  (``jira.retry_budget_seconds`` from the start of the process): no wait and no request
  timeout reaches past it, so a command ends in time whatever Jira does;
* messages are built from the status code and Jira's ``errorMessages``/``errors`` only,
  never from headers or the token (which is masked if Jira echoes it back);
* :attr:`JiraTransport.sent` counts every request, retries included.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import requests
from urllib3.exceptions import NameResolutionError, NewConnectionError

from campaign_guard.deadline_call import within
from campaign_guard.jira.jira_http import (
    _MESSAGE_LIMIT,
    MAX_PAGES,
    PAGE_SIZE,
    JiraError,
    OutcomeUnknown,
    _Auth,
    _refused,
)
from campaign_guard.jira.settings import Credentials, JiraSettings
from campaign_guard.retry import RETRY_STATUSES, Deadline, RetryPolicy

logger = logging.getLogger(__name__)

IDEMPOTENT = ("GET", "PUT", "DELETE")
"""Methods whose repeat does no harm: retried after a lost answer."""
UNSENT_ATTEMPTS = 3
"""Tries when the connection cannot even be made (refused, or timed out connecting)."""
NO_SUCH_HOST = "the host name does not resolve"
CONNECT_TIMEOUT = 5.0
"""Seconds to wait for a connection (the read timeout is ``jira.timeout_seconds``)."""
BUDGET_SETTING = "jira.retry_budget_seconds"

Send = Callable[[tuple[float, float]], requests.Response]
"""Sends one request with the given (connect, read) timeouts."""


def _never_sent(exc: requests.RequestException) -> str | None:
    """Why the request never reached Jira, or None when it may have.

    ``requests`` wraps urllib3's connection errors: a name that does not resolve, a
    refused connection or a connect timeout all happen before a byte of the request
    is sent, so its outcome is known (nothing happened).
    """
    if isinstance(exc, requests.ConnectTimeout):
        return "the connection timed out"
    reason: object = exc.args[0] if exc.args else None
    reason = getattr(reason, "reason", reason)  # MaxRetryError → its cause
    if isinstance(reason, NameResolutionError):
        return NO_SUCH_HOST
    if isinstance(reason, NewConnectionError):
        return "the connection was refused"
    return None


class JiraTransport:
    """One Jira site: the session, the credentials, the retry policy and its budget."""

    def __init__(
        self,
        settings: JiraSettings,
        credentials: Credentials,
        *,
        session: requests.Session | None = None,
        retry: RetryPolicy,
        started: float | None = None,
    ) -> None:
        self.site = settings.site
        self.is_cloud = settings.is_cloud
        self.timeout = float(settings.timeout_seconds)
        """Seconds to wait for an answer, per request."""
        self._credentials = credentials
        self._auth = _Auth(credentials)
        self._session = session if session is not None else requests.Session()
        self._retry = retry
        self.deadline = Deadline(
            retry.budget, retry.monotonic() if started is None else started, retry.monotonic
        )
        """When the command must be done by (``started``: when its process started)."""
        self.sent = 0
        """HTTP requests sent so far (each retry counts)."""

    def _paged(self, path: str, keys: tuple[str, ...]) -> list[dict[str, Any]]:
        """Every item of a ``startAt``/``maxResults`` paged list (Cloud and DC names)."""
        items: list[dict[str, Any]] = []
        for _ in range(MAX_PAGES):
            params = {"startAt": str(len(items)), "maxResults": str(PAGE_SIZE)}
            data = self._json("GET", path, params=params)
            page = next((data[k] for k in keys if isinstance(data.get(k), list)), None)
            if page is None:
                raise JiraError(f"Jira's answer to GET {path} has no '{keys[0]}' list")
            items += [item for item in page if isinstance(item, dict)]
            total = data.get("total")
            if not page or data.get("isLast") is True:
                break
            if not isinstance(total, int) or len(items) >= total:
                break
        return items

    def _json(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        response = self._request(method, path, **kwargs)
        try:
            data = response.json()
        except ValueError:
            data = None
        if not isinstance(data, dict):
            if method == "POST":
                raise OutcomeUnknown(
                    f"Jira's answer to POST {path} is not a JSON object; search before "
                    "posting again"
                )
            raise JiraError(f"Jira's answer to {method} {path} is not a JSON object")
        return data

    def _request(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        headers = {"Accept": "application/json", **kwargs.pop("headers", {})}

        def send(timeout: tuple[float, float]) -> requests.Response:
            return self._session.request(
                method,
                self.site + path,
                headers=headers,
                auth=self._auth,
                timeout=timeout,
                allow_redirects=False,
                **kwargs,
            )

        return self._run(method, path, send)

    def _run(self, method: str, path: str, send: Send) -> requests.Response:
        policy = self._retry
        idempotent = method in IDEMPOTENT
        attempt, problem = 0, ""
        while True:
            left = self.deadline.remaining()
            if left <= 0:
                raise self._out_of_time(method, path, attempt, problem)
            attempt += 1
            logger.debug("Jira %s %s (attempt %d)", method, path, attempt)
            self.sent += 1
            status: int | None = None
            try:
                timeouts = (min(CONNECT_TIMEOUT, left), min(self.timeout, left))
                response = within(timeouts[1], functools.partial(send, timeouts))
            except (requests.ConnectionError, requests.Timeout) as exc:
                problem, header = self._no_answer(exc, method, path, attempt), None
            except requests.RequestException as exc:
                raise JiraError(
                    f"could not send {method} {path} to Jira: {type(exc).__name__}"
                ) from None
            else:
                status = response.status_code
                if not idempotent and status >= 500:
                    raise self._unknown(method, path, f"HTTP {status}")
                # A 429 was not applied, so even a POST may be sent again.
                if status not in RETRY_STATUSES or not (idempotent or status == 429):
                    return self._check(response, method, path)
                problem, header = f"HTTP {status}", response.headers.get("Retry-After")
            wait, left = policy.delay(attempt, header), self.deadline.remaining()
            if wait >= left and status == 429 and header is not None:
                raise self._rate_limited(method, path, wait)
            if attempt >= policy.attempts or wait >= left:
                raise self._out_of_time(method, path, attempt, problem)
            logger.info(
                "Jira did not answer %s %s (%s); trying again in %.0f s",
                method,
                path,
                problem,
                wait,
                extra={"wait_seconds": wait},
            )
            policy.sleep(wait)

    def _out_of_time(self, method: str, path: str, attempts: int, problem: str) -> JiraError:
        budget = self.deadline.budget
        if attempts == 0:
            return JiraError(
                f"the {budget:.0f} s this command may take ({BUDGET_SETTING}) ran out before "
                f"{method} {path} could be sent to Jira; nothing more was sent"
            )
        return JiraError(
            f"Jira did not answer {method} {path} within the {budget:.0f} s this command may "
            f"take ({BUDGET_SETTING}): {attempts} attempt(s), the last {problem}; try again "
            "later"
        )

    def _rate_limited(self, method: str, path: str, wait: float) -> JiraError:
        """Jira asked for a wait longer than the command has left: give up at once."""
        when = (self._retry.now() + timedelta(seconds=wait)).astimezone()
        day = "" if wait < 12 * 3600 else when.strftime("%a %d %b ")
        return JiraError(
            f"Jira is limiting how many requests this account may send (HTTP 429 to {method} "
            f"{path}) and asked to wait {_duration(wait)}, longer than the "
            f"{self.deadline.budget:.0f} s this command may take ({BUDGET_SETTING}); it did "
            f"not apply that request: try again after {day}{when:%H:%M %Z}".rstrip()
        )

    def _no_answer(
        self, exc: requests.RequestException, method: str, path: str, attempt: int
    ) -> str:
        """What went wrong, when it is worth another try; else raises the final error."""
        unsent = _never_sent(exc)
        if unsent == NO_SUCH_HOST:
            raise JiraError(
                f"cannot reach Jira: the host name of {self.site} does not resolve; "
                "check jira.site (nothing was sent)"
            ) from None
        if unsent is not None:
            # Nothing reached Jira, so even a POST may be tried again; but a site that
            # refuses connections is rarely back in seconds: a few tries only.
            if attempt >= UNSENT_ATTEMPTS:
                raise JiraError(
                    f"cannot reach Jira at {self.site} ({unsent}, {attempt} attempts); "
                    "check jira.site, or try again later (nothing was sent)"
                ) from None
            return unsent
        problem = f"{type(exc).__name__} (no answer)"
        if method not in IDEMPOTENT:
            raise self._unknown(method, path, problem) from None
        return problem

    def _unknown(self, method: str, path: str, problem: str) -> OutcomeUnknown:
        return OutcomeUnknown(
            f"{method} {path} failed with {problem} after it was sent; Jira may or may "
            "not have applied it: search again before posting anything new",
            problem=problem,
        )

    def _check(self, response: requests.Response, method: str, path: str) -> requests.Response:
        status = response.status_code
        if 200 <= status < 300:
            return response
        if status in (401, 403):
            raise _refused(self._credentials, status)
        detail = self._detail(response)
        if status == 410 and "/search" in path:
            raise JiraError(
                f"Jira answered 410 Gone to {method} {path}: this site needs the new "
                "search (/rest/api/3/search/jql); set jira.deployment: cloud" + detail
            )
        if status == 400 and "/search" in path:
            # The search names only the project and the label: a 400 means the project
            # does not exist or is hidden ("The value 'X' does not exist for the field
            # 'project'").
            raise JiraError(
                "Jira refused the search (HTTP 400): check jira.project (the project must "
                "exist and be visible to this account)" + detail,
                status=status,
            )
        if status == 404:
            if path == "/rest/api/2/issue":
                hint = "check jira.project and jira.issue_type exist and are visible to you"
            elif path.startswith(("/rest/api/2/issue/createmeta/", "/rest/api/2/project/")):
                hint = (
                    "check jira.project: the project does not exist, or this account "
                    "cannot create issues in it"
                )
            elif path.startswith("/rest/api/2/issue/"):
                hint = "the issue does not exist or is not visible to you"
            else:
                hint = f"check that {self.site} is the Jira site"
            raise JiraError(f"Jira answered 404 to {method} {path}: {hint}" + detail, status=404)
        raise JiraError(
            f"Jira answered HTTP {status} to {method} {path}" + detail,
            status=status,
            fields=self._field_errors(response),
        )

    def _field_errors(self, response: requests.Response) -> dict[str, str]:
        try:
            data = response.json()
        except ValueError:
            return {}
        errors = data.get("errors") if isinstance(data, dict) else None
        if not isinstance(errors, dict):
            return {}
        return {str(k)[:100]: self._scrub(str(v)) for k, v in list(errors.items())[:20]}

    def _scrub(self, text: str) -> str:
        """``text`` from Jira (or a proxy) with every form of the credentials taken out."""
        creds = self._credentials
        return creds.token.redact(text, user=creds.email, limit=_MESSAGE_LIMIT)

    def _detail(self, response: requests.Response) -> str:
        try:
            data = response.json()
        except ValueError:
            return ""
        if not isinstance(data, dict):
            return ""
        parts = [str(m) for m in data.get("errorMessages") or [] if m][:5]
        errors = data.get("errors")
        if isinstance(errors, dict):
            parts += [f"{k}: {v}" for k, v in list(errors.items())[:5]]
        text = self._scrub("; ".join(parts))
        return f": {text}" if text else ""


def _duration(seconds: float) -> str:
    """``45 s``, ``12 min``, ``3 h``: how a person says a wait."""
    if seconds < 90:
        return f"{seconds:.0f} s"
    if seconds < 90 * 60:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.0f} h"
