"""Saving into the project file: written in one step, or left as it was with what to paste."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from campaign_guard.config import save as project_file_save
from campaign_guard.config.edit import toml_lines, yaml_section
from campaign_guard.config.save import Change, NotSaved, save_ids
from campaign_guard.config.settings import load_project_config
from campaign_guard.errors import ExitCode
from campaign_guard.jira.saved_fields import SavedIds, saved_ids
from campaign_guard.jira.settings import JiraSettings
from tests.jira.test_saved_fields import SCREEN

PROJECT = "jira:\n  site: https://example.atlassian.net\n  project: OPS  # ops\n  fields:\n"
NAMED = PROJECT + "    launch: Launch date\n"


def jira_of(path: Path) -> JiraSettings:
    jira = load_project_config(path).jira
    assert jira is not None
    return jira


def ids_of(path: Path) -> SavedIds:
    return saved_ids(jira_of(path).fields, SCREEN)


def write(folder: Path, text: str | bytes, name: str = "campaign-guard.yaml") -> Path:
    path = folder / name
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return path


def test_saving_rewrites_the_file_in_one_step_and_keeps_its_mode(tmp_path: Path) -> None:
    path = write(tmp_path, NAMED)
    path.chmod(0o640)
    outcome = save_ids(path, jira_of(path), ids_of(path))
    assert outcome.written
    assert outcome.changes == (
        Change("jira.issue_type", "Marketing Campaign Launch", "10050"),
        Change("jira.fields.launch", "Launch date", "{id: customfield_10050, type: datetime}"),
    )
    assert path.read_text(encoding="utf-8") == (
        "jira:\n  site: https://example.atlassian.net\n"
        "  project: OPS  # ops\n  issue_type: 10050  # Marketing Campaign Launch\n  fields:\n"
        "    launch: {id: customfield_10050, type: datetime}  # Launch date\n"
    )
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["campaign-guard.yaml"]  # no temp file
    again = save_ids(path, jira_of(path), ids_of(path))
    assert (again.written, again.changes) == (False, ())


def test_nothing_to_change_writes_nothing(tmp_path: Path) -> None:
    path = write(tmp_path, NAMED)
    save_ids(path, jira_of(path), ids_of(path))
    before = path.stat()
    path.chmod(0o444)  # read-only does not matter when nothing is to be written
    outcome = save_ids(path, jira_of(path), ids_of(path))
    assert (outcome.written, outcome.changes) == (False, ())
    assert path.stat().st_mtime_ns == before.st_mtime_ns


def test_a_byte_order_mark_and_crlf_are_kept(tmp_path: Path) -> None:
    path = write(tmp_path, b"\xef\xbb\xbf" + NAMED.replace("\n", "\r\n").encode())
    save_ids(path, jira_of(path), ids_of(path))
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfjira:\r\n")
    assert raw.count(b"\n") == raw.count(b"\r\n") == 6
    assert jira_of(path).issue_type == "10050"


def test_a_link_stays_a_link(tmp_path: Path) -> None:
    real = write(tmp_path, NAMED, "settings.yaml")
    link = tmp_path / "campaign-guard.yaml"
    link.symlink_to(real.name)
    save_ids(link, jira_of(link), ids_of(link))
    assert link.is_symlink()
    assert "customfield_10050" in real.read_text(encoding="utf-8")


def _refused(path: Path) -> NotSaved:
    before = path.read_bytes()
    with pytest.raises(NotSaved) as caught:
        save_ids(path, jira_of(path), ids_of(path))
    assert path.read_bytes() == before
    assert caught.value.exit_code == ExitCode.USAGE
    assert "\n" not in str(caught.value)
    return caught.value


def test_a_read_only_file_is_left_as_it_was(tmp_path: Path) -> None:
    path = write(tmp_path, NAMED)
    path.chmod(0o444)
    refused = _refused(path)
    assert str(refused).startswith(f"{path}: the file is read-only; nothing was changed")
    assert refused.paste == yaml_section(ids_of(path))
    assert stat.S_IMODE(path.stat().st_mode) == 0o444


def test_pyproject_is_never_rewritten_the_lines_to_paste_are_given(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        '[project]\nname = "x"\n\n[tool.campaign-guard.jira]\n'
        'site = "https://example.atlassian.net"\nproject = "OPS"\n'
        'fields = { launch = "Launch date" }\n',
        "pyproject.toml",
    )
    refused = _refused(path)
    assert str(refused) == (
        f"{path}:4: campaign-guard does not rewrite pyproject.toml; nothing was changed: in "
        "its [tool.campaign-guard.jira] table, replace issue_type and fields with the lines "
        "printed above"
    )
    assert refused.paste == toml_lines(ids_of(path))
    assert refused.paste.startswith('issue_type = "10050"  # Marketing Campaign Launch\n')


def test_a_flow_style_jira_section_is_refused_at_its_line(tmp_path: Path) -> None:
    path = write(
        tmp_path, "# settings\njira: {site: https://example.atlassian.net, project: OPS}\n"
    )
    refused = _refused(path)
    assert str(refused).startswith(
        f"{path}:2: the jira: section is written in flow style ({{...}}), which --save does "
        "not rewrite; nothing was changed: set jira.issue_type and jira.fields as printed above"
    )
    assert refused.paste == "jira:\n  issue_type: 10050  # Marketing Campaign Launch\n"


def test_a_failed_write_leaves_the_file_and_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path, NAMED)

    def full_disk(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full_disk)
    refused = _refused(path)
    assert str(refused).startswith(
        f"{path}: cannot rewrite the file (No space left on device); nothing was changed"
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["campaign-guard.yaml"]


def test_an_edit_that_would_not_read_back_exactly_is_not_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path, NAMED)
    monkeypatch.setattr(project_file_save, "with_saved_ids", lambda text, ids: text)
    refused = _refused(path)
    assert "the edited file would not hold the saved settings exactly" in str(refused)


def test_a_file_changed_since_it_was_read_is_not_guessed_at(tmp_path: Path) -> None:
    path = write(tmp_path, NAMED)
    jira, ids = jira_of(path), ids_of(path)
    write(tmp_path, "jira:\n  site: https://example.atlassian.net\n  project: OPS\n")
    before = path.read_bytes()
    with pytest.raises(NotSaved, match=r"campaign-guard\.yaml:1: the jira: section has no fields:"):
        save_ids(path, jira, ids)
    write(tmp_path, "jira: [\n")
    with pytest.raises(NotSaved, match=r"campaign-guard\.yaml:2: "):
        save_ids(path, jira, ids)
    write(tmp_path, before)
    assert path.read_bytes() == before
