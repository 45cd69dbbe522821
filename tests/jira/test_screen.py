"""The create screen's cache: where it lives, when it is read, fetched and forgotten."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from campaign_guard.errors import SetupError
from campaign_guard.jira.cache import ENV_CACHE_DIR, cache_dir, site_dir
from campaign_guard.jira.fields import CreateScreen, JiraField
from campaign_guard.jira.screen import (
    cached_screen,
    fetch_screen,
    forget,
    screen_file,
)
from campaign_guard.jira.settings import JiraSettings

SETTINGS = JiraSettings(site="https://example.atlassian.net", project="OPS")
TEXTAREA = "com.atlassian.jira.plugin.system.customfieldtypes:textarea"

FIELDS: list[dict[str, Any]] = [
    {
        "fieldId": "summary",
        "name": "Summary",
        "required": True,
        "schema": {"type": "string", "system": "summary"},
    },
    {
        "fieldId": "customfield_10200",
        "name": "Traffic notes",
        "required": False,
        "schema": {"type": "string", "custom": TEXTAREA},
    },
    {"name": "junk without an id"},
]


class FakeGateway:
    """Answers the two metadata requests and counts them."""

    def __init__(self, fields: list[dict[str, Any]] | None = None) -> None:
        self.calls: list[tuple[str, ...]] = []
        self.fields = FIELDS if fields is None else fields

    def issue_types(self, project_key: str) -> list[dict[str, Any]]:
        self.calls.append(("issue_types", project_key))
        return [
            {"id": "10001", "name": "Task"},
            {"id": "10002", "name": "Marketing Campaign Launch"},
        ]

    def create_fields(self, project_key: str, issue_type_id: str) -> list[dict[str, Any]]:
        self.calls.append(("create_fields", project_key, issue_type_id))
        return self.fields


EXPECTED = CreateScreen(
    project="OPS",
    issue_type_id="10002",
    issue_type="Marketing Campaign Launch",
    fields=(
        JiraField("summary", "Summary", "string", required=True),
        JiraField("customfield_10200", "Traffic notes", "string", TEXTAREA),
    ),
)


# --- where --------------------------------------------------------------------------


def test_cache_dir_prefers_the_campaign_guard_variable(tmp_path: Path) -> None:
    environ = {ENV_CACHE_DIR: str(tmp_path / "mine"), "XDG_CACHE_HOME": str(tmp_path / "xdg")}
    assert cache_dir(environ) == tmp_path / "mine"


def test_cache_dir_then_xdg_cache_home(tmp_path: Path) -> None:
    assert cache_dir({"XDG_CACHE_HOME": str(tmp_path / "xdg")}) == (
        tmp_path / "xdg" / "campaign-guard"
    )
    # An empty variable counts as unset.
    environ = {ENV_CACHE_DIR: "", "XDG_CACHE_HOME": str(tmp_path / "xdg")}
    assert cache_dir(environ) == tmp_path / "xdg" / "campaign-guard"


def test_cache_dir_else_the_home_cache(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    assert cache_dir({}) == tmp_path / ".cache" / "campaign-guard"
    assert cache_dir({"XDG_CACHE_HOME": ""}) == tmp_path / ".cache" / "campaign-guard"


def test_screen_file_is_stable_and_in_the_folder(tmp_path: Path) -> None:
    first = screen_file(tmp_path, SETTINGS)
    again = screen_file(
        tmp_path, JiraSettings(site="https://example.atlassian.net/", project="OPS")
    )
    assert first == again
    assert first.parent == site_dir(tmp_path, SETTINGS.site)
    assert first.parent.parent == tmp_path
    assert first.name.startswith("screen-")
    assert first.suffix == ".json"
    other_site = JiraSettings(site="https://other.atlassian.net", project="OPS")
    assert screen_file(tmp_path, other_site).parent != first.parent


def test_screen_file_ignores_the_case_of_the_issue_type(tmp_path: Path) -> None:
    lower = SETTINGS.model_copy(update={"issue_type": "marketing campaign launch"})
    assert screen_file(tmp_path, lower) == screen_file(tmp_path, SETTINGS)


@pytest.mark.parametrize(
    "other",
    [
        JiraSettings(site="https://other.atlassian.net", project="OPS"),
        JiraSettings(site="https://example.atlassian.net", project="WEB"),
        JiraSettings(site="https://example.atlassian.net", project="OPS", issue_type="Task"),
    ],
)
def test_screen_file_differs_per_site_project_and_issue_type(
    tmp_path: Path, other: JiraSettings
) -> None:
    assert screen_file(tmp_path, other) != screen_file(tmp_path, SETTINGS)


# --- fetch and cache ----------------------------------------------------------------


def test_fetch_screen_reads_types_then_fields() -> None:
    gateway = FakeGateway()
    assert fetch_screen(gateway, SETTINGS) == EXPECTED
    assert gateway.calls == [("issue_types", "OPS"), ("create_fields", "OPS", "10002")]


def test_fetch_screen_with_an_issue_type_id_reads_only_the_fields() -> None:
    gateway = FakeGateway()
    screen = fetch_screen(gateway, SETTINGS.model_copy(update={"issue_type": "10002"}))
    assert gateway.calls == [("create_fields", "OPS", "10002")]
    assert (screen.issue_type_id, screen.issue_type) == ("10002", "10002")


def test_fetch_screen_with_an_unknown_issue_type_raises_the_setup_error() -> None:
    gateway = FakeGateway()
    settings = SETTINGS.model_copy(update={"issue_type": "Epic"})
    with pytest.raises(SetupError) as caught:
        fetch_screen(gateway, settings)
    message = str(caught.value)
    assert message.startswith("jira.issue_type:")
    assert "Marketing Campaign Launch, Task" in message
    assert gateway.calls == [("issue_types", "OPS")]


def test_cached_screen_fetches_once_then_reads_the_file(tmp_path: Path) -> None:
    path = screen_file(tmp_path / "cache", SETTINGS)
    gateway = FakeGateway()

    first = cached_screen(gateway, SETTINGS, path)
    assert first == EXPECTED
    assert len(gateway.calls) == 2
    assert path.is_file()
    assert CreateScreen.from_json(json.loads(path.read_text(encoding="utf-8"))) == EXPECTED

    gateway.calls.clear()
    second = cached_screen(gateway, SETTINGS, path)
    assert second == EXPECTED
    assert gateway.calls == []


def test_cached_screen_reads_what_the_file_says(tmp_path: Path) -> None:
    path = tmp_path / "screen.json"
    stored = CreateScreen("OPS", "99", "Marketing Campaign Launch", ())
    path.write_text(json.dumps(stored.to_json()), encoding="utf-8")
    gateway = FakeGateway()
    assert cached_screen(gateway, SETTINGS, path) == stored
    assert gateway.calls == []


def test_cached_screen_refresh_fetches_again_and_rewrites(tmp_path: Path) -> None:
    path = tmp_path / "screen.json"
    stale = CreateScreen("OPS", "99", "Marketing Campaign Launch", ())
    path.write_text(json.dumps(stale.to_json()), encoding="utf-8")
    gateway = FakeGateway()
    assert cached_screen(gateway, SETTINGS, path, refresh=True) == EXPECTED
    assert len(gateway.calls) == 2
    assert CreateScreen.from_json(json.loads(path.read_text(encoding="utf-8"))) == EXPECTED


def test_cached_screen_of_another_project_is_not_used(tmp_path: Path) -> None:
    path = tmp_path / "screen.json"
    other = CreateScreen("WEB", "99", "Marketing Campaign Launch", ())
    path.write_text(json.dumps(other.to_json()), encoding="utf-8")
    gateway = FakeGateway()
    assert cached_screen(gateway, SETTINGS, path) == EXPECTED
    assert len(gateway.calls) == 2


@pytest.mark.parametrize(
    "content",
    [
        "{not json",
        "[]",
        '{"project": "OPS"}',
        '{"project": "OPS", "issue_type_id": "1", "issue_type": "X", "fields": [{"id": "a"}]}',
        "",
    ],
)
def test_cached_screen_ignores_and_rewrites_a_corrupt_file(tmp_path: Path, content: str) -> None:
    path = tmp_path / "screen.json"
    path.write_text(content, encoding="utf-8")
    gateway = FakeGateway()
    assert cached_screen(gateway, SETTINGS, path) == EXPECTED
    assert len(gateway.calls) == 2
    assert CreateScreen.from_json(json.loads(path.read_text(encoding="utf-8"))) == EXPECTED


def test_cached_screen_ignores_an_unreadable_path(tmp_path: Path) -> None:
    path = tmp_path / "screen.json"
    path.mkdir()  # a folder where the file should be: cannot be read nor replaced
    gateway = FakeGateway()
    assert cached_screen(gateway, SETTINGS, path) == EXPECTED
    assert len(gateway.calls) == 2


def test_cached_screen_survives_an_unwritable_folder(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    path = blocker / "cache" / "screen.json"
    gateway = FakeGateway()
    assert cached_screen(gateway, SETTINGS, path) == EXPECTED
    assert len(gateway.calls) == 2
    assert blocker.read_text(encoding="utf-8") == "not a folder"
    # Nothing was stored, so the next call asks Jira again.
    assert cached_screen(gateway, SETTINGS, path) == EXPECTED
    assert len(gateway.calls) == 4


def test_cached_screen_leaves_no_temporary_files(tmp_path: Path) -> None:
    path = tmp_path / "screen.json"
    cached_screen(FakeGateway(), SETTINGS, path)
    cached_screen(FakeGateway(), SETTINGS, path, refresh=True)
    assert [p.name for p in tmp_path.iterdir()] == ["screen.json"]


def test_cached_screen_without_a_path_always_fetches() -> None:
    gateway = FakeGateway()
    assert cached_screen(gateway, SETTINGS, None) == EXPECTED
    assert cached_screen(gateway, SETTINGS, None) == EXPECTED
    assert len(gateway.calls) == 4


# --- forget -------------------------------------------------------------------------


def test_forget_removes_the_file_so_the_next_call_fetches(tmp_path: Path) -> None:
    path = tmp_path / "screen.json"
    gateway = FakeGateway()
    cached_screen(gateway, SETTINGS, path)
    assert path.is_file()
    forget(path)
    assert not path.exists()
    cached_screen(gateway, SETTINGS, path)
    assert len(gateway.calls) == 4


def test_forget_tolerates_a_missing_file_and_no_path(tmp_path: Path) -> None:
    forget(tmp_path / "never-written.json")
    forget(tmp_path / "no-such-folder" / "screen.json")
    forget(None)
    assert list(tmp_path.iterdir()) == []


def test_forget_tolerates_a_path_it_cannot_remove(tmp_path: Path) -> None:
    folder = tmp_path / "screen.json"
    folder.mkdir()
    forget(folder)  # unlink on a folder fails; the error is swallowed
    assert folder.is_dir()
