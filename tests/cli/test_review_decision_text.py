"""What ``review KEY --approve|--reject|--request-changes`` prints: goldens at 80 and
120 columns for a decision recorded with its transition, a dry run of a rejection (the
comment shown as a block), changes requested with no transition configured, the same
approval again, and a dry run with hostile words (shown escaped, never as terminal
controls).

The lines are not wrapped to the terminal (a copied comment keeps its lines), so both
widths must give the same golden. The decision itself is the API's
(:func:`campaign_guard.api.review_decide`, here answered with a prepared outcome).
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest

import campaign_guard.api
from campaign_guard.jira.decision import DecisionRequest, plan_decision
from campaign_guard.jira.snapshot import Snapshot
from campaign_guard.review.cases import DecisionOutcome, decision_renderer
from campaign_guard.review.rows import QueueRow
from campaign_guard.spec.capacity import CapacityProfile
from tests.conftest import RunCli
from tests.golden import assert_golden
from tests.jira.test_decision_golden import DIGEST, HOSTILE, _row
from tests.test_reviewing import NOW, profile

GOLDEN = Path(__file__).parent / "golden"
__all__ = ["profile"]  # the fixture, shared


def _outcome(row: QueueRow, request: DecisionRequest, **changes: Any) -> DecisionOutcome:
    snapshot = Snapshot("black-friday-flash-sale", {}, DIGEST)
    render = decision_renderer(row, row.now, None)
    plan = plan_decision(request, snapshot=snapshot, recorded=None, render=render)
    wrote = {"commented": True, "property_written": True, "transitioned": False}
    unset = dict.fromkeys(("transition", "to_status", "transition_note"))
    fields: dict[str, Any] = {
        **wrote,
        **unset,
        "key": "OPS-7",
        "url": "https://example.atlassian.net/browse/OPS-7",
        "decision": request.decision,
        "dry_run": False,
        "state": plan.state,
        "comment": plan.comment,
        "property_value": plan.property_value,
        "row": row,
        "requests": 8,
    }
    done = DecisionOutcome(**fields)
    return dataclasses.replace(done, **changes)


def _cases(row: QueueRow) -> list[tuple[list[str], DecisionOutcome]]:
    approve = DecisionRequest("approve", "Dana Ops", note="pre-scale web", at=NOW)
    reject = DecisionRequest("reject", "Dana Ops", reason="change freeze", at=NOW)
    changes = DecisionRequest("request-changes", "Dana Ops", reason="send window", at=NOW)
    hostile = DecisionRequest(
        "reject", "Dana Ops", reason=f"{HOSTILE}\x1b[31m red \x07", note="\u2067x\u2069", at=NOW
    )
    recorded = {"transition": "'Approve' (21)", "to_status": "Approved", "transitioned": True}
    dry = {"dry_run": True, "commented": False, "property_written": False}
    return [
        (["--approve", "--note", "pre-scale web"], _outcome(row, approve, **recorded)),
        (
            ["--reject", "--reason", "change freeze", "--dry-run"],
            _outcome(row, reject, transition="'Reject' (31)", to_status="Rejected", **dry),
        ),
        (
            ["--request-changes", "--reason", "send window"],
            _outcome(
                row,
                changes,
                state="changed",
                comment=None,
                commented=False,
                transition_note="no transition is configured for request-changes "
                "(jira.review.transitions.request_changes): the ticket's status was left as "
                "it is",
            ),
        ),
        (
            ["--approve", "--note", "pre-scale web"],
            _outcome(
                row,
                approve,
                state="same",
                comment=None,
                commented=False,
                property_value=None,
                property_written=False,
                requests=3,
            ),
        ),
        (["--reject", "--reason", "(hostile)", "--dry-run"], _outcome(row, hostile, **dry)),
    ]


@pytest.mark.parametrize("width", [80, 120])
def test_decision_output(
    cli: RunCli,
    profile: CapacityProfile,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    width: int,
) -> None:
    monkeypatch.chdir(tmp_path)
    shown: list[str] = []
    for args, outcome in _cases(_row(profile)):
        monkeypatch.setattr(campaign_guard.api, "review_decide", lambda *_a, o=outcome, **_k: o)
        code, out, err = cli("review", "OPS-7", *args, env={"COLUMNS": str(width)})
        assert code == 0, err
        assert "\x1b" not in out + err
        assert "\u202e" not in out + err
        assert "\u2067" not in out + err
        shown.append(f"$ campaign-guard review OPS-7 {' '.join(args)}\n{err}{out}")
    assert_golden("\n".join(shown), GOLDEN / "review-decisions.txt")
