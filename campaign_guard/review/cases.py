"""The ``review`` use cases that talk to Jira: the queue, one ticket, a decision.

Everything that can be checked without Jira is checked first (the ``jira:`` section,
the credentials, the capacity profile, the filters); then the gateway is built.

What they cost (Cloud / Data Center), measured by ``benchmarks/bench_review.py``:

* the queue of ``n`` tickets: ``ceil(n / 100)`` search pages, plus on Data Center one
  ``GET issue`` per ticket for its snapshot and decision (the verdict now comes from the
  snapshot's spec text: no further request);
* one ticket: one ``GET issue`` (fields and properties together);
* a decision: that ``GET``, ``GET myself`` (the reviewer's name), then
  :func:`~campaign_guard.jira.record_decision.record_decision` (6 requests for a fresh
  decision with a transition, 1 for the same decision again); a dry run reads the
  comments and the transition's screen and writes nothing;
* an approval's change event, when configured: one POST to PagerDuty and one more
  ``PUT`` of the decision property (none once it was sent).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime, tzinfo
from pathlib import Path
from typing import Any, Literal, Protocol

from campaign_guard.config.settings import Settings
from campaign_guard.errors import UsageError
from campaign_guard.jira.decision import (
    Decision,
    DecisionRequest,
    State,
    Verdict,
    marker,
    plan_decision,
)
from campaign_guard.jira.gateway import JiraGateway
from campaign_guard.jira.markup import wiki_escape
from campaign_guard.jira.queue import QueueFilter, QueueItem, campaign_ticket, fetch_queue
from campaign_guard.jira.record_decision import record_decision
from campaign_guard.jira.settings import ISSUE_KEY, Credentials, JiraSettings, credentials
from campaign_guard.jira.snapshot import Snapshot
from campaign_guard.jira.ticket import render_template
from campaign_guard.jira.transitions import resolve
from campaign_guard.review.events import ChangeEventOutcome, approval_announcer
from campaign_guard.review.rows import QueueRow, Reestimate, queue_rows
from campaign_guard.spec.capacity import CapacityProfile
from campaign_guard.submission import require_jira

TEMPLATE = "review-decision.jira.j2"
_TITLES = {"approve": "Approved", "reject": "Rejected", "request-changes": "Changes requested"}
_SETTING = {
    "approve": "jira.review.transitions.approve",
    "reject": "jira.review.transitions.reject",
    "request-changes": "jira.review.transitions.request_changes",
}


class Connect(Protocol):
    def __call__(
        self, settings: JiraSettings, credentials: Credentials, *, started: float | None = None
    ) -> JiraGateway: ...


@dataclass(frozen=True)
class ReviewQueue:
    rows: tuple[QueueRow, ...]
    project: str
    jql: str
    requests: int
    reader_zone: str
    profile: str | None
    """The capacity profile the verdicts now were judged against (None: none)."""
    dropped: tuple[str, ...] = ()


@dataclass(frozen=True)
class DecisionOutcome:
    """What a decision wrote (or, in a dry run, would write)."""

    key: str
    url: str
    decision: Verdict
    dry_run: bool
    state: State
    """``new``, ``same`` (recorded already: nothing written), ``changed`` or ``stale``."""
    comment: str | None
    """The comment posted (or to post); None when it is on the ticket already."""
    commented: bool
    property_value: dict[str, Any] | None
    property_written: bool
    transition: str | None
    """The transition as ``'Approve' (21)``; None when none is configured or needed."""
    to_status: str | None
    transitioned: bool
    transition_note: str | None
    """Why no transition is made, when none is configured for this decision."""
    row: QueueRow
    requests: int
    change_event: ChangeEventOutcome | None = None
    """The approval's PagerDuty change event (None: none configured, or no approval)."""

    @property
    def wrote_nothing(self) -> bool:
        sent = self.change_event is not None and self.change_event.status in (
            "sent",
            "not-recorded",
        )
        return not (self.commented or self.property_written or self.transitioned or sent)


def profile_of(settings: Settings) -> CapacityProfile | None:
    from campaign_guard.estimation import choose_profile

    loaded = choose_profile(settings.capacity, [])
    return None if loaded is None else loaded.value


