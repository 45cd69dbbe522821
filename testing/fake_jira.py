"""A stateful fake Jira on 127.0.0.1, with fault injection and a contract check per request.

Start it with :func:`running` (a context manager). It plays
Jira Cloud (``cloud=True``) or Data Center 9 (``cloud=False``) and serves, under
``/rest/api/2``:

* ``serverInfo``, ``myself``, ``project/{key}``, ``user/search`` (``query=`` on Cloud,
  ``username=`` on Data Center);
* ``issue/createmeta/{project}/issuetypes[/{id}]``, paged with ``startAt``/``maxResults``
  (Cloud answers ``issueTypes``/``fields``, Data Center ``values`` and ``isLast``);
* ``POST issue`` and ``PUT issue/{key}``, checked as Jira checks them against the issue
  type's create screen (:mod:`testing.fake_jira_data`): unknown issue type, a field not on
  the screen, a missing required field, a value of the wrong type or an unknown assignee
  is a 400 and writes nothing; entity ``properties`` in the body are stored per issue;
* ``GET issue/{key}``, ``PUT …/assignee``, ``GET``/``POST …/comment``, ``POST
  …/attachments`` (the files are kept), ``GET …/properties[/{key}]``,
  ``PUT``/``DELETE …/properties/{key}``;
* the workflow: ``GET …/transitions`` lists the transitions open from the issue's status
  (with ``expand=transitions.fields``, each with its screen's fields and which are
  required), ``POST …/transitions`` moves the issue, and refuses (400) a transition not
  open from its status, a field off its screen, a required field left out, or an
  account without the *Transition issues* permission (:attr:`FakeJira.can_transition`);
  an issue the account cannot browse (:attr:`FakeJira.hidden`) is a 404 everywhere;
* the search of each deployment, as Atlassian documents it:

  - Cloud: ``GET /rest/api/3/search/jql`` with ``fields=``, ``properties=`` and
    ``reconcileIssues=``; it is eventually consistent (:meth:`FakeJira.index_lag`,
    :meth:`FakeJira.search_lag`): "The API doesn't provide read-after-write consistency
    by default … The delay might vary from a few seconds to minutes", and an issue whose
    id is in ``reconcileIssues`` (at most 50 ids) is found at once
    (https://developer.atlassian.com/cloud/jira/platform/search-and-reconcile/).
    ``/rest/api/{2,3}/search`` answers 410 on Cloud. Pages hold at most
    :data:`CLOUD_PAGE_LIMIT` issues (more for ids only) and chain by ``nextPageToken``.
  - Both evaluate the JQL :mod:`testing.fake_jql` understands (the queries campaign-guard
    builds), with Jira's 400 for anything else.
  - Data Center: ``GET /rest/api/2/search`` takes only ``jql``, ``startAt``,
    ``maxResults``, ``validateQuery``, ``fields`` and ``expand`` (Jira DC REST API 9.x
    reference, "Search for issues using JQL"), pages by ``startAt`` with ``total``
    (at most :data:`DC_PAGE_LIMIT` a page); like any JAX-RS resource it ignores other
    query parameters, so ``properties=`` returns no entity properties (returning them
    from a search is the open suggestion JRASERVER-62898). ``GET issue/{key}`` does
    take ``properties=``.

Every request is recorded in :attr:`FakeJira.requests` (:meth:`FakeJira.routes` lists
them as ``"METHOD /path"``) and checked with :func:`testing.jira_contract.check_request`;
the problems are collected in :attr:`FakeJira.problems` for the test to assert empty.

Faults are set per method and path (``"*"`` matches any), one-shot or ``times`` times:
:meth:`FakeJira.status` (e.g. 429 with ``Retry-After`` on a POST: Jira Cloud rate-limits
writes too, and a 429 means nothing was applied, see
https://developer.atlassian.com/cloud/jira/platform/rate-limiting/),
:meth:`FakeJira.commit_then_reset`, :meth:`FakeJira.commit_then_hang`,
:meth:`FakeJira.search_lag` and :meth:`FakeJira.index_lag`.
"""

from __future__ import annotations

import base64
import contextlib
import copy
import functools
import hashlib
import json
import re
import socket
import struct
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, quote, unquote, urlsplit

from testing import fake_jql
from testing import jira_contract as contract
from testing.fake_jira_data import (
    NOT_ON_SCREEN,
    OPEN,
    STATUS_CATEGORIES,
    STATUSES,
    Answer,
    Call,
    JiraData,
    Query,
    error,
    first,
    invalid,
    paging,
    property_problem,
    unpack,
)

HeaderValue = str | Callable[[], str]
"""A fault's header value, or a function giving it when the answer is sent."""

