"""The review screen in the terminal: goldens for the examples, and hostile names as text.

Rewrite the goldens with ``CG_UPDATE_GOLDEN=1`` after an intended change, and read the diff.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime, timezone
from pathlib import Path

import pytest

import campaign_guard as cg
from campaign_guard.cli.review_view import show
from tests.conftest import REPO_ROOT
from tests.golden import assert_golden
from tests.test_review_ticket import flash_sales
from tests.test_review_ticket import run as ticket_run

GOLDEN = Path(__file__).parent / "golden"
EXAMPLES = REPO_ROOT / "examples"
SPECS = sorted((EXAMPLES / "campaigns").glob("*.yaml"))
PROFILE = EXAMPLES / "capacity" / "production.yaml"
NOW = datetime(2027, 1, 4, 9, tzinfo=timezone.utc)


def _shown(
    screen: cg.ReviewScreen,
    width: int,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    ticket: cg.TicketReview | None = None,
) -> str:
    monkeypatch.setenv("COLUMNS", str(width))
    show(screen, "never", ticket)
    return capsys.readouterr().out


@pytest.mark.parametrize("width", [80, 120])
@pytest.mark.parametrize("spec", SPECS, ids=[p.stem for p in SPECS])
def test_each_example_reviewed_against_production_with_the_others_in_its_window(
    spec: Path, width: int, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    screen = cg.review_screen(
        spec, others=SPECS, capacity=PROFILE, now=NOW, lead_time=3, reader_zone=timezone.utc
    )
    out = _shown(screen, width, monkeypatch, capsys)
    assert max(len(line) for line in out.splitlines()) <= width
    assert_golden(out, GOLDEN / f"review-{spec.stem}-{width}.txt")


@pytest.mark.parametrize("width", [80, 120])
def test_a_ticket_shows_what_jira_holds_and_a_changed_verdict(
    width: int, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    found = ticket_run(flash_sales())  # OPS-7 says ok on the ticket; today it is over
    out = _shown(found.screen, width, monkeypatch, capsys, found)
    assert max(len(line) for line in out.splitlines()) <= width
    flat = " ".join(out.split())
    assert "Changed since submit: the ticket says ok, today's capacity profile says" in flat
    assert "other tickets summed in: OPS-8" in flat
    assert "not counted: OPS-9" in flat
    assert "on call at launch: Dana Ops <dana@example.com>" in flat
    assert_golden(out, GOLDEN / f"review-ticket-{width}.txt")


def test_every_status_is_a_word_not_only_a_colour(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    spring = EXAMPLES / "campaigns" / "spring-tv-launch.yaml"
    out = _shown(cg.review_screen(spring, capacity=PROFILE, now=NOW), 120, monkeypatch, capsys)
    for word in ("MEDIUM RISK", "OK", "TIGHT", "QUEUES", "PASS"):
        assert word in out
    flash = EXAMPLES / "campaigns" / "black-friday-flash-sale.yaml"
    out = _shown(cg.review_screen(flash, capacity=PROFILE, now=NOW), 120, monkeypatch, capsys)
    for word in ("SCALE", "FAIL"):
        assert word in out


HOSTILE = "[red]Sale[/red] \x1b[2J\u202eevil\u202c"


def test_hostile_names_render_as_text(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    screen = cg.review_screen(SPECS[0], capacity=PROFILE, now=NOW)
    loads = [
        dataclasses.replace(load, name=HOSTILE, contributors=(screen.name, HOSTILE))
        for load in screen.loads
    ]
    actions = [dataclasses.replace(a, target=HOSTILE) for a in screen.actions]
    hostile = dataclasses.replace(
        screen,
        name=HOSTILE,
        sentence=HOSTILE,
        owner=HOSTILE,
        loads=loads,
        actions=actions,
        ticket=HOSTILE,
    )
    out = _shown(hostile, 120, monkeypatch, capsys)
    assert "[red]Sale[/red]" in out
    for raw in ("\x1b", "\u202e", "\u202c"):
        assert raw not in out
