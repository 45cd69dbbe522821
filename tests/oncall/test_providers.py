"""Every on-call provider is registered once, whole, and only a provider that exists
is ever used: a ``provider:`` the project file misspells is an error at its line."""

from __future__ import annotations

import re
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, get_args

import pytest
from pydantic import TypeAdapter

from campaign_guard.config.settings import load_project_config
from campaign_guard.errors import ConfigError
from campaign_guard.oncall import OnCallSettings
from campaign_guard.oncall.base import OnCallError
from campaign_guard.oncall.providers import PROVIDER_KINDS, PROVIDERS, provider_from
from campaign_guard.oncall.settings import PROVIDER_NAMES, ProviderSettings
from tests.conftest import REPO_ROOT

ADAPTER: TypeAdapter[Any] = TypeAdapter(OnCallSettings)
NOW = datetime(2027, 3, 8, 9, tzinfo=timezone.utc)
PERSON = {"name": "Ana Ops", "email": "ana@example.com"}
SAMPLES: dict[str, dict[str, Any]] = {
    "fixed": {"provider": "fixed", **PERSON},
    "rotation": {
        "provider": "rotation",
        "timezone": "Europe/Paris",
        "handoff": {"weekday": "monday", "time": "09:00"},
        "start": "2027-03-01",
        "people": [PERSON],
    },
    "pagerduty": {"provider": "pagerduty", "schedule_id": "PSCHED1"},
}
"""A valid ``oncall:`` section for every provider (a new one fails until it has one)."""


def test_every_provider_of_the_settings_is_registered_once() -> None:
    models = get_args(ProviderSettings)
    assert [kind.settings for kind in PROVIDERS] == list(models)
    assert list(PROVIDER_KINDS) == list(PROVIDER_NAMES) == ["fixed", "rotation", "pagerduty"]


@pytest.mark.parametrize("name", PROVIDER_NAMES)
def test_every_provider_is_asked_and_checked_as_registered(name: str) -> None:
    kind = PROVIDER_KINDS[name]
    settings = ADAPTER.validate_python(SAMPLES[name])
    assert isinstance(settings, kind.settings)
    environ = dict.fromkeys(kind.environment, "a-token")
    assert kind.doctor(settings, environ) is None
    provider = provider_from(settings, environ)
    assert provider is not None
    assert callable(provider.on_call)
    for variable in kind.environment:  # each secret it reads is checked before asking
        problem = kind.doctor(settings, {})
        assert problem is not None
        assert variable in problem
        with pytest.raises(OnCallError, match=variable):
            provider_from(settings, {})
    if kind.asked_when_filed is None:  # answered from the project file alone
        assert provider.on_call(NOW).email == PERSON["email"]


def test_the_readme_lists_every_provider_and_the_secrets_they_read() -> None:
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    row = next(line for line in readme.splitlines() if line.startswith("| `oncall` ("))
    listed = re.findall(r"`(?:provider: )?([a-z]+)`", row.split("|")[1])
    assert listed == ["oncall", *PROVIDER_NAMES]
    secrets = {variable for kind in PROVIDERS for variable in kind.environment}
    assert secrets <= set(re.findall(r"`([A-Z_]+)`", row.split("|")[3]))


def _project(tmp_path: Path, oncall: str) -> Path:
    path = tmp_path / "campaign-guard.yaml"
    path.write_text(f"jira:\n  site: https://example.atlassian.net\n  project: OPS\n{oncall}")
    return path


@pytest.mark.parametrize(
    ("given", "hint"),
    [
        ("pagerduti", " (did you mean 'pagerduty'?)"),
        ("opsgenie", ""),
        ("PagerDuty", " (did you mean 'pagerduty'?)"),
    ],
)
def test_an_unknown_provider_is_an_error_at_its_line(tmp_path: Path, given: str, hint: str) -> None:
    path = _project(tmp_path, f"oncall:\n  provider: {given}\n  schedule_id: PSCHED1\n")
    with pytest.raises(ConfigError) as caught:
        load_project_config(path)
    assert str(caught.value) == (
        f"{path}:5:13: oncall.provider: unknown on-call provider '{given}'{hint}; the "
        "providers are fixed, rotation, pagerduty"
    )


def test_an_unknown_provider_in_a_pyproject_is_an_error_at_its_line(tmp_path: Path) -> None:
    path = tmp_path / "pyproject.toml"
    path.write_text('[tool.campaign-guard.oncall]\nprovider = "rotaton"\n')
    with pytest.raises(ConfigError, match=r"pyproject.toml:2: .*oncall.provider: unknown "):
        load_project_config(path)
    with pytest.raises(ConfigError, match=r"\(did you mean 'rotation'\?\); the providers are"):
        load_project_config(path)


def test_a_section_without_a_provider_says_which_there_are(tmp_path: Path) -> None:
    path = _project(tmp_path, "oncall:\n  schedule_id: PSCHED1\n")
    with pytest.raises(ConfigError) as caught:
        load_project_config(path)
    assert str(caught.value) == (
        f"{path}:5:3: oncall: needs `provider:` (one of fixed, rotation, pagerduty)"
    )
