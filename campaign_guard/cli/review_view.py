"""The review screen of one campaign, as a DevOps reviewer reads it in the terminal.

In reading order: the verdict and risk tier; when it launches and the notice given;
load against capacity per target; the actions with deadlines; the checklist the tool
decides; what is left to the reviewer; people and links. Colour is never the only
signal: every status is a word (OK, TIGHT, SCALE, OVER; PASS, FAIL, UNKNOWN).
"""

from __future__ import annotations

from rich.console import Console
from rich.text import Text

from campaign_guard.api import ReviewScreen, TicketReview, lasting, number, period, when
from campaign_guard.cli.console import make_console
from campaign_guard.cli.review_decision import DECIDED
from campaign_guard.cli.tables import Cell, bullets, sections, table
from campaign_guard.safe_text import one_line

_HEADROOM = {
    "ok": ("OK", "green"),
    "tight": ("TIGHT", "yellow"),
    "scale": ("SCALE", "yellow"),
    "over": ("OVER", "bold red"),
    "queues": ("QUEUES", "yellow"),
}
_CHECK = {"pass": ("PASS", "green"), "fail": ("FAIL", "bold red"), "unknown": ("UNKNOWN", "yellow")}
_TIER = {"low": "green", "medium": "yellow", "high": "bold red"}
_ACTION = {
    "scale": "scale {target} to {amount} instances",
    "prescale_workers": "pre-scale the consumers of {target} to {amount} {unit}",
    "rate_limit": "rate-limit {target} at the edge to {amount} {unit}",
    "queue_backlog": "let {target} queue the peak with today's {amount} {unit}",
}
_WRITES = {
    "prescale": "campaign-guard protect prescale writes the schedule",
    "queue": "campaign-guard protect queue writes the workers per hour and KEDA settings",
    "edge": "campaign-guard protect edge writes it, as a dry run first",
}


def show(screen: ReviewScreen, color: str, ticket: TicketReview | None = None) -> None:
    """Print the review screen to stdout at the terminal's width."""
    render(screen, make_console(color), ticket)


def render(screen: ReviewScreen, console: Console, ticket: TicketReview | None = None) -> None:
    """Print ``screen`` on ``console``, fitted to its width; ``ticket``: what Jira holds
    (the verdict when submitted, the decision, the tickets summed in or not)."""
    tier = Text(f"{screen.tier.upper()} RISK", style=_TIER[screen.tier])
    console.print(Text.assemble(tier, " · ", one_line(screen.name)))
    console.print(Text(one_line(f"Verdict: {screen.sentence}")))
    if ticket is not None and ticket.row.verdict_changed:
        console.print(Text(one_line(_changed(ticket)), style="bold yellow"))
    console.print()
    _when(screen, console)
    _loads(screen, console)
    _actions(screen, console)
    _checklist(screen, console)
    console.print(Text("Left to the reviewer", style="bold"))
    console.print(bullets(f"{item.name}: {item.reason}" for item in screen.human))
    console.print()
    _people(screen, console)
    if ticket is not None:
        _ticket(ticket, console)


def _when(screen: ReviewScreen, console: Console) -> None:
    start, end = screen.launch.timestamp(), screen.ends.timestamp()
    lines = [f"runs {period(start, end, screen.campaign_zone)} (the campaign's time zone)"]
    if screen.reader_zone.utcoffset(screen.launch) != screen.campaign_zone.utcoffset(screen.launch):
        lines.append(f"runs {period(start, end, screen.reader_zone)} (yours)")
    lines.append(
        f"notice: {screen.notice_days} business days given, {screen.required_days} required"
    )
    console.print(Text("When", style="bold"))
    console.print(bullets(lines))
    console.print()


