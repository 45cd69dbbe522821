"""``submit --dry-run`` against the fake Jira: with the credentials it reads the ticket and
writes nothing; without them it sends nothing; a Jira that refuses the read is one warning,
and the preview is still shown."""

from __future__ import annotations

from pathlib import Path

from testing.fake_jira import FakeJira
from tests.e2e.conftest import SPEC, Project, search_path


def test_without_credentials_nothing_is_sent(tmp_path: Path, fake: FakeJira) -> None:
    project = Project(tmp_path / "p", fake)
    for name in ("JIRA_EMAIL", "JIRA_API_TOKEN", "JIRA_PAT"):
        project.env.pop(name, None)
    run = project.run("submit", SPEC, "--dry-run")
    assert (run.code, run.stderr) == (0, "")
    assert run.stdout.startswith("Dry run: nothing was sent.")
    assert "In Jira:" not in run.stdout
    assert run.routes == []


def test_a_refused_read_is_a_warning_and_the_preview_is_shown(
    tmp_path: Path, fake: FakeJira
) -> None:
    project = Project(tmp_path / "p", fake)
    fake.status("GET", search_path(fake.cloud), 403)
    run = project.run("submit", SPEC, "--dry-run")
    assert run.code == 0, run.stderr
    assert run.stderr.startswith("warning: could not read the ticket in Jira")
    assert run.stderr.count("\n") == 1
    assert "t0ken" not in run.stdout + run.stderr
    assert run.stdout.startswith("Dry run: nothing was written.")
    assert "In Jira:" not in run.stdout
    assert all(route.startswith("GET ") for route in run.routes)
