"""Which files ``lint PATH...`` checks: files as given, folders walked, globs expanded.

The walks are bounded whatever the tree holds (link loops, links to ``/``, unreadable
folders): see :mod:`campaign_guard.lint.walk`. What is found is only named here; a
name that is not a regular file (a named pipe, ``/dev/stdin``) is refused when it is
read, as a finding.
"""

from __future__ import annotations

import glob
import os
import stat
from collections.abc import Iterable

from campaign_guard.errors import UsageError
from campaign_guard.lint.walk import expand, folder_files

SPEC_SUFFIXES = (".yaml", ".yml")
# Files that live beside specs but are not specs.
NOT_SPECS = frozenset(("campaign-guard.yaml", "campaign-guard.yml"))


def discover(arguments: Iterable[str]) -> list[str]:
    """The spec files named by ``arguments``, in a stable order, each once.

    A folder contributes every ``*.yaml``/``*.yml`` below it, except hidden files and
    folders (``.github/``, ``.pre-commit-config.yaml``) and the project config file.
    A file named explicitly is always checked. A pattern (``campaigns/**/*.yaml``) is
    expanded here, so it works even when the shell does not expand it. A path that
    does not exist, or that cannot be read, is a :class:`UsageError`.
    """
    found: dict[str, str] = {}  # real path -> the name first used for it
    for argument in arguments:
        for name in _named(argument):
            found.setdefault(os.path.normcase(os.path.realpath(name)), name)
    return list(found.values())


def _named(argument: str) -> list[str]:
    """The spec files one argument names."""
    try:
        mode: int | None = os.stat(argument).st_mode
        problem: OSError | None = None
    except OSError as exc:
        mode, problem = None, exc
    if mode is not None and stat.S_ISDIR(mode):
        return [name for name in folder_files(argument) if _is_spec_name(name)]
    if mode is not None or os.path.lexists(argument):
        return [argument]
    if glob.has_magic(argument):
        names = [name for name in expand(argument) if _is_spec_name(name)]
        if not names:
            raise UsageError(f"no spec files match '{argument}'")
        return names
    if isinstance(problem, PermissionError):
        raise UsageError(f"cannot read '{argument}': {problem.strerror}")
    raise UsageError(f"no such file or folder: '{argument}'")


def _is_spec_name(name: str) -> bool:
    base = os.path.basename(name)
    return base.endswith(SPEC_SUFFIXES) and not base.startswith(".") and base not in NOT_SPECS
