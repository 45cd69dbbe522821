"""``campaign-guard review``, installed, against the fake Jira (Cloud and Data Center):
the queue of submitted campaigns, decisions recorded once, transition screens checked
before any write, and a decision gone stale when the spec changes: the re-submit's
comment and output say the decision no longer applies, the queue shows it stale."""

from __future__ import annotations

import re
from datetime import datetime, timezone
from pathlib import Path

from testing.fake_jira import FakeJira
from testing.fake_jira_data import request_changes
from tests.e2e.conftest import SPEC, Project, search_path

DECISION_COMMENT = "Campaign review: "


def _two_campaigns(tmp_path: Path, fake: FakeJira) -> Project:
    """The winter newsletter, and a second campaign with the same launch window."""
    project = Project(tmp_path / "p", fake)
    assert project.submit().result()["action"] == "created"
    project.rename("Winter Push 2027", "winter-push-2027")
    assert project.submit().result()["action"] == "created"
    return project


def _writes(project: Project, run_requests: list[str]) -> list[str]:
    return [r for r in run_requests if not r.startswith("GET ")]


def test_the_queue_lists_two_overlapping_campaigns(tmp_path: Path, fake: FakeJira) -> None:
    project = _two_campaigns(tmp_path, fake)
    run = project.run("review", "--json")
    queue = run.result()
    tickets = {t["key"]: t for t in queue["tickets"]}
    assert sorted(tickets) == ["OPS-1", "OPS-2"]
    assert tickets["OPS-1"]["overlaps"] == ["OPS-2"]
    assert tickets["OPS-2"]["overlaps"] == ["OPS-1"]
    assert {t["campaign"] for t in tickets.values()} == {
        "Winter Newsletter 2027",
        "Winter Push 2027",
    }
    for ticket in tickets.values():
        # estimated again from the spec kept in the snapshot, against the same profile
        assert ticket["verdict_now"] is not None
        assert ticket["verdict_now"] == ticket["verdict_on_ticket"]
        assert ticket["verdict_changed"] is False
        assert ticket["launch"].startswith("2027-12-07T09:00:00-05:00")
        assert ticket["decision"] is None
    # the search, plus each ticket's properties on Data Center: nothing else
    assert len(run.requests) == (1 if fake.cloud else 3)
    assert queue["requests"] == len(run.requests)
    table = project.run("review")
    assert table.code == 0, table.stderr
    assert "OPS-1" in table.stdout
    assert "OPS-2" in table.stdout
    plain = project.run("review", "--plain").stdout.splitlines()
    assert plain[0].split("\t")[0] == "key"
    assert [line.split("\t")[0] for line in plain[1:]] == ["OPS-1", "OPS-2"]


def test_one_ticket_is_reviewed_with_the_other_in_its_window(
    tmp_path: Path, fake: FakeJira
) -> None:
    project = _two_campaigns(tmp_path, fake)
    run = project.run("review", "OPS-1", "--json")
    screen = run.result()
    assert screen["ticket"] == "OPS-1"
    assert screen["tickets_counted"] == ["OPS-2"]
    assert screen["overlapping"] == ["Winter Push 2027"]
    assert screen["on_call"] == {"name": "Dana Ops", "email": "dana@example.com"}
    peaks = {(x["kind"], x["name"]): x["campaigns_at_peak"] for x in screen["loads"]}
    assert any(len(names) == 2 for names in peaks.values())  # the two summed in
    # the ticket, the search of its window (and on Data Center each ticket's properties)
    assert len(run.requests) == (2 if fake.cloud else 4)
    assert screen["requests"] == len(run.requests)
    assert _writes(project, run.routes) == []
    text = project.run("review", "OPS-2")
    assert text.code == 0, text.stderr
    flat = " ".join(text.stdout.split())
    assert "other tickets summed in: OPS-1" in flat
    assert "Changed since submit" not in flat


def test_a_capacity_change_since_submit_is_called_out(tmp_path: Path, fake: FakeJira) -> None:
    project = Project(tmp_path / "p", fake)
    assert project.submit().result()["action"] == "created"
    profile = project.root / "production.yaml"
    text = profile.read_text(encoding="utf-8")
    old = "requests_per_second_per_instance: 120\n    instances: 4\n"
    assert old in text
    profile.write_text(
        text.replace(old, "requests_per_second_per_instance: 5\n    instances: 1\n"),
        encoding="utf-8",
    )
    run = project.run("review", "OPS-1")
    assert run.code == 0, run.stderr
    flat = " ".join(run.stdout.split())
    assert "Changed since submit: the ticket says ok, today's capacity profile says" in flat
    document = project.run("review", "OPS-1", "--json").result()
    assert document["ticket_row"]["verdict_changed"] is True


