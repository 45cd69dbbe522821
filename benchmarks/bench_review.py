"""Count the requests ``campaign-guard review`` sends to Jira: a queue of 150 tickets,
one ticket's review screen among them, an approval, and the same approval again.

Run it from the root of the repository, in the venv campaign-guard is installed in::

    python -m benchmarks.bench_review

It starts the fake Jira (``testing/fake_jira.py``) on 127.0.0.1, Cloud then Data
Center, files one campaign with the installed ``campaign-guard submit``, copies its
snapshot (spec text included) onto 149 more tickets, and runs the installed
``campaign-guard review`` as a new process. Requests are counted by the fake server.
Targets: the queue of 150 costs ``ceil(150 / 100) = 2`` requests on Cloud and
``2 + 150`` on Data Center (its search cannot return entity properties); one ticket's
screen costs its ``GET`` plus that search of its window (3 on Cloud, 153 on Data
Center, the 150 all launching the same day); a fresh
approval with a transition costs 8 (the ticket, the reviewer, then the 6 of
``record_decision``); the same approval again costs 3; with a PagerDuty change event
(to the fake PagerDuty, ``testing/fake_pagerduty.py``) an approval costs 10 (the event
and the decision property marked sent), and the same again 3.

``campaign-guard status`` is measured too: over the three examples under
``examples/campaigns`` (all submitted), and over 150 spec files each with its ticket
(spec text kept in its snapshot). Targets: one search per 50 specs, so 1 and 3 requests
on Cloud, plus one ``GET issue`` per ticket on Data Center (4 and 153); the time is the
whole run of the installed command as a new process. Exit code 1 when one is missed.
"""

from __future__ import annotations

import copy
import re
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

from campaign_guard.jira.jql import campaign_label
from campaign_guard.jira.snapshot import PROPERTY_KEY, Snapshot
from testing.fake_jira import running
from testing.fake_pagerduty import running as pagerduty_running
from tests.conftest import REPO_ROOT
from tests.e2e.conftest import EXAMPLE_SPEC, Project

QUEUE = 150
EXAMPLES = sorted((REPO_ROOT / "examples" / "campaigns").glob("*.yaml"))
ID = "winter-newsletter-2027"
"""The example's campaign id (each copy gets its own)."""


def _another(stored: dict[str, Any], n: int) -> dict[str, Any]:
    """The properties of the filed ticket, as if campaign ``n`` of the same shape."""
    copied = copy.deepcopy(stored)
    snapshot = copied["campaign-guard.submission"]
    snapshot["campaign_id"] = f"campaign-{n}"
    snapshot["spec"] = snapshot["spec"].replace(f"\nid: {ID}\n", f"\nid: campaign-{n}\n")
    assert f"campaign-{n}" in snapshot["spec"]
    return copied


def measure(cloud: bool) -> dict[str, int]:
    with running(cloud=cloud) as fake, tempfile.TemporaryDirectory() as folder:
        project = Project(Path(folder) / "p", fake)
        # 150 tickets read one by one on Data Center: more than the tests' 8 s budget on
        # a busy machine; the counts, not the time, are what is measured here
        project.write_config(
            jira={"review": {"transitions": {"approve": "Approve"}}, "retry_budget_seconds": 60}
        )
        filed = project.submit().result()
        stored = fake.properties[filed["key"]]
        first = fake.issues[filed["key"]]["fields"]
        for n in range(QUEUE - 1):
            fake.add_issue(
                f"Campaign {n}", duedate=first.get("duedate"), properties=_another(stored, n)
            )
        counts = {}
        run = project.run("review", "--json")
        assert len(run.result()["tickets"]) == QUEUE, run.stderr
        counts["queue of 150"] = len(run.requests)
        run = project.run("review", filed["key"], "--json")
        assert len(run.result()["tickets_counted"]) == QUEUE - 1, run.stderr
        counts["review KEY, 149 others in its window"] = len(run.requests)
        print(f"review KEY with 149 others ({'Cloud' if cloud else 'DC'}): {run.seconds:.2f} s")
        run = project.run("review", filed["key"], "--approve", "--json")
        assert run.result()["transitioned"], run.stderr
        counts["approval"] = len(run.requests)
        run = project.run("review", filed["key"], "--approve", "--json")
        assert run.result()["wrote_nothing"], run.stderr
        counts["same approval again"] = len(run.requests)
    counts.update(with_change_event(cloud))
    return counts


