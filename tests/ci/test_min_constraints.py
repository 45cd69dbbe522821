"""``.ci/min_constraints.py``: the constraints CI installs to test the minimum versions."""

from __future__ import annotations

import sys
from pathlib import Path

from tests.conftest import REPO_ROOT, run_command

SCRIPT = REPO_ROOT / ".ci" / "min_constraints.py"


def _constraints(pyproject: Path | None = None) -> list[str]:
    done = run_command(
        [sys.executable, str(SCRIPT), *([str(pyproject)] if pyproject else [])], REPO_ROOT
    )
    assert (done.returncode, done.stderr) == (0, ""), done.stderr
    return done.stdout.splitlines()


def test_each_lower_bound_becomes_a_pin_and_markers_stay(tmp_path: Path) -> None:
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text(
        """\
[project]
name = "example"
version = "1.0.0"
dependencies = [
    "typer>=0.26.0",
    "pydantic >= 2.12.0, <3",
    "Rich[jupyter]~=13.8",
    "exact==1.2.3",
    "upper<5",
    "tomli>=1.1.0; python_version < '3.11'",
    "tzdata; sys_platform == 'win32'",
]

[project.optional-dependencies]
test = ["pytest>=8"]
""",
        encoding="utf-8",
    )
    assert _constraints(pyproject) == [
        "typer==0.26.0",
        "pydantic==2.12.0",
        "Rich==13.8",
        "exact==1.2.3",
        "tomli==1.1.0 ; python_version < '3.11'",
    ]


def test_the_projects_constraints_pin_every_bounded_dependency() -> None:
    pinned = {line.split("==")[0] for line in _constraints()}
    assert {"typer", "rich", "pydantic", "pyyaml", "jinja2", "jira", "tomli"} <= pinned
