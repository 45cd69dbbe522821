"""Turning Jira's field errors into the setting to fix, and finding the Jira settings."""

from __future__ import annotations

from pathlib import Path

import pytest

from campaign_guard.config import ProjectConfig, Settings
from campaign_guard.errors import ExitCode, SetupError
from campaign_guard.tracker.filing import explain_rejection, require_jira
from campaign_guard.tracker.jira_http import JiraError

MAPPED = {"customfield_10050": "launch"}


@pytest.mark.parametrize(
    ("field", "named"),
    [
        ("customfield_10050", "jira.fields.launch: "),
        ("project", "jira.project: "),
        ("issuetype", "jira.issue_type: "),
        ("components", "jira.components: "),
        ("assignee", "oncall (the on-call engineer's jira_account_id or jira_user_name): "),
        ("duedate", "jira.issue_type (its screens must include the duedate field): "),
        ("customfield_99999", "the field customfield_99999 is required but campaign-guard"),
    ],
)
def test_a_field_error_names_the_setting(field: str, named: str) -> None:
    refused = JiraError("Jira answered HTTP 400", status=400, fields={field: "is wrong"})
    explained = explain_rejection(refused, MAPPED)
    assert explained is not None
    assert str(explained).startswith("Jira refused the ticket: ")
    assert named in str(explained)
    assert str(explained).endswith("is wrong")
    assert explained.exit_code == ExitCode.EXTERNAL


def test_other_errors_are_left_as_they_are() -> None:
    assert explain_rejection(JiraError("HTTP 500", status=500, fields={"x": "y"}), {}) is None
    assert explain_rejection(JiraError("HTTP 400", status=400), {}) is None


def test_require_jira_says_where_the_settings_go(tmp_path: Path) -> None:
    with pytest.raises(SetupError, match="submit needs a project file"):
        require_jira(Settings(3, None))
    path = tmp_path / "campaign-guard.yaml"
    with pytest.raises(SetupError, match="no jira: section"):
        require_jira(Settings(3, path, project=ProjectConfig()))
    config = ProjectConfig.model_validate(
        {"jira": {"site": "https://example.atlassian.net", "project": "OPS"}}
    )
    assert require_jira(Settings(3, path, project=config)).project == "OPS"
