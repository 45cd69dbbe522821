"""The review queue's rows: verdicts now from the kept spec, overlaps, stale decisions."""

from __future__ import annotations

from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from campaign_guard.api import load_profile
from campaign_guard.jira.decision import Decision, DecisionRecord
from campaign_guard.jira.queue import QueueItem, QueueUser, SubmissionInfo, with_properties
from campaign_guard.jira.snapshot import PROPERTY_KEY, Snapshot
from campaign_guard.review.rows import QueueRow, queue_rows, reestimate
from campaign_guard.spec.capacity import CapacityProfile
from tests.conftest import REPO_ROOT

EXAMPLES = REPO_ROOT / "examples"
NOW = datetime(2027, 11, 1, 10, 0, tzinfo=timezone.utc)
SITE = "https://example.atlassian.net"
LA = ZoneInfo("America/Los_Angeles")


def spec_text(name: str, **replace: str) -> str:
    text = (EXAMPLES / "campaigns" / name).read_text(encoding="utf-8")
    for old, new in replace.items():
        assert old in text
        text = text.replace(old, new)
    return text


def decision(verdict: str, digest: str) -> DecisionRecord:
    return DecisionRecord(
        Decision(verdict, "Sam Ops", "2027-10-30T09:00:00+00:00", digest)  # type: ignore[arg-type]
    )


def item(
    key: str,
    name: str,
    *,
    spec: str | None,
    verdict: str | None = "ok",
    due: str | None = None,
    status: str = "Open",
    assignee: str | None = "Dana Ops",
    digest: str = "d" * 64,
    record: DecisionRecord | None = None,
) -> QueueItem:
    return QueueItem(
        key=key,
        id=key[4:],
        summary=f"Campaign launch: {name}",
        status=status,
        status_category="new",
        assignee=QueueUser(assignee) if assignee else None,
        labels=("marketing-campaign",),
        created="",
        updated="",
        launch_date=due,
        submission=SubmissionInfo(
            campaign_id=name.lower().replace(" ", "-"),
            launch=None,
            verdict="Today's capacity holds.",
            spec_digest=digest,
            verdict_word=verdict,
            spec_text=spec,
            name=name,
        ),
        decision=record,
    )


@pytest.fixture(scope="module")
def profile() -> CapacityProfile:
    return load_profile(EXAMPLES / "capacity" / "production.yaml")


def sample(profile: CapacityProfile) -> list[QueueRow]:
    """Four tickets: two overlapping flash sales (one decision stale, one verdict changed),
    a ticket submitted before specs were kept (with a hostile name), and the newsletter."""
    friday = spec_text("black-friday-flash-sale.yaml")
    push = spec_text(
        "black-friday-flash-sale.yaml",
        **{"name: Black Friday Flash Sale": "name: Black Friday App Push"},
    )
    items = [
        item("OPS-10", "Winter Newsletter 2027", spec=spec_text("winter-newsletter.yaml"),
             status="In Review", assignee=None),
        item("OPS-7", "Black Friday Flash Sale", spec=friday, verdict="overload",
             record=decision("approve", "d" * 64)),
        item("OPS-8", "Black Friday App Push", spec=push, digest="e" * 64,
             record=decision("approve", "d" * 64)),
        item("OPS-9", "Spring \u202elaunch\x1b[31m", spec=None, due="2027-11-26", verdict=None),
    ]  # fmt: skip
    return queue_rows(items, site=SITE, profile=profile, now=NOW, reader_zone=LA)


