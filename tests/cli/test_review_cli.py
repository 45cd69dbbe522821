"""``review``'s outputs: the queue table at 80 and 120 columns (goldens), the plain,
CSV and JSON forms, and the command line's refusals."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from pathlib import Path

import pytest

from campaign_guard.cli.console import make_console
from campaign_guard.cli.review import (
    PLAIN_COLUMNS,
    csv_text,
    plain_text,
    print_table,
    queue_json,
)
from campaign_guard.review.cases import ReviewQueue
from campaign_guard.spec.capacity import CapacityProfile
from tests.conftest import RunCli
from tests.golden import assert_golden
from tests.test_reviewing import profile, sample

GOLDEN = Path(__file__).parent / "golden"
__all__ = ["profile"]  # the fixture, shared


def _queue(profile: CapacityProfile) -> ReviewQueue:
    rows = tuple(sample(profile))
    return ReviewQueue(
        rows, "OPS", "project = OPS", 1, "America/Los_Angeles", "capacity/production.yaml"
    )


@pytest.mark.parametrize("width", [80, 120])
def test_queue_table(
    profile: CapacityProfile,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    width: int,
) -> None:
    monkeypatch.setenv("COLUMNS", str(width))
    console = make_console("never")
    print_table(_queue(profile), console)
    out = capsys.readouterr().out
    assert "\u202e" not in out
    assert "\x1b" not in out
    assert max(len(line) for line in out.splitlines()) <= width
    assert_golden(out, GOLDEN / f"review-queue-{width}.txt")


def test_plain_is_one_tab_separated_line_per_ticket(profile: CapacityProfile) -> None:
    queue = _queue(profile)
    lines = plain_text(queue).splitlines()
    assert lines[0].split("\t") == list(PLAIN_COLUMNS)
    records = [line.split("\t") for line in lines[1:]]
    assert [r[0] for r in records] == ["OPS-7", "OPS-8", "OPS-9", "OPS-10"]
    assert all(len(r) == len(PLAIN_COLUMNS) for r in records)
    by_key = {r[0]: dict(zip(PLAIN_COLUMNS, r, strict=True)) for r in records}
    assert by_key["OPS-7"]["overlaps"] == "OPS-8,OPS-9"
    assert by_key["OPS-8"]["decision_state"] == "stale"
    assert "\u202e" not in by_key["OPS-9"]["campaign"]
    assert by_key["OPS-9"]["verdict_now"] == ""


def test_plain_escapes_a_tab_in_a_value_so_the_columns_hold(profile: CapacityProfile) -> None:
    rows = tuple(sample(profile))
    tabbed = dataclasses.replace(rows[0], campaign="Spring\tSale")
    queue = dataclasses.replace(_queue(profile), rows=(tabbed, *rows[1:]))
    first = plain_text(queue).splitlines()[1].split("\t")
    assert len(first) == len(PLAIN_COLUMNS)
    assert dict(zip(PLAIN_COLUMNS, first, strict=True))["campaign"] == "Spring\\tSale"
    rows_csv = list(csv.reader(io.StringIO(csv_text(queue))))
    assert rows_csv[1][PLAIN_COLUMNS.index("campaign")] == "Spring\tSale"  # CSV quotes it


def test_csv_and_json_hold_the_same_rows(profile: CapacityProfile) -> None:
    queue = _queue(profile)
    rows = list(csv.reader(io.StringIO(csv_text(queue))))
    assert rows[0] == list(PLAIN_COLUMNS)
    assert len(rows) == 5
    document = json.loads(json.dumps(queue_json(queue)))
    assert [t["key"] for t in document["tickets"]] == [r[0] for r in rows[1:]]
    assert document["tickets"][2]["verdict_now_unknown_because"].startswith("no spec kept")


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--approve"], "needs the ticket's key"),
        (["OPS-1", "--approve", "--reject", "--reason", "x"], "exactly one of"),
        (["OPS-1", "--reject"], "--reject needs --reason"),
        (["OPS-1", "--request-changes", "--reason", " "], "--request-changes needs --reason"),
        (["OPS-1", "-s", "Open"], "filter the queue"),
        (["OPS-1", "--plain"], "are for the queue"),
        (["OPS-1", "--dry-run"], "go with --approve"),
        (["--plain", "--json"], "choose one of"),
        (["ops-1", "--approve"], "is not a Jira issue key"),
        (["OPS-1", "--approve", "--with", "other.yaml"], "--with goes with a review screen"),
        (["OPS-1", "--as-of", "2027-01-04"], "--as-of goes with a spec file"),
    ],
)
def test_wrong_command_lines_exit_2_with_one_line(
    cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], says: str
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "campaign-guard.yaml").write_text(
        "jira:\n  site: https://example.atlassian.net\n  project: OPS\n", encoding="utf-8"
    )
    code, out, err = cli("review", *args, env={"JIRA_EMAIL": "a@b.c", "JIRA_API_TOKEN": "t"})
    assert (code, out) == (2, ""), err
    assert err.count("\n") == 1, err
    assert says in err, err


def test_without_a_jira_section_review_says_where_to_add_it(
    cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "campaign-guard.yaml").write_text("lint:\n  lead_time_business_days: 5\n", "utf-8")
    code, out, err = cli("review")
    assert (code, out) == (3, "")
    assert err.startswith("error: ")
    assert "no jira: section" in err
    assert err.count("\n") == 1


def test_missing_credentials_are_named_and_never_echoed(
    cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "campaign-guard.yaml").write_text(
        "jira:\n  site: https://jira.example.com\n  project: OPS\n", encoding="utf-8"
    )
    code, out, err = cli("review", env={"JIRA_PAT": None})
    assert (code, out) == (3, "")
    assert "JIRA_PAT" in err
    assert err.count("\n") == 1