def _loads(screen: ReviewScreen, console: Console) -> None:
    others = any(len(load.contributors) > 1 for load in screen.loads)
    found: list[tuple[str, list[Cell]]] = []
    for load in screen.loads:
        word, style = _HEADROOM.get(load.headroom or "", ("not known", ""))
        at = when(load.peak_at, screen.campaign_zone)
        cells: list[Cell] = [
            load.name,
            f"{number(load.peak)} {load.unit} at {at} (baseline {number(load.baseline)})",
            "" if load.holds_now is None else number(load.holds_now),
            "" if load.of_target is None else f"{number(load.of_target * 100)}%",
            Text(word, style=style),
        ]
        if others:
            cells.append(", ".join(c for c in load.contributors if c != screen.name))
        found.append((load.kind.replace("_", " "), cells))
    columns = ("target", "peak (expected), when", "holds now", "use", "headroom")
    extra = ("others at the peak",) if others else ()
    right = ("holds now", "use")
    title = "Load against capacity"
    console.print(table(title, (*columns, *extra), sections(found), console.width, right=right))
    console.print()


def _actions(screen: ReviewScreen, console: Console) -> None:
    console.print(Text("Actions", style="bold"))
    if not screen.actions:
        console.print(bullets(["none: today's capacity holds the expected peak"]))
    lines = []
    for action in screen.actions:
        whole = action.unit in ("instances", "workers")
        amount = f"{action.amount:.0f}" if whole else number(action.amount)
        what = _ACTION[action.kind].format(target=action.target, amount=amount, unit=action.unit)
        by = when(action.by, screen.campaign_zone)
        if action.kind == "queue_backlog":
            waiting, wait = number(action.waiting or 0.0), lasting(action.wait or 0.0)
            what += f": in the high case up to {waiting} leads wait, none longer than {wait}"
            lines.append(f"{what} ({_WRITES[action.artefact]})")
            continue
        lines.append(f"{what} by {by} ({_WRITES[action.artefact]})")
    console.print(bullets(lines))
    console.print()


def _checklist(screen: ReviewScreen, console: Console) -> None:
    rows: list[list[Cell]] = []
    for item in screen.checklist:
        word, style = _CHECK[item.result]
        rows.append([item.name, Text(word, style=style), item.why])
    console.print(table("Checklist", ("check", "result", "why"), rows, console.width))
    console.print()


def _people(screen: ReviewScreen, console: Console) -> None:
    oncall = screen.oncall
    lines = [
        f"owner: {screen.owner}",
        "on call at launch: "
        + ("not known" if oncall is None else f"{oncall.name} <{oncall.email}>"),
        "ticket: "
        + (
            "none yet"
            if screen.ticket is None
            else screen.ticket + (f" {screen.ticket_url}" if screen.ticket_url else "")
        ),
    ]
    console.print(Text("People and links", style="bold"))
    console.print(bullets(lines))


def _changed(ticket: TicketReview) -> str:
    row = ticket.row
    return (
        f"Changed since submit: the ticket says {row.verdict_then}, today's capacity "
        f"profile says {row.now.verdict} (for this campaign alone): the profile or the "
        "baseline changed"
    )


def _ticket(ticket: TicketReview, console: Console) -> None:
    row = ticket.row
    decision = "none yet"
    if row.decision is not None:
        decision = f"{DECIDED.get(row.decision, row.decision)} by {row.decided_by}"
        if row.decision_state == "stale":
            decision += " (stale: the spec changed since; decide again)"
    then = row.verdict_then or "not recorded"
    now = row.now.verdict or f"unknown ({row.now.why_unknown})"
    lines = [
        f"status: {row.status}; assignee {row.assignee or '(unassigned)'}",
        f"decision: {decision}",
        f"verdict when submitted: {then}; now, alone: {now}",
        "other tickets summed in: " + (", ".join(ticket.counted) or "none overlap"),
    ]
    lines += [f"not counted: {n.key} {n.campaign}: {n.why}" for n in ticket.not_counted]
    console.print()
    console.print(Text(f"Ticket {row.key}", style="bold"))
    console.print(bullets(lines))
