"""The example ``campaign-status`` workflow: it runs the README's ``status`` command, on
pushes to the default branch and on a schedule, never on a pull request (it needs the
Jira credentials)."""

from __future__ import annotations

import re
from typing import Any

import yaml

from campaign_guard import __version__
from tests.conftest import REPO_ROOT

WORKFLOW = REPO_ROOT / "examples" / ".github" / "workflows" / "campaign-status.yml"
README = (REPO_ROOT / "README.md").read_text(encoding="utf-8")


def _workflow() -> dict[str, Any]:
    loaded = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


def _triggers(workflow: dict[Any, Any]) -> dict[str, Any]:
    # YAML 1.1 reads the key `on` as True
    triggers = workflow.get("on", workflow.get(True))
    assert isinstance(triggers, dict)
    return triggers


def _readme_command() -> str:
    section = README.split("### `campaign-guard status`", 1)[1].split("\n### ", 1)[0]
    commands = re.findall(r"(?m)^\$ (campaign-guard status .*)$", section)
    assert commands, "the README's status section shows no command"
    return str(commands[0])


def test_it_runs_exactly_the_readmes_command() -> None:
    steps = [step for job in _workflow()["jobs"].values() for step in job["steps"]]
    runs = [str(step["run"]).strip() for step in steps if "run" in step]
    assert _readme_command() == "campaign-guard status campaigns/ --require approved"
    assert runs[-1] == _readme_command()
    assert sum(_readme_command() in run for run in runs) == 1


def test_it_runs_on_pushes_and_a_schedule_never_on_a_pull_request() -> None:
    triggers = _triggers(_workflow())
    assert "push" in triggers
    assert triggers["schedule"][0]["cron"]
    assert set(triggers) <= {"push", "schedule", "workflow_dispatch"}
    assert not any(name.startswith("pull_request") for name in triggers)


def test_the_credentials_come_from_secrets_through_env_only() -> None:
    workflow = _workflow()
    assert workflow["permissions"] == {"contents": "read"}
    steps = [step for job in workflow["jobs"].values() for step in job["steps"]]
    for step in steps:
        assert "secrets." not in str(step.get("run", "")), "a secret pasted into a script"
    (status,) = [step for step in steps if "campaign-guard status" in str(step.get("run", ""))]
    assert status["env"] == {
        "JIRA_EMAIL": "${{ secrets.JIRA_EMAIL }}",
        "JIRA_API_TOKEN": "${{ secrets.JIRA_API_TOKEN }}",
    }


def test_it_installs_the_version_it_documents() -> None:
    text = WORKFLOW.read_text(encoding="utf-8")
    source = f"git+https://github.com/campaign-guard/campaign-guard@v{__version__}"
    assert f'"campaign-guard @ {source}"' in text
    assert "campaign-guard==" not in text  # no package index asked for campaign-guard