_FILENAME = re.compile(rb'filename="([^"]*)"')
_ISSUE = r"/rest/api/2/issue/(?P<key>[A-Z][A-Z0-9_]*-[0-9]+|[0-9]+)"
_PROPERTY = _ISSUE + "/properties/(?P<name>[^/]+)"
_CREATEMETA = r"/rest/api/2/issue/createmeta/(?P<project>[^/]+)/issuetypes"
_SEARCHES = ("/rest/api/3/search/jql", "/rest/api/2/search", "/rest/api/3/search")
DC_SEARCH_PARAMETERS = frozenset(
    {"jql", "startAt", "maxResults", "validateQuery", "fields", "expand"}
)
"""The query parameters Data Center's ``GET /rest/api/2/search`` reads; it ignores others."""
RECONCILE_LIMIT = 50
"""``reconcileIssues`` "Accepts max 50 ids" (Jira Cloud REST API v3, search/jql)."""
PROPERTY_LIMIT = 5
"""Cloud's ``search/jql`` takes "A list of up to 5 issue properties to include in the
results" (Jira Cloud REST API v3); the fake refuses more with a 400 (the reference does
not say what Jira answers: refusing is the stricter reading)."""
CLOUD_PAGE_LIMIT = 100
"""Issues per page of Cloud's ``search/jql`` when fields are asked for. The reference
says "To manage page size, API may return fewer items per page where a large number of
fields or properties are requested. The greatest number of items returned per page is
achieved when requesting ``id`` or ``key`` only"; Atlassian's KB "Changing maxResults
parameter for Jira Cloud REST API" says the request's ``maxResults`` "is overridden if it
is above the limit defined for given REST API endpoint", and clients see 100
(jira-node/node-jira-client#258, pycontribs/jira#805)."""
CLOUD_ID_PAGE_LIMIT = 5000
"""Per page when only ``id``/``key`` are asked for: "It returns max 5000 issues"."""
DC_PAGE_LIMIT = 1000
"""Data Center's search caps ``maxResults`` at ``jira.search.views.default.max``, 1000 by
default (Jira API ``IssueSearchLimits``: "If there is a problem reading the configured
value, this method returns 1000"; JRASERVER-23960), and answers the cap it applied in
``maxResults``."""
DEFAULT_PAGE = 50
"""``maxResults`` when a search does not say (both references: "default 50")."""


@dataclass
class Recorded:
    """One request the fake received, and what it answered (``None``: no answer)."""

    method: str
    path: str
    query: dict[str, list[str]]
    body: bytes
    headers: dict[str, str]
    status: int | None = None
    at: float = field(default_factory=time.monotonic)
    """When it arrived (``time.monotonic()``)."""

    @property
    def route(self) -> str:
        return f"{self.method} {self.path}"


@dataclass
class Fault:
    kind: str  # "status", "reset" or "hang"
    times: int
    status: int = 0
    headers: dict[str, HeaderValue] = field(default_factory=dict)
    body: Any = None
    seconds: float = 0.0


