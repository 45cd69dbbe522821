"""A campaign ticket as a search returns it: its fields, and what submit and review
recorded on it (the submission snapshot and the decision, both untrusted entity
properties: anyone with edit rights can change them)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from campaign_guard.jira.decision import DECISION_KEY, DecisionRecord
from campaign_guard.jira.jql import CAMPAIGN_LABEL, is_campaign_label
from campaign_guard.jira.snapshot import PROPERTY_KEY, Snapshot


@dataclass(frozen=True)
class QueueUser:
    display_name: str
    account_id: str | None = None
    name: str | None = None


@dataclass(frozen=True)
class SubmissionInfo:
    """What the last submit stored on the ticket (the ``campaign-guard.submission``
    property): enough to list it and to tell whether a decision is stale."""

    campaign_id: str
    launch: str | None
    verdict: str | None
    """The estimate's headline when it was submitted."""
    spec_digest: str
    verdict_word: str | None = None
    """The estimate's verdict word when submitted (snapshots since ``review``)."""
    spec_text: str | None = None
    """The spec's text when submitted (snapshots since ``review``, when it fitted)."""
    name: str | None = None
    """The campaign's name when submitted."""


@dataclass(frozen=True)
class QueueItem:
    key: str
    id: str
    summary: str
    status: str
    status_category: str
    """``new``, ``indeterminate`` or ``done`` (Jira's category keys)."""
    assignee: QueueUser | None
    labels: tuple[str, ...]
    created: str
    updated: str
    launch_date: str | None
    """The ticket's due date (``YYYY-MM-DD``): the launch day submit wrote."""
    submission: SubmissionInfo | None
    """None when the ticket has no readable snapshot (or it was not read)."""
    decision: DecisionRecord | None
    properties_read: bool = True
    """False when the entity properties were not read (Data Center, ``properties=False``)."""


def queue_item(
    issue: Mapping[str, Any],
    project: str,
    *,
    read_properties: bool,
    any_campaign_label: bool = False,
) -> QueueItem | None:
    """One search result as a :class:`QueueItem`, or None when it is not one of the
    project's campaign tickets (whatever the query said): the marketing-campaign label,
    or with ``any_campaign_label`` a campaign's own ``cg-`` label."""
    key, ident, fields = issue.get("key"), issue.get("id"), issue.get("fields")
    if not isinstance(key, str) or ident is None or not isinstance(fields, dict):
        return None
    labels = fields.get("labels")
    labels = tuple(str(x) for x in labels) if isinstance(labels, list) else ()
    ours = CAMPAIGN_LABEL in labels or (any_campaign_label and any(map(is_campaign_label, labels)))
    if not key.startswith(project + "-") or not ours:
        return None
    status = _mapping(fields.get("status"))
    category = _mapping(status.get("statusCategory"))
    item = QueueItem(
        key=key,
        id=str(ident),
        summary=_text(fields.get("summary")),
        status=_text(status.get("name")),
        status_category=_text(category.get("key")),
        assignee=_user(fields.get("assignee")),
        labels=labels,
        created=_text(fields.get("created")),
        updated=_text(fields.get("updated")),
        launch_date=_text(fields.get("duedate")) or None,
        submission=None,
        decision=None,
        properties_read=False,
    )
    found = issue.get("properties")
    if read_properties:
        return with_properties(item, found if isinstance(found, dict) else {})
    return item


def with_properties(item: QueueItem, properties: Mapping[str, Any]) -> QueueItem:
    """``item`` with the submission snapshot and decision read from its properties."""
    snapshot = Snapshot.from_json(properties.get(PROPERTY_KEY))
    submission = None
    if snapshot is not None:
        launch, verdict = snapshot.fields.get("launch"), snapshot.fields.get("estimate")
        name = snapshot.fields.get("name")
        submission = SubmissionInfo(
            campaign_id=snapshot.campaign_id,
            launch=launch if isinstance(launch, str) else None,
            verdict=verdict if isinstance(verdict, str) else None,
            spec_digest=snapshot.issue_digest,
            verdict_word=snapshot.verdict,
            spec_text=snapshot.spec_text,
            name=name if isinstance(name, str) else None,
        )
    decision = DecisionRecord.from_json(properties.get(DECISION_KEY))
    return QueueItem(
        **{**item.__dict__, "submission": submission, "decision": decision, "properties_read": True}
    )


def _mapping(value: object) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _user(value: object) -> QueueUser | None:
    if not isinstance(value, dict):
        return None
    account, name = value.get("accountId"), value.get("name")
    return QueueUser(
        display_name=_text(value.get("displayName")),
        account_id=account if isinstance(account, str) else None,
        name=name if isinstance(name, str) else None,
    )


__all__: Sequence[str] = (
    "QueueItem",
    "QueueUser",
    "SubmissionInfo",
    "queue_item",
    "with_properties",
)
