"""A stateful fake Jira on 127.0.0.1, with fault injection and a contract check per request.

Start it with :func:`running` (a context manager) or the ``fake_jira`` fixtures. It serves
the requests the gateway sends (serverInfo, myself, create/get/update an issue, assignee,
comment, attachments, both searches) and answers 410 to ``/rest/api/{2,3}/search`` when it
plays Jira Cloud. Every request is recorded and checked with
:func:`tests.jira.contract.check_request`; the problems are collected in
:attr:`FakeJira.problems` for the test to assert empty.

Faults are set per method and path, one-shot or ``times`` times: :meth:`FakeJira.status`,
:meth:`FakeJira.commit_then_reset`, :meth:`FakeJira.commit_then_hang` and
:meth:`FakeJira.search_lag`.
"""

from __future__ import annotations

import contextlib
import json
import re
import socket
import struct
import threading
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.jira import contract

_ISSUE = re.compile(
    r"/rest/api/2/issue/([A-Z][A-Z0-9_]*-[0-9]+)(/assignee|/comment|/attachments)?\Z"
)
_JQL = re.compile(r'project = "([A-Z][A-Z0-9_]*)" AND labels = "(cg-[0-9a-f]{16})"\Z')
_FILENAME = re.compile(rb'filename="([^"]*)"')
_SEARCHES = ("/rest/api/3/search/jql", "/rest/api/2/search", "/rest/api/3/search")


@dataclass
class Recorded:
    """One request the fake received, and what it answered (``None``: no answer)."""

    method: str
    path: str
    query: dict[str, list[str]]
    body: bytes
    headers: dict[str, str]
    status: int | None = None


@dataclass
class Fault:
    kind: str  # "status", "reset" or "hang"
    times: int
    status: int = 0
    headers: dict[str, str] = field(default_factory=dict)
    body: Any = None
    seconds: float = 0.0


@dataclass
class Answer:
    status: int
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)