def test_a_ticket_without_its_spec_is_one_clear_line(tmp_path: Path, fake: FakeJira) -> None:
    project = Project(tmp_path / "p", fake)
    assert project.submit().result()["action"] == "created"
    snapshot = fake.properties["OPS-1"]["campaign-guard.submission"]
    del snapshot["spec"]  # as a snapshot too large to keep the spec, or an older one
    run = project.run("review", "OPS-1")
    assert run.code == 3
    assert run.error().startswith("error: OPS-1: no spec kept on the ticket")
    assert "campaign-guard review path/to/spec.yaml" in run.error()
    snapshot["spec"] = "name: [unclosed"
    broken = project.run("review", "OPS-1")
    assert broken.code == 3
    assert "the spec kept on the ticket cannot be read" in broken.error()
    assert _writes(project, [*run.routes, *broken.routes]) == []


def test_approving_twice_comments_and_transitions_once(tmp_path: Path, fake: FakeJira) -> None:
    project = Project(tmp_path / "p", fake)
    project.write_config(jira={"review": {"transitions": {"approve": "approve"}}})
    assert project.submit().result()["action"] == "created"
    first = project.run("review", "OPS-1", "--approve", "--note", "pre-scale web", "--json")
    done = first.result()
    assert done["commented"]
    assert done["property_written"]
    assert done["transitioned"]
    assert done["to_status"] == "Approved"
    again = project.run("review", "OPS-1", "--approve", "--note", "pre-scale web", "--json")
    same = again.result()
    assert same["state"] == "same"
    assert same["wrote_nothing"] is True
    assert _writes(project, again.routes) == []
    decision_comments = [
        c for c in fake.comments.get("OPS-1", []) if DECISION_COMMENT in str(c.get("body"))
    ]
    assert len(decision_comments) == 1
    assert len(fake.calls("POST", "/rest/api/2/issue/OPS-1/transitions")) == 1
    text = project.run("review", "OPS-1", "--approve", "--note", "pre-scale web")
    assert text.code == 0
    assert "nothing was written" in text.stdout


def test_a_required_screen_field_stops_before_any_write(tmp_path: Path, fake: FakeJira) -> None:
    fake.transitions.append(request_changes(required=True))
    project = Project(tmp_path / "p", fake)
    project.write_config(jira={"review": {"transitions": {"request_changes": "Request changes"}}})
    assert project.submit().result()["action"] == "created"
    run = project.run("review", "OPS-1", "--request-changes", "--reason", "move the send")
    assert run.code == 3
    line = run.error()
    assert "Resolution" in line
    assert "nothing was written" in line
    assert _writes(project, run.routes) == []
    assert "campaign-guard.decision" not in fake.properties.get("OPS-1", {})


def test_a_resubmit_after_approval_shows_the_decision_stale(tmp_path: Path, fake: FakeJira) -> None:
    project = Project(tmp_path / "p", fake)
    assert project.submit().result()["action"] == "created"
    approved = project.run("review", "OPS-1", "--approve", "--json")
    assert approved.result()["transition_note"] is not None  # none configured: said
    before = project.run("review", "--json").result()["tickets"][0]
    assert (before["decision"], before["decision_state"]) == ("approve", "current")
    project.edit_spec("list_size: 50k", "list_size: 500k")
    assert project.submit().result()["action"] == "updated"
    after = project.run("review", "--json").result()["tickets"][0]
    assert (after["decision"], after["decision_state"]) == ("approve", "stale")
    one = project.run("review", "OPS-1")
    assert one.code == 0
    assert "stale" in one.stdout


def _today() -> str:
    day = datetime.now(timezone.utc).date()
    return f"{day.day} {day:%b %Y}"


