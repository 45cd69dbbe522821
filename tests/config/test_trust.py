"""Whose project file and templates are used, and how far up the project file is looked for.

Ownership is tested by injecting the current user's id (:class:`Trust`'s ``uid``), and
group-writability by injecting whether a group is the owner's private group: the tests
may run as root, and need no second account.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from campaign_guard.config.settings import Settings, find_config, resolve, search_folders
from campaign_guard.config.trust import ENV_TRUST, Trust, is_private_group, owners_private_group
from campaign_guard.errors import ConfigError, ExitCode
from tests.conftest import RunCli

ME = os.geteuid()
SOMEONE_ELSE = ME + 1


def write(path: Path, text: str, mode: int = 0o644) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    path.chmod(mode)
    return path


def resolved(
    cwd: Path, environ: dict[str, str] | None = None, *, uid: int = ME, private: bool = False
) -> Settings:
    """``resolve`` as run by user ``uid``; ``private``: every group is its owner's own."""
    env = environ or {}
    trust = Trust.of(env, cwd, uid)
    trust = Trust(trust.uid, trust.trusted, trust.everything, lambda uid, gid: private)
    return resolve(environ=env, cwd=cwd, trust=trust)


def refused(cwd: Path, environ: dict[str, str] | None = None, **kwargs: object) -> str:
    with pytest.raises(ConfigError) as caught:
        resolved(cwd, environ, **kwargs)  # type: ignore[arg-type]
    assert caught.value.exit_code == ExitCode.USAGE
    message = str(caught.value)
    assert "\n" not in message
    return message


# --- how far up the project file is looked for ----------------------------------------


def test_the_search_stops_at_the_repository_root(tmp_path: Path) -> None:
    write(tmp_path / "campaign-guard.yaml", "{}\n")
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / "campaigns").mkdir()
    assert find_config(repo / "campaigns") is None
    inner = write(repo / "campaign-guard.yaml", "{}\n")
    assert find_config(repo / "campaigns") == inner
    assert search_folders(repo / "campaigns", None) == [repo / "campaigns", repo]


def test_a_git_file_marks_a_repository_root_too(tmp_path: Path) -> None:
    write(tmp_path / "campaign-guard.yaml", "{}\n")
    write(tmp_path / "worktree" / ".git", "gitdir: /elsewhere/.git/worktrees/w\n")
    (tmp_path / "worktree" / "campaigns").mkdir()
    assert find_config(tmp_path / "worktree" / "campaigns") is None


def test_the_search_stops_at_home(tmp_path: Path) -> None:
    write(tmp_path / "campaign-guard.yaml", "{}\n")  # above $HOME: never looked at
    home = tmp_path / "home"
    (home / "shop" / "campaigns").mkdir(parents=True)
    start = home / "shop" / "campaigns"
    assert find_config(start, home) is None
    assert search_folders(start, home) == [start, home / "shop", home]
    in_home = write(home / "campaign-guard.yaml", "{}\n")
    assert find_config(start, home) == in_home
    assert resolved(start, {"HOME": str(home)}).config_path == in_home


def test_without_a_repository_or_home_above_only_the_current_folder(tmp_path: Path) -> None:
    path = write(tmp_path / "campaign-guard.yaml", "{}\n")
    (tmp_path / "sub").mkdir()
    assert find_config(tmp_path / "sub") is None
    assert search_folders(tmp_path / "sub", None) == [tmp_path / "sub"]
    assert find_config(tmp_path) == path  # the current folder itself: always


def test_a_folder_everyone_may_write_to_is_never_searched_from_below(tmp_path: Path) -> None:
    """Like /tmp: another user's planted campaign-guard.yaml there is not found from a
    folder of one's own inside it, even below a repository root above it."""
    (tmp_path / ".git").mkdir()
    shared = tmp_path / "shared"
    shared.mkdir()
    planted = write(shared / "campaign-guard.yaml", "jira:\n  site: https://evil.example\n")
    shared.chmod(0o1777)
    mine = shared / "mine"
    mine.mkdir(mode=0o700)
    assert search_folders(mine, None) == [mine]
    assert resolved(mine).config_path is None
    assert find_config(shared) == planted


# --- whose project file is used ----------------------------------------------------------


@pytest.mark.parametrize("name", ["campaign-guard.yaml", "pyproject.toml"])
def test_a_project_file_of_another_user_is_refused(tmp_path: Path, name: str) -> None:
    text = "{}\n" if name.endswith(".yaml") else "[tool.campaign-guard]\n"
    path = write(tmp_path / name, text)
    assert refused(tmp_path, uid=SOMEONE_ELSE) == (
        f"{path} belongs to another user (uid {ME}), so campaign-guard does not use it "
        "(the project file decides where your Jira credentials go); "
        f"set {ENV_TRUST}={path} to trust it"
    )


@pytest.mark.parametrize(
    "trusted",
    ["{file}", "{folder}", "{folder}/", "/nowhere:{file}", "*", "campaign-guard.yaml"],
)
def test_a_trusted_project_file_is_used_whoever_owns_it(tmp_path: Path, trusted: str) -> None:
    path = write(tmp_path / "campaign-guard.yaml", "{}\n", mode=0o666)
    entry = trusted.format(file=path, folder=tmp_path).replace(":", os.pathsep)
    environ = {ENV_TRUST: entry}
    assert resolved(tmp_path, environ, uid=SOMEONE_ELSE).config_path == path


