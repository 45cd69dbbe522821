"""A submit's first step: find the campaign's issue and what is recorded on it.

One search for the campaign's label returns the issues carrying it with their entity
properties: the submission snapshot the last submit stored and the reviewer's decision
(Cloud's search takes up to 5 property keys). Data Center's search cannot return
properties, so there the issue kept is read once more, with both properties in that
one request. Nothing is written here: a submit writes what :class:`Lookup` says, a dry
run only shows it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from campaign_guard.jira.decision import DECISION_KEY, Decision
from campaign_guard.jira.jira_http import Counted, IssueRef, JiraError
from campaign_guard.jira.outdated import outdated_decision
from campaign_guard.jira.snapshot import PROPERTY_KEY, Snapshot


class Finder(Protocol):
    """The reads of :class:`~campaign_guard.jira.gateway.JiraGateway` a lookup uses."""

    def find_campaign_issues(
        self,
        project_key: str,
        label: str,
        properties: Sequence[str] = (),
        reconcile: Sequence[str] = (),
    ) -> list[IssueRef]: ...

    def issue(self, key: str, properties: Sequence[str] = ()) -> IssueRef: ...


READ = (PROPERTY_KEY, DECISION_KEY)
"""The properties a submit reads with the issue."""


@dataclass(frozen=True)
class Lookup:
    """The campaign's issue (if any), and what this submit's snapshot makes of it."""

    snapshot: Snapshot
    """What this submit stores."""
    keep: IssueRef | None
    """The oldest issue carrying the label; None: there is none yet."""
    others: tuple[IssueRef, ...] = ()

    @property
    def stored(self) -> object:
        """The snapshot property as stored (untrusted; None when there is none)."""
        return None if self.keep is None else (self.keep.properties or {}).get(PROPERTY_KEY)

    @property
    def previous(self) -> Snapshot | None:
        return Snapshot.from_json(self.stored)

    @property
    def changed(self) -> bool:
        """True when the issue must be written (created, or its snapshot differs)."""
        previous = self.previous
        return previous is None or previous.issue_digest != self.snapshot.issue_digest

    @property
    def outdated(self) -> Decision | None:
        """The recorded decision this submit makes out of date (None: none, or nothing
        changes)."""
        if self.keep is None or not self.changed:
            return None
        stored = (self.keep.properties or {}).get(DECISION_KEY)
        return outdated_decision(stored, self.snapshot.issue_digest)


def look_up(
    gateway: Finder,
    calls: Counted,
    project: str,
    label: str,
    snapshot: Snapshot,
    *,
    reconcile: Sequence[str] = (),
) -> Lookup:
    """Search for the campaign's issue (1 request; 2 on Data Center when found).

    Raises :class:`JiraError` when the issue kept was filed for another campaign id.
    """
    found = calls(gateway.find_campaign_issues, project, label, READ, reconcile)
    if not found:
        return Lookup(snapshot, None)
    keep, others = oldest(found)
    if keep.properties is None:  # Data Center's search cannot return them
        keep = calls(gateway.issue, keep.key, READ)
    lookup = Lookup(snapshot, keep, others)
    previous = lookup.previous
    if previous is not None and previous.campaign_id != snapshot.campaign_id:
        raise JiraError(
            f"{keep.key} carries this campaign's label but was filed for another campaign "
            f"(id '{previous.campaign_id[:80]}'), so it was left as it is; give this spec an "
            f"`id:` of its own (it is '{snapshot.campaign_id[:80]}' now) and submit again"
        )
    return lookup


def oldest(found: Sequence[IssueRef]) -> tuple[IssueRef, tuple[IssueRef, ...]]:
    """The oldest issue (lowest Jira id, then lowest key number) and the others."""
    ordered = sorted(found, key=_age)
    return ordered[0], tuple(ordered[1:])


def _age(ref: IssueRef) -> tuple[int, int, str]:
    return age(ref.id, ref.key)


def age(ident: str, key: str) -> tuple[int, int, str]:
    """Sorts issues oldest first: Jira's id, then the key's number (submit keeps the
    oldest of a campaign's issues)."""
    number = key.rpartition("-")[2]
    return int(ident) if ident.isdigit() else 2**63, int(number) if number.isdigit() else 2**63, key


__all__: Sequence[str] = ("READ", "Finder", "Lookup", "age", "look_up", "oldest")
