"""The review queue: a project's open campaign tickets, each with what was submitted.

:func:`queue_jql` builds the search (``project = "OPS" AND labels = "marketing-campaign"
AND statusCategory != Done``, then the filters) from validated values only: every value
is quoted with :func:`~campaign_guard.jira.jql.quote`, and a reviewer's extra JQL is
checked to stay inside its parentheses (balanced, no ``ORDER BY``), so it can narrow the
queue but never widen it past the project. The items are checked again when they come
back: an issue of another project, or without the label, is dropped.

:func:`fetch_queue` pages through the search. What it costs, for ``n`` tickets:

* Cloud (``GET /rest/api/3/search/jql``, which returns the entity properties too):
  ``ceil(n / 100)`` requests, 100 being the page size Cloud applies when fields are
  asked for (it may apply less: the next page then starts where the last one ended);
* Data Center (``GET /rest/api/2/search``, which cannot return entity properties):
  ``ceil(n / 100)`` pages plus one ``GET issue/{key}?properties=…`` per ticket, or the
  pages alone with ``properties=False``.

So a queue of 150 tickets costs 2 requests on Cloud and 152 on Data Center (2 without
the snapshots). At most ``max_pages`` pages are read: a longer queue is a
:class:`QueueTooLong` error asking for a narrower filter, not a silent cut.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol

from campaign_guard.errors import UsageError
from campaign_guard.jira.decision import DECISION_KEY
from campaign_guard.jira.jira_http import IssueRef, JiraError, SearchPage
from campaign_guard.jira.jql import CAMPAIGN_LABEL, quote, validate_project_key
from campaign_guard.jira.queue_item import (
    QueueItem,
    QueueUser,
    SubmissionInfo,
    queue_item,
    with_properties,
)
from campaign_guard.jira.snapshot import PROPERTY_KEY

PAGE_SIZE = 100
"""Issues asked for per page (Cloud answers at most 100 with these fields)."""
MAX_PAGES = 10
"""Pages read at most: 1,000 tickets is far more than a week's queue."""
QUEUE_FIELDS = ("summary", "status", "assignee", "labels", "created", "updated", "duedate")
PROPERTIES = (PROPERTY_KEY, DECISION_KEY)
MAX_EXTRA_JQL = 1000
"""Characters of extra JQL accepted."""
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_ORDER_BY = re.compile(r"\border\s+by\b", re.IGNORECASE)


class QueueTooLong(JiraError):
    """More tickets match than :data:`MAX_PAGES` pages hold."""


class QueueGateway(Protocol):
    """The part of :class:`~campaign_guard.jira.gateway.JiraGateway` the queue uses."""

    is_cloud: bool

    def search_page(
        self,
        jql: str,
        *,
        fields: Sequence[str],
        properties: Sequence[str] = (),
        page_token: str | None = None,
        start_at: int = 0,
        max_results: int = PAGE_SIZE,
    ) -> SearchPage: ...

    def issue(self, key: str, properties: Sequence[str] = ()) -> IssueRef: ...


@dataclass(frozen=True)
class QueueFilter:
    """Which open campaign tickets of ``project`` to list."""

    project: str
    statuses: tuple[str, ...] = ()
    """Status names; ``~Name`` leaves that status out (``("~Approved",)``)."""
    assignee: str | None = None
    """``me``, ``unassigned`` (or ``x``), or an account id (Cloud) / user name (DC)."""
    launch_from: date | None = None
    """Launching on or after this day (the ticket's due date is its launch day)."""
    launch_to: date | None = None
    """Launching on or before this day."""
    jql: str | None = None
    """More JQL, ANDed inside parentheses: it can only narrow the queue."""


@dataclass(frozen=True)
class Queue:
    items: tuple[QueueItem, ...]
    jql: str
    pages: int
    requests: int
    """Requests sent: the pages, plus one per ticket on Data Center for its properties."""
    dropped: tuple[str, ...] = ()
    """Keys Jira returned that are not the project's campaign tickets (left out)."""


