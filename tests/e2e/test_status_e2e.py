"""``campaign-guard status``, installed, against the fake Jira (Cloud and Data Center):
a campaign from submit to approval and back out of date, a spec never submitted, and
every example under ``examples/campaigns`` through one search."""

from __future__ import annotations

import shutil
from pathlib import Path

from testing.fake_jira import FakeJira
from tests.conftest import REPO_ROOT
from tests.e2e.conftest import SPEC, Project, search_path
from tests.test_readme_console import WIDTH, _example, _shown_in_order

CAMPAIGN_EXAMPLES = sorted((REPO_ROOT / "examples" / "campaigns").glob("*.yaml"))


def _states(project: Project, *paths: str) -> dict[str, str]:
    report = project.run("status", *paths, "--json").result()
    return {spec["path"]: spec["state"] for spec in report["specs"]}


def test_submit_approve_edit_resubmit(tmp_path: Path, fake: FakeJira) -> None:
    project = Project(tmp_path / "p", fake)
    assert _states(project, SPEC) == {SPEC: "no ticket"}
    assert project.submit().result()["action"] == "created"

    run = project.run("status", SPEC, "--json")
    (spec,) = run.result()["specs"]
    assert (spec["state"], spec["key"], spec["decision"]) == ("waiting for review", "OPS-1", None)
    assert spec["url"] == f"{fake.url}/browse/OPS-1"
    assert spec["todo"] == "ask DevOps to review OPS-1"
    # one search, plus the ticket's properties on Data Center
    assert run.routes == [f"GET {search_path(fake.cloud)}"] + (
        [] if fake.cloud else ["GET /rest/api/2/issue/OPS-1"]
    )
    refused = project.run("status", SPEC, "--require", "approved")
    assert refused.code == 1
    assert "• campaign.yaml: ask DevOps to review OPS-1" in refused.stdout
    assert refused.stderr == (
        "error: 1 of 1 campaigns are not approved; the next steps are listed above\n"
    )
    listed = project.run("status", SPEC, "--require", "approved", "--json")
    assert listed.code == 1
    assert listed.stderr.splitlines()[1:] == [
        "  campaign.yaml: waiting for review: ask DevOps to review OPS-1"
    ]

    assert project.run("review", "OPS-1", "--approve").code == 0
    approved = project.run("status", SPEC, "--require", "approved", "--json")
    (spec,) = approved.result()["specs"]
    assert spec["state"] == "approved"
    assert spec["reviewer"]
    assert spec["decided_at"]
    assert approved.result()["all_approved"] is True

    # a comment changes the bytes, not the campaign: still approved
    (project.root / SPEC).write_text(
        "# reviewed\n" + (project.root / SPEC).read_text("utf-8"), encoding="utf-8"
    )
    assert _states(project, SPEC) == {SPEC: "approved"}

    project.edit_spec("name: ", "name: Renamed ")
    assert _states(project, SPEC) == {SPEC: "changed since submit"}
    assert project.submit().result()["action"] == "updated"
    out_of_date = project.run("status", SPEC, "--require", "approved")
    assert out_of_date.code == 1
    assert "0 of 1 approved" in out_of_date.stdout
    assert _states(project, SPEC) == {SPEC: "approval out of date"}
    assert "ask DevOps to review OPS-1 again" in out_of_date.stdout
    assert "Traceback" not in out_of_date.stderr


def test_a_spec_never_submitted_has_no_ticket(tmp_path: Path, fake: FakeJira) -> None:
    project = Project(tmp_path / "p", fake)
    assert project.submit().result()["action"] == "created"
    project.rename("Never Submitted", "never-submitted")
    shutil.move(project.root / SPEC, project.root / "never.yaml")
    plain = project.run("status", "never.yaml", "--plain")
    assert plain.code == 0, plain.stderr
    header, line = plain.stdout.splitlines()
    assert header.split("\t")[:3] == ["path", "campaign", "state"]
    assert line.split("\t")[:3] == ["never.yaml", "Never Submitted", "no ticket"]
    assert "run `campaign-guard submit never.yaml`" in line


def test_every_example_in_one_search(tmp_path: Path, fake: FakeJira) -> None:
    project = Project(tmp_path / "p", fake)
    folder = project.root / "campaigns"
    folder.mkdir()
    for example in CAMPAIGN_EXAMPLES:
        shutil.copyfile(example, folder / example.name)
    assert {s["state"] for s in project.run("status", "campaigns", "--json").result()["specs"]} == {
        "no ticket"
    }
    keys = {}
    for example in CAMPAIGN_EXAMPLES:
        submitted = project.run("submit", f"campaigns/{example.name}", "--json")
        keys[example.name] = submitted.result()["key"]
    run = project.run("status", "campaigns", "--json")
    found = {Path(s["path"]).name: (s["state"], s["key"]) for s in run.result()["specs"]}
    assert found == {name: ("waiting for review", key) for name, key in keys.items()}
    searches = [r for r in run.routes if r == f"GET {search_path(fake.cloud)}"]
    assert len(searches) == 1
    assert len(run.routes) == 1 + (0 if fake.cloud else len(CAMPAIGN_EXAMPLES))
    table = project.run("status", "campaigns")
    assert table.code == 0, table.stderr
    assert f"\n0 of {len(CAMPAIGN_EXAMPLES)} approved as the spec stands now.\n" in table.stdout


def test_the_readme_example(tmp_path: Path, fake: FakeJira) -> None:
    """The README's example: three campaigns, one approved, one waiting, one never
    submitted; the command the example workflow runs."""
    project = Project(tmp_path / "p", fake)
    project.env.update(WIDTH)
    folder = project.root / "campaigns"
    folder.mkdir()
    for example in CAMPAIGN_EXAMPLES:
        shutil.copyfile(example, folder / example.name)
    for name in ("black-friday-flash-sale.yaml", "winter-newsletter.yaml"):
        assert project.run("submit", f"campaigns/{name}").code == 0
    assert project.run("review", "OPS-2", "--approve").code == 0
    args, shown = _example("campaign-guard status campaigns/")
    run = project.run(*args)
    assert run.code == 1
    assert "Traceback" not in run.stderr
    _shown_in_order(shown, run.stdout + run.stderr)
