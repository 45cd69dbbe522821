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
  …/attachments`` (the files are kept), ``GET``/``POST …/transitions``, ``GET
  …/properties[/{key}]``, ``PUT``/``DELETE …/properties/{key}``;
* the search of each deployment, as Atlassian documents it:

  - Cloud: ``GET /rest/api/3/search/jql`` with ``fields=``, ``properties=`` and
    ``reconcileIssues=``; it is eventually consistent (:meth:`FakeJira.index_lag`,
    :meth:`FakeJira.search_lag`): "The API doesn't provide read-after-write consistency
    by default … The delay might vary from a few seconds to minutes", and an issue whose
    id is in ``reconcileIssues`` (at most 50 ids) is found at once
    (https://developer.atlassian.com/cloud/jira/platform/search-and-reconcile/).
    ``/rest/api/{2,3}/search`` answers 410 on Cloud.
  - Data Center: ``GET /rest/api/2/search`` takes only ``jql``, ``startAt``,
    ``maxResults``, ``validateQuery``, ``fields`` and ``expand`` (Jira DC REST API 9.x
    reference, "Search for issues using JQL"); like any JAX-RS resource it ignores other
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
import json
import re
import socket
import struct
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, quote, unquote, urlsplit

from testing import jira_contract as contract
from testing.fake_jira_data import (
    NOT_ON_SCREEN,
    OPEN,
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

_JQL = re.compile(
    r'project = "([A-Z][A-Z0-9_]*)" AND labels = "(cg-[0-9a-f]{16}|[a-z][a-z0-9-]*)"'
    r"( ORDER BY created DESC)?\Z"
)
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
        stored = {"labels": [], **stored, "status": dict(OPEN)}
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
        reconciled = _reconciled(query)
        if isinstance(reconciled, Answer):
            return reconciled
        parsed = self._jql(first(query, "jql"))
        if isinstance(parsed, Answer):
            return parsed
        project, label, newest_first = parsed
        lagging = self._lagging > 0
        if lagging:
            self._lagging -= 1
        now = time.monotonic()
        issues = [
            self._issue_view(issue, query)
            for key, issue in self.issues.items()
            if key.startswith(project + "-")
            and label in issue["fields"].get("labels", [])
            and (
                issue["id"] in reconciled or (not lagging and now >= self._indexed_at.get(key, 0.0))
            )
        ]
        if newest_first:
            issues.reverse()  # created in key order
        issues = issues[: int(first(query, "maxResults") or 50)]
        if path == "/rest/api/3/search/jql":
            return Answer(200, {"issues": issues, "isLast": True})
        return Answer(200, {"startAt": 0, "maxResults": 50, "total": len(issues), "issues": issues})

    def _jql(self, jql: str) -> tuple[str, str, bool] | Answer:
        """The project, the label and whether newest come first, or Jira's 400."""
        found = _JQL.match(jql)
        if found is None:
            return error(
                400,
                'the fake understands only: project = "KEY" AND labels = "label" '
                "[ORDER BY created DESC]",
            )
        project, label, newest_first = found.groups()
        if project != self.project:
            return error(400, f"The value '{project}' does not exist for the field 'project'.")
        return project, label, newest_first is not None

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

    def _transitions(self, _call: Call) -> Answer:
        listed = copy.deepcopy(self.transitions)
        return Answer(200, {"expand": "transitions", "transitions": listed})

    def _transition(self, call: Call) -> Answer:
        body = call.body if isinstance(call.body, dict) else {}
        chosen = body.get("transition")
        wanted = chosen.get("id") if isinstance(chosen, dict) else None
        found = [t for t in self.transitions if t["id"] == wanted]
        if not found:
            return error(400, f"Transition id '{str(wanted)[:40]}' is not valid for this issue.")
        extra = [*(body.get("fields") or {}), *(body.get("update") or {})]
        if extra:  # the default transitions have no screen
            return invalid({name: NOT_ON_SCREEN.format(name[:100]) for name in extra})
        call.issue["fields"]["status"] = dict(found[0]["to"])
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
            if call.match["key"] in (key, issue["id"]):
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


def _reconciled(query: Query) -> set[str] | Answer:
    """The issue ids of ``reconcileIssues`` (comma-separated or repeated), or Jira's 400."""
    ids = [part for value in query.get("reconcileIssues", []) for part in value.split(",")]
    if not all(part.strip().isdigit() for part in ids):
        return error(400, "reconcileIssues must be a list of issue ids (whole numbers)")
    if len(ids) > RECONCILE_LIMIT:
        return error(400, f"reconcileIssues accepts at most {RECONCILE_LIMIT} issue ids")
    return {part.strip() for part in ids}


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


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Clients that time out or are reset on purpose are not errors."""


class _Handler(BaseHTTPRequestHandler):
    jira: FakeJira
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
