"""Print pip constraints that pin each dependency of the project at its declared minimum.

    python .ci/min_constraints.py [pyproject.toml] > minimums.txt
    pip install -c minimums.txt -e '.[test]'

Each ``name>=X`` (or ``~=X``, ``==X``) in ``[project] dependencies`` becomes ``name==X``,
keeping its environment marker, so the test suite runs on the oldest versions the
project says it supports. A dependency without a lower bound is left out (pip takes the
newest). Dependencies of the dependencies are not pinned: they resolve as they would for
a user who installs the minimums today.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib  # type: ignore[import-not-found, unused-ignore]

_REQUIREMENT = re.compile(r"\s*(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?(?P<rest>.*)")
_LOWER = re.compile(r"(?:>=|~=|==)\s*(?P<version>[0-9][^,\s]*)")


def minimum(requirement: str) -> str | None:
    """``name==LOWEST ; marker`` for one requirement, or None when it has no lower bound."""
    spec, _, marker = requirement.partition(";")
    match = _REQUIREMENT.fullmatch(spec)
    if match is None:
        raise ValueError(f"cannot read the requirement {requirement!r}")
    lower = _LOWER.search(match["rest"])
    if lower is None:
        return None
    pinned = f"{match['name']}=={lower['version']}"
    return f"{pinned} ; {marker.strip()}" if marker.strip() else pinned


def constraints(pyproject: dict[str, Any]) -> list[str]:
    """The constraint lines for every dependency of ``[project]`` that has a lower bound."""
    lines = (minimum(requirement) for requirement in pyproject["project"]["dependencies"])
    return [line for line in lines if line is not None]


def main(argv: list[str]) -> int:
    path = (
        Path(argv[1]) if len(argv) > 1 else Path(__file__).resolve().parents[1] / "pyproject.toml"
    )
    with path.open("rb") as file:
        pyproject = tomllib.load(file)
    sys.stdout.write("".join(line + "\n" for line in constraints(pyproject)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