class FakeJira(JiraData):
    """The fake's data (see :class:`JiraData`), issues, faults and record.

    :attr:`url` once it is running; :attr:`issues`, :attr:`properties` (entity properties
    by issue key), :attr:`comments` and :attr:`attachments` (with their ``content``) hold
    what was written.
    """

    def __init__(self, *, cloud: bool = True, project: str = "OPS") -> None:
        super().__init__(cloud=cloud, project=project)
        self.issues: dict[str, dict[str, Any]] = {}
        self.properties: dict[str, dict[str, Any]] = {}
        self.comments: dict[str, list[dict[str, Any]]] = {}
        self.attachments: dict[str, list[dict[str, Any]]] = {}
        self.requests: list[Recorded] = []
        self.problems: list[str] = []
        self._faults: dict[tuple[str, str], list[Fault]] = {}
        self._lagging = 0
        self._index_lag = 0.0
        self._indexed_at: dict[str, float] = {}
        """When each issue shows up in a search that does not reconcile it (monotonic)."""
        self.can_transition = True
        """The *Transition issues* permission. Without it Jira lists no transitions ("if
        the user does not have the Transition issues project permission the response will
        not list any transitions") and a transition is a 400 ("Returned if … the user does
        not have permission to transition the issue"): REST reference, "Get transitions"
        and "Transition issue"."""
        self.hidden: set[str] = set()
        """Keys of issues this account cannot browse: every ``/issue/{key}/…`` is a 404
        ("the issue is not found or the user does not have permission to view it") and
        searches leave them out."""
        self.search_page_limit: int | None = None
        """A lower page cap than the documented ones (a test's choice: Jira says page
        sizes "may change without notice")."""
        self._next_id = 10000
        self._next_key = 0
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        contract.spec()  # load the 2.4 MB file once, before any handler thread needs it

    # --- lifecycle --------------------------------------------------------------------

    @property
    def url(self) -> str:
        assert self._server is not None, "the fake Jira is not running"
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def base(self) -> str:
        return self.url if self._server is not None else super().base

    def start(self) -> None:
        fake = self

        class Handler(_Handler):
            jira = fake

        server = _Server(("127.0.0.1", 0), Handler)
        self._server = server
        self._thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
        self._thread.start()

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    # --- faults -----------------------------------------------------------------------

    def status(
        self,
        method: str,
        path: str,
        code: int,
        headers: Mapping[str, HeaderValue] | None = None,
        *,
        body: Any = None,
        times: int = 1,
    ) -> None:
        """Answer ``code`` (with ``headers``) instead of serving, ``times`` times."""
        fault = Fault("status", times, status=code, headers=dict(headers or {}), body=body)
        self._add(method, path, fault)

    def echo_credentials(self, method: str, path: str, code: int, *, times: int = 1) -> None:
        """Answer ``code`` with the request's Authorization header (and the credentials it
        decodes to) in the error body, as a misconfigured proxy or server may."""
        self._add(method, path, Fault("echo", times, status=code))

    def drip(self, method: str, path: str, interval: float, *, times: int = 1) -> None:
        """Apply the request, then send the answer one byte every ``interval`` seconds
        (a stalled server or proxy: every read gets a byte, so no read times out)."""
        self._add(method, path, Fault("drip", times, seconds=interval))

    def commit_then_reset(self, method: str, path: str, *, times: int = 1) -> None:
        """Apply the request, then reset the connection without answering."""
        self._add(method, path, Fault("reset", times))

    def commit_then_hang(self, method: str, path: str, seconds: float, *, times: int = 1) -> None:
        """Apply the request, then wait ``seconds`` before answering."""
        self._add(method, path, Fault("hang", times, seconds=seconds))

    def search_lag(self, n: int) -> None:
        """The next ``n`` searches find nothing but reconciled issues (Jira's index lags
        behind a create)."""
        with self._lock:
            self._lagging = n

    def index_lag(self, seconds: float) -> None:
        """Issues created from now on reach the search index ``seconds`` after their
        create; until then only a search that names their id in ``reconcileIssues``
        finds them (Cloud)."""
        with self._lock:
            self._index_lag = seconds

    def catch_up(self) -> None:
        """The search index catches up: every issue created so far is found."""
        with self._lock:
            self._indexed_at.clear()

    def _add(self, method: str, path: str, fault: Fault) -> None:
        with self._lock:
            self._faults.setdefault((method.upper(), path), []).append(fault)

    def _take_fault(self, method: str, path: str) -> Fault | None:
        with self._lock:
            for key in ((method, path), (method, "*"), ("*", path), ("*", "*")):
                queue = self._faults.get(key)
                if queue:
                    fault = queue[0]
                    fault.times -= 1
                    if fault.times <= 0:
                        queue.pop(0)
                    return fault
            return None

    # --- the record -------------------------------------------------------------------

    def calls(self, method: str, path: str) -> list[Recorded]:
        return [r for r in self.requests if r.method == method and r.path == path]

    def routes(self, since: int = 0) -> list[str]:
        """``"METHOD /path"`` of every request from number ``since`` on."""
        with self._lock:
            return [r.route for r in self.requests[since:]]

    # --- the API ----------------------------------------------------------------------

    def serve(self, method: str, path: str, query: Query, body: Any) -> Answer:
        """The answer to one request (state changes happen here)."""
        with self._lock:
            known = False
            for verb, pattern, handler in _ROUTES:
                match = pattern.fullmatch(path)
                if match is None:
                    continue
                if verb == method:
                    return handler(self, Call(match, query, body))
                known = True
            if known:
                return error(405, f"{method} is not allowed on {path}")
            return error(404, f"no route for {method} {path}")

    def _server_info(self, _call: Call) -> Answer:
        if self.cloud:
            return Answer(200, {"versionNumbers": [1001, 0, 0], "deploymentType": "Cloud"})
        return Answer(200, {"versionNumbers": [9, 12, 0], "deploymentType": "Server"})

    def _myself(self, _call: Call) -> Answer:
        return Answer(200, self.user_view(self.bot))

    def _new_id(self) -> int:
        self._next_id += 1
        return self._next_id

    def add_issue(
        self,
        summary: str,
        *,
        labels: Sequence[str] = ("marketing-campaign",),
        status: Mapping[str, Any] = OPEN,
        duedate: str | None = None,
        assignee: Mapping[str, str] | None = None,
        properties: Mapping[str, Any] | None = None,
    ) -> str:
        """An issue put straight into the store (as if created long ago): its key."""
        with self._lock:
            self._next_key += 1
            key, ident = f"{self.project}-{self._next_key}", str(self._new_id())
            now = _timestamp()
            fields: dict[str, Any] = {
                "summary": summary,
                "labels": list(labels),
                "status": copy.deepcopy(dict(status)),
                "assignee": None if assignee is None else self.user_view(assignee),
                "duedate": duedate,
                "created": now,
                "updated": now,
                "project": self.project_ref(),
            }
            self.issues[key] = {"id": ident, "key": key, "fields": fields}
            self.properties[key] = copy.deepcopy(dict(properties or {}))
            return key

    def _issue_view(self, issue: Mapping[str, Any], query: Query) -> dict[str, Any]:
        attached = [
            {key: item[key] for key in ("id", "filename", "size")}
            | {"mimeType": "application/octet-stream", "self": f"{self.base}/attachment"}
            for item in self.attachments.get(issue["key"], [])
        ]
        view = {
            "id": issue["id"],
            "key": issue["key"],
            "self": f"{self.base}/rest/api/2/issue/{issue['id']}",
            "fields": _shown({**issue["fields"], "attachment": attached}, query),
        }
        wanted = [k for k in first(query, "properties").split(",") if k]
        if wanted:
            mine = self.properties.get(issue["key"], {})
            view["properties"] = {k: copy.deepcopy(mine[k]) for k in wanted if k in mine}
        return view

    def _create(self, call: Call) -> Answer:
        unpacked = unpack(call.body)
        if isinstance(unpacked, Answer):
            return unpacked
        fields, properties = unpacked
        project = fields.get("project")
        if not isinstance(project, dict) or not (
            project.get("key") == self.project or project.get("id") == self.project_id
        ):
            return invalid({"project": "Specify a valid project ID or key"})
        issue_type = self.issue_type(fields.get("issuetype"))
        if issue_type is None:
            return invalid({"issuetype": "The issue type selected is invalid."})
        stored, errors = self.check_fields(issue_type, fields, create=True)
        if errors:
            return invalid(errors)
        self._next_key += 1
        key, ident = f"{self.project}-{self._next_key}", str(self._new_id())
        stored.update(project=self.project_ref(), issuetype=self.type_view(issue_type))
        now = _timestamp()
        stored = {"labels": [], "assignee": None, **stored, "status": dict(OPEN)}
        stored.update(created=now, updated=now)
        self.issues[key] = {"id": ident, "key": key, "fields": stored}
        self.properties[key] = properties
        self._indexed_at[key] = time.monotonic() + self._index_lag
        link = f"{self.base}/rest/api/2/issue/{ident}"
        return Answer(201, {"id": ident, "key": key, "self": link})

    def _search(self, call: Call) -> Answer:
        path, query = call.match.group(0), call.query
        if self.cloud and path != "/rest/api/3/search/jql":
            gone = "The requested API has been removed. Please migrate to /rest/api/3/search/jql"
            return Answer(410, {"errorMessages": [gone]})
        if not self.cloud and path.startswith("/rest/api/3/"):
            return Answer(404, {"errorMessages": ["null for uri"]})
        if not self.cloud:
            query = {k: v for k, v in query.items() if k in DC_SEARCH_PARAMETERS}
        elif not first(query, "fields"):
            query = {**query, "fields": ["id"]}  # "The default is `id`" (search/jql)
        reconciled = (_too_many_properties(query) if self.cloud else None) or _reconciled(query)
        if isinstance(reconciled, Answer):
            return reconciled
        jql = first(query, "jql")
        parsed = self._jql(jql)
        if isinstance(parsed, Answer):
            return parsed
        where, order = parsed
        lagging = self._lagging > 0
        if lagging:
            self._lagging -= 1
        now = time.monotonic()
        found = [
            issue
            for key, issue in self.issues.items()
            if key not in self.hidden
            and fake_jql.matches(where, issue, self._values)
            and (
                issue["id"] in reconciled or (not lagging and now >= self._indexed_at.get(key, 0.0))
            )
        ]
        for name, descending in reversed(order):  # stable sorts: the first key wins
            found.sort(key=functools.partial(self._sort_key, name=name), reverse=descending)
        if self.cloud:
            return self._cloud_page(found, query, jql)
        return self._dc_page(found, query)

    def _cloud_page(self, found: list[dict[str, Any]], query: Query, jql: str) -> Answer:
        """One page of ``search/jql``: ``nextPageToken`` on every page but the last ("The
        `nextPageToken` field is **not included** in the response for the last page") and
        ``isLast``; a token that is not one Jira gave for this query is a 400 (a malformed
        token is refused by the real API: brekkylab/backlot#191)."""
        size = _whole(first(query, "maxResults"), DEFAULT_PAGE)
        if size is None or size < 0:
            return error(400, "maxResults must be a whole number, 0 or more")
        wanted = {f for value in query.get("fields", []) for f in value.split(",") if f}
        cap = CLOUD_ID_PAGE_LIMIT if wanted <= {"id", "key"} else CLOUD_PAGE_LIMIT
        size = min(size, cap, self.search_page_limit or cap)
        start = 0
        token = first(query, "nextPageToken")
        if token:
            start_or_none = _token_offset(token, jql)
            if start_or_none is None:
                return error(400, "The provided next page token is invalid or expired.")
            start = start_or_none
        chunk = found[start : start + size]
        body: dict[str, Any] = {"issues": [self._issue_view(i, query) for i in chunk]}
        last = start + size >= len(found)
        body["isLast"] = last
        if not last:
            body["nextPageToken"] = _token(jql, start + size)
        return Answer(200, body)

    def _dc_page(self, found: list[dict[str, Any]], query: Query) -> Answer:
        """One page of Data Center's search: ``startAt``, the ``maxResults`` it applied
        (at most :data:`DC_PAGE_LIMIT`) and ``total``."""
        start = _whole(first(query, "startAt"), 0)
        size = _whole(first(query, "maxResults"), DEFAULT_PAGE)
        if start is None or size is None or start < 0 or size < 0:
            return error(400, "startAt and maxResults must be whole numbers, 0 or more")
        size = min(size, DC_PAGE_LIMIT, self.search_page_limit or DC_PAGE_LIMIT)
        chunk = found[start : start + size]
        shown = {"startAt": start, "maxResults": size, "total": len(found)}
        return Answer(200, {**shown, "issues": [self._issue_view(i, query) for i in chunk]})

    def _jql(self, jql: str) -> tuple[Any, tuple[tuple[str, bool], ...]] | Answer:
        """The query's condition (functions bound) and order, or Jira's 400."""
        try:
            parsed = fake_jql.parse(jql)
            me = self.bot["accountId"] if self.cloud else self.bot["name"]
            where = fake_jql.bind(parsed.where, {"currentuser": me})
        except fake_jql.JqlError as exc:
            return error(400, str(exc))
        if not fake_jql.clauses(where):
            # "this parameter requires a bounded query" (search/jql, jql)
            return error(400, "Unbounded JQL queries are not allowed here.")
        for clause in fake_jql.clauses(where):
            problem = self._unknown_value(clause)
            if problem is not None:
                return error(400, problem)
        return where, parsed.order

    def _unknown_value(self, clause: fake_jql.Clause) -> str | None:
        """Jira's message when a field with fixed values is compared with another value."""
        known: dict[str, set[str]] = {
            "project": {self.project.casefold(), self.project_id},
            "status": {s["name"].casefold() for s in STATUSES} | {s["id"] for s in STATUSES},
            "statuscategory": {
                str(c[k]).casefold() for c in STATUS_CATEGORIES.values() for k in ("key", "name")
            },
        }
        names = {"project": "project", "status": "status", "statuscategory": "statusCategory"}
        if clause.field not in known or clause.op in ("is", "is not"):
            return None
        for value in clause.values:
            if value.text.casefold() not in known[clause.field]:
                return (
                    f"The value '{value.text}' does not exist for the field "
                    f"'{names[clause.field]}'."
                )
        return None

    def _values(self, issue: Mapping[str, Any], field_name: str) -> list[str]:
        """An issue's values of a JQL field (empty: the field is empty)."""
        fields = issue["fields"]
        status = fields.get("status") or {}
        category = status.get("statusCategory") or {}
        assignee = fields.get("assignee") or {}
        ident = assignee.get("accountId" if self.cloud else "name")
        by_field: dict[str, list[Any]] = {
            "project": [issue["key"].rpartition("-")[0], self.project_id],
            "labels": list(fields.get("labels") or []),
            "status": [status.get("name"), status.get("id")],
            "statuscategory": [category.get("key"), category.get("name"), category.get("id")],
            "assignee": [ident],
            "duedate": [fields.get("duedate")],
            "created": [fields.get("created")],
            "updated": [fields.get("updated")],
            "key": [issue["key"], issue["id"]],
            "priority": [(fields.get("priority") or {}).get("name")],
        }
        return [str(v) for v in by_field.get(field_name, []) if v is not None]

    def _sort_key(self, issue: Mapping[str, Any], name: str) -> tuple[int, Any]:
        """Empty values last, keys by number."""
        if name == "key":
            return (0, int(issue["key"].rpartition("-")[2]))
        values = self._values(issue, name)
        return (0, values[0]) if values else (1, "")

    # --- one issue: call.key and call.issue are set ------------------------------------

    def _get_issue(self, call: Call) -> Answer:
        return Answer(200, self._issue_view(call.issue, call.query))

    def _edit(self, call: Call) -> Answer:
        unpacked = unpack(call.body)
        if isinstance(unpacked, Answer):
            return unpacked
        fields, properties = unpacked
        if not fields and not properties:
            return error(400, "no fields or properties to update")
        current = call.issue["fields"].get("issuetype")
        issue_type = self.issue_type(fields.get("issuetype", current))
        if issue_type is None:
            return invalid({"issuetype": "The issue type selected is invalid."})
        stored, errors = self.check_fields(issue_type, fields, create=False)
        if errors:
            return invalid(errors)
        call.issue["fields"].update(stored)
        if "issuetype" in fields:
            call.issue["fields"]["issuetype"] = self.type_view(issue_type)
        self.properties.setdefault(call.key, {}).update(properties)
        return Answer(204)

    def _assign(self, call: Call) -> Answer:
        wanted, body = ("accountId" if self.cloud else "name"), call.body
        if isinstance(body, dict) and wanted in body and body[wanted] is None:
            call.issue["fields"]["assignee"] = None
            return Answer(204)
        user, problem = self.find_user(body)
        if problem is not None:
            return invalid({"assignee": problem})
        call.issue["fields"]["assignee"] = user
        return Answer(204)

    def _comment(self, call: Call) -> Answer:
        text = call.body.get("body") if isinstance(call.body, dict) else None
        if not isinstance(text, str) or not text.strip():
            return invalid({"comment": "Comment body can not be empty!"})
        comment = {"id": str(self._new_id()), "body": text, "author": self.user_view(self.bot)}
        self.comments.setdefault(call.key, []).append(comment)
        return Answer(201, comment)

    def _get_comments(self, call: Call) -> Answer:
        comments = copy.deepcopy(self.comments.get(call.key, []))
        if first(call.query, "orderBy") == "-created":
            comments.reverse()
        page = paging(call.query)
        if isinstance(page, Answer):
            return page
        start, size = page
        shown = {"startAt": start, "maxResults": size, "total": len(comments)}
        return Answer(200, {**shown, "comments": comments[start : start + size]})

    def _attach(self, call: Call) -> Answer:
        shown: list[dict[str, Any]] = []
        for name, content in _files(call.body or b""):
            shown.append({"id": str(self._new_id()), "filename": name, "size": len(content)})
            self.attachments.setdefault(call.key, []).append({**shown[-1], "content": content})
        return Answer(200, shown)

    def _open_transitions(self, issue: Mapping[str, Any]) -> list[dict[str, Any]]:
        """The transitions open from the issue's status (those without ``from`` are global)."""
        here = (issue["fields"].get("status") or {}).get("name")
        return [t for t in self.transitions if "from" not in t or here in t["from"]]

    def _transitions(self, call: Call) -> Answer:
        """``GET …/transitions``: the transitions open from the issue's status; with
        ``expand=transitions.fields`` each lists its screen's fields ("returns information
        about the fields in the transition screen for each transition"); ``transitionId``
        narrows to one ("if a request is made for a transition that does not exist or
        cannot be performed on the issue, given its status, the response will return any
        empty transitions list"); none without the permission (see :attr:`can_transition`).
        """
        expand = "transitions.fields" in first(call.query, "expand").split(",")
        wanted = first(call.query, "transitionId")
        listed = []
        for transition in self._open_transitions(call.issue) if self.can_transition else []:
            if wanted and transition["id"] != wanted:
                continue
            screen = transition.get("fields") or {}
            view = {k: copy.deepcopy(v) for k, v in transition.items() if k in ("id", "name")}
            view.update(to=copy.deepcopy(transition["to"]), hasScreen=bool(screen))
            view.update(isGlobal="from" not in transition, isInitial=False)
            view.update(isAvailable=True, isConditional=False, isLooped=False)
            if expand:
                view["fields"] = copy.deepcopy(screen)
            listed.append(view)
        return Answer(200, {"expand": "transitions", "transitions": listed})

    def _transition(self, call: Call) -> Answer:
        """``POST …/transitions``, refused as the reference lists: a 400 when "no transition
        is specified", "the user does not have permission to transition the issue", "a
        field that isn't included on the transition screen is defined in `fields` or
        `update`", "a field is specified in both `fields` and `update`", or a required
        screen field is missing ("Field X is required"); a 404 when the issue cannot be
        seen. Nothing is written unless everything is valid."""
        body = call.body if isinstance(call.body, dict) else {}
        chosen = body.get("transition")
        wanted = chosen.get("id") if isinstance(chosen, dict) else None
        if wanted is None:
            return error(400, "Missing 'transition' identifier")
        if not self.can_transition:
            return error(400, "You do not have permission to transition this issue.")
        found = [t for t in self._open_transitions(call.issue) if t["id"] == wanted]
        if not found:
            return error(400, f"Transition id '{str(wanted)[:40]}' is not valid for this issue.")
        fields, update = body.get("fields") or {}, body.get("update") or {}
        if not isinstance(fields, dict) or not isinstance(update, dict):
            return error(400, "'fields' and 'update' must be objects")
        screen: dict[str, Any] = found[0].get("fields") or {}
        errors = {n: NOT_ON_SCREEN.format(n[:100]) for n in [*fields, *update] if n not in screen}
        errors.update(
            {
                n: f"Field '{n[:100]}' is set in both 'fields' and 'update'."
                for n in fields
                if n in update
            }
        )
        for name, entry in screen.items():
            given = fields.get(name, update.get(name))
            if entry.get("required") and not entry.get("hasDefaultValue") and _blank(given):
                errors.setdefault(name, f"{entry.get('name', name)} is required.")
        if errors:
            return invalid(errors)
        call.issue["fields"].update(copy.deepcopy(fields))
        call.issue["fields"]["status"] = copy.deepcopy(found[0]["to"])
        call.issue["fields"]["updated"] = _timestamp()
        return Answer(204)

    def _property_keys(self, call: Call) -> Answer:
        base = f"{self.base}/rest/api/2/issue/{call.key}/properties/"
        keys = [{"self": base + quote(k), "key": k} for k in self.properties.get(call.key, {})]
        return Answer(200, {"keys": keys})

    def _get_property(self, call: Call) -> Answer:
        name, mine = unquote(call.match["name"]), self.properties.get(call.key, {})
        if name not in mine:
            return error(404, f"The property with key '{name[:255]}' does not exist.")
        return Answer(200, {"key": name, "value": copy.deepcopy(mine[name])})

    def _put_property(self, call: Call) -> Answer:
        name = unquote(call.match["name"])
        problem = property_problem(name, call.body)
        if problem is not None:
            return error(400, problem)
        mine = self.properties.setdefault(call.key, {})
        status = 200 if name in mine else 201
        mine[name] = call.body
        return Answer(status)

    def _delete_property(self, call: Call) -> Answer:
        name, mine = unquote(call.match["name"]), self.properties.get(call.key, {})
        if mine.pop(name, None) is None:
            return error(404, f"The property with key '{name[:255]}' does not exist.")
        return Answer(204)