def with_change_event(cloud: bool) -> dict[str, int]:
    """An approval that sends a PagerDuty change event (to the fake PagerDuty), and the
    same approval again: Jira requests plus PagerDuty's."""
    with (
        running(cloud=cloud) as fake,
        pagerduty_running() as pagerduty,
        tempfile.TemporaryDirectory() as folder,
    ):
        project = Project(Path(folder) / "p", fake)
        events = {"change_events": {"on_approve": True, "events_url": pagerduty.url}}
        project.write_config(
            jira={"review": {"transitions": {"approve": "Approve"}}}, more={"pagerduty": events}
        )
        project.env["PAGERDUTY_CHANGE_ROUTING_KEY"] = "f" * 32
        filed = project.submit().result()
        counts = {}
        for case in ("approval with a change event", "the same again"):
            sent = len(pagerduty.requests)
            run = project.run("review", filed["key"], "--approve", "--json")
            assert run.result()["change_event"]["status"] in ("sent", "already-sent"), run.stderr
            counts[case] = len(run.requests) + len(pagerduty.requests) - sent
        assert len(pagerduty.events) == 1
        return counts


def measure_status(cloud: bool) -> tuple[dict[str, int], dict[str, float]]:
    """Requests and seconds of ``status`` over the examples, then over 150 specs."""
    counts: dict[str, int] = {}
    seconds: dict[str, float] = {}
    with running(cloud=cloud) as fake, tempfile.TemporaryDirectory() as folder:
        project = Project(Path(folder) / "p", fake)
        # the time is measured, not bounded: 150 tickets on Data Center are 153 requests
        project.write_config(jira={"retry_budget_seconds": 120, "timeout_seconds": 10})
        examples = project.root / "examples"
        examples.mkdir()
        for example in EXAMPLES:
            shutil.copyfile(example, examples / example.name)
            assert project.run("submit", f"examples/{example.name}").code == 0
        run = project.run("status", "examples", "--json")
        assert all(s["key"] for s in run.result()["specs"]), run.stdout
        counts["status, the 3 examples"] = len(run.requests)
        seconds["status, the 3 examples"] = run.seconds
        many = project.root / "many"
        many.mkdir()
        template = EXAMPLE_SPEC.read_text(encoding="utf-8")
        for n in range(QUEUE):
            ident = f"campaign-{n:03d}"
            text = re.sub(r"(?m)^id: .*$", f"id: {ident}", template)
            (many / f"{ident}.yaml").write_text(text, encoding="utf-8")
            snapshot = Snapshot(ident, {}, "0" * 64, spec_text=text).to_json()
            fake.add_issue(
                f"Campaign {n}",
                labels=(campaign_label(ident), "marketing-campaign"),
                properties={PROPERTY_KEY: snapshot},
            )
        run = project.run("status", "many", "--json")
        states = {s["state"] for s in run.result()["specs"]}
        assert states == {"waiting for review"}, states
        counts["status, 150 specs"] = len(run.requests)
        seconds["status, 150 specs"] = run.seconds
    return counts, seconds


def main() -> int:
    same = {"approval": 8, "same approval again": 3}
    same |= {"approval with a change event": 10, "the same again": 3}
    mine = "review KEY, 149 others in its window"
    targets = {
        True: {"queue of 150": 2, mine: 3, **same},
        False: {"queue of 150": 152, mine: 153, **same},
    }
    targets[True] |= {"status, the 3 examples": 1, "status, 150 specs": 3}
    targets[False] |= {"status, the 3 examples": 4, "status, 150 specs": 153}
    missed = False
    found = {cloud: measure(cloud) for cloud in (True, False)}
    timed = {}
    for cloud in (True, False):
        counts, timed[cloud] = measure_status(cloud)
        found[cloud].update(counts)
    print("| case | Cloud | Data Center |\n|---|---|---|")
    for case in targets[True]:
        shown = [f"{found[c][case]}" for c in (True, False)]
        if case in timed[True]:
            shown = [f"{found[c][case]}, {timed[c][case]:.2f} s" for c in (True, False)]
        print(f"| {case} | {shown[0]} | {shown[1]} |")
        missed |= any(found[c][case] > targets[c][case] for c in (True, False))
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
