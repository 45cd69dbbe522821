"""Send one PagerDuty change event (Events API v2, ``POST /v2/change/enqueue``).

What PagerDuty documents (developer-docs, ``events-API-v2/03-Change-Events.md`` and
``01-Overview.md``):

* the body is ``{"routing_key", "payload": {"summary", "timestamp", "source",
  "custom_details"}, "links": [{"href", "text"}]}``; ``routing_key`` and
  ``payload.summary`` are required, the summary is at most 1024 characters, each link
  needs an ``href``; the routing key is "the 32 character Integration Key";
* ``202`` means accepted; ``400`` means the request is wrong and is not to be retried;
  ``429`` and ``5xx`` may be retried later; payloads are limited to 512 KB;
* change events cannot be sent to ruleset integration keys (those begin with ``R``).

A change event has no dedup key: sending it twice shows it twice. So this gateway makes
exactly one attempt and never retries on its own; an answer that does not arrive before
the deadline leaves the outcome unknown, and the message says so. The routing key is
held in a :class:`~campaign_guard.secret.Secret` and only ever put in the request body;
no message contains it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from datetime import timezone as dt_timezone

import requests

from campaign_guard.deadline_call import within
from campaign_guard.oncall.base import OnCallError, require_aware
from campaign_guard.oncall.change_settings import DEFAULT_EVENTS_URL as DEFAULT_BASE_URL
from campaign_guard.secret import Secret

PATH = "/v2/change/enqueue"
SUMMARY_LIMIT = 1024
"""PagerDuty's maximum length of ``payload.summary``."""
SIZE_LIMIT = 512 * 1024
"""PagerDuty's limit on an Events API payload, in bytes."""
ROUTING_KEY_LENGTH = 32
"""An integration key's length ("the 32 character Integration Key")."""
SOURCE = "campaign-guard"


@dataclass(frozen=True)
class ChangeLink:
    """A link shown with the change event: ``href`` is required, ``text`` optional."""

    href: str
    text: str | None = None


def change_event_body(
    routing_key: Secret,
    summary: str,
    timestamp: datetime,
    links: Sequence[ChangeLink],
    custom_details: Mapping[str, str],
) -> dict[str, object]:
    """The JSON body PagerDuty documents for a change event (summary cut to its limit)."""
    stamp = require_aware(timestamp).astimezone(dt_timezone.utc)
    text = summary if len(summary) <= SUMMARY_LIMIT else summary[: SUMMARY_LIMIT - 1] + "…"
    return {
        "routing_key": routing_key.reveal(),
        "payload": {
            "summary": text,
            "timestamp": stamp.strftime("%Y-%m-%dT%H:%M:%S.000+0000"),
            "source": SOURCE,
            "custom_details": dict(custom_details),
        },
        "links": [
            {"href": link.href, **({"text": link.text} if link.text else {})} for link in links
        ],
    }


def check_routing_key(routing_key: Secret, where: str = "the PagerDuty routing key") -> None:
    """Raise :class:`OnCallError` unless ``routing_key`` can receive change events: an
    integration key is 32 characters (PagerDuty: "the 32 character Integration Key"),
    and a ruleset key, beginning with ``R``, cannot receive them. ``where`` names the
    key in the message; the key itself is never in it."""
    key = routing_key.reveal()
    fix = "use the integration key of an Events API v2 integration on a service"
    if not key:
        raise OnCallError(f"{where} is empty: {fix}")
    if key.startswith("R"):
        raise OnCallError(f"{where} is a ruleset key, which cannot receive change events: {fix}")
    if len(key) != ROUTING_KEY_LENGTH:
        raise OnCallError(f"{where} is {len(key)} characters long, not {ROUTING_KEY_LENGTH}: {fix}")


def send_change_event(
    routing_key: Secret,
    summary: str,
    timestamp: datetime,
    links: Sequence[ChangeLink],
    *,
    custom_details: Mapping[str, str],
    deadline: float,
    base_url: str = DEFAULT_BASE_URL,
    session: requests.Session | None = None,
) -> None:
    """Send one change event, answered within ``deadline`` seconds, or raise
    :class:`OnCallError` with one line that never contains the routing key."""
    check_routing_key(routing_key)
    body = change_event_body(routing_key, summary, timestamp, links, custom_details)
    data = json.dumps(body).encode()
    if len(data) > SIZE_LIMIT:
        raise OnCallError("the change event is larger than PagerDuty's 512 KB limit")
    http = session if session is not None else requests.Session()
    url = base_url.rstrip("/") + PATH
    try:
        response = within(
            deadline,
            lambda: http.post(
                url,
                data=data,
                headers={"Content-Type": "application/json"},
                timeout=(min(5.0, deadline), deadline),
                allow_redirects=False,
            ),
        )
    except (requests.ConnectionError, requests.ConnectTimeout) as exc:
        raise OnCallError(
            f"could not reach PagerDuty to send the change event ({type(exc).__name__}); "
            "nothing was sent, try again later"
        ) from None
    except requests.RequestException as exc:
        raise OnCallError(
            f"PagerDuty did not answer the change event in time ({type(exc).__name__}); "
            "it may or may not have been recorded: check the service's recent changes "
            "before sending it again"
        ) from None
    status = response.status_code
    if status == 202:
        return
    detail = routing_key.redact(_error_text(response), limit=300)
    suffix = f": {detail}" if detail else ""
    if status == 400:
        raise OnCallError(
            f"PagerDuty refused the change event (HTTP 400{suffix}); check the routing key "
            "is the integration key of an Events API v2 integration on a service"
        )
    if status == 429 or status >= 500:
        raise OnCallError(
            f"PagerDuty could not take the change event now (HTTP {status}); try again later"
        )
    raise OnCallError(f"PagerDuty answered HTTP {status} to the change event{suffix}")


def _error_text(response: requests.Response) -> str:
    try:
        reply = response.json()
    except ValueError:
        return ""
    if not isinstance(reply, dict):
        return ""
    parts = [str(reply.get("message", ""))]
    errors = reply.get("errors")
    if isinstance(errors, list):
        parts.extend(str(e) for e in errors[:3])
    return "; ".join(p for p in parts if p)
