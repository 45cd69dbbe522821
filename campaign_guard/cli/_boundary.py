"""The one place where errors become a message and an exit code."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import ParamSpec, TypeVar

import typer

from campaign_guard.errors import CampaignGuardError, ExitCode
from campaign_guard.safe_text import one_line

P = ParamSpec("P")
R = TypeVar("R")

DEBUG = {"enabled": False}
"""Set by ``--debug``: unexpected errors then show their traceback."""


def say_error(message: str) -> None:
    """One ``error:`` line on stderr, however many lines the values in ``message`` hold
    (see :mod:`campaign_guard.safe_text`)."""
    sys.stderr.write(f"error: {one_line(message)}\n")


def say_warning(message: str) -> None:
    """One ``warning:`` line on stderr, as :func:`say_error`."""
    sys.stderr.write(f"warning: {one_line(message)}\n")


def guarded(command: Callable[P, R]) -> Callable[P, R]:
    """Run ``command``; turn expected errors into one line and a documented exit code.

    Unexpected errors are bugs: they get a different exit code and a hint to rerun with
    ``--debug``. Tracebacks never show local variables (they could hold a token).
    """

    @functools.wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except typer.Exit:
            raise
        except CampaignGuardError as exc:
            say_error(str(exc))
            raise typer.Exit(int(exc.exit_code)) from None
        except KeyboardInterrupt:
            say_error("interrupted")
            raise typer.Exit(int(ExitCode.INTERRUPTED)) from None
        except Exception as exc:
            if DEBUG["enabled"]:
                raise
            say_error(
                f"unexpected {type(exc).__name__}: this is a bug in campaign-guard; "
                "rerun with --debug and report it"
            )
            raise typer.Exit(int(ExitCode.INTERNAL)) from None

    return wrapper
