"""Whose project file and templates campaign-guard will use: git's ``safe.directory`` rule.

The project file decides where the Jira credentials go (``jira.site``), and its
templates write the tickets. A file that someone else owns, or may change, could send
the credentials elsewhere. So the project file, the templates folder and everything in
it must belong to the user running campaign-guard and be writable by no one else.

* Its group may write to it when that group is the owner's own private group (named
  after the user, with no other member), as Debian and Ubuntu give every user: there,
  files are group-writable by default and no one else is in the group.
* ``CAMPAIGN_GUARD_TRUST`` lists paths to use anyway (separated by ``:``, ``;`` on
  Windows): a file, or a folder and everything below it; ``*`` trusts every path.
* Where files have no owners (Windows), nothing is checked.

Every refusal is one line that says how to fix it or how to trust the file.
"""

from __future__ import annotations

import functools
import os
import shlex
import stat
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from campaign_guard.errors import ConfigError
from campaign_guard.files import not_regular

ENV_TRUST = "CAMPAIGN_GUARD_TRUST"
PROJECT_FILE_MATTERS = "the project file decides where your Jira credentials go"
TEMPLATES_MATTER = "the templates write your Jira tickets"
MAX_TEMPLATE_ENTRIES = 1000
"""Most files and folders a templates folder may hold (they are all checked)."""


def is_private_group(
    user: str, group: str, members: Collection[str], primary_of: Collection[str]
) -> bool:
    """Whether ``group`` is ``user``'s own: named after the user, and no one else is in
    it, as a listed member (``members``) or by primary group (``primary_of``)."""
    return group == user and set(members) <= {user} and set(primary_of) <= {user}


@functools.lru_cache(maxsize=32)
def owners_private_group(uid: int, gid: int) -> bool:
    """Whether ``gid`` is the private group of user ``uid`` (see :func:`is_private_group`);
    asked once per pair, since it reads the whole user list."""
    try:
        import grp
        import pwd

        user = pwd.getpwuid(uid).pw_name
        group = grp.getgrgid(gid)
        primary = [entry.pw_name for entry in pwd.getpwall() if entry.pw_gid == gid]
    except (ImportError, KeyError):
        return False
    return is_private_group(user, group.gr_name, group.gr_mem, primary)


@dataclass(frozen=True)
class Trust:
    """Who may own and write the files campaign-guard takes its settings from."""

    uid: int | None
    """The user running campaign-guard; None where files have no owners (nothing checked)."""
    trusted: tuple[str, ...] = ()
    """Real paths used whatever their owner and mode (``CAMPAIGN_GUARD_TRUST``)."""
    everything: bool = False
    """``CAMPAIGN_GUARD_TRUST=*``: no check at all."""
    private_group: Callable[[int, int], bool] = field(default=owners_private_group)
    """Whether a group id is a user's private group: ``(uid, gid) -> bool``."""

    @classmethod
    def of(cls, environ: Mapping[str, str], cwd: Path, uid: int | None = None) -> Trust:
        """The rule for this run: the current user (or ``uid``), ``CAMPAIGN_GUARD_TRUST``."""
        if uid is None and hasattr(os, "geteuid"):
            uid = os.geteuid()
        entries = [e.strip() for e in environ.get(ENV_TRUST, "").split(os.pathsep)]
        trusted = tuple(
            os.path.realpath(cwd / Path(entry).expanduser())
            for entry in entries
            if entry and entry != "*"
        )
        return cls(uid, trusted, "*" in entries)

    def check_project_file(self, path: Path) -> None:
        """Refuse the project file unless it is the user's own and no one else may change it."""
        if self._skipped(path):
            return
        try:
            info = os.stat(path)
        except OSError:
            return  # reading it will say what is wrong
        problem = self._problem(info)
        if problem is not None:
            raise ConfigError(_refusal(path, problem, "", PROJECT_FILE_MATTERS))

    def check_templates(self, folder: Path) -> None:
        """Refuse a templates folder unless it and everything in it are the user's own,
        files and folders that no one else may change."""
        seen: set[tuple[int, int]] = set()
        pending = [folder]
        while pending:
            path = pending.pop()
            if self._skipped(path):
                continue
            try:
                info = os.stat(path)
            except OSError:
                continue  # a broken link: loading it, if it is used, says so
            if (info.st_dev, info.st_ino) in seen:
                continue
            seen.add((info.st_dev, info.st_ino))
            if len(seen) > MAX_TEMPLATE_ENTRIES:
                raise ConfigError(
                    f"templates: {folder} holds more than {MAX_TEMPLATE_ENTRIES} files "
                    "and folders; keep only the templates there"
                )
            problem = self._problem(info)
            if problem is not None:
                raise ConfigError(_refusal(path, problem, "templates: ", TEMPLATES_MATTER))
            if stat.S_ISDIR(info.st_mode):
                pending.extend(_folder_entries(path))
            elif not stat.S_ISREG(info.st_mode):
                raise ConfigError(
                    f"templates: {path}: {not_regular(info.st_mode)}; the templates folder "
                    "holds only templates and folders of them"
                )

    def _skipped(self, path: Path) -> bool:
        """Nothing to check: no owners here, or the path is trusted (or below one that is)."""
        if self.uid is None or self.everything:
            return True
        real = os.path.realpath(path)
        return any(real == t or real.startswith(t.rstrip(os.sep) + os.sep) for t in self.trusted)

    def _problem(self, info: os.stat_result) -> str | None:
        """Why a file with ``info`` may not be trusted, or None."""
        if info.st_uid != self.uid:
            return f"belongs to another user (uid {info.st_uid})"
        if info.st_mode & stat.S_IWOTH:
            return "can be changed by every user (it is writable by others)"
        if info.st_mode & stat.S_IWGRP and not self.private_group(info.st_uid, info.st_gid):
            return "can be changed by other users (it is writable by its group)"
        return None


def _folder_entries(folder: Path) -> list[Path]:
    try:
        return sorted(folder.iterdir(), reverse=True)
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise ConfigError(f"templates: cannot read the folder {folder}: {reason}") from None


def _refusal(path: Path, problem: str, prefix: str, why: str) -> str:
    """One line: what is wrong, why it matters, how to fix it or trust it anyway."""
    quoted = shlex.quote(str(path))
    fix = f"run `chmod go-w {quoted}`, or " if "writable" in problem else ""
    return (
        f"{prefix}{path} {problem}, so campaign-guard does not use it ({why}); "
        f"{fix}set {ENV_TRUST}={quoted} to trust it"
    )