def queue_jql(filters: QueueFilter) -> str:
    """The search for ``filters``; raises :class:`UsageError` for a bad filter value."""
    project = validate_project_key(filters.project)
    parts = [
        f"project = {quote(project)}",
        f"labels = {quote(CAMPAIGN_LABEL)}",
        "statusCategory != Done",
    ]
    parts += _status_clauses(filters.statuses)
    if filters.assignee is not None:
        parts.append(_assignee_clause(filters.assignee))
    if filters.launch_from is not None:
        parts.append(f"duedate >= {quote(filters.launch_from.isoformat())}")
    if filters.launch_to is not None:
        parts.append(f"duedate <= {quote(filters.launch_to.isoformat())}")
    if filters.launch_from and filters.launch_to and filters.launch_from > filters.launch_to:
        raise UsageError("the launch window ends before it starts")
    if filters.jql is not None:
        parts.append(f"({scoped_jql(filters.jql)})")
    return " AND ".join(parts) + " ORDER BY duedate ASC, key ASC"


def scoped_jql(text: str) -> str:
    """``text`` if it is JQL that stays inside the parentheses it is put in, else a
    :class:`UsageError`: balanced parentheses outside strings, closed strings, no
    ``ORDER BY``, no control characters."""
    shown = repr(text)[:60]
    if not text.strip():
        raise UsageError("the extra JQL is empty")
    if len(text) > MAX_EXTRA_JQL:
        raise UsageError(f"the extra JQL is longer than {MAX_EXTRA_JQL} characters")
    if _CONTROL.search(text):
        raise UsageError(f"the extra JQL {shown} has a control character")
    outside, open_string = _outside_strings(text)
    if open_string:
        raise UsageError(f"the extra JQL {shown} leaves a string open")
    depth = 0
    for char in outside:
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth < 0:
            raise UsageError(f"the extra JQL {shown} closes a parenthesis it did not open")
    if depth:
        raise UsageError(f"the extra JQL {shown} leaves a parenthesis open")
    if _ORDER_BY.search(outside):
        raise UsageError("the extra JQL cannot have ORDER BY: the queue is ordered by launch")
    return text.strip()


def _outside_strings(text: str) -> tuple[str, bool]:
    """``text`` with every quoted string blanked out, and whether a string is left open
    (JQL strings take backslash escapes)."""
    out: list[str] = []
    quote_char, escaped = "", False
    for char in text:
        if not quote_char:
            out.append(" " if char in "\"'" else char)
            quote_char = char if char in "\"'" else ""
        elif escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == quote_char:
            quote_char = ""
    return "".join(out), bool(quote_char)


def _status_clauses(statuses: Sequence[str]) -> list[str]:
    keep: list[str] = []
    drop: list[str] = []
    for status in statuses:
        name = status[1:] if status.startswith("~") else status
        if not name.strip():
            raise UsageError(f"{status!r:.40} is not a status name")
        (drop if status.startswith("~") else keep).append(quote(name.strip()))
    clauses = []
    if keep:
        clauses.append(f"status in ({', '.join(keep)})")
    if drop:
        clauses.append(f"status not in ({', '.join(drop)})")
    return clauses


def _assignee_clause(assignee: str) -> str:
    if assignee == "me":
        return "assignee = currentUser()"
    if assignee in ("x", "unassigned"):
        return "assignee is EMPTY"
    if not assignee.strip():
        raise UsageError("the assignee is empty: give me, unassigned or a Jira user")
    return f"assignee = {quote(assignee.strip())}"


def fetch_queue(
    gateway: QueueGateway,
    filters: QueueFilter,
    *,
    properties: bool = True,
    max_pages: int = MAX_PAGES,
    page_size: int = PAGE_SIZE,
) -> Queue:
    """The open campaign tickets ``filters`` select, in launch order (see the module's
    docstring for what it costs). Raises :class:`QueueTooLong` past ``max_pages`` pages,
    :class:`JiraError` when Jira fails."""
    jql = queue_jql(filters)
    try:
        return search_items(
            gateway,
            jql,
            filters.project,
            properties=properties,
            max_pages=max_pages,
            page_size=page_size,
            what="open campaign tickets",
            narrow="narrow the queue with a status, assignee, launch window or JQL filter",
        )
    except QueueTooLong:
        raise
    except JiraError as exc:
        if exc.status == 400 and filters.jql is not None:
            raise JiraError(
                f"{exc}; if the project is right, check the extra JQL", status=400
            ) from None
        raise


