"""``jira fields --save`` against the fake Jira on 127.0.0.1 (in-process CLI)."""

from __future__ import annotations

import json
from pathlib import Path

from testing.fake_jira import FakeJira
from testing.fake_jira_data import CAMPAIGN_LAUNCH, CUSTOM
from tests.cli.test_doctor_cli import env, project
from tests.conftest import RunCli

MAPPED = "  fields:\n    launch: Launch date   # go-live\n    verdict: customfield_10055\n"


def test_save_writes_the_ids_and_says_what_changed(
    cli: RunCli, workdir: Path, fake: FakeJira
) -> None:
    project(workdir, fake, MAPPED)
    path = workdir / "campaign-guard.yaml"
    code, out, err = cli("jira", "fields", "--save", env=env(workdir))
    assert (code, err) == (0, "")
    assert out.endswith(
        f"\nSaved in {path}:\n"
        "  jira.issue_type: Marketing Campaign Launch → 10050\n"
        "  jira.fields.launch: Launch date → {id: customfield_10050, type: datetime}\n"
        "  jira.fields.verdict: customfield_10055 → "
        "{id: customfield_10055, type: option, options: [OK, Scale up, Overload]}\n"
        "No submit needs to read the create screen now.\n"
    )
    text = path.read_text(encoding="utf-8")
    assert "  project: OPS\n  issue_type: 10050  # Marketing Campaign Launch\n" in text
    launch = "    launch: {id: customfield_10050, type: datetime}  # Launch date\n"
    assert "    # go-live\n" + launch in text
    assert len(list((workdir / "cache").rglob("screen-*.json"))) == 1  # still refreshed
    code, out, _ = cli("jira", "fields", "--save", env=env(workdir))
    assert code == 0
    assert out.endswith(
        f"\nNothing to change: {path} already holds the issue type id and the mapped fields "
        "as Jira has them.\n"
    )
    assert "  launch            Launch date (customfield_10050, datetime, saved)\n" in out
    assert path.read_text(encoding="utf-8") == text
    assert fake.problems == []


def test_save_json_lists_the_changes(cli: RunCli, workdir: Path, fake: FakeJira) -> None:
    project(workdir, fake, "  issue_type: '10050'\n" + MAPPED)
    code, out, _ = cli("jira", "fields", "--save", "--json", env=env(workdir))
    assert code == 0
    report = json.loads(out)
    assert report["issue_type"] == {"id": "10050", "name": "Marketing Campaign Launch"}
    assert report["mapping"]["launch"]["saved"] is None  # as it was read, by name
    assert report["saved"] == {
        "file": str(workdir / "campaign-guard.yaml"),
        "written": True,
        "changes": [
            {
                "setting": "jira.fields.launch",
                "before": "Launch date",
                "after": "{id: customfield_10050, type: datetime}",
            },
            {
                "setting": "jira.fields.verdict",
                "before": "customfield_10055",
                "after": "{id: customfield_10055, type: option, options: [OK, Scale up, Overload]}",
            },
        ],
    }
    text = (workdir / "campaign-guard.yaml").read_text(encoding="utf-8")
    assert "  issue_type: 10050  # Marketing Campaign Launch\n" in text  # named from Jira
    code, out, _ = cli("jira", "fields", "--json", env=env(workdir))
    assert json.loads(out)["mapping"]["launch"]["saved"] == "same"
    for entry in fake.screens[CAMPAIGN_LAUNCH]:
        if entry["fieldId"] == "customfield_10050":
            entry["schema"] = {"type": "date", "custom": CUSTOM + "datepicker"}
    code, out, _ = cli("jira", "fields", env=env(workdir))
    assert code == 0
    shown = "Launch date (customfield_10050, date, saved: differs from Jira)"
    assert f"  launch            {shown}\n" in out


def test_settings_in_pyproject_get_the_lines_to_paste(
    cli: RunCli, workdir: Path, fake: FakeJira
) -> None:
    deployment = "cloud" if fake.cloud else "data-center"
    pyproject = workdir / "pyproject.toml"
    pyproject.write_text(
        f'[tool.campaign-guard.jira]\nsite = "{fake.url}"\ndeployment = "{deployment}"\n'
        'project = "OPS"\nfields = { launch = "Launch date" }\n',
        encoding="utf-8",
    )
    before = pyproject.read_bytes()
    code, out, err = cli("jira", "fields", "--save", env=env(workdir))
    assert code == 2
    assert err == (
        f"error: {pyproject}:1: campaign-guard does not rewrite pyproject.toml; nothing was "
        "changed: in its [tool.campaign-guard.jira] table, replace issue_type and fields with "
        "the lines printed above\n"
    )
    assert out.endswith(
        f"\nNot saved. Put these settings in {pyproject} by hand:\n\n"
        'issue_type = "10050"  # Marketing Campaign Launch\n'
        'fields.launch = { id = "customfield_10050", type = "datetime" }  # Launch date\n'
    )
    assert pyproject.read_bytes() == before
    code, out, _ = cli("jira", "fields", "--save", "--json", env=env(workdir))
    assert code == 2
    assert json.loads(out)["saved"]["paste"].startswith('issue_type = "10050"')


def test_a_field_that_cannot_be_filled_is_not_saved(
    cli: RunCli, workdir: Path, fake: FakeJira
) -> None:
    project(workdir, fake, "  fields:\n    verdict: Expected traffic\n")
    before = (workdir / "campaign-guard.yaml").read_bytes()
    code, out, err = cli("jira", "fields", "--save", env=env(workdir))
    assert (code, out) == (3, "")
    assert err.startswith("error: jira.fields.verdict: 'Expected traffic' is a number field")
    assert err.count("\n") == 1
    assert (workdir / "campaign-guard.yaml").read_bytes() == before
