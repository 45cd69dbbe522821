"""Jira settings: validation in plain words, credentials only from the environment."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from campaign_guard.errors import ConfigError, ExitCode, SetupError
from campaign_guard.jira.settings import JiraSettings, SavedField, credentials
from campaign_guard.secret import Secret

CANARY = "CANARY-jira-token-5f1d"


def settings(**overrides: Any) -> JiraSettings:
    values: dict[str, Any] = {"site": "https://example.atlassian.net", "project": "OPS"}
    values.update(overrides)
    return JiraSettings.model_validate(values)


def test_defaults() -> None:
    jira = settings()
    assert jira.issue_type == "Marketing Campaign Launch"
    assert jira.is_cloud
    assert not settings(site="https://jira.example.com/").is_cloud
    assert settings(site="https://jira.example.com/").site == "https://jira.example.com"
    assert settings(site="https://jira.example.com", deployment="cloud").is_cloud


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"site": "http://example.atlassian.net"}, "https:// address"),
        ({"site": "http://10.0.0.1:8080"}, "https:// address"),
        ({"site": "https://user:pw@example.atlassian.net"}, "https:// address"),
        ({"project": "ops"}, "Jira project key"),
        ({"project": 'OPS" OR project is not EMPTY'}, "Jira project key"),
        ({"fields": {"campaign_nam": "Campaign"}}, "unknown review field 'campaign_nam'"),
        ({"labels": ["two words"]}, "cannot be empty or contain spaces"),
    ],
)
def test_bad_settings_are_explained(overrides: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        settings(**overrides)


@pytest.mark.parametrize("host", ["127.0.0.1:8080", "localhost", "[::1]:9000"])
def test_plain_http_only_for_a_jira_on_this_machine(host: str) -> None:
    assert settings(site=f"http://{host}/", deployment="cloud").site == f"http://{host}"


def test_cloud_credentials_come_from_the_environment() -> None:
    found = credentials(settings(), {"JIRA_EMAIL": "ops@example.com", "JIRA_API_TOKEN": CANARY})
    assert (found.scheme, found.email, found.token.reveal()) == ("basic", "ops@example.com", CANARY)


def test_data_center_uses_a_personal_access_token() -> None:
    found = credentials(settings(site="https://jira.example.com"), {"JIRA_PAT": CANARY})
    assert (found.scheme, found.token.reveal()) == ("bearer", CANARY)


@pytest.mark.parametrize(
    ("site", "environ", "named"),
    [
        ("https://example.atlassian.net", {}, "JIRA_EMAIL and JIRA_API_TOKEN"),
        ("https://example.atlassian.net", {"JIRA_EMAIL": "a@example.com"}, "JIRA_API_TOKEN"),
        ("https://jira.example.com", {"JIRA_API_TOKEN": CANARY}, "JIRA_PAT"),
    ],
)
def test_missing_credentials_name_the_variable(
    site: str, environ: dict[str, str], named: str
) -> None:
    with pytest.raises(SetupError, match=named) as caught:
        credentials(settings(site=site), environ)
    assert caught.value.exit_code == ExitCode.EXTERNAL
    assert CANARY not in str(caught.value)


def test_a_secret_never_shows_itself() -> None:
    secret = Secret(CANARY)
    found = credentials(settings(), {"JIRA_EMAIL": "a@example.com", "JIRA_API_TOKEN": CANARY})
    for text in (repr(secret), str(secret), f"{secret}", repr(found), str(found)):
        assert CANARY not in text
    assert secret.reveal() == CANARY


def test_the_project_file_takes_a_jira_section(tmp_path: Any) -> None:
    from campaign_guard.config.settings import load_project_config

    path = tmp_path / "campaign-guard.yaml"
    path.write_text(
        "jira:\n  site: https://example.atlassian.net\n  project: OPS\n"
        "  fields: {campaign_name: Campaign name}\n",
        encoding="utf-8",
    )
    jira = load_project_config(path).jira
    assert jira is not None
    assert (jira.project, jira.fields) == ("OPS", {"campaign_name": "Campaign name"})
    path.write_text("jira:\n  site: https://example.atlassian.net\n  project: ops\n")
    with pytest.raises(ConfigError, match=r"campaign-guard.yaml:3:\d+: jira.project: must be"):
        load_project_config(path)


def test_the_project_file_takes_an_oncall_section(tmp_path: Any) -> None:
    from campaign_guard.config.settings import load_project_config

    path = tmp_path / "campaign-guard.yaml"
    path.write_text(
        "oncall:\n  provider: fixed\n  name: Dana Ops\n  email: dana@example.com\n",
        encoding="utf-8",
    )
    oncall = load_project_config(path).oncall
    assert oncall is not None
    assert oncall.provider == "fixed"
    path.write_text("oncall:\n  provider: pagerduty\n  token: CANARY-in-a-file\n")
    with pytest.raises(ConfigError) as caught:
        load_project_config(path)
    assert "CANARY" not in str(caught.value)


def test_issue_type_may_be_given_as_its_id() -> None:
    assert settings(issue_type=10050).issue_type == "10050"
    assert settings(issue_type="10050").issue_type == "10050"
    with pytest.raises(ValidationError):
        settings(issue_type=True)


def test_a_review_field_takes_a_name_or_a_saved_definition() -> None:
    jira = settings(
        fields={
            "launch": "Launch date",
            "verdict": {"id": "customfield_10055", "type": "option", "options": ["OK"]},
            "new_data_fields": {"id": "customfield_10054", "type": "string", "custom": "textarea"},
        }
    )
    assert jira.fields["launch"] == "Launch date"
    assert jira.fields["verdict"] == SavedField(
        id="customfield_10055", type="option", options=["OK"]
    )
    saved = jira.fields["new_data_fields"]
    assert isinstance(saved, SavedField)
    assert (saved.type, saved.custom, saved.options) == ("string", "textarea", [])


@pytest.mark.parametrize(
    ("saved", "line"),
    [
        (
            "{id: customfield_1, type: text}",
            "5:39: jira.fields.launch.type: Input should be 'string', 'number', 'date', "
            "'datetime' or 'option'",
        ),
        (
            "{id: customfield_1, type: option}",
            "5:13: jira.fields.launch: a select list (type: option) needs its options; "
            "`campaign-guard jira fields --save` saves them",
        ),
        (
            "{id: customfield_1, type: number, options: [OK]}",
            "5:13: jira.fields.launch: only a select list (type: option) has options",
        ),
        (
            "{id: customfield_1, type: date, name: x}",
            "5:45: jira.fields.launch.name: unknown field 'name'",
        ),
        ("{type: date}", "5:13: jira.fields.launch.id: is required"),
        ("{id: 'custom field', type: date}", "5:18: jira.fields.launch.id: is not in the expected"),
        ("12", "5:13: jira.fields.launch: must be text; put the value in quotes"),
    ],
)
def test_a_bad_saved_field_is_placed_and_explained(tmp_path: Any, saved: str, line: str) -> None:
    from campaign_guard.config.settings import load_project_config

    path = tmp_path / "campaign-guard.yaml"
    path.write_text(
        "jira:\n  site: https://example.atlassian.net\n  project: OPS\n  fields:\n"
        f"    launch: {saved}\n",
        encoding="utf-8",
    )
    with pytest.raises(ConfigError) as caught:
        load_project_config(path)
    assert str(caught.value).startswith(f"{path}:{line}")
    assert "did you mean" not in str(caught.value)  # not 'name' for 'name'
