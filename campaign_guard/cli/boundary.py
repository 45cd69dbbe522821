"""The one place where errors become a message and an exit code.

:class:`GuardedGroup` is the Typer app's group class, so every command and subcommand
runs inside :meth:`GuardedGroup.invoke`: no command needs a decorator to get it. What
the run was asked for globally (``--debug``) lives in the root context's ``obj`` as
:class:`RunOptions`, never in a module-level variable that outlives the run.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import typer
from typer.core import TyperGroup

from campaign_guard.errors import CampaignGuardError, ExitCode
from campaign_guard.safe_text import one_line

if TYPE_CHECKING:
    from collections.abc import Sequence

    # The Context class Typer's group is typed with (Typer bundles its own Click).
    from typer._click import Context as ClickContext

    from campaign_guard.api import Finding


@dataclass(frozen=True)
class RunOptions:
    """The options of the whole run, given before the command's name."""

    debug: bool = False
    """``--debug``: log each request, and show the traceback of unexpected errors."""


def run_options(ctx: ClickContext) -> RunOptions:
    """This run's :class:`RunOptions`, from any command's context (the defaults when
    the command runs without the app, as in tests)."""
    found = ctx.find_root().obj
    return found if isinstance(found, RunOptions) else RunOptions()


def say_error(message: str) -> None:
    """One ``error:`` line on stderr, however many lines the values in ``message`` hold
    (see :mod:`campaign_guard.safe_text`)."""
    sys.stderr.write(f"error: {one_line(message)}\n")


def say_warning(message: str) -> None:
    """One ``warning:`` line on stderr, as :func:`say_error`."""
    sys.stderr.write(f"warning: {one_line(message)}\n")


FIX_FIRST = "Fix these first (campaign-guard lint shows the same problems).\n"


def say_findings(findings: Sequence[Finding]) -> None:
    """Findings on stderr, one ``file:line:col: level …`` line each (nothing if none)."""
    from campaign_guard.api import findings_text

    sys.stderr.write(findings_text(findings))


def say_failure(exc: CampaignGuardError) -> None:
    """What went wrong: the problems to fix first, else one ``error:`` line."""
    from campaign_guard.api import ProblemsFound

    if isinstance(exc, ProblemsFound):
        say_findings(exc.findings)
        sys.stderr.write(FIX_FIRST)
    else:
        say_error(str(exc))


class GuardedGroup(TyperGroup):
    """The app's group: expected errors become one line and a documented exit code.

    Unexpected errors are bugs: they get a different exit code and a hint to rerun with
    ``--debug``. Tracebacks never show local variables (they could hold a token).
    """

    def invoke(self, ctx: ClickContext) -> Any:
        try:
            return super().invoke(ctx)
        except (typer.Exit, typer.Abort, typer.TyperException):
            raise  # the exit it asks for, or a usage error Typer says itself
        except CampaignGuardError as exc:
            say_failure(exc)
            raise typer.Exit(int(exc.exit_code)) from None
        except KeyboardInterrupt:
            say_error("interrupted")
            raise typer.Exit(int(ExitCode.INTERRUPTED)) from None
        except Exception as exc:
            if run_options(ctx).debug:
                raise
            say_error(
                f"unexpected {type(exc).__name__}: this is a bug in campaign-guard; "
                "rerun with --debug and report it"
            )
            raise typer.Exit(int(ExitCode.INTERNAL)) from None