def list_queue(
    settings: Settings,
    filters: QueueFilter,
    *,
    environ: Mapping[str, str],
    now: datetime,
    reader_zone: tzinfo,
    connect: Connect,
    started: float | None = None,
) -> ReviewQueue:
    """The open campaign tickets ``filters`` select, estimated again today."""
    jira = require_jira(settings, "review")
    filters = replace(filters, project=jira.project)
    creds = credentials(jira, environ)
    profile = profile_of(settings)
    gateway = connect(jira, creds, started=started)
    queue = fetch_queue(gateway, filters)
    rows = queue_rows(
        queue.items, site=jira.site, profile=profile, now=now, reader_zone=reader_zone
    )
    return ReviewQueue(
        tuple(rows),
        jira.project,
        queue.jql,
        gateway.sent,
        rows[0].reader_zone if rows else str(getattr(reader_zone, "key", reader_zone)),
        None if settings.capacity is None else str(settings.capacity),
        queue.dropped,
    )


def ticket_row(
    settings: Settings,
    key: str,
    *,
    environ: Mapping[str, str],
    now: datetime,
    reader_zone: tzinfo,
    connect: Connect,
    started: float | None = None,
) -> tuple[QueueRow, int]:
    """Campaign ticket ``key`` as a queue row (whatever its status), and the requests."""
    jira, gateway, item = open_ticket(settings, key, environ, connect, started)
    row = queue_rows(
        [item], site=jira.site, profile=profile_of(settings), now=now, reader_zone=reader_zone
    )[0]
    return row, gateway.sent


def open_ticket(
    settings: Settings,
    key: str,
    environ: Mapping[str, str],
    connect: Connect,
    started: float | None,
) -> tuple[JiraSettings, JiraGateway, QueueItem]:
    """The Jira settings, a connected gateway and campaign ticket ``key``; the key and
    the settings are checked before anything is sent."""
    jira = require_jira(settings, "review")
    key = check_key(key)
    gateway = connect(jira, credentials(jira, environ), started=started)
    return jira, gateway, campaign_ticket(gateway, jira.project, key)


def check_key(key: str) -> str:
    """``key`` if it looks like an issue key (``OPS-42``), else a UsageError."""
    if not ISSUE_KEY.match(key.strip()):
        raise UsageError(f"{key[:40]!r} is not a Jira issue key (like OPS-42)")
    return key.strip()


def decide(
    settings: Settings,
    key: str,
    decision: Verdict,
    *,
    reason: str | None,
    note: str | None,
    dry_run: bool,
    environ: Mapping[str, str],
    now: datetime,
    reader_zone: tzinfo,
    connect: Connect,
    started: float | None = None,
) -> DecisionOutcome:
    """Record ``decision`` on campaign ticket ``key``: one comment, the decision
    property, the configured transition; each written once (a dry run writes nothing).
    Raises a CampaignGuardError before any write when something is wrong. An approval
    with ``pagerduty.change_events.on_approve`` then sends its change event once
    (:mod:`campaign_guard.review.events`)."""
    announcer = approval_announcer(settings.change_events, decision, environ)
    jira, gateway, item = open_ticket(settings, key, environ, connect, started)
    key = check_key(key)
    row = queue_rows(
        [item],
        site=jira.site,
        profile=profile_of(settings),
        now=now,
        reader_zone=reader_zone,
        with_actions=True,
    )[0]
    again = row.now
    me = gateway.myself()
    request = DecisionRequest(
        decision,
        me.display_name or me.name or me.account_id or "the reviewer",
        reason=reason,
        note=note,
        estimate=_estimate_words(row, again),
        at=now,
    )
    render = decision_renderer(row, again, settings.template_dir)
    wanted = jira.review.transitions.for_decision(decision)
    note_text = None
    if wanted is None:
        note_text = (
            f"no transition is configured for {decision} ({_SETTING[decision]}): the "
            "ticket's status was left as it is"
        )
    if dry_run:
        planned = _dry_run(
            gateway,
            item,
            row=row,
            request=request,
            wanted=wanted,
            note_text=note_text,
            render=render,
        )
        if announcer is None:
            return planned
        return replace(planned, change_event=announcer.would(item.decision, planned.state, row))
    done = record_decision(gateway, key, request, transition=wanted, render=render)
    event = None if announcer is None else announcer.announce(gateway, done.record, row)
    chosen = done.transition
    return DecisionOutcome(
        key=key,
        url=row.url,
        decision=decision,
        dry_run=False,
        state=done.state,
        comment=render(done.record.current) if done.commented else None,
        commented=done.commented,
        property_value=done.record.to_json() if done.property_written else None,
        property_written=done.property_written,
        transition=None if chosen is None else chosen.label,
        to_status=None if chosen is None else chosen.to_status,
        transitioned=done.transitioned,
        transition_note=note_text,
        row=row,
        requests=gateway.sent,
        change_event=event,
    )


