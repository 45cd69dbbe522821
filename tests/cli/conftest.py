"""Fixtures of the CLI tests that talk to the fake Jira."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

from testing.fake_jira import FakeJira, running


@pytest.fixture(params=[True, False], ids=["cloud", "dc"])
def fake(request: pytest.FixtureRequest) -> Iterator[FakeJira]:
    """A fake Jira Cloud, then Data Center, on 127.0.0.1."""
    with running(cloud=request.param) as jira:
        yield jira


@pytest.fixture
def debug_log() -> Iterator[None]:
    """Put back what ``--debug`` changes in this process: the ``campaign_guard`` logger."""
    logger = logging.getLogger("campaign_guard")
    saved = logger.handlers[:], logger.level, logger.propagate
    yield
    logger.handlers[:], logger.level, logger.propagate = saved[0], saved[1], saved[2]
