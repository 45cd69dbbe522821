"""A fake PagerDuty Events API v2 on 127.0.0.1: change events only, checked as PagerDuty
documents them, with what it received kept for the test.

Start it with :func:`running` (a context manager); :attr:`FakePagerDuty.url` is the
``events_url`` to configure. It serves ``POST /v2/change/enqueue`` and nothing else
(404), and answers as PagerDuty's documentation says (developer-docs
``events-API-v2/03-Change-Events.md``, "Send a Change Event"; ``01-Overview.md``,
"Response Codes & Retry Logic" and "API Limits"; the Events API v2 OpenAPI
description, PagerDuty/api-schema ``reference/events-v2/openapiv3.json``):

* ``202`` ``{"status": "success", "message": "Change event processed"}`` for a valid
  change event ("202 Accepted - The event has been accepted by PagerDuty");
* ``400`` ``{"status": "invalid event", "message": …, "errors": […]}`` ("400 Bad
  Request - Check that the JSON is valid"; the error body is the OpenAPI ``Error``
  response: ``status``, ``message``, ``errors``) when the body is not a JSON object or
  breaks a documented rule: ``routing_key`` is required, "the 32 character Integration
  Key", and not a ruleset key ("change events cannot be sent to ruleset integration
  keys (these keys begin with the character ``R``)"); ``payload.summary`` is required,
  "The maximum permitted length of this property is 1024 characters"; ``payload.source``
  a string; ``payload.timestamp`` a "Timestamp (ISO 8601)"; ``payload.custom_details``
  an object; ``links`` a list of objects whose ``href`` is required and ``text``
  optional; "Events API payloads are limited to 512 KB";
* ``429`` when :meth:`FakePagerDuty.throttle` says so ("Too many API calls at a time …
  retry after some time"), and a 5xx when :meth:`FakePagerDuty.fail` says so.

Accepted events are in :attr:`FakePagerDuty.events`; every request, accepted or not,
in :attr:`FakePagerDuty.requests`.
"""

from __future__ import annotations

import contextlib
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from http.server import ThreadingHTTPServer
from typing import Any

from testing.fake_jira import QuietHandler, QuietServer

PATH = "/v2/change/enqueue"
KEY_LENGTH = 32
SUMMARY_LIMIT = 1024
SIZE_LIMIT = 512 * 1024
ACCEPTED = {"status": "success", "message": "Change event processed"}


@dataclass(frozen=True)
class Received:
    """One request, and the status it was answered."""

    method: str
    path: str
    body: bytes
    status: int


def problems(raw: bytes) -> list[str]:
    """What PagerDuty would refuse in a change event's body (empty: it is accepted)."""
    if len(raw) > SIZE_LIMIT:
        return ["Event payload is larger than 512 KB"]
    try:
        body = json.loads(raw)
    except ValueError:
        return ["JSON parse error"]
    if not isinstance(body, dict):
        return ["Event object is not a JSON object"]
    found = _routing_key(body.get("routing_key"))
    payload = body.get("payload")
    if not isinstance(payload, dict):
        return [*found, "'payload' is missing or not an object"]
    found += _summary(payload.get("summary"))
    source = payload.get("source")
    if source is not None and not isinstance(source, str):
        found.append("'payload.source' must be a string")
    found += _timestamp(payload.get("timestamp"))
    details = payload.get("custom_details")
    if details is not None and not isinstance(details, dict):
        found.append("'payload.custom_details' must be an object")
    found += _links(body.get("links"))
    return found


def _routing_key(key: object) -> list[str]:
    if not isinstance(key, str) or not key:
        return ["'routing_key' is missing or not a string"]
    if key.startswith("R"):
        return ["Change events cannot be sent to ruleset integration keys"]
    if len(key) != KEY_LENGTH:
        return [f"'routing_key' must be {KEY_LENGTH} characters"]
    return []


def _summary(summary: object) -> list[str]:
    if not isinstance(summary, str) or not summary:
        return ["'payload.summary' is missing or not a string"]
    if len(summary) > SUMMARY_LIMIT:
        return [f"'payload.summary' is longer than {SUMMARY_LIMIT} characters"]
    return []


def _timestamp(stamp: object) -> list[str]:
    if stamp is None:
        return []  # PagerDuty fills it in ("Will be auto-generated … if not provided")
    if not isinstance(stamp, str):
        return ["'payload.timestamp' must be an ISO 8601 string"]
    try:
        parsed = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return ["'payload.timestamp' is not an ISO 8601 timestamp"]
    if parsed.tzinfo is None:
        return ["'payload.timestamp' has no time zone offset"]
    return []


def _links(links: object) -> list[str]:
    if links is None:
        return []
    if not isinstance(links, list):
        return ["'links' must be a list"]
    found = []
    for n, link in enumerate(links):
        if not isinstance(link, dict) or not isinstance(link.get("href"), str):
            found.append(f"'links[{n}].href' is missing")
        elif not isinstance(link.get("text", ""), str):
            found.append(f"'links[{n}].text' must be a string")
    return found


class FakePagerDuty:
    """The fake's state: what it accepted, what it received, the faults to come."""

    def __init__(self) -> None:
        self.events: list[dict[str, Any]] = []
        self.requests: list[Received] = []
        self._faults: list[int] = []
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        assert self._server is not None, "the fake PagerDuty is not running"
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def throttle(self, times: int = 1) -> None:
        """Answer the next ``times`` change events 429, accepting none of them."""
        with self._lock:
            self._faults.extend([429] * times)

    def fail(self, status: int = 500, times: int = 1) -> None:
        """Answer the next ``times`` change events ``status`` (a 5xx), accepting none."""
        with self._lock:
            self._faults.extend([status] * times)

    def answer(self, method: str, path: str, raw: bytes) -> tuple[int, dict[str, Any]]:
        """The status and body for one request (an accepted event is kept)."""
        with self._lock:
            status, body = self._decide(method, path, raw)
            self.requests.append(Received(method, path, raw, status))
            return status, body

    def _decide(self, method: str, path: str, raw: bytes) -> tuple[int, dict[str, Any]]:
        if path != PATH:
            return 404, {"status": "Not Found", "message": f"no route for {path}"}
        if method != "POST":
            return 405, {"status": "Method Not Allowed", "message": f"{method} {path}"}
        if self._faults:
            status = self._faults.pop(0)
            if status == 429:
                return 429, {"status": "throttle event", "message": "Too many requests"}
            return status, {"status": "error", "message": "Internal Server Error"}
        found = problems(raw)
        if found:
            return 400, {
                "status": "invalid event",
                "message": "Event object is invalid",
                "errors": found,
            }
        self.events.append(json.loads(raw))
        return 202, dict(ACCEPTED)

    def start(self) -> None:
        fake = self

        class Handler(_Handler):
            pagerduty = fake

        self._server = QuietServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.05,), daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)


class _Handler(QuietHandler):
    pagerduty: FakePagerDuty

    def _handle(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        status, body = self.pagerduty.answer(self.command, self.path.split("?")[0], raw)
        payload = json.dumps(body).encode()
        with contextlib.suppress(OSError):
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)


@contextlib.contextmanager
def running() -> Iterator[FakePagerDuty]:
    """A started fake PagerDuty, stopped on exit."""
    fake = FakePagerDuty()
    fake.start()
    try:
        yield fake
    finally:
        fake.stop()
