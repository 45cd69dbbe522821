"""``campaign-guard review``: the DevOps side of a campaign ticket.

With no argument, the queue of open campaign tickets by launch; with a ticket key and a
decision flag, the decision recorded on the ticket (comment, property, transition),
once; with a key alone, the ticket's review screen. The work is in
:mod:`campaign_guard.api`; this module parses and prints. Every value from Jira or a
spec goes through :mod:`campaign_guard.safe_text` before it is printed.
"""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from campaign_guard.cli.boundary import RunOptions, run_options
from campaign_guard.cli.progress import waiting_status
from campaign_guard.cli.review_decision import DECIDED, Words, decide
from campaign_guard.errors import UsageError
from campaign_guard.safe_text import json_document, one_line, tab_field

if TYPE_CHECKING:
    from rich.text import Text

    from campaign_guard.api import QueueRow, ReviewQueue

PLAIN_COLUMNS = (
    "key",
    "campaign",
    "launch",
    "launch_zone",
    "days_left",
    "verdict_on_ticket",
    "verdict_now",
    "verdict_changed",
    "overlaps",
    "assignee",
    "status",
    "decision",
    "decision_state",
    "url",
)
"""The columns of ``--plain`` and ``--csv``, in order (keys of the ``--json`` rows)."""


def review(
    ctx: typer.Context,
    key: Annotated[
        str | None,
        typer.Argument(
            help="A campaign ticket's key (OPS-42), or a campaign spec file to review "
            "without Jira; none: the queue.",
            show_default=False,
            metavar="KEY",
        ),
    ] = None,
    approve: Annotated[bool, typer.Option("--approve", help="Approve the campaign.")] = False,
    reject: Annotated[bool, typer.Option("--reject", help="Reject it (with --reason).")] = False,
    request_changes: Annotated[
        bool,
        typer.Option("--request-changes", help="Ask the marketer for changes (with --reason)."),
    ] = False,
    reason: Annotated[
        str | None,
        typer.Option("--reason", metavar="TEXT", help="Why (for --reject, --request-changes)."),
    ] = None,
    note: Annotated[
        str | None, typer.Option("--note", metavar="TEXT", help="A note for the comment.")
    ] = None,
    dry_run: Annotated[
        bool,
        typer.Option("--dry-run", help="Show what a decision would write; write nothing."),
    ] = False,
    status: Annotated[
        list[str] | None,
        typer.Option(
            "--status",
            "-s",
            metavar="STATUS",
            help="Only this status (repeatable); ~STATUS leaves it out.",
            show_default=False,
        ),
    ] = None,
    assignee: Annotated[
        str | None,
        typer.Option(
            "--assignee",
            "-a",
            metavar="USER",
            help="me, x (unassigned), or a Jira user.",
            show_default=False,
        ),
    ] = None,
    launch_from: Annotated[
        str | None,
        typer.Option("--from", metavar="DAY", help="Launching on or after DAY (2027-03-01)."),
    ] = None,
    launch_until: Annotated[
        str | None,
        typer.Option("--until", metavar="DAY", help="Launching on or before DAY."),
    ] = None,
    jql: Annotated[
        str | None,
        typer.Option("--jql", "-q", metavar="JQL", help="More JQL, within the project."),
    ] = None,
    plain: Annotated[
        bool, typer.Option("--plain", help="Tab-separated, no colour: for scripts.")
    ] = False,
    as_csv: Annotated[bool, typer.Option("--csv", help="Comma-separated values.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
    capacity: Annotated[
        Path | None,
        typer.Option(
            "--capacity",
            "-c",
            metavar="FILE",
            help="Capacity profile for the verdicts now.",
            show_default=False,
        ),
    ] = None,
    others: Annotated[
        list[Path] | None,
        typer.Option(
            "--with",
            metavar="SPEC",
            help="Another campaign spec to sum in when it overlaps (repeatable).",
            show_default=False,
        ),
    ] = None,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            metavar="TIME",
            help="With a spec file: count the notice from TIME (default: now).",
            show_default=False,
        ),
    ] = None,
    color: Annotated[
        str, typer.Option("--color", metavar="auto|always|never", help="When to use colour.")
    ] = "auto",
) -> None:
    """Review campaign tickets: the queue, or a decision on one.

    With no KEY, lists the open campaign tickets by launch: the launch in
    your time zone and the campaign's, the days of notice left, the verdict
    on the ticket and the verdict now against today's capacity profile,
    the campaigns launching in the same window, and the decision (stale
    when the spec changed since). With KEY and --approve, --reject or
    --request-changes, records the decision: one comment, the decision on
    the ticket, and the transition jira.review.transitions names; running
    it again writes nothing. Exit code 0 when done, 2 for a wrong command
    line, 3 when Jira fails or is not set up (one line says what to fix).

    With KEY alone, shows the review of the ticket's campaign: the spec it
    holds, estimated again against today's capacity profile with the other
    open campaign tickets of its window (and the specs given by --with)
    summed in; the verdict and risk, the notice, the load against capacity,
    the actions with their deadlines, the checklist, who is on call at
    launch, and the ticket's status and decision. With a spec file instead
    of a KEY, the same review without Jira.

    \b
    Examples:
      campaign-guard review -a me --from 2027-03-01 --until 2027-03-31
      campaign-guard review spring-sale.yaml --with easter-sale.yaml
      campaign-guard review OPS-42 --approve --note "pre-scale web by 08:30"
      campaign-guard review OPS-42 --reject --reason "launch during the freeze"
    """
    fmt = _format(plain, as_csv, as_json)
    decision = (approve, reject, request_changes)
    if key is None:
        _refuse(
            any(decision) or reason or note or dry_run,
            "a decision needs the ticket's key: review OPS-42 --approve",
        )
        filters = Filters(status or [], assignee, launch_from, launch_until, jql)
        _queue(run_options(ctx), filters, capacity, fmt)
        return
    _refuse(
        status or assignee or launch_from or launch_until or jql,
        "--status, --assignee, --from, --until and --jql filter the queue: give no KEY",
    )
    if _is_spec(key):
        _refuse(
            any(decision) or reason or note or dry_run or fmt in ("plain", "csv"),
            "a spec file is reviewed without Jira: decisions, --plain and --csv need a "
            "ticket's key",
        )
        _spec(Path(key), others or [], capacity, as_of, as_json, color)
        return
    _refuse(as_of, "--as-of goes with a spec file: a ticket's notice counts from now")
    _refuse(fmt in ("plain", "csv"), "--plain and --csv are for the queue: give no KEY")
    if any(decision):
        _refuse(others, "--with goes with a review screen, not with a decision")
        decide(run_options(ctx), key, decision, Words(reason, note), dry_run, as_json, capacity)
        return
    _refuse(
        reason or note or dry_run,
        "--reason, --note and --dry-run go with --approve, --reject or --request-changes",
    )
    _ticket(run_options(ctx), key, others or [], capacity, as_json, color)