Handler = Callable[[FakeJira, Call], Answer]


def _on_issue(handler: Handler) -> Handler:
    """A handler of ``/issue/{key}/…``: 404 unless the issue (by key or id) exists."""

    def serve(fake: FakeJira, call: Call) -> Answer:
        for key, issue in fake.issues.items():
            if call.match["key"] in (key, issue["id"]) and key not in fake.hidden:
                call.key, call.issue = key, issue
                return handler(fake, call)
        return error(404, "Issue does not exist or you do not have permission to see it.")

    return serve


_ROUTES: list[tuple[str, re.Pattern[str], Handler]] = [
    ("GET", re.compile(r"/rest/api/2/serverInfo"), FakeJira._server_info),
    ("GET", re.compile(r"/rest/api/2/myself"), FakeJira._myself),
    ("GET", re.compile(r"/rest/api/2/project/(?P<project>[^/]+)"), FakeJira.get_project),
    ("GET", re.compile(r"/rest/api/2/user/search"), FakeJira.user_search),
    ("GET", re.compile(_CREATEMETA), FakeJira.createmeta_types),
    ("GET", re.compile(_CREATEMETA + r"/(?P<type>[^/]+)"), FakeJira.createmeta_fields),
    ("POST", re.compile(r"/rest/api/2/issue"), FakeJira._create),
    *(("GET", re.compile(re.escape(path)), FakeJira._search) for path in _SEARCHES),
    ("GET", re.compile(_ISSUE), _on_issue(FakeJira._get_issue)),
    ("PUT", re.compile(_ISSUE), _on_issue(FakeJira._edit)),
    ("PUT", re.compile(_ISSUE + "/assignee"), _on_issue(FakeJira._assign)),
    ("GET", re.compile(_ISSUE + "/comment"), _on_issue(FakeJira._get_comments)),
    ("POST", re.compile(_ISSUE + "/comment"), _on_issue(FakeJira._comment)),
    ("POST", re.compile(_ISSUE + "/attachments"), _on_issue(FakeJira._attach)),
    ("GET", re.compile(_ISSUE + "/transitions"), _on_issue(FakeJira._transitions)),
    ("POST", re.compile(_ISSUE + "/transitions"), _on_issue(FakeJira._transition)),
    ("GET", re.compile(_ISSUE + "/properties"), _on_issue(FakeJira._property_keys)),
    ("GET", re.compile(_PROPERTY), _on_issue(FakeJira._get_property)),
    ("PUT", re.compile(_PROPERTY), _on_issue(FakeJira._put_property)),
    ("DELETE", re.compile(_PROPERTY), _on_issue(FakeJira._delete_property)),
]


