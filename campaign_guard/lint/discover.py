"""Which files ``lint PATH...`` checks: files as given, folders walked, globs expanded."""

from __future__ import annotations

import glob
import os
from collections.abc import Iterable
from pathlib import Path

from campaign_guard.errors import UsageError

SPEC_SUFFIXES = (".yaml", ".yml")
# Files that live beside specs but are not specs.
NOT_SPECS = frozenset(("campaign-guard.yaml", "campaign-guard.yml"))


def discover(arguments: Iterable[str]) -> list[str]:
    """The spec files named by ``arguments``, in a stable order, each once.

    A folder contributes every ``*.yaml``/``*.yml`` below it, except hidden files and
    folders (``.github/``, ``.pre-commit-config.yaml``) and the project config file.
    A file named explicitly is always checked. A pattern (``campaigns/**/*.yaml``) is
    expanded here, so it works even when the shell does not expand it.
    """
    found: dict[str, str] = {}  # real path -> the name first used for it
    for argument in arguments:
        path = Path(argument)
        if path.is_dir():
            names = _walk(path)
        elif path.exists() or os.path.lexists(argument):
            names = [argument]
        elif glob.has_magic(argument):
            names = sorted(m for m in glob.glob(argument, recursive=True) if _is_spec_name(m))
            if not names:
                raise UsageError(f"no spec files match '{argument}'")
        else:
            raise UsageError(f"no such file or folder: '{argument}'")
        for name in names:
            found.setdefault(os.path.normcase(os.path.realpath(name)), name)
    return list(found.values())


def _walk(folder: Path) -> list[str]:
    results: list[str] = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        results.extend(os.path.join(root, name) for name in sorted(files) if _is_spec_name(name))
    return results


def _is_spec_name(name: str) -> bool:
    base = os.path.basename(name)
    return base.endswith(SPEC_SUFFIXES) and not base.startswith(".") and base not in NOT_SPECS
