"""The cache of issues created lately: bounded, per site, and never in the way."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from campaign_guard.jira.recent import (
    KEEP,
    MAX_AGE_SECONDS,
    Created,
    load,
    recent_file,
    remember,
)

SITE = "https://example.atlassian.net"
NOW = 1_800_000_000.0


def _created(n: int, *, label: str = "cg-a", at: float = NOW) -> Created:
    return Created(str(10000 + n), f"OPS-{n}", "OPS", label, at)


def _now() -> float:
    return NOW


def test_remembered_ids_come_back_newest_first_for_their_campaign(tmp_path: Path) -> None:
    path = recent_file(tmp_path, SITE)
    assert load(path, SITE, now=_now).ids("OPS", "cg-a") == ()
    for n, label in ((1, "cg-a"), (2, "cg-b"), (3, "cg-a")):
        recent = load(path, SITE, now=_now)
        assert remember(recent, _created(n, label=label, at=NOW - 10 + n), now=_now) == ""
    recent = load(path, SITE, now=_now)
    assert recent.problem is None
    assert recent.ids("OPS", "cg-a") == ("10003", "10001")
    assert recent.ids("WEB", "cg-a") == ()


def test_the_file_keeps_only_the_newest_recent_creates(tmp_path: Path) -> None:
    path = recent_file(tmp_path, SITE)
    old = _created(0, at=NOW - MAX_AGE_SECONDS - 1)
    assert remember(load(path, SITE, now=_now), old, now=_now) == ""
    for n in range(1, KEEP + 11):
        assert remember(load(path, SITE, now=_now), _created(n, at=NOW - 1000 + n), now=_now) == ""
    ids = load(path, SITE, now=_now).ids("OPS", "cg-a")
    assert len(ids) == KEEP
    assert ids[0] == str(10000 + KEEP + 10)
    assert str(10000) not in ids  # a day old: long since in the index


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"\xff{", "cannot be read (not valid JSON)"),
        (b"[]", "is not one campaign-guard wrote"),
        (json.dumps({"version": 1, "site": "https://other.atlassian.net"}).encode(), "another"),
    ],
)
def test_an_unusable_file_is_a_problem_not_an_error(
    tmp_path: Path, content: bytes, problem: str
) -> None:
    path = recent_file(tmp_path, SITE)
    path.parent.mkdir(parents=True)
    path.write_bytes(content)
    recent = load(path, SITE, now=_now)
    assert recent.problem is not None
    assert problem in recent.problem
    assert recent.ids("OPS", "cg-a") == ()
    assert remember(recent, _created(1), now=_now) == ""
    assert load(path, SITE, now=_now).ids("OPS", "cg-a") == ("10001",)


def test_damaged_entries_are_dropped_and_the_rest_kept(tmp_path: Path) -> None:
    path = recent_file(tmp_path, SITE)
    path.parent.mkdir(parents=True)
    good = {"id": "10001", "key": "OPS-1", "project": "OPS", "label": "cg-a", "at": NOW}
    bad = [
        {**good, "id": "x1"},
        {**good, "at": True},
        {**good, "label": ""},
        "text",
        {**good, "at": NOW + 3600},  # from the future: a clock that jumped
    ]
    stored = {"version": 1, "site": SITE, "created": [*bad, good]}
    path.write_text(json.dumps(stored), encoding="utf-8")
    assert load(path, SITE, now=_now).ids("OPS", "cg-a") == ("10001",)


def test_a_file_that_cannot_be_written_says_why(tmp_path: Path) -> None:
    blocker = tmp_path / "cache"
    blocker.write_text("not a folder", encoding="utf-8")
    recent = load(recent_file(blocker, SITE), SITE, now=_now)
    problem = remember(recent, _created(1), now=_now)
    assert problem.startswith("the cache file ")
    assert problem.endswith("cannot be written (Not a directory)")
    assert blocker.read_text(encoding="utf-8") == "not a folder"