def _echoed(status: int, authorization: str) -> Answer:
    """An error body quoting the Authorization header, decoded too (a careless proxy)."""
    scheme, _, value = authorization.partition(" ")
    decoded = ""
    if scheme == "Basic":
        with contextlib.suppress(ValueError):
            decoded = base64.b64decode(value).decode("utf-8", "replace")
    said = f"rejected Authorization: {authorization} ({decoded or value})"
    return Answer(status, {"errorMessages": [said], "errors": {"auth": said}})


def _too_many_properties(query: Query) -> Answer | None:
    """A 400 for more than :data:`PROPERTY_LIMIT` ``properties`` (Cloud's search/jql)."""
    asked = [k for value in query.get("properties", []) for k in value.split(",") if k]
    if len(asked) > PROPERTY_LIMIT:
        return error(400, f"properties: at most {PROPERTY_LIMIT} issue properties")
    return None


def _reconciled(query: Query) -> set[str] | Answer:
    """The issue ids of ``reconcileIssues`` (comma-separated or repeated), or Jira's 400."""
    ids = [part for value in query.get("reconcileIssues", []) for part in value.split(",")]
    if not all(part.strip().isdigit() for part in ids):
        return error(400, "reconcileIssues must be a list of issue ids (whole numbers)")
    if len(ids) > RECONCILE_LIMIT:
        return error(400, f"reconcileIssues accepts at most {RECONCILE_LIMIT} issue ids")
    return {part.strip() for part in ids}


