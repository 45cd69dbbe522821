"""``campaign-guard status``: each campaign spec's ticket, and whether it is approved.

The work is in :func:`campaign_guard.api.status`; this module parses, prints and picks
the exit code. Every value from Jira or a spec goes through
:mod:`campaign_guard.safe_text` before it is printed.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated, Any

import typer

from campaign_guard.cli.boundary import run_options
from campaign_guard.cli.progress import waiting_status
from campaign_guard.errors import ExitCode, UsageError
from campaign_guard.safe_text import json_document, one_line, tab_field

if TYPE_CHECKING:
    from rich.text import Text

    from campaign_guard.api import SpecStatus, StatusReport

PLAIN_COLUMNS = (
    "path",
    "campaign",
    "state",
    "key",
    "ticket_status",
    "decision",
    "reviewer",
    "decided_at",
    "todo",
    "url",
)
"""The columns of ``--plain``, in order (keys of the ``--json`` specs)."""
_STYLE = {"approved": "green", "no ticket": "bold red", "approval out of date": "bold red"}


def status(
    ctx: typer.Context,
    paths: Annotated[
        list[str],
        typer.Argument(
            help="Campaign specs, folders or glob patterns.", show_default=False, metavar="SPEC"
        ),
    ],
    require: Annotated[
        str | None,
        typer.Option(
            "--require",
            metavar="approved",
            help="Exit 1 unless every campaign is approved as its spec stands now.",
            show_default=False,
        ),
    ] = None,
    plain: Annotated[
        bool, typer.Option("--plain", help="Tab-separated, no colour: for scripts.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
    color: Annotated[
        str, typer.Option("--color", metavar="auto|always|never", help="When to use colour.")
    ] = "auto",
) -> None:
    """Show whether each campaign is approved: no ticket, no campaign.

    For each spec: its Jira ticket (found by the label submit puts on it),
    the decision recorded on it, who took it and when, and where the
    campaign stands: no ticket, changed since submit, waiting for review,
    approved, approval out of date, rejected or changes requested. An
    approval counts only while the spec is what was submitted and approved.
    With --require approved, exit code 1 unless every campaign is approved
    (each other one is listed with what to do); 2 for a wrong command
    line; 3 when Jira fails or is not set up.

    \b
    Example:
      campaign-guard status campaigns/ --require approved
    """
    from campaign_guard.api import STATUS_REQUIRE
    from campaign_guard.api import status as campaign_status

    if require is not None and require not in STATUS_REQUIRE:
        raise UsageError(f"--require takes {', '.join(STATUS_REQUIRE)}, not '{require[:20]}'")
    if plain and as_json:
        raise UsageError("choose one of --plain, --json")
    from campaign_guard import STARTED

    with waiting_status(run_options(ctx)):
        report = campaign_status(paths, started=STARTED)
    if as_json:
        sys.stdout.write(json_document(report.to_json()))
    elif plain:
        sys.stdout.write(plain_text(report))
    else:
        from campaign_guard.cli.console import make_console

        print_table(report, make_console(color))
    if require is not None and report.not_approved:
        sys.stderr.write(not_approved_text(report, listed=not (plain or as_json)))
        raise typer.Exit(int(ExitCode.FINDINGS))


def _cell(value: object) -> str:
    """A value of ``--plain``: one line, tabs escaped too (they separate the columns)."""
    return tab_field("" if value is None else str(value))


def plain_text(report: StatusReport) -> str:
    """One header line, then one tab-separated line per spec."""
    lines = ["\t".join(PLAIN_COLUMNS)]
    for spec in report.specs:
        shown = spec.to_json()
        lines.append("\t".join(_cell(shown[name]) for name in PLAIN_COLUMNS))
    return "\n".join(lines) + "\n"


def not_approved_text(report: StatusReport, *, listed: bool = False) -> str:
    """Why ``--require approved`` fails: each campaign not approved and what to do, or
    one line when the table ``listed`` them already."""
    missing = report.not_approved
    said = f"error: {len(missing)} of {len(report.specs)} campaigns are not approved"
    if listed:
        return said + "; the next steps are listed above\n"
    lines = [said + ":"]
    lines += [one_line(f"  {s.path}: {s.state}: {s.todo}") for s in missing]
    return "\n".join(lines) + "\n"


def _state(spec: SpecStatus) -> Text:
    from rich.text import Text

    text = Text(spec.state, style=_STYLE.get(spec.state, "yellow"))
    if not spec.spec_checked:
        text.append("\n(spec not compared: the ticket keeps no copy)")
    if spec.duplicates:
        text.append("\nalso filed as " + one_line(", ".join(spec.duplicates)))
    return text


def _decision(spec: SpecStatus) -> str:
    if spec.decision is None:
        return ""
    said = {"approve": "approved", "reject": "rejected"}.get(spec.decision, "changes asked")
    return f"{said} by {one_line(spec.reviewer or '?')}\n{one_line((spec.decided_at or '')[:10])}"


def print_table(report: StatusReport, console: Any) -> None:
    """The specs as a table fitted to ``console``, how many are approved, and what to do
    for the others."""
    from campaign_guard.cli.tables import bullets, table

    columns = ["spec", "state", "ticket", "decision"]
    rows: list[list[str | Text]] = [
        [
            f"{spec.path}\n{spec.campaign}",
            _state(spec),
            "" if spec.key is None else f"{spec.key}\n{spec.ticket_status or ''}".rstrip(),
            _decision(spec),
        ]
        for spec in report.specs
    ]
    title = f"Campaign tickets in {report.project} ({len(report.specs)})"
    console.print(table(title, columns, rows, console.width))
    approved = len(report.specs) - len(report.not_approved)
    console.print(one_line(f"{approved} of {len(report.specs)} approved as the spec stands now."))
    todo = [f"{spec.path}: {spec.todo}" for spec in report.not_approved]
    if todo:
        console.print("Next steps:")
        console.print(bullets(todo))
