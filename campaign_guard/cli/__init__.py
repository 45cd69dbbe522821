"""The ``campaign-guard`` command line: one module per command, all of them thin.

Commands parse options, call the core, print, and exit with a code from
:class:`campaign_guard.errors.ExitCode`; errors become that code in one place, the app's
group (:mod:`campaign_guard.cli.boundary`). Heavy imports happen inside the command that
needs them, so ``lint`` starts without loading Jinja2 or the Jira client.
"""

from __future__ import annotations

from typing import Annotated

import typer

from campaign_guard import __version__
from campaign_guard.cli import (
    doctor,
    estimate,
    init,
    jira,
    lint,
    protect,
    review,
    rules,
    schema,
    status,
    submit,
)
from campaign_guard.cli.boundary import GuardedGroup, RunOptions

app = typer.Typer(
    name="campaign-guard",
    cls=GuardedGroup,
    help="No big marketing campaign launches without a capacity review.\n\n"
    "Describe a campaign in a small YAML spec; campaign-guard checks it, estimates the "
    "load it brings, and files the review ticket.",
    no_args_is_help=True,
    add_completion=False,
    # Plain help: no Rich markup to swallow `[code]`, no `<bool>` after a flag.
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    pretty_exceptions_show_locals=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"campaign-guard {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    ctx: typer.Context,
    debug: Annotated[
        bool,
        typer.Option(
            "--debug",
            help="Log each request to Jira and the on-call provider, and show the full "
            "traceback of unexpected errors (secrets are never logged).",
        ),
    ] = False,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    ctx.obj = RunOptions(debug=debug)
    if debug:
        _debug_logging()


def _debug_logging() -> None:
    """``--debug`` logs each request (quiet by default: the ``error:`` line says it all).

    Only campaign-guard's own loggers are shown: they log method, path and attempt,
    never headers or bodies.
    """
    import logging

    from campaign_guard.safe_text import block

    class Shown(logging.Formatter):
        def format(self, record: logging.LogRecord) -> str:
            return block(super().format(record))  # paths hold what Jira sent back

    handler = logging.StreamHandler()
    handler.setFormatter(Shown("debug: %(name)s: %(message)s"))
    logger = logging.getLogger("campaign_guard")
    logger.handlers[:] = [handler]
    logger.setLevel(logging.DEBUG)
    logger.propagate = False


app.command("lint")(lint.lint)
app.command("rules")(rules.rules)
app.command("estimate")(estimate.estimate)
app.command("submit")(submit.submit)
app.command("review")(review.review)
app.command("status")(status.status)
app.command("schema")(schema.schema)
app.command("init")(init.init)
app.command("doctor")(doctor.doctor)
app.add_typer(jira.app, name="jira")
app.add_typer(protect.app, name="protect")


def main() -> None:
    """Console-script entry point."""
    app(prog_name="campaign-guard")
