"""``status``: for each campaign spec, its ticket and whether it is approved as it stands.

"No ticket, no campaign": a spec may launch only when its ticket holds an approval that
is still *current*, that is, an approval of the submission on the ticket, and that
submission is the spec as it is now.

* The ticket is the one ``submit`` files or updates: the project's issue carrying the
  campaign's label (:func:`~campaign_guard.jira.jql.campaign_label`); when several carry
  it, the oldest, as submit keeps.
* The decision is the ``campaign-guard.decision`` property; it names the submission it
  was taken on (the snapshot's digest), so a re-submit after it leaves it out of date.
* Whether the local spec is what the ticket holds (:func:`spec_changed`): the spec kept
  in the snapshot and the local file are both validated and compared as specs, not as
  bytes. A comment, the keys' order or the quoting style changes the bytes but not the
  campaign, and submit, which compares what the ticket would show, writes nothing for
  them: a byte comparison would then say "changed" forever. Recomputing the digest
  submit stores would need the on-call engineer, the mapped fields (a create screen
  read from Jira) and the capacity profile, and would call a new capacity profile a
  change of the spec. A ticket whose snapshot keeps no spec (written by a version
  before ``review``, or too large to keep) cannot be compared: its state comes from the
  ticket alone, and :attr:`SpecStatus.spec_checked` is False.

What it costs: one search per :data:`CHUNK` campaigns (``labels in (…)``; Cloud returns
the properties with it), and on Data Center one ``GET issue`` per ticket found (its
search cannot return entity properties). Pure apart from the gateway passed in.
"""

from __future__ import annotations

import shlex
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal, get_args

from campaign_guard.config.settings import Settings
from campaign_guard.jira.jql import campaign_label, labels_jql
from campaign_guard.jira.lookup import age
from campaign_guard.jira.queue import QueueGateway, QueueItem, search_items
from campaign_guard.jira.settings import credentials
from campaign_guard.review.rows import kept_spec
from campaign_guard.spec.campaign import CampaignSpec
from campaign_guard.submission import Connect, require_jira

State = Literal[
    "no ticket",
    "changed since submit",
    "waiting for review",
    "approved",
    "approval out of date",
    "rejected",
    "changes requested",
]
STATES: tuple[State, ...] = get_args(State)
CHUNK = 50
"""Campaign labels per search: the JQL stays about 1,300 characters."""
_DECIDED: dict[str, State] = {
    "approve": "approved",
    "reject": "rejected",
    "request-changes": "changes requested",
}


@dataclass(frozen=True)
class LocalSpec:
    """A campaign spec file read without problems."""

    path: str
    spec: CampaignSpec

    @property
    def label(self) -> str:
        return campaign_label(self.spec.campaign_id)


@dataclass(frozen=True)
class SpecStatus:
    """One spec, its ticket, and where it stands."""

    path: str
    campaign: str
    campaign_id: str
    state: State
    key: str | None = None
    url: str | None = None
    ticket_status: str | None = None
    """The ticket's status in Jira (``In Review``)."""
    decision: str | None = None
    """The decision recorded (``approve``, ``reject``, ``request-changes``), current or not."""
    reviewer: str | None = None
    decided_at: str | None = None
    """ISO 8601, UTC."""
    spec_checked: bool = True
    """False when the ticket keeps no spec to compare the local one with."""
    duplicates: tuple[str, ...] = ()
    """Newer tickets carrying the campaign's label too."""

    @property
    def approved(self) -> bool:
        return self.state == "approved"

    @property
    def todo(self) -> str:
        """What to do next, in the marketer's words (empty: nothing)."""
        submit = f"run `campaign-guard submit {shlex.quote(self.path)}`"
        return {
            "no ticket": submit,
            "changed since submit": submit,
            "waiting for review": f"ask DevOps to review {self.key}",
            "approved": "",
            "approval out of date": f"ask DevOps to review {self.key} again",
            "rejected": f"read why on {self.key}; change the spec, then {submit}",
            "changes requested": f"make the changes asked on {self.key}, then {submit}",
        }[self.state]

    def to_json(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "campaign": self.campaign,
            "campaign_id": self.campaign_id,
            "state": self.state,
            "approved": self.approved,
            "key": self.key,
            "url": self.url,
            "ticket_status": self.ticket_status,
            "decision": self.decision,
            "reviewer": self.reviewer,
            "decided_at": self.decided_at,
            "spec_checked": self.spec_checked,
            "duplicates": list(self.duplicates),
            "todo": self.todo or None,
        }


