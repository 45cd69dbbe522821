"""A spec without ``id:``: a dry run and a real submit give the same reminder to add one,
and a spec written by ``init`` needs none (renaming it keeps its ticket)."""

from __future__ import annotations

import re
from pathlib import Path

from campaign_guard.jira.jql import id_reminder
from campaign_guard.spec.load import load_spec
from testing.fake_jira import FakeJira
from tests.conftest import console_script
from tests.e2e.conftest import SPEC, Project, run_with_env

REMINDER = (
    "warning: the spec has no id, so the ticket is found by the campaign's name; add "
    "`id: winter-newsletter-2027` so renaming the campaign keeps the same ticket\n"
)


def _dry_run(project: Project) -> tuple[int, str, str]:
    command = [str(console_script()), "submit", SPEC, "--dry-run"]
    done, _ = run_with_env(command, project.root, project.env)
    assert done is not None
    return done.returncode, done.stdout, done.stderr


def test_a_spec_without_id_is_reminded_by_the_dry_run_and_the_submit(
    fake: FakeJira, tmp_path: Path
) -> None:
    project = Project(tmp_path / "project", fake)
    project.edit_spec("id: winter-newsletter-2027\n", "")
    spec = load_spec(project.root / SPEC).value
    assert spec is not None
    assert f"warning: {id_reminder(spec)}\n" == REMINDER

    code, out, err = _dry_run(project)
    assert (code, err) == (0, REMINDER)
    # with the credentials in the environment, the dry run reads Jira (and writes nothing)
    assert out.startswith("Dry run: nothing was written.")
    assert out.endswith("In Jira: no ticket for this campaign yet; the submit would file one.\n")

    filed = project.submit()
    assert filed.result()["action"] == "created"
    assert filed.stderr == REMINDER

    project.edit_spec("name: Winter Newsletter 2027", "name: Winter Newsletter 2027\nid: x")
    assert _dry_run(project)[2] == ""


def test_a_spec_from_init_keeps_its_ticket_when_renamed(fake: FakeJira, tmp_path: Path) -> None:
    project = Project(tmp_path / "project", fake)
    init = [
        str(console_script()), "init", SPEC, "--force", "--name", "Winter Newsletter 2027",
        "--owner", "jane@example.com", "--launch", "2027-12-07 09:00",
        "--timezone", "Europe/Paris", "--audience", "50k",
        "--landing-page", "https://www.example.com/winter",
    ]  # fmt: skip
    done, _ = run_with_env(init, project.root, project.env)
    assert done is not None
    assert done.returncode == 0, done.stderr
    assert re.search(r"(?m)^id: winter-newsletter-2027 ", (project.root / SPEC).read_text("utf-8"))

    first = project.submit()
    assert first.result()["action"] == "created"
    assert first.stderr == ""
    project.rename("Winter Newsletter 2027 (EU)")
    renamed = project.submit()
    assert (renamed.result()["action"], renamed.result()["key"]) == ("updated", "OPS-1")
    assert list(fake.issues) == ["OPS-1"]