def test_trusting_another_path_trusts_nothing_here(tmp_path: Path) -> None:
    write(tmp_path / "campaign-guard.yaml", "{}\n")
    (tmp_path / "other").mkdir()
    environ = {ENV_TRUST: str(tmp_path / "other")}
    assert "belongs to another user" in refused(tmp_path, environ, uid=SOMEONE_ELSE)


def test_a_group_writable_project_file_is_refused_unless_the_group_is_the_owners_own(
    tmp_path: Path,
) -> None:
    path = write(tmp_path / "campaign-guard.yaml", "{}\n", mode=0o664)
    assert refused(tmp_path, private=False) == (
        f"{path} can be changed by other users (it is writable by its group), so "
        "campaign-guard does not use it (the project file decides where your Jira "
        f"credentials go); run `chmod go-w {path}`, or set {ENV_TRUST}={path} to trust it"
    )
    assert resolved(tmp_path, private=True).config_path == path


def test_a_project_file_everyone_may_write_is_refused(tmp_path: Path) -> None:
    write(tmp_path / "campaign-guard.yaml", "{}\n", mode=0o646)
    assert "writable by others" in refused(tmp_path, private=True)


def test_nothing_is_checked_where_files_have_no_owners(tmp_path: Path) -> None:
    path = write(tmp_path / "campaign-guard.yaml", "{}\n", mode=0o666)
    trust = Trust(None)  # as on Windows
    assert resolve(environ={}, cwd=tmp_path, trust=trust).config_path == path


def test_the_check_reads_the_current_user_and_the_environment(tmp_path: Path) -> None:
    trust = Trust.of({ENV_TRUST: f"~{os.pathsep}rel{os.pathsep} {os.pathsep}"}, tmp_path)
    assert trust.uid == ME
    assert trust.trusted == (
        os.path.realpath(Path("~").expanduser()),
        os.path.realpath(tmp_path / "rel"),
    )
    assert not trust.everything
    assert Trust.of({ENV_TRUST: "*"}, tmp_path).everything


def test_a_group_is_private_when_named_after_its_only_user() -> None:
    assert is_private_group("dana", "dana", [], ["dana"])
    assert is_private_group("dana", "dana", ["dana"], [])
    assert not is_private_group("dana", "staff", [], ["dana"])
    assert not is_private_group("dana", "dana", ["lee"], ["dana"])
    assert not is_private_group("dana", "dana", [], ["dana", "lee"])
    assert not owners_private_group(ME, 2**31 - 3)  # no such group: not private


def test_a_writable_project_file_fails_any_command_in_one_line(cli: RunCli, workdir: Path) -> None:
    path = write(workdir / "campaign-guard.yaml", "lint:\n  lead_time_business_days: 3\n")
    write(workdir / "spec.yaml", "schema_version: 1\n")
    path.chmod(0o666)
    code, out, err = cli("lint", "spec.yaml")
    assert (code, out) == (2, "")
    assert err.startswith(f"error: {path} can be changed by every user")
    assert err.endswith(f"set {ENV_TRUST}={path} to trust it\n")
    assert err.count("\n") == 1
    code, _, _ = cli("lint", "spec.yaml", env={ENV_TRUST: str(path)})
    assert code == 1  # the spec's own problems: the project file was used


# --- whose templates are used ------------------------------------------------------------


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project file naming ``ops/templates``, which holds one template."""
    write(tmp_path / "campaign-guard.yaml", "templates: ops/templates\n")
    write(tmp_path / "ops" / "templates" / "ticket-summary.txt.j2", "{{ name }}\n")
    return tmp_path


def test_templates_of_another_user_are_refused(project: Path) -> None:
    folder = project / "ops" / "templates"
    environ = {ENV_TRUST: str(project / "campaign-guard.yaml")}
    assert refused(project, environ, uid=SOMEONE_ELSE) == (
        f"templates: {folder} belongs to another user (uid {ME}), so campaign-guard does "
        "not use it (the templates write your Jira tickets); "
        f"set {ENV_TRUST}={folder} to trust it"
    )
    environ[ENV_TRUST] += os.pathsep + str(folder)
    assert resolved(project, environ, uid=SOMEONE_ELSE).template_dir == folder


def test_a_writable_template_in_the_folder_is_refused(project: Path) -> None:
    template = project / "ops" / "templates" / "sub" / "header.j2"
    write(template, "x\n", mode=0o664)
    message = refused(project, private=False)
    assert message.startswith(f"templates: {template} can be changed by other users")
    assert resolved(project, {ENV_TRUST: str(template)}).template_dir is not None


def test_a_writable_templates_folder_is_refused(project: Path) -> None:
    (project / "ops" / "templates").chmod(0o777)
    assert "writable by others" in refused(project, private=True)


def test_a_named_pipe_among_the_templates_is_refused(project: Path) -> None:
    pipe = project / "ops" / "templates" / "ticket-description.jira.j2"
    os.mkfifo(pipe)
    assert refused(project) == (
        f"templates: {pipe}: not a regular file (it is a named pipe); the templates "
        "folder holds only templates and folders of them"
    )


def test_a_templates_folder_holding_too_much_is_refused(project: Path) -> None:
    folder = project / "ops" / "templates"
    for number in range(1000):
        (folder / f"t{number}.j2").touch()
    assert refused(project) == (
        f"templates: {folder} holds more than 1000 files and folders; keep only the templates there"
    )


def test_a_link_loop_in_the_templates_folder_is_checked_once(project: Path) -> None:
    (project / "ops" / "templates" / "again").symlink_to(".")
    assert resolved(project).template_dir == project / "ops" / "templates"
