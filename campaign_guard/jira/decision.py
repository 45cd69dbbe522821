"""A reviewer's decision on a campaign ticket, as recorded on the issue, and what to write.

The decision is kept in the entity property ``campaign-guard.decision``, next to the
submission snapshot (``campaign-guard.submission``, :mod:`~campaign_guard.jira.snapshot`,
which is left exactly as submit wrote it): a submit rewrites its snapshot on every
change, so a separate property keeps the decision (and its history) through re-submits,
and snapshots already written need nothing new. Cloud's search returns both properties
in one request (it takes up to 5).

A decision names the submission it was based on (the snapshot's digest): when a later
submit changes the spec, the decision is *stale* (:func:`decision_state`), and a review
must decide again.

The decision comment ends with a marker line, ``campaign-guard decision <token>``, the
token a digest of the decision, its reasons and the submission; a comment whose answer
was lost is found by it before posting again (as submit's change comments are).

:func:`plan_decision` is pure: from what the issue holds and what is asked, it says
what must be written (nothing at all when the same decision is recorded for the same
submission). Anyone with edit rights can change a property, so
:meth:`DecisionRecord.from_json` treats it as untrusted input.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from typing import Any, Literal, get_args

from campaign_guard.errors import UsageError
from campaign_guard.jira.jira_http import JiraError
from campaign_guard.jira.markup import wiki_escape
from campaign_guard.jira.snapshot import Snapshot

DECISION_KEY = "campaign-guard.decision"
VERSION = 1
HISTORY = 20
"""Earlier decisions kept in the property (newest first)."""
TEXT_LIMIT = 2000
"""Characters of a reason or note kept (Jira caps a property at 32 KB)."""

Verdict = Literal["approve", "reject", "request-changes"]
VERDICTS: tuple[str, ...] = get_args(Verdict)
State = Literal["new", "same", "changed", "stale"]
_TITLES = {"approve": "Approved", "reject": "Rejected", "request-changes": "Changes requested"}


@dataclass(frozen=True)
class Decision:
    """One decision, and the submission it was based on."""

    decision: Verdict
    reviewer: str
    decided_at: str
    """ISO 8601, UTC."""
    spec_digest: str
    """The submission snapshot's ``issue_digest`` when the decision was taken."""
    estimate: str | None = None
    """The estimate's summary the reviewer saw."""
    reason: str | None = None
    note: str | None = None
    status_after: str | None = None
    """The status the decision's transition leads to (None: no transition)."""
    change_event_sent: bool = False
    """True once a change event was sent for it (such events cannot be deduplicated)."""

    @property
    def token(self) -> str:
        """What the comment's marker names: the decision, its words and its submission."""
        return decision_token(self.decision, self.spec_digest, self.reason, self.note)

    def to_json(self) -> dict[str, Any]:
        return {
            "decision": self.decision,
            "reviewer": self.reviewer,
            "decided_at": self.decided_at,
            "spec_digest": self.spec_digest,
            "estimate": self.estimate,
            "reason": self.reason,
            "note": self.note,
            "status_after": self.status_after,
            "change_event_sent": self.change_event_sent,
        }

    @classmethod
    def from_json(cls, value: object) -> Decision | None:
        if not isinstance(value, Mapping):
            return None
        decision = value.get("decision")
        texts = {k: value.get(k) for k in ("reviewer", "decided_at", "spec_digest")}
        optional = {k: value.get(k) for k in ("estimate", "reason", "note", "status_after")}
        sent = value.get("change_event_sent", False)
        if decision not in VERDICTS or not all(isinstance(v, str) for v in texts.values()):
            return None
        if not all(v is None or isinstance(v, str) for v in optional.values()):
            return None
        if not isinstance(sent, bool):
            return None
        return cls(decision, change_event_sent=sent, **texts, **optional)  # type: ignore[arg-type]


@dataclass(frozen=True)
class DecisionRecord:
    """The ``campaign-guard.decision`` property: the current decision and earlier ones."""

    current: Decision
    history: tuple[Decision, ...] = field(default=())

    def to_json(self) -> dict[str, Any]:
        return {
            "version": VERSION,
            "current": self.current.to_json(),
            "history": [d.to_json() for d in self.history[:HISTORY]],
        }

    @classmethod
    def from_json(cls, value: object) -> DecisionRecord | None:
        """The record in a stored property, or None when it is missing or not ours."""
        if not isinstance(value, Mapping):
            return None
        version = value.get("version")
        if type(version) is not int or version != VERSION:
            return None
        current = Decision.from_json(value.get("current"))
        if current is None:
            return None
        listed = value.get("history")
        older = [Decision.from_json(v) for v in listed] if isinstance(listed, list) else []
        return cls(current, tuple(d for d in older if d is not None)[:HISTORY])

    def with_change_event_sent(self) -> DecisionRecord:
        """The record once a change event was sent for the current decision."""
        return replace(self, current=replace(self.current, change_event_sent=True))