def _refuse(condition: object, message: str) -> None:
    if condition:
        raise UsageError(message)


def _format(plain: bool, as_csv: bool, as_json: bool) -> str:
    chosen = [n for n, on in (("plain", plain), ("csv", as_csv), ("json", as_json)) if on]
    _refuse(len(chosen) > 1, "choose one of --plain, --csv, --json")
    return chosen[0] if chosen else "table"


class Filters:
    """The queue's filters as given on the command line."""

    def __init__(
        self,
        status: list[str],
        assignee: str | None,
        launch_from: str | None,
        launch_until: str | None,
        jql: str | None,
    ) -> None:
        self.status, self.assignee, self.jql = status, assignee, jql
        self.launch_from, self.launch_until = launch_from, launch_until


# -- the queue ----------------------------------------------------------------------------


def _queue(options: RunOptions, filters: Filters, capacity: Path | None, fmt: str) -> None:
    from campaign_guard import STARTED
    from campaign_guard.api import review_queue

    with waiting_status(options):
        queue = review_queue(
            statuses=filters.status,
            assignee=filters.assignee,
            launch_from=filters.launch_from,
            launch_until=filters.launch_until,
            jql=filters.jql,
            capacity=capacity,
            started=STARTED,
        )
    if fmt == "json":
        sys.stdout.write(json_document(queue_json(queue)))
    elif fmt == "plain":
        sys.stdout.write(plain_text(queue))
    elif fmt == "csv":
        sys.stdout.write(csv_text(queue))
    else:
        from campaign_guard.cli.console import make_console

        console = make_console()
        print_table(queue, console)


def queue_json(queue: ReviewQueue) -> dict[str, Any]:
    return {
        "project": queue.project,
        "jql": queue.jql,
        "reader_zone": queue.reader_zone,
        "capacity_profile": queue.profile,
        "requests": queue.requests,
        "tickets": [row.to_json() for row in queue.rows],
        "left_out": list(queue.dropped),
    }