def search_items(
    gateway: QueueGateway,
    jql: str,
    project: str,
    *,
    properties: bool = True,
    max_pages: int = MAX_PAGES,
    page_size: int = PAGE_SIZE,
    what: str = "campaign tickets",
    narrow: str = "narrow the search",
    any_campaign_label: bool = False,
) -> Queue:
    """The campaign tickets of ``project`` that ``jql`` finds, page after page, each with
    its snapshot and decision (Cloud: in the search; Data Center: one ``GET issue`` per
    ticket). ``any_campaign_label``: keep an issue that lost the marketing-campaign label
    (the JQL then names the campaigns' own labels). Raises :class:`QueueTooLong` past
    ``max_pages`` pages (saying ``what`` matched, and ending with ``narrow``)."""
    if max_pages < 1 or page_size < 1:
        raise ValueError("max_pages and page_size must be at least 1")
    cloud = gateway.is_cloud
    wanted = PROPERTIES if properties else ()
    raw: list[dict[str, Any]] = []
    page = SearchPage((), next_start=0)
    pages = 0
    while not page.last:
        if pages == max_pages:
            raise QueueTooLong(
                f"more than {len(raw)} {what} match ({max_pages} pages of Jira's search): {narrow}"
            )
        page = gateway.search_page(
            jql,
            fields=QUEUE_FIELDS,
            properties=wanted,
            page_token=page.next_token,
            start_at=page.next_start or 0,
            max_results=page_size,
        )
        pages += 1
        raw += page.issues
    items: list[QueueItem] = []
    dropped: list[str] = []
    requests = pages
    for issue in raw:
        item = queue_item(
            issue,
            project,
            read_properties=properties and cloud,
            any_campaign_label=any_campaign_label,
        )
        if item is None:
            dropped.append(str(issue.get("key", "?"))[:40])
            continue
        if properties and not cloud:  # Data Center's search cannot return them
            requests += 1
            ref = gateway.issue(item.key, PROPERTIES)
            item = with_properties(item, ref.properties or {})
        items.append(item)
    return Queue(tuple(items), jql, pages, requests, tuple(dropped))


class TicketGateway(Protocol):
    """What :func:`campaign_ticket` uses."""

    def issue_view(
        self, key: str, fields: Sequence[str], properties: Sequence[str] = ()
    ) -> dict[str, Any]: ...


def campaign_ticket(gateway: TicketGateway, project: str, key: str) -> QueueItem:
    """Issue ``key`` as a queue item, whatever its status (one ``GET issue/{key}``, with
    its snapshot and decision on both deployments). Raises :class:`JiraError` when it
    does not exist, cannot be seen, or is not one of ``project``'s campaign tickets."""
    project = validate_project_key(project)
    if not key.startswith(project + "-"):
        raise JiraError(
            f"{key[:40]} is not an issue of project {project} (jira.project): review takes "
            f"the key of a campaign ticket, like {project}-42"
        )
    try:
        raw = gateway.issue_view(key, QUEUE_FIELDS, PROPERTIES)
    except JiraError as exc:
        if exc.status == 404:
            raise JiraError(
                f"{key}: no such issue, or this account cannot see it", status=404
            ) from None
        raise
    item = queue_item(raw, project, read_properties=True)
    if item is None:
        raise JiraError(
            f"{key} is not a campaign ticket: it has no {CAMPAIGN_LABEL} label "
            "(campaign-guard submit files those)"
        )
    if item.submission is None:
        raise JiraError(
            f"{key} has no campaign-guard submission on it (the campaign-guard.submission "
            "property is missing or unreadable): submit the campaign's spec again"
        )
    return item


__all__: Sequence[str] = (
    "MAX_PAGES",
    "PAGE_SIZE",
    "Queue",
    "QueueFilter",
    "QueueGateway",
    "QueueItem",
    "QueueTooLong",
    "QueueUser",
    "SubmissionInfo",
    "TicketGateway",
    "campaign_ticket",
    "fetch_queue",
    "queue_item",
    "queue_jql",
    "scoped_jql",
    "search_items",
    "with_properties",
)
