"""What a command waits for shows as a status line on a terminal, and nowhere else."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator

import pytest

from campaign_guard.cli.boundary import RunOptions
from campaign_guard.cli.progress import Waiting, waiting_status


class Terminal(io.StringIO):
    def __init__(self, tty: bool) -> None:
        super().__init__()
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty


@pytest.fixture(autouse=True)
def _restore_logger() -> Iterator[None]:
    logger = logging.getLogger("campaign_guard")
    saved = (logger.handlers[:], logger.level, logger.propagate)
    yield
    logger.handlers[:], logger.level, logger.propagate = saved[0], saved[1], saved[2]


@pytest.mark.parametrize("tty", [True, False])
def test_the_status_line_shows_the_wait_on_a_terminal_only(
    monkeypatch: pytest.MonkeyPatch, tty: bool
) -> None:
    stderr = Terminal(tty)
    monkeypatch.setattr("sys.stderr", stderr)
    monkeypatch.setenv("TERM", "xterm")
    logger = logging.getLogger("campaign_guard")
    before = logger.handlers[:]
    with waiting_status(RunOptions()):
        log = logging.getLogger("campaign_guard.jira.filing")
        log.info("looking for the ticket again in %.0f s", 5.0, extra={"wait_seconds": 5.0})
        log.debug("Jira GET /x (attempt 2)")
    assert logger.handlers == before  # the logger is put back
    shown = stderr.getvalue()
    if tty:
        assert "looking for the ticket again in 5 s" in shown
        assert "attempt 2" not in shown
    else:
        assert shown == ""


def test_the_wait_counts_down_then_says_it_is_asking_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    clock = [100.0]
    monkeypatch.setattr("campaign_guard.cli.progress.time.monotonic", lambda: clock[0])
    waiting = Waiting()
    waiting.text, waiting.until = "Jira is busy; trying again in 7 s", 107.0
    clock[0] = 103.2
    assert str(waiting) == "Jira is busy; trying again in 7 s (4 s)"
    clock[0] = 107.5
    assert str(waiting) == "Jira is busy; trying again in 7 s: asking Jira now…"


def test_the_status_line_shows_what_jira_sent_as_escapes() -> None:
    waiting = Waiting()
    waiting.text = "Jira says: busy\x1b]52;c;cHduZWQ=\x07\n::warning::pwned"
    assert (
        waiting.__rich__() == "Jira says: busy\\x1b]52;c;cHduZWQ=\\x07\\n:\\x3awarning:\\x3apwned"
    )