def test_a_resubmit_after_approval_says_the_approval_no_longer_applies(
    tmp_path: Path, fake: FakeJira
) -> None:
    project = Project(tmp_path / "p", fake)
    assert project.submit().result()["action"] == "created"
    assert project.run("review", "OPS-1", "--approve").code == 0
    reads = 1 if fake.cloud else 2  # Data Center reads the properties with GET issue

    same = project.run("submit", SPEC)
    assert same.code == 0, same.stderr
    assert same.stdout.startswith("Nothing changed since the last submit")
    assert "earlier version" not in same.stdout + same.stderr
    assert len(same.routes) == reads
    assert _writes(project, same.routes) == []
    asked = same.requests[-1].query["properties"][0].split(",")
    assert asked == ["campaign-guard.submission", "campaign-guard.decision"]

    project.edit_spec("list_size: 50k", "list_size: 500k")
    dry = project.run("submit", SPEC, "--dry-run")
    assert dry.code == 0, dry.stderr
    assert dry.stdout.startswith("Dry run: nothing was written.")
    assert "In Jira: the submit would update OPS-1" in dry.stdout
    assert (
        f"DevOps approved the earlier version (Bot, {_today()}); your change would need their "
        "review again." in dry.stdout
    )
    assert len(dry.routes) == reads
    assert _writes(project, dry.routes) == []
    as_json = project.run("submit", SPEC, "--dry-run", "--json").result()["jira"]
    assert (as_json["action"], as_json["key"]) == ("updated", "OPS-1")
    assert as_json["outdated_decision"]["decision"] == "approve"

    comments = len(fake.comments.get("OPS-1", []))
    run = project.run("submit", SPEC)
    assert run.code == 0, run.stderr
    lines = run.stdout.splitlines()
    assert lines[0].startswith("Updated OPS-1 and told DevOps what changed")
    assert lines[1] == (
        f"DevOps approved the earlier version (Bot, {_today()}); your change needs their "
        "review again."
    )
    # no request beyond an update's: search (+ GET issue), PUT, comment; no transition
    assert run.routes == [
        f"GET {search_path(fake.cloud)}",
        *(["GET /rest/api/2/issue/OPS-1"] if not fake.cloud else []),
        "PUT /rest/api/2/issue/OPS-1",
        "POST /rest/api/2/issue/OPS-1/comment",
    ]
    posted = fake.comments["OPS-1"][comments:]
    assert len(posted) == 1
    body = str(posted[0]["body"])
    first = body.splitlines()[0]
    assert first == (
        f"*The approval by Bot on {_today()} was for the earlier version: this change needs "
        "a new review.*"
    )
    assert re.search(r"(?m)^h3\. Campaign spec updated: ", body)

    queue = project.run("review", "--json").result()["tickets"][0]
    assert (queue["decision"], queue["decision_state"]) == ("approve", "stale")
    table = project.run("review")
    assert table.code == 0, table.stderr
    assert "(stale)" in table.stdout
    again = project.run("submit", SPEC)  # unchanged since: nothing more is said or written
    assert "earlier version" not in again.stdout
    assert _writes(project, again.routes) == []


def test_a_key_that_is_not_a_campaign_ticket(tmp_path: Path, fake: FakeJira) -> None:
    other = fake.add_issue("Not a campaign", labels=["other"])
    project = Project(tmp_path / "p", fake)
    run = project.run("review", other, "--approve")
    assert run.code == 3
    assert "is not a campaign ticket" in run.error()
    missing = project.run("review", "OPS-404", "--approve")
    assert missing.code == 3
    assert "no such issue" in missing.error()
    assert _writes(project, [*run.routes, *missing.routes]) == []


def test_a_transition_lacking_or_not_permitted_stops_before_any_write(
    tmp_path: Path, fake: FakeJira
) -> None:
    project = Project(tmp_path / "p", fake)
    project.write_config(jira={"review": {"transitions": {"approve": "Ship it"}}})
    assert project.submit().result()["action"] == "created"
    lacking = project.run("review", "OPS-1", "--approve")
    assert lacking.code == 3
    assert "Ship it" in lacking.error()
    assert "offers 'Start review' (11), 'Approve'" in lacking.error()
    project.write_config(jira={"review": {"transitions": {"approve": "Approve"}}})
    fake.can_transition = False  # Jira lists no transitions to whom may not transition
    refused = project.run("review", "OPS-1", "--approve")
    assert refused.code == 3
    assert "offers no transitions" in refused.error()
    for run in (lacking, refused):
        assert len(run.stderr.strip().splitlines()) == 1
        assert "Traceback" not in run.stderr
    assert _writes(project, [*lacking.routes, *refused.routes]) == []
    assert "campaign-guard.decision" not in fake.properties.get("OPS-1", {})