def test_rows_are_in_launch_order_with_their_overlaps(profile: CapacityProfile) -> None:
    rows = {r.key: r for r in sample(profile)}
    assert [r.key for r in sample(profile)] == ["OPS-7", "OPS-8", "OPS-9", "OPS-10"]
    assert rows["OPS-7"].overlaps == ("OPS-8", "OPS-9")
    assert rows["OPS-8"].overlaps == ("OPS-7", "OPS-9")
    # only its launch day is known (no spec kept): the whole day, UTC
    assert rows["OPS-9"].overlaps == ("OPS-7", "OPS-8")
    assert rows["OPS-10"].overlaps == ()
    assert rows["OPS-7"].launch == datetime(2027, 11, 26, 12, tzinfo=ZoneInfo("Europe/Paris"))
    assert rows["OPS-7"].days_left == 25
    assert rows["OPS-7"].url == f"{SITE}/browse/OPS-7"


def test_verdict_now_decision_state_and_why_unknown(profile: CapacityProfile) -> None:
    rows = {r.key: r for r in sample(profile)}
    friday = rows["OPS-7"]
    assert friday.now.verdict is not None
    assert friday.verdict_changed is (friday.now.verdict != "overload")
    assert rows["OPS-8"].verdict_changed is (rows["OPS-8"].now.verdict != "ok")
    assert (friday.decision, friday.decision_state) == ("approve", "current")
    assert rows["OPS-8"].decision_state == "stale"
    assert rows["OPS-10"].decision_state == "none"
    old = rows["OPS-9"]
    assert old.now.verdict is None
    assert not old.verdict_changed
    assert "filed by an earlier version, or too large to keep" in (old.now.why_unknown or "")


def test_without_a_profile_the_verdict_now_is_unknown_and_says_why() -> None:
    one = item("OPS-1", "Winter", spec=spec_text("winter-newsletter.yaml"))
    found = reestimate(one, None)
    assert found.verdict is None
    assert found.why_unknown == "no capacity profile configured"
    assert found.spec is not None  # the launch is still known


def test_a_kept_spec_that_no_longer_validates_is_said(profile: CapacityProfile) -> None:
    broken = item("OPS-1", "W", spec="schema_version: 1\nname: W\nunknown_key: 3\n")
    assert "not valid" in (reestimate(broken, profile).why_unknown or "")
    unreadable = item("OPS-1", "W", spec="a: [1\n")
    assert "cannot be read" in (reestimate(unreadable, profile).why_unknown or "")


def test_actions_come_with_the_estimate_when_asked(profile: CapacityProfile) -> None:
    friday = item("OPS-7", "F", spec=spec_text("black-friday-flash-sale.yaml"))
    with_actions = reestimate(friday, profile, with_actions=True)
    assert reestimate(friday, profile).actions == ()
    assert with_actions.verdict in ("ok", "scale", "overload")
    if with_actions.verdict != "ok":
        assert with_actions.actions


def test_the_snapshot_carries_the_spec_and_reads_old_ones() -> None:
    fields: dict[str, str | tuple[str, ...] | None] = {
        "name": "W",
        "launch": "x",
        "channels": (),
        "targets": (),
        "data_fields": (),
    }
    new = Snapshot("w", {**fields, "estimate": None}, "a" * 64, verdict="scale", spec_text="x: 1")
    stored = new.to_json()
    assert (stored["spec"], stored["verdict"]) == ("x: 1", "scale")
    assert Snapshot.from_json(stored) == new
    old = {k: v for k, v in stored.items() if k not in ("spec", "verdict")}
    read = Snapshot.from_json(old)
    assert read is not None
    assert (read.spec_text, read.verdict) == (None, None)
    plain = item("OPS-1", "W", spec=None)
    found = with_properties(plain, {PROPERTY_KEY: stored})
    assert found.submission is not None
    assert found.submission.spec_text == "x: 1"


def test_a_spec_too_large_for_the_property_is_left_out() -> None:
    fields: dict[str, str | tuple[str, ...] | None] = {
        "name": "W",
        "launch": "x",
        "channels": (),
        "targets": (),
        "data_fields": (),
    }
    big = Snapshot("w", {**fields, "estimate": None}, "a" * 64, spec_text="#" * 40_000)
    stored = big.to_json()
    assert "spec" not in stored
    assert stored["fields"] is not None