def _flat(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ",".join(str(v) for v in value)
    return str(value)


def _records(queue: ReviewQueue) -> list[list[str]]:
    return [[one_line(_flat(row.to_json()[name])) for name in PLAIN_COLUMNS] for row in queue.rows]


def plain_text(queue: ReviewQueue) -> str:
    """One header line, then one tab-separated line per ticket; tabs in values escaped."""
    lines = ["\t".join(PLAIN_COLUMNS)]
    lines += [
        "\t".join(tab_field(_flat(row.to_json()[name])) for name in PLAIN_COLUMNS)
        for row in queue.rows
    ]
    return "\n".join(lines) + "\n"


def csv_text(queue: ReviewQueue) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(PLAIN_COLUMNS)
    writer.writerows(_records(queue))
    return out.getvalue()


def _when(row: QueueRow) -> str:
    """The launch in the reader's zone, then in the campaign's when it differs."""
    if row.launch is None:
        return "" if row.launch_day is None else f"{row.launch_day.isoformat()} (day)"
    from zoneinfo import ZoneInfo

    mine = row.launch.astimezone(ZoneInfo(row.reader_zone))
    shown = f"{mine:%Y-%m-%d %H:%M}"
    if mine.utcoffset() != row.launch.utcoffset() or mine.tzname() != row.launch.tzname():
        shown += f"\n({row.launch:%H:%M} {row.launch.tzname()})"
    return shown


def _verdicts(row: QueueRow) -> Text:
    """The verdict on the ticket, then now: ``ok → scale`` (highlighted when it changed)."""
    from rich.text import Text

    then, now = row.verdict_then or "?", row.now.verdict or "?"
    if row.verdict_changed:
        return Text(f"{then} → {now}", style="bold yellow")
    return Text(f"{then} → {now}")


def _decision(row: QueueRow) -> Text:
    from rich.text import Text

    if row.decision is None:
        return Text("")
    said = DECIDED.get(row.decision, row.decision)
    if row.decision_state == "stale":
        return Text(f"{said} (stale)", style="bold red")
    return Text(said)


def print_table(queue: ReviewQueue, console: Any) -> None:
    """The queue as a table fitted to ``console``, and what the verdicts are judged on."""
    from campaign_guard.cli.tables import table

    if not queue.rows:
        console.print(one_line(f"No open campaign tickets in {queue.project} match."))
        return
    columns = ["ticket", "launch", "days", "verdict", "overlaps", "status", "decision"]
    rows: list[list[str | Text]] = [
        [
            f"{row.key}\n{row.campaign}",
            _when(row),
            "" if row.days_left is None else str(row.days_left),
            _verdicts(row),
            "\n".join(row.overlaps),
            f"{row.status}\n{row.assignee or '(unassigned)'}",
            _decision(row),
        ]
        for row in queue.rows
    ]
    title = f"Open campaign tickets in {queue.project}, by launch ({len(queue.rows)})"
    console.print(table(title, columns, rows, console.width, right=["days"]))
    console.print(one_line(_footer(queue)))


def _footer(queue: ReviewQueue) -> str:
    unknown = sum(1 for row in queue.rows if row.now.verdict is None)
    judged = queue.profile or "no capacity profile (set estimate.capacity or --capacity)"
    text = (
        f"Launch in {queue.reader_zone} (the campaign's own time in brackets); days of "
        f"notice left; verdict on the ticket → now, against {judged}."
    )
    if unknown:
        text += f" {unknown} without a verdict now: --json says why."
    return text


# -- one ticket -----------------------------------------------------------------------------


def _is_spec(key: str) -> bool:
    """A file name, not a ticket key: it names a YAML file or a path."""
    return key.lower().endswith((".yaml", ".yml")) or "/" in key or Path(key).is_file()


def _spec(
    spec: Path,
    others: list[Path],
    capacity: Path | None,
    as_of: str | None,
    as_json: bool,
    color: str,
) -> None:
    from campaign_guard.api import review_screen, review_screen_json

    screen = review_screen(spec, others=others, capacity=capacity, now=as_of)
    if as_json:
        sys.stdout.write(json_document(review_screen_json(screen)))
        return
    from campaign_guard.cli.review_view import show

    show(screen, color)


def _ticket(
    options: RunOptions,
    key: str,
    others: list[Path],
    capacity: Path | None,
    as_json: bool,
    color: str,
) -> None:
    from campaign_guard import STARTED
    from campaign_guard.api import review_ticket, review_ticket_json

    with waiting_status(options):
        found = review_ticket(key, others=others, capacity=capacity, started=STARTED)
    if as_json:
        sys.stdout.write(json_document(review_ticket_json(found)))
        return
    from campaign_guard.cli.review_view import show

    show(found.screen, color, found)
