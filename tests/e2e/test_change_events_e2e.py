"""``review KEY --approve`` with PagerDuty change events, installed, against the fake
Jira (Cloud and Data Center) and the fake PagerDuty: one event per approval, whatever
the number of runs; a key that cannot work writes nothing; a failed send keeps the
decision and the next run sends it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from testing.fake_jira import FakeJira
from testing.fake_pagerduty import FakePagerDuty, running
from tests.e2e.conftest import Project
from tests.test_readme_console import _example, _shown_in_order

KEY = "e5f1c9e1a2d4f6a8c0e2b4d6f8a0b1c2"
DECISION_COMMENT = "Campaign review: "


@pytest.fixture
def pagerduty() -> Iterator[FakePagerDuty]:
    with running() as server:
        yield server


def _project(tmp_path: Path, fake: FakeJira, pagerduty: FakePagerDuty, key: str = KEY) -> Project:
    project = Project(tmp_path / "p", fake)
    project.write_config(
        jira={"review": {"transitions": {"approve": "approve"}}},
        more={"pagerduty": {"change_events": {"on_approve": True, "events_url": pagerduty.url}}},
    )
    if key:
        project.env["PAGERDUTY_CHANGE_ROUTING_KEY"] = key
    assert project.submit().result()["action"] == "created"
    return project


def _decision_comments(fake: FakeJira) -> list[object]:
    return [c for c in fake.comments.get("OPS-1", []) if DECISION_COMMENT in str(c.get("body"))]


def test_the_readme_example(tmp_path: Path, fake: FakeJira, pagerduty: FakePagerDuty) -> None:
    project = _project(tmp_path, fake, pagerduty)
    args, shown = _example("campaign-guard review OPS-1 --approve")
    run = project.run(*args)
    assert run.code == 0, run.stderr
    site = shown[0].split(": ", 1)[1].rsplit("/browse/", 1)[0]
    _shown_in_order([line.replace(site, fake.url) for line in shown], run.stdout)


def test_approving_twice_sends_one_change_event(
    tmp_path: Path, fake: FakeJira, pagerduty: FakePagerDuty
) -> None:
    project = _project(tmp_path, fake, pagerduty)
    dry = project.run("review", "OPS-1", "--approve", "--dry-run", "--json").result()
    assert dry["change_event"]["status"] == "would-send"
    assert pagerduty.requests == []
    first = project.run("review", "OPS-1", "--approve", "--note", "pre-scale web")
    assert first.code == 0, first.stderr
    assert "change event sent to PagerDuty for launch 2027-12-07 09:00 America/New_York" in (
        first.stdout
    )
    assert fake.properties["OPS-1"]["campaign-guard.decision"]["current"]["change_event_sent"]
    again = project.run("review", "OPS-1", "--approve", "--note", "pre-scale web", "--json")
    same = again.result()
    assert same["wrote_nothing"] is True
    assert same["change_event"]["status"] == "already-sent"
    assert [r for r in again.routes if not r.startswith("GET ")] == []
    assert len(pagerduty.events) == 1
    assert len(_decision_comments(fake)) == 1
    assert len(fake.calls("POST", "/rest/api/2/issue/OPS-1/transitions")) == 1
    event = pagerduty.events[0]
    assert event["payload"]["summary"].startswith(
        "OPS-1: marketing campaign Winter Newsletter 2027 approved, launch 2027-12-07"
    )
    assert event["payload"]["timestamp"] == "2027-12-07T14:00:00.000+0000"  # the launch
    assert event["links"][0]["href"].endswith("/browse/OPS-1")
    assert fake.problems == []  # every Jira request matched the OpenAPI description


@pytest.mark.parametrize(
    ("key", "said"),
    [("", "PAGERDUTY_CHANGE_ROUTING_KEY is not set"), ("R" + KEY[1:], "ruleset key")],
)
def test_a_key_that_cannot_work_writes_nothing(
    tmp_path: Path, fake: FakeJira, pagerduty: FakePagerDuty, key: str, said: str
) -> None:
    project = _project(tmp_path, fake, pagerduty, key)
    run = project.run("review", "OPS-1", "--approve")
    assert run.code == 3
    assert said in run.error()
    assert KEY[1:] not in run.stderr
    assert run.requests == []  # Jira was not even asked
    assert pagerduty.requests == []
    assert _decision_comments(fake) == []


def test_a_failed_send_keeps_the_decision_and_the_next_run_sends_it(
    tmp_path: Path, fake: FakeJira, pagerduty: FakePagerDuty
) -> None:
    project = _project(tmp_path, fake, pagerduty)
    pagerduty.fail(503)
    failed = project.run("review", "OPS-1", "--approve", "--json")
    assert failed.code == 3
    assert failed.stderr.startswith("error: the approval of OPS-1 is recorded, but the change ")
    assert "(PagerDuty could not take the change event now (HTTP 503)" in failed.stderr
    assert failed.stderr.endswith(
        "the decision stands: run `campaign-guard review OPS-1 --approve` again to send it\n"
    )
    assert len(failed.stderr.splitlines()) == 1
    outcome = json.loads(failed.stdout)
    assert outcome["transitioned"] is True
    assert outcome["change_event"]["status"] == "failed"
    assert pagerduty.events == []
    decision = fake.properties["OPS-1"]["campaign-guard.decision"]["current"]
    assert decision["change_event_sent"] is False
    retried = project.run("review", "OPS-1", "--approve", "--json").result()
    assert retried["change_event"]["status"] == "sent"
    assert len(pagerduty.events) == 1
    assert len(_decision_comments(fake)) == 1
    assert len(fake.calls("POST", "/rest/api/2/issue/OPS-1/transitions")) == 1
    assert fake.problems == []
