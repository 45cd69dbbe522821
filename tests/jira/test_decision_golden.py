"""The decision comment as Jira gets it (``templates/review-decision.jira.j2``, wiki
markup): approve, reject with a reason, request changes with a note, on the Black Friday
example with a frozen clock; and hostile words, escaped and bounded."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from campaign_guard.jira.decision import TEXT_LIMIT, DecisionRequest, marker, plan_decision
from campaign_guard.jira.markup import wiki_escape
from campaign_guard.jira.snapshot import Snapshot
from campaign_guard.review.cases import decision_renderer
from campaign_guard.review.rows import QueueRow, queue_rows
from campaign_guard.spec.capacity import CapacityProfile
from tests.golden import assert_golden
from tests.test_reviewing import LA, NOW, SITE, item, profile, spec_text

GOLDEN = Path(__file__).parent / "golden"
DIGEST = "d" * 64
HOSTILE = (
    "{noformat}{code}[click here|javascript:alert(1)] <script>alert(1)</script> "
    "\u202eesrever\u202c h1. loud [~admin] !https://evil.example/x.png!"
)
__all__ = ["profile"]  # the fixture, shared


def _row(profile: CapacityProfile, name: str = "Black Friday Flash Sale") -> QueueRow:
    ticket = item(
        "OPS-7", name, spec=spec_text("black-friday-flash-sale.yaml"), verdict="ok", digest=DIGEST
    )
    rows = queue_rows(
        [ticket], site=SITE, profile=profile, now=NOW, reader_zone=LA, with_actions=True
    )
    return rows[0]


def _comment(row: QueueRow, request: DecisionRequest) -> str:
    snapshot = Snapshot("black-friday-flash-sale", {}, DIGEST)
    render = decision_renderer(row, row.now, None)
    plan = plan_decision(request, snapshot=snapshot, recorded=None, render=render)
    assert plan.comment is not None
    assert plan.comment.endswith(f"_{plan.marker}_\n")
    return plan.comment


@pytest.mark.parametrize(
    ("decision", "reason", "note"),
    [
        ("approve", None, "pre-scale web to 5 by 11:30 CET; watch checkout"),
        ("reject", "launches during the change freeze (26-28 Nov)", None),
        ("request-changes", "give the send window", "split the push into two waves?"),
    ],
)
def test_the_decision_comments(
    profile: CapacityProfile, decision: str, reason: str | None, note: str | None
) -> None:
    request = DecisionRequest(decision, "Dana Ops", reason=reason, note=note, at=NOW)  # type: ignore[arg-type]
    text = _comment(_row(profile), request)
    assert_golden(text, GOLDEN / f"decision-{decision}.jira")


def test_hostile_words_are_escaped(profile: CapacityProfile) -> None:
    request = DecisionRequest(
        "reject", f"Dana {HOSTILE}", reason=HOSTILE, note=f"{HOSTILE}\nsecond line", at=NOW
    )
    text = _comment(_row(profile, name=f"Flash {HOSTILE}"), request)
    # no macro, link, mention or image: every markup character is backslash-escaped
    assert re.search(r"(?<!\\)[\[\]{}|!]", text) is None
    assert "\u202e" not in text
    assert "\u202c" not in text
    assert "https://" not in text
    assert "\nh1." not in text
    assert_golden(text, GOLDEN / "decision-hostile.jira")


def test_ten_thousand_characters_are_bounded(profile: CapacityProfile) -> None:
    long = "{noformat}" + "a" * 10_000
    request = DecisionRequest("request-changes", "Dana Ops", reason=long, note=long, at=NOW)
    text = _comment(_row(profile), request)
    kept = wiki_escape(long[:TEXT_LIMIT])
    assert f"*Reason:* {kept}\n" in text
    assert f"*Note:* {kept}\n" in text
    assert "a" * (TEXT_LIMIT + 1) not in text
    assert len(text) < 3 * TEXT_LIMIT + 3_000
    assert wiki_escape(marker("")) in text
