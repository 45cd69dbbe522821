"""Retries show as ``note:`` lines on a terminal, and nowhere else."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator

import pytest

from campaign_guard.cli._boundary import DEBUG, progress_notes


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


@pytest.mark.parametrize(("tty", "shown"), [(True, True), (False, False)])
def test_notes_only_on_a_terminal(monkeypatch: pytest.MonkeyPatch, tty: bool, shown: bool) -> None:
    stderr = Terminal(tty)
    monkeypatch.setattr("sys.stderr", stderr)
    monkeypatch.setitem(DEBUG, "enabled", False)
    progress_notes()
    log = logging.getLogger("campaign_guard.tracker.transport")
    log.info("Jira did not answer %s (%s); trying again in %.0f s", "GET /x", "HTTP 503", 4.0)
    log.debug("Jira GET /x (attempt 2)")
    expected = "note: Jira did not answer GET /x (HTTP 503); trying again in 4 s\n"
    assert stderr.getvalue() == (expected if shown else "")
