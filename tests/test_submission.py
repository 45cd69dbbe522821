"""Turning Jira's field errors into the setting to fix, and finding the Jira settings."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timezone
from pathlib import Path

import pytest

from campaign_guard.config.project import ProjectConfig
from campaign_guard.config.settings import Settings
from campaign_guard.errors import ExitCode, SetupError
from campaign_guard.jira.gateway import JiraGateway
from campaign_guard.jira.jira_http import JiraError
from campaign_guard.oncall.base import OnCallError
from campaign_guard.oncall.who import on_call
from campaign_guard.plan import plan_submission
from campaign_guard.spec.campaign import CampaignSpec
from campaign_guard.spec.load import load_model
from campaign_guard.submission import explain_rejection, require_jira, submit
from tests.conftest import REPO_ROOT

EXAMPLE = REPO_ROOT / "examples" / "campaigns" / "winter-newsletter.yaml"
MAPPED = {"customfield_10050": "launch"}


@pytest.mark.parametrize(
    ("field", "named"),
    [
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


def test_a_mapped_field_error_names_the_setting_and_how_to_save_the_field_again() -> None:
    refused = JiraError(
        "Jira answered HTTP 400",
        status=400,
        fields={"customfield_10050": "Field 'customfield_10050' cannot be set."},
    )
    explained = explain_rejection(refused, MAPPED)
    assert str(explained) == (
        "Jira refused the ticket: jira.fields.launch: Field 'customfield_10050' cannot be set; "
        "run `campaign-guard jira fields --save` to save the field as Jira has it now"
    )


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


def _settings_with(oncall: Mapping[str, object] | None, tmp_path: Path) -> Settings:
    data: dict[str, object] = {"jira": {"site": "https://example.atlassian.net", "project": "OPS"}}
    if oncall is not None:
        data["oncall"] = oncall
    return Settings(3, tmp_path / "campaign-guard.yaml", project=ProjectConfig.model_validate(data))


def _winter() -> CampaignSpec:
    loaded = load_model(EXAMPLE, CampaignSpec, str(EXAMPLE))
    assert loaded.value is not None
    return loaded.value


def test_no_oncall_section_is_a_warning_and_no_assignee(tmp_path: Path) -> None:
    warnings: list[str] = []
    now = datetime(2027, 11, 1, tzinfo=timezone.utc)
    found = on_call(_settings_with(None, tmp_path).oncall, _winter(), {}, now, warnings)
    assert found == (None, None)
    assert warnings == [
        "no oncall: section in the project file, so the ticket is unassigned; add one so "
        "the DevOps engineer on call gets it"
    ]


def test_unknown_on_call_at_launch_is_a_warning(tmp_path: Path) -> None:
    rotation = {
        "provider": "rotation",
        "timezone": "America/New_York",
        "handoff": {"weekday": "monday", "time": "09:00"},
        "start": "2027-12-13",  # after the launch on 7 Dec
        "people": [{"name": "Dana Ops", "email": "dana@example.com"}],
    }
    warnings: list[str] = []
    now = datetime(2028, 1, 5, tzinfo=timezone.utc)
    person, at_launch = on_call(
        _settings_with(rotation, tmp_path).oncall, _winter(), {}, now, warnings
    )
    assert person is not None
    assert person.name == "Dana Ops"
    assert at_launch is None
    assert len(warnings) == 1
    assert warnings[0].startswith("who is on call at launch is not known yet (the on-call")


def test_unknown_on_call_now_stops_before_jira(tmp_path: Path) -> None:
    rotation = {
        "provider": "rotation",
        "timezone": "America/New_York",
        "handoff": {"weekday": "monday", "time": "09:00"},
        "start": "2030-01-07",
        "people": [{"name": "Dana Ops", "email": "dana@example.com"}],
    }
    now = datetime(2027, 11, 1, tzinfo=timezone.utc)
    settings = _settings_with(rotation, tmp_path)
    with pytest.raises(OnCallError, match=r"the on-call rotation starts"):
        on_call(settings.oncall, _winter(), {}, now, [])

    def never(*_: object, **__: object) -> JiraGateway:
        raise AssertionError("Jira was contacted")

    environ = {"JIRA_EMAIL": "bot@example.com", "JIRA_API_TOKEN": "t"}
    with pytest.raises(OnCallError, match=r"nothing was sent to Jira$") as caught:
        submit(plan_submission(EXAMPLE, settings, environ=environ, now=now), connect=never)
    assert caught.value.exit_code == ExitCode.EXTERNAL