def _blank(value: Any) -> bool:
    return value is None or value in ("", [], {})


def _timestamp() -> str:
    """Now, as Jira writes ``created`` and ``updated``: ``2026-03-01T12:00:00.000+0000``."""
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "+0000"


def _whole(text: str, default: int) -> int | None:
    if not text:
        return default
    return int(text) if text.isdigit() or (text.startswith("-") and text[1:].isdigit()) else None


def _token(jql: str, offset: int) -> str:
    """An opaque page token: where the next page starts, bound to its query."""
    digest = hashlib.sha256(jql.encode()).hexdigest()[:16]
    raw = json.dumps({"q": digest, "o": offset}).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _token_offset(token: str, jql: str) -> int | None:
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        data = json.loads(raw)
    except ValueError:
        return None
    digest = hashlib.sha256(jql.encode()).hexdigest()[:16]
    if not isinstance(data, dict) or data.get("q") != digest:
        return None
    offset = data.get("o")
    return offset if isinstance(offset, int) and offset >= 0 else None


def _files(raw: bytes) -> list[tuple[str, bytes]]:
    """The (file name, content) of each part of a multipart/form-data body."""
    boundary = raw.split(b"\r\n", 1)[0]
    found: list[tuple[str, bytes]] = []
    for part in raw.split(boundary)[1:]:
        head, _, content = part.partition(b"\r\n\r\n")
        name = _FILENAME.search(head)
        if name is not None and content.endswith(b"\r\n"):
            found.append((name.group(1).decode("utf-8", "replace"), content[:-2]))
    return found