class FakeJira:
    """The fake's state, faults and record; :attr:`url` once it is running."""

    def __init__(self, *, cloud: bool = True, project: str = "OPS") -> None:
        self.cloud = cloud
        self.project = project
        self.issues: dict[str, dict[str, Any]] = {}
        self.comments: dict[str, list[dict[str, Any]]] = {}
        self.attachments: dict[str, list[dict[str, Any]]] = {}
        self.requests: list[Recorded] = []
        self.problems: list[str] = []
        self._faults: dict[tuple[str, str], list[Fault]] = {}
        self._lagging = 0
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
        headers: Mapping[str, str] | None = None,
        *,
        body: Any = None,
        times: int = 1,
    ) -> None:
        """Answer ``code`` (with ``headers``) instead of serving, ``times`` times."""
        fault = Fault("status", times, status=code, headers=dict(headers or {}), body=body)
        self._add(method, path, fault)

    def commit_then_reset(self, method: str, path: str, *, times: int = 1) -> None:
        """Apply the request, then reset the connection without answering."""
        self._add(method, path, Fault("reset", times))

    def commit_then_hang(self, method: str, path: str, seconds: float, *, times: int = 1) -> None:
        """Apply the request, then wait ``seconds`` before answering."""
        self._add(method, path, Fault("hang", times, seconds=seconds))

    def search_lag(self, n: int) -> None:
        """The next ``n`` searches find nothing (Jira's index lags behind a create)."""
        with self._lock:
            self._lagging = n

    def _add(self, method: str, path: str, fault: Fault) -> None:
        with self._lock:
            self._faults.setdefault((method.upper(), path), []).append(fault)

    def _take_fault(self, method: str, path: str) -> Fault | None:
        with self._lock:
            queue = self._faults.get((method, path))
            if not queue:
                return None
            fault = queue[0]
            fault.times -= 1
            if fault.times <= 0:
                queue.pop(0)
            return fault

    def calls(self, method: str, path: str) -> list[Recorded]:
        return [r for r in self.requests if r.method == method and r.path == path]

    # --- the API ----------------------------------------------------------------------

    def serve(self, method: str, path: str, query: Mapping[str, list[str]], body: Any) -> Answer:
        """The answer to one request (state changes happen here)."""
        with self._lock:
            return self._serve(method, path, query, body)

    def _serve(  # noqa: PLR0911, PLR0912 - one branch per route
        self, method: str, path: str, query: Mapping[str, list[str]], body: Any
    ) -> Answer:
        route = (method, path)
        if route == ("GET", "/rest/api/2/serverInfo"):
            return Answer(200, self._server_info())
        if route == ("GET", "/rest/api/2/myself"):
            if self.cloud:
                return Answer(200, {"accountId": "5b10ac8d82e05b22cc7d4ef5", "displayName": "Bot"})
            return Answer(200, {"name": "bot", "key": "JIRAUSER10000", "displayName": "Bot"})
        if route == ("POST", "/rest/api/2/issue"):
            return self._create(body)
        if path in _SEARCHES and method == "GET":
            return self._search(path, query)
        match = _ISSUE.match(path)
        if match is None:
            return Answer(404, {"errorMessages": [f"no route for {method} {path}"]})
        key, sub = match.group(1), match.group(2) or ""
        issue = self.issues.get(key)
        if issue is None:
            return Answer(404, {"errorMessages": ["Issue does not exist"], "errors": {}})
        if (method, sub) == ("GET", ""):
            return Answer(200, issue)
        if (method, sub) == ("PUT", ""):
            fields = body.get("fields") if isinstance(body, dict) else None
            if not isinstance(fields, dict):
                return Answer(400, {"errorMessages": ["no fields"], "errors": {}})
            issue["fields"].update(fields)
            return Answer(204)
        if (method, sub) == ("PUT", "/assignee"):
            issue["fields"]["assignee"] = body
            return Answer(204)
        if (method, sub) == ("POST", "/comment"):
            comments = self.comments.setdefault(key, [])
            comment = {"id": str(self._new_id()), "body": body.get("body")}
            comments.append(comment)
            return Answer(201, comment)
        if (method, sub) == ("POST", "/attachments"):
            return self._attach(key, body)
        return Answer(405, {"errorMessages": [f"{method} not allowed"]})

    def _server_info(self) -> dict[str, Any]:
        if self.cloud:
            return {"versionNumbers": [1001, 0, 0], "deploymentType": "Cloud"}
        return {"versionNumbers": [9, 12, 0], "deploymentType": "Server"}

    def _new_id(self) -> int:
        self._next_id += 1
        return self._next_id

    def _create(self, body: Any) -> Answer:
        fields = body.get("fields") if isinstance(body, dict) else None
        project = fields.get("project") if isinstance(fields, dict) else None
        if not isinstance(fields, dict) or not isinstance(project, dict):
            return Answer(400, {"errorMessages": [], "errors": {"project": "project is required"}})
        if project.get("key", self.project) != self.project:
            return Answer(
                400, {"errorMessages": [], "errors": {"project": "valid project is required"}}
            )
        self._next_key += 1
        key, ident = f"{self.project}-{self._next_key}", str(self._new_id())
        stored = {"labels": [], **fields, "status": {"name": "Open"}}
        self.issues[key] = {"id": ident, "key": key, "fields": stored}
        return Answer(201, {"id": ident, "key": key, "self": f"/rest/api/2/issue/{ident}"})

    def _search(self, path: str, query: Mapping[str, list[str]]) -> Answer:
        if self.cloud and path != "/rest/api/3/search/jql":
            gone = "The requested API has been removed. Please migrate to /rest/api/3/search/jql"
            return Answer(410, {"errorMessages": [gone]})
        if not self.cloud and path.startswith("/rest/api/3/"):
            return Answer(404, {"errorMessages": ["null for uri"]})
        jql = _JQL.match((query.get("jql") or [""])[0])
        if jql is None:
            return Answer(400, {"errorMessages": ["the fake understands only project AND labels"]})
        issues: list[dict[str, Any]] = []
        if self._lagging > 0:
            self._lagging -= 1
        else:
            project, label = jql.groups()
            issues = [
                {"id": i["id"], "key": i["key"], "fields": _shown(i["fields"], query)}
                for k, i in self.issues.items()
                if k.startswith(project + "-") and label in i["fields"].get("labels", [])
            ]
        if path == "/rest/api/3/search/jql":
            return Answer(200, {"issues": issues, "isLast": True})
        return Answer(200, {"startAt": 0, "maxResults": 50, "total": len(issues), "issues": issues})

    def _attach(self, key: str, raw: Any) -> Answer:
        names = [m.decode("utf-8", "replace") for m in _FILENAME.findall(raw or b"")]
        stored = [{"id": str(self._new_id()), "filename": name} for name in names]
        self.attachments.setdefault(key, []).extend(stored)
        return Answer(200, stored)


def _shown(fields: dict[str, Any], query: Mapping[str, list[str]]) -> dict[str, Any]:
    wanted = (query.get("fields") or [""])[0]
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
        if fault is not None and fault.kind == "status":
            self._answer(record, Answer(fault.status, fault.body, fault.headers))
            return
        answer = self._serve(record, raw, content_type)
        if fault is not None and fault.kind == "reset":
            self._reset()
            return
        if fault is not None and fault.kind == "hang":
            time.sleep(fault.seconds)
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


@pytest.fixture
def fake_jira() -> Iterator[FakeJira]:
    """A fake Jira Cloud on 127.0.0.1, on an ephemeral port."""
    with running(cloud=True) as fake:
        yield fake


@pytest.fixture
def fake_jira_dc() -> Iterator[FakeJira]:
    """A fake Jira Data Center on 127.0.0.1, on an ephemeral port."""
    with running(cloud=False) as fake:
        yield fake
