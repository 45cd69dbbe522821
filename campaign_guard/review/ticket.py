"""One campaign ticket's review screen: its spec as submitted, estimated again today with
every other open campaign of its window summed in.

The spec comes from the ticket's submission snapshot (submit keeps the spec's text in
it), so a review reads nothing it cannot trust to be what was submitted: the spec file
in someone's working copy may have changed since. The other campaigns are the open
campaign tickets launching no later than this one ends (one search: a campaign that
launched earlier may still be running) plus the local specs the reviewer names; those
whose runs overlap this one are summed in by the estimator, as ``estimate`` sums a
calendar. A ticket in the window whose spec cannot be read is named, not guessed.

What it costs (Cloud / Data Center): one ``GET issue``, then the search (one page per
100 tickets; on Data Center one ``GET issue`` per ticket for its snapshot), and the
on-call provider's answer for the launch time (none for a rotation or a fixed person).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo

from campaign_guard.config.settings import Settings
from campaign_guard.jira.jira_http import JiraError
from campaign_guard.jira.queue import QueueFilter, QueueItem, fetch_queue
from campaign_guard.oncall.base import OnCallPerson
from campaign_guard.review.cases import Connect, open_ticket, profile_of
from campaign_guard.review.rows import QueueRow, day_of, queue_rows, reestimate
from campaign_guard.review.screen import ReviewScreen, review
from campaign_guard.spec.campaign import CampaignSpec

OnCallAt = Callable[[datetime], OnCallPerson | None]
"""Who is on call at a moment (None: not known)."""


@dataclass(frozen=True)
class NotCounted:
    """An open campaign ticket in the window whose load could not be summed in."""

    key: str
    campaign: str
    why: str


@dataclass(frozen=True)
class TicketReview:
    """The review screen of one ticket, and what Jira told about it."""

    row: QueueRow
    """The ticket as the queue shows it (status, decision, verdict then and now)."""
    screen: ReviewScreen
    counted: tuple[str, ...]
    """Keys of the other tickets whose campaigns overlap this one (summed in)."""
    not_counted: tuple[NotCounted, ...]
    requests: int


def ticket_review(
    settings: Settings,
    key: str,
    *,
    local: Sequence[CampaignSpec] = (),
    environ: Mapping[str, str],
    now: datetime,
    reader_zone: tzinfo,
    connect: Connect,
    oncall_at: OnCallAt,
    started: float | None = None,
) -> TicketReview:
    """The review of campaign ticket ``key`` (any status) with the open campaign tickets
    and the ``local`` specs of its window summed in. Raises :class:`JiraError` when the
    ticket holds no spec campaign-guard can read."""
    jira, gateway, item = open_ticket(settings, key, environ, connect, started)
    profile = profile_of(settings)
    row = queue_rows([item], site=jira.site, profile=profile, now=now, reader_zone=reader_zone)[0]
    spec = row.now.spec
    if spec is None:
        raise JiraError(
            f"{item.key}: {row.now.why_unknown or 'no spec on the ticket'}; to review the "
            "spec file instead: campaign-guard review path/to/spec.yaml"
        )
    ends = spec.launch.ends.astimezone(spec.launch.zone).date()
    queue = fetch_queue(gateway, QueueFilter(project=jira.project, launch_to=ends))
    others, not_counted = _others(queue.items, item.key, spec)
    keys = {other.campaign_id: other_key for other_key, other in others}
    screen = review(
        spec,
        [other for _, other in others] + list(local),
        profile,
        lead_time=settings.lead_time_business_days,
        now=now,
        reader_zone=reader_zone,
        oncall=oncall_at(spec.launch.start),
        ticket=item.key,
        ticket_url=row.url,
    )
    counted = tuple(keys[i] for i in screen.overlapping_ids if i in keys)
    return TicketReview(row, screen, counted, not_counted, gateway.sent)


def _others(
    items: Sequence[QueueItem], key: str, spec: CampaignSpec
) -> tuple[list[tuple[str, CampaignSpec]], tuple[NotCounted, ...]]:
    """The specs of the other tickets, and those near the window that cannot be read."""
    start = spec.launch.start.date() - timedelta(days=1)
    end = spec.launch.ends.date() + timedelta(days=1)
    found: list[tuple[str, CampaignSpec]] = []
    missing: list[NotCounted] = []
    for item in items:
        if item.key == key:
            continue
        again = reestimate(item, None)
        if again.spec is not None:
            if again.spec.campaign_id != spec.campaign_id:
                found.append((item.key, again.spec))
            continue
        day = day_of(item.launch_date)
        if day is not None and start <= day <= end:
            why = again.why_unknown or "no spec kept on the ticket"
            missing.append(NotCounted(item.key, item.summary, why))
    return found, tuple(missing)


def review_json(found: TicketReview, screen_json: Mapping[str, object]) -> dict[str, object]:
    """``review KEY --json``: the screen's document, with the ticket's line and the
    other tickets counted or not."""
    return {
        **screen_json,
        "ticket_row": found.row.to_json(),
        "tickets_counted": list(found.counted),
        "tickets_not_counted": [
            {"key": n.key, "campaign": n.campaign, "why": n.why} for n in found.not_counted
        ],
        "requests": found.requests,
    }