@dataclass(frozen=True)
class DecisionRequest:
    """What a reviewer decided, and what they looked at."""

    decision: Verdict
    reviewer: str
    reason: str | None = None
    note: str | None = None
    estimate: str | None = None
    status_after: str | None = None
    at: datetime | None = None
    """When (default: now)."""

    def __post_init__(self) -> None:
        if self.decision not in VERDICTS:
            raise UsageError(f"{self.decision!r:.40} is not a decision: use one of {VERDICTS}")
        if self.decision != "approve" and not (self.reason or "").strip():
            raise UsageError(f"a decision to {self.decision} needs a reason")
        if not self.reviewer.strip():
            raise UsageError("the reviewer's name is empty")


@dataclass(frozen=True)
class DecisionPlan:
    """What recording a decision must write (None: nothing of that kind)."""

    state: State
    """``new`` (nothing recorded), ``same`` (this decision is recorded for this
    submission), ``changed`` (another decision on the same submission) or ``stale`` (the
    recorded decision was on an earlier submission)."""
    record: DecisionRecord
    """What the property holds once the plan is carried out."""
    comment: str | None
    """The comment to post; None when it is there already (or nothing changed)."""
    property_value: dict[str, Any] | None
    """The property to PUT; None when it already says this."""

    @property
    def marker(self) -> str:
        """The marker as the comment shows it (escaped for wiki markup)."""
        return wiki_escape(marker(self.record.current.token))

    @property
    def writes_nothing(self) -> bool:
        return self.comment is None and self.property_value is None


def decision_token(decision: str, digest: str, reason: str | None, note: str | None) -> str:
    text = json.dumps([decision, digest, reason or "", note or ""], ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def marker(token: str) -> str:
    """The last line of a decision comment."""
    return f"campaign-guard decision {token}"


def decision_state(
    record: DecisionRecord | None, snapshot: Snapshot | None
) -> Literal["none", "current", "stale"]:
    """Whether the recorded decision is about the submission on the issue now."""
    if record is None:
        return "none"
    if snapshot is not None and record.current.spec_digest == snapshot.issue_digest:
        return "current"
    return "stale"


def plan_decision(
    request: DecisionRequest,
    *,
    snapshot: Snapshot | None,
    recorded: DecisionRecord | None,
    comments: Sequence[str] = (),
    key: str = "the ticket",
    render: Callable[[Decision], str] | None = None,
) -> DecisionPlan:
    """What recording ``request`` must write, given the issue's ``snapshot``, its
    ``recorded`` decision and its newest ``comments`` (bodies). Pure.

    Raises :class:`JiraError` when the issue has no submission snapshot (it was not
    filed by ``submit``, or its property was removed): there is nothing to decide on.
    """
    if snapshot is None:
        raise JiraError(
            f"{key} has no campaign-guard submission on it (the campaign-guard.submission "
            "property is missing or unreadable): submit the campaign's spec again, then "
            "review it"
        )
    reason, note = _clip(request.reason), _clip(request.note)
    wanted = decision_token(request.decision, snapshot.issue_digest, reason, note)
    if recorded is not None and recorded.current.token == wanted:
        return DecisionPlan("same", recorded, None, None)
    when = (request.at or datetime.now(timezone.utc)).astimezone(timezone.utc)
    decision = Decision(
        decision=request.decision,
        reviewer=request.reviewer.strip()[:200],
        decided_at=when.isoformat(timespec="seconds"),
        spec_digest=snapshot.issue_digest,
        estimate=_clip(request.estimate),
        reason=reason,
        note=note,
        status_after=request.status_after,
    )
    state: State = "new"
    history: tuple[Decision, ...] = ()
    if recorded is not None:
        state = "changed" if recorded.current.spec_digest == snapshot.issue_digest else "stale"
        history = (recorded.current, *recorded.history)[:HISTORY]
    record = DecisionRecord(decision, history)
    said = wiki_escape(marker(decision.token))  # as the comment shows it
    if any(said in text for text in comments):
        body = None
    else:
        body = (render or decision_comment)(decision)
    return DecisionPlan(state, record, body, record.to_json())


def decision_comment(decision: Decision) -> str:
    """The decision comment (wiki markup, every user string escaped), marker last."""
    lines = [f"h3. Campaign review: {_TITLES[decision.decision]}", ""]
    lines.append(f"*Reviewer:* {wiki_escape(decision.reviewer)}")
    if decision.reason:
        lines.append(f"*Reason:* {wiki_escape(decision.reason)}")
    if decision.note:
        lines.append(f"*Note:* {wiki_escape(decision.note)}")
    based = f"*Based on:* submission {decision.spec_digest[:12]}"
    if decision.estimate:
        based += f", estimate: {wiki_escape(decision.estimate)}"
    lines.append(based)
    return "\n".join(lines) + f"\n\n_{wiki_escape(marker(decision.token))}_\n"


def _clip(text: str | None) -> str | None:
    if text is None or not text.strip():
        return None
    return text.strip()[:TEXT_LIMIT]


__all__: Sequence[str] = (
    "DECISION_KEY",
    "Decision",
    "DecisionPlan",
    "DecisionRecord",
    "DecisionRequest",
    "Verdict",
    "decision_comment",
    "decision_state",
    "decision_token",
    "marker",
    "plan_decision",
)
