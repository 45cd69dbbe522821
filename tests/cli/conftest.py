"""Fixtures of the CLI tests that talk to the fake Jira."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from testing.fake_jira import FakeJira, running


@pytest.fixture(params=[True, False], ids=["cloud", "dc"])
def fake(request: pytest.FixtureRequest) -> Iterator[FakeJira]:
    """A fake Jira Cloud, then Data Center, on 127.0.0.1."""
    with running(cloud=request.param) as jira:
        yield jira
