"""What a command is waiting for, shown on a terminal while it waits.

Waits are logged by the core (``logging``, INFO, with ``extra={"wait_seconds": …}``):
a retry after a busy Jira, a new ticket Jira has not confirmed yet. On a terminal,
:func:`waiting_status` turns them into one Rich status line that counts down and goes
away when the command ends. Where stderr is a pipe or a file (CI, scripts) nothing is
shown: there the one ``error:`` line, or nothing, is the whole story. ``--debug`` logs
every request instead.
"""

from __future__ import annotations

import contextlib
import logging
import sys
import time
from collections.abc import Iterator
from typing import TYPE_CHECKING

from campaign_guard.cli.boundary import RunOptions
from campaign_guard.safe_text import one_line

if TYPE_CHECKING:
    from rich.status import Status


class Waiting:
    """The status line's text: the last wait, with the seconds it has left."""

    def __init__(self) -> None:
        self.text = ""
        self.until: float | None = None

    def __str__(self) -> str:
        if self.until is None:
            return self.text
        left = self.until - time.monotonic()
        if left <= 0:
            return f"{self.text.rstrip('.')}: asking Jira now…"
        return f"{self.text} ({left:.0f} s)"

    def __rich__(self) -> str:
        return one_line(str(self))


class StatusHandler(logging.Handler):
    """Shows each INFO record as the status line (started at the first one)."""

    def __init__(self, status: Status, waiting: Waiting) -> None:
        super().__init__(logging.INFO)
        self.status = status
        self.waiting = waiting
        self.started = False

    def emit(self, record: logging.LogRecord) -> None:
        seconds = getattr(record, "wait_seconds", None)
        self.waiting.text = record.getMessage()
        self.waiting.until = (
            time.monotonic() + float(seconds) if isinstance(seconds, int | float) else None
        )
        if not self.started:
            self.status.start()
            self.started = True


@contextlib.contextmanager
def waiting_status(options: RunOptions) -> Iterator[None]:
    """Within the block, show on a terminal what the command is waiting for (not with
    ``--debug``, whose log lines say it)."""
    if options.debug or not sys.stderr.isatty():
        yield
        return
    from rich.status import Status

    from campaign_guard.cli.console import make_console

    waiting = Waiting()
    status = Status(waiting, console=make_console(stderr=True))
    handler = StatusHandler(status, waiting)
    logger = logging.getLogger("campaign_guard")
    saved = logger.handlers[:], logger.level, logger.propagate
    logger.handlers[:] = [handler]
    logger.setLevel(logging.INFO)
    logger.propagate = False
    try:
        yield
    finally:
        status.stop()
        logger.handlers[:] = saved[0]
        logger.setLevel(saved[1])
        logger.propagate = saved[2]