@dataclass(frozen=True)
class StatusReport:
    specs: tuple[SpecStatus, ...]
    project: str
    jql: tuple[str, ...]
    """The searches sent, one per :data:`CHUNK` campaigns."""
    requests: int

    @property
    def not_approved(self) -> tuple[SpecStatus, ...]:
        return tuple(s for s in self.specs if not s.approved)

    def to_json(self) -> dict[str, Any]:
        return {
            "project": self.project,
            "all_approved": not self.not_approved,
            "requests": self.requests,
            "specs": [s.to_json() for s in self.specs],
        }


def chunks(labels: Sequence[str], size: int = CHUNK) -> list[list[str]]:
    """``labels`` without repeats, in order, ``size`` at a time."""
    if size < 1:
        raise ValueError("size must be at least 1")
    unique = list(dict.fromkeys(labels))
    return [unique[at : at + size] for at in range(0, len(unique), size)]


def find_tickets(
    gateway: QueueGateway, project: str, labels: Sequence[str], *, size: int = CHUNK
) -> tuple[dict[str, list[QueueItem]], tuple[str, ...], int]:
    """The project's tickets carrying each of ``labels``, the searches, and the requests
    sent."""
    found: dict[str, list[QueueItem]] = {label: [] for label in labels}
    searches: list[str] = []
    requests = 0
    for group in chunks(labels, size):
        jql = labels_jql(project, group)
        result = search_items(
            gateway,
            jql,
            project,
            any_campaign_label=True,
            narrow="give fewer specs at a time",
        )
        searches.append(jql)
        requests += result.requests
        for item in result.items:
            for label in item.labels:
                if label in found:
                    found[label].append(item)
    return found, tuple(searches), requests


def spec_changed(local: CampaignSpec, item: QueueItem) -> bool | None:
    """Whether the local spec differs from the spec kept on the ticket, compared as
    validated specs (see the module's docstring); None when the ticket keeps none."""
    kept, _ = kept_spec(item)
    if kept is None:
        return None
    return bool(local.model_dump(mode="json") != kept.model_dump(mode="json"))


def spec_status(local: LocalSpec, tickets: Sequence[QueueItem], site: str) -> SpecStatus:
    """Where ``local`` stands, given the tickets carrying its label."""
    spec = local.spec
    base = SpecStatus(local.path, spec.name, spec.campaign_id, "no ticket")
    if not tickets:
        return base
    item, *others = sorted(tickets, key=lambda t: age(t.id, t.key))
    record = item.decision.current if item.decision else None
    changed = spec_changed(spec, item) if item.submission else True
    state = _state(item, changed)
    return SpecStatus(
        **{
            **base.__dict__,
            "state": state,
            "key": item.key,
            "url": f"{site.rstrip('/')}/browse/{item.key}",
            "ticket_status": item.status or None,
            "decision": record.decision if record else None,
            "reviewer": record.reviewer if record else None,
            "decided_at": record.decided_at if record else None,
            "spec_checked": changed is not None,
            "duplicates": tuple(other.key for other in others),
        }
    )


def _state(item: QueueItem, changed: bool | None) -> State:
    if changed or item.submission is None:
        return "changed since submit"
    if item.decision is None:
        return "waiting for review"
    decision = item.decision.current
    if decision.spec_digest != item.submission.spec_digest:  # re-submitted since
        return "approval out of date" if decision.decision == "approve" else "waiting for review"
    return _DECIDED[decision.decision]


def campaign_status(
    settings: Settings,
    specs: Sequence[LocalSpec],
    *,
    environ: Mapping[str, str],
    connect: Connect,
    started: float | None = None,
) -> StatusReport:
    """Where each of ``specs`` stands in the configured Jira project."""
    jira = require_jira(settings, "status")
    creds = credentials(jira, environ)
    gateway = connect(jira, creds, started=started)
    found, searches, _ = find_tickets(gateway, jira.project, [s.label for s in specs])
    rows = tuple(spec_status(s, found[s.label], jira.site) for s in specs)
    return StatusReport(rows, jira.project, searches, gateway.sent)


__all__: Sequence[str] = (
    "CHUNK",
    "STATES",
    "LocalSpec",
    "SpecStatus",
    "State",
    "StatusReport",
    "campaign_status",
    "chunks",
    "find_tickets",
    "spec_changed",
    "spec_status",
)
