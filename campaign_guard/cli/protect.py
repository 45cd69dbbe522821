"""``campaign-guard protect``: the group; each subcommand lives in its own module."""

from __future__ import annotations

import typer

from campaign_guard.cli import protect_edge

app = typer.Typer(
    help="Rate limits and other protection to put in place before a launch.",
    no_args_is_help=True,
    add_completion=False,
    # Plain help: no Rich markup to swallow `[code]`, no `<bool>` after a flag.
    rich_markup_mode=None,
)
app.command("edge")(protect_edge.edge)
