"""Record a reviewer's decision on a campaign ticket: comment, property, transition.

The order makes every re-run safe and a repeated decision free:

1. read the issue's submission snapshot, decision property and status (one request);
   when the same decision is recorded for the same submission and the issue is already
   in the status its transition leads to, stop: nothing is written;
2. resolve the transition and check its screen (one request) before writing anything:
   a missing transition or a required field nobody fills stops the run here;
3. read the newest comments (one request) and post the decision comment unless one with
   its marker is there (a POST whose answer was lost is looked for by its marker before
   it is posted again);
4. PUT the decision property (idempotent): from now on a re-run knows the decision;
5. perform the transition, unless the issue is already in its target status (a
   transition is not idempotent: from the new status the same transition is usually
   not offered any more).

A fresh decision with a transition costs 6 requests; the same decision again costs 1.
Pure orchestration: no printing, no clock unless the request carries none.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, Protocol

from campaign_guard.jira.decision import (
    DECISION_KEY,
    Decision,
    DecisionRecord,
    DecisionRequest,
    State,
    plan_decision,
)
from campaign_guard.jira.jira_http import Counted, IssueRef, OutcomeUnknown
from campaign_guard.jira.snapshot import PROPERTY_KEY, Snapshot
from campaign_guard.jira.transitions import Transition, TransitionGateway, perform, resolve


class DecisionGateway(TransitionGateway, Protocol):
    """The part of :class:`~campaign_guard.jira.gateway.JiraGateway` a decision uses."""

    def issue(self, key: str, properties: Sequence[str] = ()) -> IssueRef: ...

    def comment_bodies(self, key: str, newest: int = 50) -> list[str]: ...

    def add_comment(self, key: str, body: str) -> str: ...

    def set_property(self, key: str, name: str, value: Any) -> None: ...


@dataclass(frozen=True)
class DecisionResult:
    key: str
    state: State
    record: DecisionRecord
    commented: bool = False
    property_written: bool = False
    transitioned: bool = False
    transition: Transition | None = None
    requests: int = 0
    """Gateway calls made (failed ones too)."""

    @property
    def wrote_nothing(self) -> bool:
        return not (self.commented or self.property_written or self.transitioned)


def record_decision(
    gateway: DecisionGateway,
    key: str,
    request: DecisionRequest,
    *,
    transition: str | None = None,
    transition_fields: Mapping[str, Any] | None = None,
    render: Callable[[Decision], str] | None = None,
) -> DecisionResult:
    """Record ``request`` on issue ``key`` and, when ``transition`` (an id or a name) is
    given, move the issue with it; ``render`` writes the comment (see
    :func:`~campaign_guard.jira.decision.plan_decision`). Raises
    :class:`~campaign_guard.jira.jira_http.JiraError` (safe to print); a
    :class:`~campaign_guard.jira.transitions.TransitionError` raised before the comment
    means nothing was written."""
    calls = Counted()
    issue = calls(gateway.issue, key, (PROPERTY_KEY, DECISION_KEY))
    properties = issue.properties or {}
    snapshot = Snapshot.from_json(properties.get(PROPERTY_KEY))
    recorded = DecisionRecord.from_json(properties.get(DECISION_KEY))
    plan = plan_decision(request, snapshot=snapshot, recorded=recorded, key=key)
    if plan.state == "same":
        target = plan.record.current.status_after
        if transition is None or target is None or _same_status(issue.status, target):
            return DecisionResult(key, "same", plan.record, requests=calls.count)
    chosen = None
    if transition is not None:
        chosen = calls(resolve, gateway, key, transition, filled=set(transition_fields or {}))
    commented = written = False
    if plan.state != "same":
        comments = calls(gateway.comment_bodies, key)
        target = chosen.to_status if chosen is not None else None
        plan = plan_decision(
            replace(request, status_after=target),
            snapshot=snapshot,
            recorded=recorded,
            comments=comments,
            key=key,
            render=render,
        )
        if plan.comment is not None:
            _comment_once(gateway, calls, key, plan.comment, plan.marker)
            commented = True
        calls(gateway.set_property, key, DECISION_KEY, plan.property_value)
        written = True
    moved = False
    if chosen is not None and not _same_status(issue.status, chosen.to_status):
        calls(perform, gateway, key, chosen, transition_fields)
        moved = True
    return DecisionResult(
        key,
        plan.state,
        plan.record,
        commented=commented,
        property_written=written,
        transitioned=moved,
        transition=chosen,
        requests=calls.count,
    )


def _comment_once(
    gateway: DecisionGateway, calls: Counted, key: str, body: str, marker: str
) -> None:
    """Post ``body`` once: after a lost answer, look for its ``marker`` first."""
    try:
        calls(gateway.add_comment, key, body)
    except OutcomeUnknown:
        if not any(marker in text for text in calls(gateway.comment_bodies, key)):
            calls(gateway.add_comment, key, body)


def _same_status(current: str | None, target: str) -> bool:
    return current is not None and current.casefold() == target.casefold()


__all__: Sequence[str] = ("DecisionGateway", "DecisionResult", "record_decision")