def _dry_run(
    gateway: JiraGateway,
    item: QueueItem,
    *,
    row: QueueRow,
    request: DecisionRequest,
    wanted: str | None,
    note_text: str | None,
    render: Any,
) -> DecisionOutcome:
    """What the decision would write: the same reads as the real run, no write."""
    submission = item.submission
    assert submission is not None  # campaign_ticket refuses a ticket without one
    snapshot = Snapshot(submission.campaign_id, {}, submission.spec_digest)
    plan = plan_decision(request, snapshot=snapshot, recorded=item.decision, key=item.key)
    chosen = None
    recorded = item.decision
    target = recorded.current.status_after if recorded is not None else None
    settled = plan.state == "same" and (
        target is None or target.casefold() == item.status.casefold()
    )
    if wanted is not None and not settled:
        chosen = resolve(gateway, item.key, wanted)
    if plan.state != "same":
        comments = gateway.comment_bodies(item.key)
        target = None if chosen is None else chosen.to_status
        plan = plan_decision(
            replace(request, status_after=target),
            snapshot=snapshot,
            recorded=item.decision,
            comments=comments,
            key=item.key,
            render=render,
        )
    moves = chosen is not None and chosen.to_status.casefold() != item.status.casefold()
    return DecisionOutcome(
        key=item.key,
        url=row.url,
        decision=request.decision,
        dry_run=True,
        state=plan.state,
        comment=plan.comment,
        commented=False,
        property_value=plan.property_value,
        property_written=False,
        transition=None if chosen is None or not moves else chosen.label,
        to_status=None if chosen is None or not moves else chosen.to_status,
        transitioned=False,
        transition_note=note_text,
        row=row,
        requests=gateway.sent,
    )


def _verdict_words(word: str | None, text: str | None, unknown: str) -> str:
    if word is None and text is None:
        return unknown
    return " — ".join(part for part in (word, text) if part)


def _estimate_words(row: QueueRow, again: Reestimate) -> str:
    then = _verdict_words(row.verdict_then, row.verdict_then_text, "not recorded")
    now = _verdict_words(again.verdict, again.headline, f"unknown ({again.why_unknown})")
    return f"on the ticket: {then}; now: {now}"


def decision_renderer(row: QueueRow, again: Reestimate, template_dir: Path | None) -> Any:
    """The decision comment from ``templates/review-decision.jira.j2``; the marker is
    put back at the end should a project's own template leave it out."""

    def render(decision: Decision) -> str:
        said = marker(decision.token)
        context = {
            "title": _TITLES[decision.decision],
            "campaign": row.campaign,
            "reviewer": decision.reviewer,
            "reason": decision.reason,
            "note": decision.note,
            "verdict_then": _verdict_words(row.verdict_then, row.verdict_then_text, "not recorded"),
            "verdict_now": _verdict_words(
                again.verdict, again.headline, f"unknown ({again.why_unknown})"
            ),
            "changed": row.verdict_changed,
            "submission": decision.spec_digest[:12],
            "actions": list(again.actions),
            "marker": said,
        }
        body = render_template(TEMPLATE, context, template_dir).rstrip("\n") + "\n"
        if wiki_escape(said) not in body:
            body += f"\n_{wiki_escape(said)}_\n"
        return body

    return render


def decision_of(approve: bool, reject: bool, request_changes: bool) -> Verdict:
    """The one decision the flags ask for; a UsageError for none or several."""
    chosen: list[Literal["approve", "reject", "request-changes"]] = []
    if approve:
        chosen.append("approve")
    if reject:
        chosen.append("reject")
    if request_changes:
        chosen.append("request-changes")
    if len(chosen) != 1:
        raise UsageError("give exactly one of --approve, --reject, --request-changes")
    return chosen[0]
