"""Which files ``lint`` reads, and that no file or folder can make it wait or loop.

Named pipes, ``/dev/stdin``, link loops and links to ``/`` are read through the
installed command under CPU, memory and wall-clock limits (:mod:`tests.limits`), so a
regression fails in seconds instead of hanging the test run.
"""

from __future__ import annotations

import contextlib
import errno
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from campaign_guard.lint.walk import expand
from tests.cli.test_lint_cli import AS_OF, paths_in, spec, write
from tests.conftest import RunCli
from tests.limits import run_limited

PIPE_FINDING = "cannot read the file: not a regular file (it is a named pipe) [unreadable]"


def lint_limited(cwd: Path, *paths: str) -> tuple[int, str, str]:
    run = run_limited("lint", *paths, "--as-of", AS_OF, cwd=cwd)
    assert not run.killed, run.stderr
    return run.code, run.stdout, run.stderr


# --- special files: a finding, never a wait ------------------------------------------


def test_a_named_pipe_is_a_finding_not_a_wait(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.yaml")
    assert lint_limited(tmp_path, "pipe.yaml") == (
        1,
        f"pipe.yaml: error {PIPE_FINDING}\n",
        "Checked 1 file: 1 error.\n",
    )


def test_a_folder_holding_a_named_pipe(tmp_path: Path) -> None:
    write(tmp_path / "campaigns" / "a.yaml", spec())
    os.mkfifo(tmp_path / "campaigns" / "pipe.yaml")
    os.mkfifo(tmp_path / "campaigns" / "other-pipe")  # not a spec name: not read at all
    assert lint_limited(tmp_path, "campaigns") == (
        1,
        f"campaigns/pipe.yaml: error {PIPE_FINDING}\n",
        "Checked 2 files: 1 error.\n",
    )


@contextlib.contextmanager
def stdin_that_never_ends() -> Iterator[None]:
    """This process's (and so the child's) standard input: a pipe nobody writes to or
    closes, as in a CI step that pipes nothing in but keeps the pipe open."""
    read, write_end = os.pipe()
    saved = os.dup(0)
    os.dup2(read, 0)
    try:
        yield
    finally:
        os.dup2(saved, 0)
        for descriptor in (saved, read, write_end):
            os.close(descriptor)


def test_a_link_to_dev_stdin_is_not_read(tmp_path: Path) -> None:
    (tmp_path / "campaigns").mkdir()
    (tmp_path / "campaigns" / "in.yaml").symlink_to("/dev/stdin")
    with stdin_that_never_ends():
        code, out, err = lint_limited(tmp_path, "campaigns")
    assert (code, err) == (1, "Checked 1 file: 1 error.\n")
    assert out == f"campaigns/in.yaml: error {PIPE_FINDING}\n"


def test_a_folder_named_like_a_spec_is_a_finding(tmp_path: Path) -> None:
    (tmp_path / "campaigns" / "odd.yaml").mkdir(parents=True)
    assert lint_limited(tmp_path, "campaigns/*.yaml")[1] == (
        "campaigns/odd.yaml: error cannot read the file: not a regular file (it is a folder) "
        "[unreadable]\n"
    )


# --- link loops and links out of the tree ------------------------------------------------


@pytest.fixture
def looped(tmp_path: Path) -> Path:
    """Specs among links back to their own folders, a parent, ``/`` and a folder
    beside the tree (which holds a broken spec); a hidden folder reached by a link."""
    campaigns = tmp_path / "campaigns"
    write(campaigns / "a.yaml", spec("A"))
    write(campaigns / "q1" / "b.yaml", spec("B"))
    write(campaigns / ".archive" / "d.yaml", spec("D"))
    (campaigns / "archived").symlink_to(".archive")
    write(tmp_path / "other" / "c.yaml", "name: [broken\n")
    (campaigns / "loop").symlink_to(".")
    (campaigns / "q1" / "up").symlink_to("..")
    (campaigns / "q1" / "again").symlink_to("../q1")
    (campaigns / "alias").symlink_to("q1")  # inside the tree: followed, b.yaml once
    (campaigns / "root").symlink_to("/")
    (campaigns / "beside").symlink_to("../other")
    return tmp_path


@pytest.mark.parametrize(
    ("argument", "files"),
    [
        ("campaigns/**/*.yaml", 3),
        ("campaigns", 2),
        ("**/q1/*.yaml", 1),
        ("campaigns/*/**/*.yaml", 3),  # root/ and beside/ match the *, and lead out
    ],
)
def test_link_loops_and_links_to_root_end_fast(looped: Path, argument: str, files: int) -> None:
    assert lint_limited(looped, argument) == (
        0,
        "",
        f"Checked {files} file{'s' * (files > 1)}: no problems found.\n",
    )


def test_a_glob_follows_links_inside_its_root_only(
    looped: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(looped)
    assert expand("campaigns/**/*.yaml") == [
        "campaigns/a.yaml",
        "campaigns/archived/d.yaml",  # a link to a folder inside the root: followed
        "campaigns/q1/b.yaml",  # by its real name, not through alias/, loop/ or up/
    ]


def test_expand_matches_like_glob(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("a.yaml", "b.yml", ".h.yaml", "x/c.yaml", "x/y/d.yaml", ".git/e.yaml", "x/n.txt"):
        write(tmp_path / name, "")
    monkeypatch.chdir(tmp_path)
    assert expand("*.y*ml") == ["a.yaml", "b.yml"]
    assert expand("**/*.yaml") == ["a.yaml", "x/c.yaml", "x/y/d.yaml"]
    assert expand("x/**") == ["x/c.yaml", "x/n.txt", "x/y", "x/y/d.yaml"]
    assert expand("*/[cd].yaml") == ["x/c.yaml"]
    assert expand("**/**/d.yaml") == ["x/y/d.yaml"]
    assert expand(".*.yaml") == [".h.yaml"]
    assert expand(f"{tmp_path}/x/*.yaml") == [f"{tmp_path}/x/c.yaml"]
    assert expand("nowhere/*.yaml") == []


# --- folders that cannot be read ---------------------------------------------------------


@pytest.fixture
def private(monkeypatch: pytest.MonkeyPatch) -> None:
    """Listing any folder named ``private`` fails as it does for another user's folder
    (the tests may run as root, who can read every folder)."""
    real = os.scandir

    def scandir(path: str) -> object:
        if os.path.basename(os.fspath(path).rstrip("/")) == "private":
            raise PermissionError(errno.EACCES, "Permission denied", path)
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)


@pytest.mark.parametrize("argument", ["campaigns", "campaigns/**/*.yaml", "campaigns/*/*.yaml"])
def test_an_unreadable_folder_is_an_error_not_zero_files(
    cli: RunCli, workdir: Path, private: None, argument: str
) -> None:
    write(workdir / "campaigns" / "a.yaml", spec())
    (workdir / "campaigns" / "private").mkdir()
    code, out, err = cli("lint", argument, "--as-of", AS_OF)
    assert (code, out) == (2, "")
    assert err == "error: cannot read the folder 'campaigns/private': Permission denied\n"


def test_an_unreadable_folder_named_itself(cli: RunCli, workdir: Path, private: None) -> None:
    (workdir / "private").mkdir()
    assert cli("lint", "private") == (
        2,
        "",
        "error: cannot read the folder 'private': Permission denied\n",
    )


def test_a_path_behind_an_unreadable_folder(
    cli: RunCli, workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = os.stat

    def stat(path: str, *args: object, **kwargs: object) -> os.stat_result:
        if os.fspath(path) == "private/a.yaml":
            raise PermissionError(errno.EACCES, "Permission denied", path)
        return real(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "stat", stat)
    assert cli("lint", "private/a.yaml") == (
        2,
        "",
        "error: cannot read 'private/a.yaml': Permission denied\n",
    )


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every folder")
def test_a_folder_without_read_permission(cli: RunCli, workdir: Path) -> None:
    write(workdir / "campaigns" / "locked" / "a.yaml", spec())
    (workdir / "campaigns" / "locked").chmod(0)
    try:
        code, _, err = cli("lint", "campaigns")
    finally:
        (workdir / "campaigns" / "locked").chmod(0o755)
    assert code == 2
    assert err == "error: cannot read the folder 'campaigns/locked': Permission denied\n"


def test_the_found_files_are_named_as_before(cli: RunCli, workdir: Path) -> None:
    write(workdir / "campaigns" / "q1" / "b.yaml", "name: [broken\n")
    write(workdir / "campaigns" / "a.yaml", "name: [broken\n")
    _, out, _ = cli("lint", "campaigns")
    assert paths_in(out) == {"campaigns/a.yaml", "campaigns/q1/b.yaml"}
    assert out.index("campaigns/a.yaml") < out.index("campaigns/q1/b.yaml")
