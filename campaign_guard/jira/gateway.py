"""The Jira gateway: the only module that imports ``jira``.

Why ``jira.JIRA`` is only used to connect: its ``ResilientSession`` replays POSTs after a
connection error (a lost answer to a create becomes a duplicate issue), crashes on a
date-form ``Retry-After``, re-wraps assignee errors without a status code, and its
``JIRAError.__str__`` prints response headers (where credentials can be echoed). So
:meth:`JiraGateway.connect` builds ``jira.JIRA`` (with ``max_retries=0`` and a timeout)
inside error handling; with ``probe=True`` (``doctor``) the client reads
``GET /rest/api/2/serverInfo`` and reports the deployment type and version, and without
it (``submit``, which counts its requests) it sends nothing. Every other call goes through
:class:`~campaign_guard.jira.transport.JiraTransport`: a plain
:class:`requests.Session` with exact request shapes and one retry policy (POST is never
retried).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from typing import Any

import jira
import requests

from campaign_guard.jira.jira_http import (
    ISSUE_FIELDS,
    MAX_ATTEMPTS,
    PAGE_SIZE,
    RECONCILE_LIMIT,
    SEARCH_FIELDS,
    SEARCH_MAX_RESULTS,
    IssueRef,
    JiraError,
    JiraUser,
    OutcomeUnknown,
    SearchPage,
    _issue_body,
    _issue_ref,
    _opt_str,
    _require_key,
    _require_project,
    _require_property,
    _require_ref,
)
from campaign_guard.jira.jql import dedup_jql, newest_labelled_jql
from campaign_guard.jira.settings import Credentials, JiraSettings
from campaign_guard.jira.transport import JiraTransport
from campaign_guard.retry import RetryPolicy

__all__ = ["IssueRef", "JiraError", "JiraGateway", "JiraUser", "OutcomeUnknown", "SearchPage"]


class JiraGateway(JiraTransport):
    """Jira Cloud or Data Center, with exact request shapes and a safe retry policy."""

    def __init__(
        self,
        settings: JiraSettings,
        credentials: Credentials,
        *,
        session: requests.Session | None = None,
        retry: RetryPolicy,
        client: Any = None,
        started: float | None = None,
    ) -> None:
        super().__init__(settings, credentials, session=session, retry=retry, started=started)
        self.client = client
        """The ``jira.JIRA`` client built by :meth:`connect` (its server info, for doctor)."""

    def __repr__(self) -> str:
        kind = "cloud" if self.is_cloud else "data-center"
        return f"JiraGateway({self.site!r}, {kind})"

    @classmethod
    def connect(
        cls,
        settings: JiraSettings,
        credentials: Credentials,
        *,
        session: requests.Session | None = None,
        sleep: Callable[[float], None] = time.sleep,
        retry: RetryPolicy | None = None,
        probe: bool = False,
        started: float | None = None,
    ) -> JiraGateway:
        """Build the ``jira`` client and the gateway around it.

        With ``probe`` the client reads ``GET serverInfo`` (one request, for ``doctor``);
        without it nothing is sent until the first operation (``submit`` counts requests).
        ``started``: when the command started (``time.monotonic()``); every request and
        wait ends ``jira.retry_budget_seconds`` after it.
        """
        policy = retry or RetryPolicy(
            attempts=MAX_ATTEMPTS, budget=settings.retry_budget_seconds, sleep=sleep
        )
        gateway = cls(settings, credentials, session=session, retry=policy, started=started)
        holder: list[Any] = []

        def build(timeout: tuple[float, float] | None = None) -> requests.Response:
            auth: dict[str, Any]
            if credentials.scheme == "basic":
                auth = {"basic_auth": (credentials.email or "", credentials.token.reveal())}
            else:
                auth = {"token_auth": credentials.token.reveal()}
            try:
                holder.append(
                    jira.JIRA(
                        server=settings.site,
                        timeout=timeout[1] if timeout else gateway.timeout,
                        max_retries=0,
                        get_server_info=probe,
                        options={"rest_api_version": "2"},
                        **auth,
                    )
                )
            except jira.JIRAError as exc:
                if exc.response is not None and exc.response.status_code:
                    return exc.response
                raise JiraError(
                    f"could not connect to Jira at {settings.site}: no usable answer"
                ) from None
            except (requests.RequestException, OSError):
                raise
            except Exception as exc:  # the library's own parsing of serverInfo
                raise JiraError(
                    f"could not connect to Jira at {settings.site}: {type(exc).__name__} "
                    "while reading /rest/api/2/serverInfo"
                ) from None
            ok = requests.Response()
            ok.status_code = 200
            return ok

        if probe:
            gateway._run("GET", "/rest/api/2/serverInfo", build)
        else:
            build()
        gateway.client = holder[0]
        return gateway

    # --- operations -------------------------------------------------------------------

    def myself(self) -> JiraUser:
        data = self._json("GET", "/rest/api/2/myself")
        return JiraUser(
            account_id=_opt_str(data.get("accountId")),
            name=_opt_str(data.get("name")),
            display_name=str(data.get("displayName") or ""),
        )

    def project(self, key: str) -> dict[str, Any]:
        return self._json("GET", f"/rest/api/2/project/{_require_project(key)}")

    def find_campaign_issues(
        self,
        project_key: str,
        label: str,
        properties: Sequence[str] = (),
        reconcile: Sequence[str] = (),
    ) -> list[IssueRef]:
        """The project's issues carrying ``label`` exactly (others are dropped).

        ``properties``: entity property keys to return with each issue. Only Cloud's
        search returns them; Data Center's has no such parameter, so there each
        :attr:`IssueRef.properties` is None (not read: :meth:`issue` reads them).
        ``reconcile``: ids of issues created moments ago, which Cloud's eventually
        consistent search then returns at once (at most 50; Data Center's search is
        consistent and takes no such parameter).
        """
        params = {
            "jql": dedup_jql(project_key, label),
            "fields": SEARCH_FIELDS,
            "maxResults": str(SEARCH_MAX_RESULTS),
        }
        if self.is_cloud and properties:
            params["properties"] = ",".join(properties)
        ids = [ident for ident in reconcile if ident.isdigit()][:RECONCILE_LIMIT]
        if self.is_cloud and ids:
            params["reconcileIssues"] = ",".join(ids)
        path = "/rest/api/3/search/jql" if self.is_cloud else "/rest/api/2/search"
        data = self._json("GET", path, params=params)
        issues = data.get("issues")
        if not isinstance(issues, list):
            raise JiraError(f"Jira's answer to GET {path} has no 'issues' list")
        found: list[IssueRef] = []
        for issue in issues:
            ref = _issue_ref(issue)
            if ref is None or not ref.key.startswith(project_key + "-"):
                continue
            if "properties" in params and ref.properties is None:
                ref = replace(ref, properties={})  # asked for, and the issue has none
            if label in ref.labels:
                found.append(ref)
        return found

    def issue(self, key: str, properties: Sequence[str] = ()) -> IssueRef:
        """One issue's key, id, labels and status, with the entity ``properties`` asked for."""
        path = f"/rest/api/2/issue/{_require_key(key)}"
        params = {"fields": ISSUE_FIELDS}
        if properties:
            params["properties"] = ",".join(_require_property(p) for p in properties)
        ref = _issue_ref(self._json("GET", path, params=params))
        if ref is None:
            raise JiraError(f"Jira's answer to GET {path} is not an issue")
        if ref.properties is None:
            ref = replace(ref, properties={})
        return ref

    def issue_view(
        self, key: str, fields: Sequence[str], properties: Sequence[str] = ()
    ) -> dict[str, Any]:
        """One issue as Jira shows it (``GET issue/{key}``): its ``fields`` and entity
        ``properties`` (both deployments return properties here), one request."""
        path = f"/rest/api/2/issue/{_require_key(key)}"
        params = {"fields": ",".join(fields)}
        if properties:
            params["properties"] = ",".join(_require_property(p) for p in properties)
        return self._json("GET", path, params=params)

    def newest_labelled(self, project_key: str, label: str) -> IssueRef | None:
        """The project's most recently created issue carrying ``label``, if any."""
        params = {
            "jql": newest_labelled_jql(project_key, label),
            "fields": SEARCH_FIELDS,
            "maxResults": "1",
        }
        path = "/rest/api/3/search/jql" if self.is_cloud else "/rest/api/2/search"
        issues = self._json("GET", path, params=params).get("issues")
        if not isinstance(issues, list):
            raise JiraError(f"Jira's answer to GET {path} has no 'issues' list")
        refs = [ref for ref in map(_issue_ref, issues) if ref is not None]
        return refs[0] if refs else None

    def create_issue(
        self, fields: Mapping[str, Any], properties: Mapping[str, Any] | None = None
    ) -> IssueRef:
        """POST the issue (never retried; see :class:`OutcomeUnknown`)."""
        _require_ref(fields, "project", ("id", "key"))
        _require_ref(fields, "issuetype", ("id", "name"))
        body = _issue_body(fields, properties)
        data = self._json("POST", "/rest/api/2/issue", json=body)
        key, ident = data.get("key"), data.get("id")
        if not isinstance(key, str) or ident is None:
            raise OutcomeUnknown(
                "Jira's answer to POST /rest/api/2/issue carries no issue key; search "
                "for the campaign label before creating again"
            )
        labels = fields.get("labels") or ()
        return IssueRef(key, str(ident), tuple(str(x) for x in labels), None)

    def add_comment(self, key: str, body: str) -> str:
        path = f"/rest/api/2/issue/{_require_key(key)}/comment"
        data = self._json("POST", path, json={"body": body})
        return str(data.get("id", ""))

    def update_fields(
        self, key: str, fields: Mapping[str, Any], properties: Mapping[str, Any] | None = None
    ) -> None:
        path = f"/rest/api/2/issue/{_require_key(key)}"
        self._request("PUT", path, json=_issue_body(fields, properties))

    def set_property(self, key: str, name: str, value: Any) -> None:
        path = f"/rest/api/2/issue/{_require_key(key)}/properties/{_require_property(name)}"
        self._request("PUT", path, json=value)

    def delete_property(self, key: str, name: str) -> None:
        path = f"/rest/api/2/issue/{_require_key(key)}/properties/{_require_property(name)}"
        self._request("DELETE", path)

    def comment_bodies(self, key: str, newest: int = 50) -> list[str]:
        """The bodies of the issue's ``newest`` comments (wiki markup), newest first."""
        path = f"/rest/api/2/issue/{_require_key(key)}/comment"
        params = {"orderBy": "-created", "maxResults": str(newest)}
        comments = self._json("GET", path, params=params).get("comments")
        if not isinstance(comments, list):
            raise JiraError(f"Jira's answer to GET {path} has no 'comments' list")
        bodies = [c.get("body") for c in comments if isinstance(c, dict)]
        return [body for body in bodies if isinstance(body, str)]

    def issue_types(self, project_key: str) -> list[dict[str, Any]]:
        """The issue types a project can create (``/issue/createmeta/{project}/issuetypes``)."""
        path = f"/rest/api/2/issue/createmeta/{_require_project(project_key)}/issuetypes"
        return self._paged(path, ("issueTypes", "values"))

    def create_fields(self, project_key: str, issue_type_id: str) -> list[dict[str, Any]]:
        """The fields on the create screen of one issue type, with their schemas."""
        if not issue_type_id.isdigit():
            raise ValueError(f"{issue_type_id!r:.40} is not an issue type id")
        path = (
            f"/rest/api/2/issue/createmeta/{_require_project(project_key)}/issuetypes/"
            f"{issue_type_id}"
        )
        return self._paged(path, ("fields", "values"))

    def search_page(
        self,
        jql: str,
        *,
        fields: Sequence[str],
        properties: Sequence[str] = (),
        page_token: str | None = None,
        start_at: int = 0,
        max_results: int = PAGE_SIZE,
    ) -> SearchPage:
        """One page of issues matching ``jql`` (one request).

        Cloud: ``GET /rest/api/3/search/jql`` with ``nextPageToken`` (``page_token``),
        ``fields`` and the entity ``properties`` (at most 5). Data Center:
        ``GET /rest/api/2/search`` with ``startAt`` (``start_at``); it cannot return entity
        properties, so ``properties`` is not sent there. Either may answer fewer than
        ``max_results`` issues: the next page starts where this one ended.
        """
        params = {"jql": jql, "fields": ",".join(fields), "maxResults": str(max_results)}
        if self.is_cloud:
            path = "/rest/api/3/search/jql"
            if properties:
                params["properties"] = ",".join(_require_property(p) for p in properties)
            if page_token:
                params["nextPageToken"] = page_token
        else:
            path = "/rest/api/2/search"
            params["startAt"] = str(start_at)
        data = self._json("GET", path, params=params)
        issues = data.get("issues")
        if not isinstance(issues, list):
            raise JiraError(f"Jira's answer to GET {path} has no 'issues' list")
        found = tuple(issue for issue in issues if isinstance(issue, dict))
        if self.is_cloud:
            token = data.get("nextPageToken")
            if data.get("isLast") is True or not found:
                return SearchPage(found)
            if not isinstance(token, str) or not token:
                if data.get("isLast") is False:
                    raise JiraError(
                        f"Jira's answer to GET {path} says more pages follow "
                        "but gives no nextPageToken"
                    )
                return SearchPage(found)
            return SearchPage(found, next_token=token)
        total, start = data.get("total"), data.get("startAt", start_at)
        if not isinstance(total, int) or not isinstance(start, int):
            raise JiraError(f"Jira's answer to GET {path} has no 'total' and 'startAt'")
        after = start + len(found)
        return SearchPage(found, next_start=after if found and after < total else None, total=total)

    def transitions(self, key: str, *, screen_fields: bool = False) -> list[dict[str, Any]]:
        """The transitions open to this account from the issue's status; with
        ``screen_fields``, each with the fields of its screen (``expand=transitions.fields``)."""
        path = f"/rest/api/2/issue/{_require_key(key)}/transitions"
        params = {"expand": "transitions.fields"} if screen_fields else None
        found = self._json("GET", path, params=params).get("transitions")
        if not isinstance(found, list):
            raise JiraError(f"Jira's answer to GET {path} has no 'transitions' list")
        return [t for t in found if isinstance(t, dict)]

    def transition(
        self, key: str, transition_id: str, fields: Mapping[str, Any] | None = None
    ) -> None:
        """Perform a transition (``POST …/transitions``): never retried after a lost
        answer (:class:`OutcomeUnknown`: read the issue's status before trying again)."""
        if not isinstance(transition_id, str) or not transition_id.isdigit():
            raise ValueError(f"{transition_id!r:.40} is not a transition id")
        body: dict[str, Any] = {"transition": {"id": transition_id}}
        if fields:
            body["fields"] = dict(fields)
        self._request("POST", f"/rest/api/2/issue/{_require_key(key)}/transitions", json=body)

    def users_by_email(self, email: str) -> list[JiraUser]:
        """Users whose email is exactly ``email`` (Jira's user search itself is fuzzy)."""
        param = "query" if self.is_cloud else "username"
        data = self._request(
            "GET", "/rest/api/2/user/search", params={param: email, "maxResults": "10"}
        )
        try:
            users = data.json()
        except ValueError:
            users = None
        if not isinstance(users, list):
            raise JiraError("Jira's answer to GET /rest/api/2/user/search is not a list")
        wanted = email.casefold()
        return [
            JiraUser(
                account_id=_opt_str(user.get("accountId")),
                name=_opt_str(user.get("name")),
                display_name=str(user.get("displayName") or ""),
            )
            for user in users
            if isinstance(user, dict) and str(user.get("emailAddress", "")).casefold() == wanted
        ]

    def assign(self, key: str, account_id: str | None = None, user_name: str | None = None) -> None:
        if (account_id is None) == (user_name is None):
            raise ValueError("give exactly one of account_id and user_name")
        body = {"accountId": account_id} if account_id is not None else {"name": user_name}
        self._request("PUT", f"/rest/api/2/issue/{_require_key(key)}/assignee", json=body)

    def attach(self, key: str, filename: str, content: bytes) -> None:
        path = f"/rest/api/2/issue/{_require_key(key)}/attachments"
        self._request(
            "POST",
            path,
            files={"file": (filename, content, "application/octet-stream")},
            headers={"X-Atlassian-Token": "no-check"},
        )