def _shown(fields: dict[str, Any], query: Query) -> dict[str, Any]:
    wanted = first(query, "fields")
    if not wanted:
        return fields
    names = set(wanted.split(","))
    return {k: v for k, v in fields.items() if k in names}


class QuietServer(ThreadingHTTPServer):
    """A fake's server: one thread per request, none waited for on close."""

    daemon_threads = True
    block_on_close = False

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Clients that time out or are reset on purpose are not errors."""


_Server = QuietServer


class QuietHandler(BaseHTTPRequestHandler):
    """A fake's handler: HTTP/1.1, no log (the fake records requests itself), every
    method to :meth:`_handle`."""

    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the fake records requests itself."""

    def do_GET(self) -> None:
        self._handle()

    def do_PUT(self) -> None:
        self._handle()

    def do_POST(self) -> None:
        self._handle()

    def do_DELETE(self) -> None:
        self._handle()

    def _handle(self) -> None:
        raise NotImplementedError


class _Handler(QuietHandler):
    jira: FakeJira

    def _handle(self) -> None:
        jira = self.jira
        parts = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        content_type = self.headers.get("Content-Type")
        record = Recorded(
            self.command, parts.path, parse_qs(parts.query), raw, dict(self.headers.items())
        )
        with jira._lock:
            jira.requests.append(record)
        problems = contract.check_request(
            self.command, self.path, raw or None, content_type, cloud=jira.cloud
        )
        if problems:
            with jira._lock:
                jira.problems.extend(problems)

        fault = jira._take_fault(self.command, parts.path)
        if fault is not None and fault.kind == "echo":
            self._answer(record, _echoed(fault.status, self.headers.get("Authorization", "")))
            return
        if fault is not None and fault.kind == "status":
            headers = {k: v() if callable(v) else v for k, v in fault.headers.items()}
            self._answer(record, Answer(fault.status, fault.body, headers))
            return
        answer = self._serve(record, raw, content_type)
        if fault is not None and fault.kind == "reset":
            self._reset()
            return
        if fault is not None and fault.kind == "hang":
            time.sleep(fault.seconds)
        if fault is not None and fault.kind == "drip":
            self._drip(record, answer, fault.seconds)
            return
        self._answer(record, answer)

    def _serve(self, record: Recorded, raw: bytes, content_type: str | None) -> Answer:
        if "Authorization" not in self.headers:
            return Answer(401, {"errorMessages": ["You are not authenticated."]})
        if record.path.endswith("/attachments"):
            if self.headers.get("X-Atlassian-Token") != "no-check":
                return Answer(403, {"errorMessages": ["XSRF check failed"]})
            return self.jira.serve(record.method, record.path, record.query, raw)
        body: Any = None
        if raw:
            if not (content_type or "").startswith("application/json"):
                return Answer(415, {"errorMessages": ["Unsupported Media Type"]})
            try:
                body = json.loads(raw)
            except ValueError:
                return Answer(400, {"errorMessages": ["Unexpected character"]})
        return self.jira.serve(record.method, record.path, record.query, body)

    def _answer(self, record: Recorded, answer: Answer) -> None:
        record.status = answer.status
        payload = b"" if answer.body is None else json.dumps(answer.body).encode()
        with contextlib.suppress(OSError):
            self.send_response(answer.status)
            for name, value in answer.headers.items():
                self.send_header(name, value)
            if payload:
                self.send_header("Content-Type", "application/json;charset=UTF-8")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
            self.wfile.flush()

    def _drip(self, record: Recorded, answer: Answer, interval: float) -> None:
        """The status line and headers, one byte at a time; stops when the client goes."""
        record.status = answer.status
        head = f"HTTP/1.1 {answer.status} OK\r\nContent-Type: application/json\r\n" * 50
        self.close_connection = True
        with contextlib.suppress(OSError):
            for byte in head.encode():
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
                time.sleep(interval)

    def _reset(self) -> None:
        """Close the socket with a TCP RST, without a byte of answer."""
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()


@contextlib.contextmanager
def running(*, cloud: bool = True, project: str = "OPS") -> Iterator[FakeJira]:
    """A started fake Jira, stopped on exit."""
    fake = FakeJira(cloud=cloud, project=project)
    fake.start()
    try:
        yield fake
    finally:
        fake.stop()
