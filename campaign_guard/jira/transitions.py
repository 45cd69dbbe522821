"""Workflow transitions: find the one a setting names, check its screen, perform it.

Transition ids are edges of one workflow from one status, and their names differ in
case between projects ("Start work", "Start Work"). So a configured transition is
resolved among those Jira lists for the issue now
(``GET …/transitions?expand=transitions.fields``): by exact id first, then by name,
case-insensitively; a name two transitions share is refused (give the id), and one the
workflow does not offer from the issue's status is an error naming those it does.

A transition screen can require fields; Jira then answers 400 "Field X is required"
after the caller may already have written a comment. :func:`resolve` reports the
required fields nobody fills (no default value, not among the fields the caller sends)
before anything is written. :func:`perform` sends the transition and turns Jira's
400/403/404 into one-line errors that say what to do.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from campaign_guard.jira.jira_http import JiraError


class TransitionGateway(Protocol):
    """The part of :class:`~campaign_guard.jira.gateway.JiraGateway` transitions use."""

    def transitions(self, key: str, *, screen_fields: bool = False) -> list[dict[str, Any]]: ...

    def transition(
        self, key: str, transition_id: str, fields: Mapping[str, Any] | None = None
    ) -> None: ...


class TransitionError(JiraError):
    """The transition cannot be performed as configured; nothing was written."""


class MissingScreenFields(TransitionError):
    """The transition's screen requires fields nobody fills."""

    def __init__(self, message: str, missing: Sequence[ScreenField]) -> None:
        super().__init__(message)
        self.missing = tuple(missing)


@dataclass(frozen=True)
class ScreenField:
    id: str
    name: str
    required: bool
    has_default: bool


@dataclass(frozen=True)
class Transition:
    id: str
    name: str
    to_status: str
    to_category: str
    """The target status's category key: ``new``, ``indeterminate`` or ``done``."""
    fields: tuple[ScreenField, ...] = ()
    has_screen: bool = False

    @property
    def label(self) -> str:
        """``Approve (21)``: how messages name it."""
        return f"'{self.name[:80]}' ({self.id[:20]})"

    def missing(self, filled: Collection[str]) -> tuple[ScreenField, ...]:
        """Required screen fields without a default that ``filled`` does not set."""
        return tuple(
            f for f in self.fields if f.required and not f.has_default and f.id not in filled
        )


def parse_transitions(listed: Sequence[Mapping[str, Any]]) -> list[Transition]:
    """Jira's ``transitions`` list as :class:`Transition` values (malformed ones dropped)."""
    found: list[Transition] = []
    for raw in listed:
        ident, name = raw.get("id"), raw.get("name")
        if not isinstance(ident, str) or not isinstance(name, str):
            continue
        target = _mapping(raw.get("to"))
        category = _mapping(target.get("statusCategory"))
        screen = _mapping(raw.get("fields"))
        fields = tuple(
            ScreenField(
                id=str(field_id),
                name=str(entry.get("name") or field_id),
                required=entry.get("required") is True,
                has_default=entry.get("hasDefaultValue") is True,
            )
            for field_id, entry in screen.items()
            if isinstance(entry, dict)
        )
        found.append(
            Transition(
                id=ident,
                name=name,
                to_status=str(target.get("name") or ""),
                to_category=str(category.get("key") or ""),
                fields=fields,
                has_screen=raw.get("hasScreen") is True or bool(fields),
            )
        )
    return found


def _mapping(value: object) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def choose(available: Sequence[Transition], wanted: str, *, key: str) -> Transition:
    """The transition ``wanted`` names (an id, or a name in any case) among ``available``."""
    wanted = wanted.strip()
    by_id = [t for t in available if t.id == wanted]
    if by_id:
        return by_id[0]
    by_name = [t for t in available if t.name.casefold() == wanted.casefold()]
    if len(by_name) == 1:
        return by_name[0]
    shown = f"'{wanted[:80]}'"
    if by_name:
        ids = ", ".join(t.label for t in by_name)
        raise TransitionError(
            f"{key}: {len(by_name)} transitions are named {shown} ({ids}); configure the "
            "transition by its id"
        )
    if not available:
        raise TransitionError(
            f"{key}: Jira offers no transitions from its status to this account; check the "
            "account has the Transition Issues permission in the project"
        )
    offered = ", ".join(t.label for t in available)
    raise TransitionError(
        f"{key}: the workflow offers no transition {shown} from the issue's status; it "
        f"offers {offered}: configure one of those"
    )


def resolve(
    gateway: TransitionGateway, key: str, wanted: str, *, filled: Collection[str] = ()
) -> Transition:
    """The transition ``wanted`` names, read from Jira now (one request), after checking
    that its screen requires nothing outside ``filled`` (field ids the caller sends).

    Raises :class:`TransitionError` (ambiguous, not offered) or
    :class:`MissingScreenFields` before anything is written.
    """
    chosen = choose(
        parse_transitions(gateway.transitions(key, screen_fields=True)), wanted, key=key
    )
    missing = chosen.missing(filled)
    if missing:
        names = ", ".join(f"{f.name[:80]} ({f.id[:40]})" for f in missing)
        raise MissingScreenFields(
            f"{key}: the transition {chosen.label} requires {names} on its screen, which "
            "campaign-guard does not fill; remove the requirement from the transition "
            "screen or give the field a default, then run again (nothing was written)",
            missing,
        )
    return chosen


def perform(
    gateway: TransitionGateway,
    key: str,
    transition: Transition,
    fields: Mapping[str, Any] | None = None,
) -> None:
    """Send ``transition`` (``POST …/transitions``), with Jira's refusals as one line each."""
    try:
        gateway.transition(key, transition.id, fields)
    except JiraError as exc:
        raise _explained(exc, key, transition) from None


def _explained(exc: JiraError, key: str, transition: Transition) -> JiraError:
    what = f"Jira refused the transition {transition.label} of {key}"
    if exc.status == 400 and exc.field_errors:
        listed = "; ".join(f"{k}: {v}" for k, v in exc.field_errors.items())
        return TransitionError(
            f"{what} ({listed}); fix those fields or the transition screen, then run again"
        )
    if exc.status == 400:
        return TransitionError(
            f"{what} ({exc}); the issue may have moved on, or this account may lack the "
            "Transition Issues permission: read its status in Jira, then run again"
        )
    if exc.status in (401, 403):
        return TransitionError(
            f"{what} (HTTP {exc.status}): this account may not transition issues in the "
            "project; ask a Jira administrator for the Transition Issues permission"
        )
    if exc.status == 404:
        return TransitionError(
            f"{what} (HTTP 404): the issue does not exist or this account cannot see it; "
            "check the key and the account's Browse Projects permission"
        )
    return exc


__all__: Sequence[str] = (
    "MissingScreenFields",
    "ScreenField",
    "Transition",
    "TransitionError",
    "TransitionGateway",
    "choose",
    "parse_transitions",
    "perform",
    "resolve",
)
