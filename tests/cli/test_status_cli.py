"""``status``'s outputs: the table at 80 and 120 columns (goldens), the plain and JSON
forms, what ``--require approved`` says, hostile text from Jira, and the command line's
refusals."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from campaign_guard.cli.console import make_console
from campaign_guard.cli.status import PLAIN_COLUMNS, not_approved_text, plain_text, print_table
from campaign_guard.status import SpecStatus, StatusReport
from tests.conftest import RunCli
from tests.golden import assert_golden

GOLDEN = Path(__file__).parent / "golden"
SITE = "https://example.atlassian.net/browse/"
HOSTILE = "Mallory\x1b[31m\u202e\nOps\tX"


def _spec(state: str, n: int, **more: object) -> SpecStatus:
    ticket: dict[str, object] = {
        "key": f"OPS-{n}",
        "url": f"{SITE}OPS-{n}",
        "ticket_status": "In Review",
    }
    fields: dict[str, object] = {} if state == "no ticket" else ticket
    return SpecStatus(
        **{  # type: ignore[arg-type]
            "path": f"campaigns/campaign-{n}.yaml",
            "campaign": f"Campaign {n}",
            "campaign_id": f"campaign-{n}",
            "state": state,
            **fields,
            **more,
        }
    )


def sample() -> StatusReport:
    decided = {"reviewer": "Dana Ops", "decided_at": "2027-11-02T09:14:00+00:00"}
    specs = (
        _spec("approved", 1, decision="approve", **decided),
        _spec("approval out of date", 2, decision="approve", **decided),
        _spec("waiting for review", 3),
        _spec("no ticket", 4),
        _spec("changed since submit", 5, spec_checked=True),
        _spec("rejected", 6, decision="reject", reviewer=HOSTILE, decided_at="2027-11-03"),
        _spec(
            "changes requested",
            7,
            decision="request-changes",
            spec_checked=False,
            duplicates=("OPS-17",),
            **decided,
        ),
    )
    return StatusReport(specs, "OPS", ("project = OPS",), 1)


@pytest.mark.parametrize("width", [80, 120])
def test_table(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], width: int
) -> None:
    monkeypatch.setenv("COLUMNS", str(width))
    print_table(sample(), make_console("never"))
    out = capsys.readouterr().out
    assert "\u202e" not in out
    assert "\x1b" not in out
    assert max(len(line) for line in out.splitlines()) <= width
    assert "\n1 of 7 approved as the spec stands now.\nNext steps:\n" in out
    assert_golden(out, GOLDEN / f"status-{width}.txt")


def test_plain_is_one_safe_line_per_spec() -> None:
    lines = plain_text(sample()).splitlines()
    assert lines[0].split("\t") == list(PLAIN_COLUMNS)
    records = [dict(zip(PLAIN_COLUMNS, line.split("\t"), strict=True)) for line in lines[1:]]
    assert [r["state"] for r in records] == [s.state for s in sample().specs]
    rejected = records[5]
    assert "\x1b" not in rejected["reviewer"]
    assert "\u202e" not in rejected["reviewer"]
    assert rejected["todo"].startswith("read why on OPS-6")
    assert records[3]["todo"] == "run `campaign-guard submit campaigns/campaign-4.yaml`"
    assert records[3]["key"] == ""


def test_json_shape() -> None:
    document = json.loads(json.dumps(sample().to_json()))
    assert set(document) == {"project", "all_approved", "requests", "specs"}
    assert document["all_approved"] is False
    first = document["specs"][0]
    assert set(first) == {
        "path", "campaign", "campaign_id", "state", "approved", "key", "url",
        "ticket_status", "decision", "reviewer", "decided_at", "spec_checked",
        "duplicates", "todo",
    }  # fmt: skip
    assert (first["approved"], first["todo"]) == (True, None)
    assert document["specs"][6]["duplicates"] == ["OPS-17"]


def test_what_require_approved_says() -> None:
    text = not_approved_text(sample())
    lines = text.splitlines()
    assert lines[0] == "error: 6 of 7 campaigns are not approved:"
    assert (
        lines[1]
        == "  campaigns/campaign-2.yaml: approval out of date: ask DevOps to review OPS-2 again"
    )
    assert lines[3] == (
        "  campaigns/campaign-4.yaml: no ticket: "
        "run `campaign-guard submit campaigns/campaign-4.yaml`"
    )
    assert len(lines) == 7


def test_a_path_with_a_space_is_quoted_in_the_advice() -> None:
    spec = SpecStatus("my campaigns/a b.yaml", "A", "a", "no ticket")
    assert spec.todo == "run `campaign-guard submit 'my campaigns/a b.yaml'`"


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["x.yaml", "--require", "everything"], "--require takes approved"),
        (["x.yaml", "--plain", "--json"], "choose one of"),
        (["missing.yaml"], "no such file or folder"),
    ],
)
def test_wrong_command_lines_exit_2_with_one_line(
    cli: RunCli,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    args: list[str],
    says: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "x.yaml").write_text("name: x\n", encoding="utf-8")
    code, out, err = cli("status", *args)
    assert (code, out) == (2, ""), err
    assert err.count("\n") == 1, err
    assert says in err, err


def test_without_a_jira_section_it_is_exit_3(
    cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    spec = Path(__file__).resolve().parents[2] / "examples" / "campaigns" / "winter-newsletter.yaml"
    (tmp_path / "s.yaml").write_bytes(spec.read_bytes())
    code, out, err = cli("status", "s.yaml", "--require", "approved")
    assert (code, out) == (3, ""), err
    assert err.startswith("error: status needs a project file with a jira: section"), err
    assert err.count("\n") == 1, err
