"""``campaign-guard protect``: the group; each subcommand lives in its own module."""

from __future__ import annotations

import typer

from campaign_guard.cli import protect_edge, protect_prescale, protect_queue

app = typer.Typer(
    help="Edge rate limits, queue sizing and pre-scaling schedules from the estimate.",
    no_args_is_help=True,
    add_completion=False,
    # Plain help: no Rich markup to swallow `[code]`, no `<bool>` after a flag.
    rich_markup_mode=None,
)
app.command("edge")(protect_edge.edge)
app.command("queue")(protect_queue.queue)
app.command("prescale")(protect_prescale.prescale)
