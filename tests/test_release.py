"""Every place that names a release names the same one: the version in pyproject.toml.

Users pin a release as the GitHub Action's tag (``uses: OWNER/NAME@vX.Y.Z``) and as
pre-commit's ``rev:``; the README and the examples show both. The repository they name
is pyproject.toml's ``Repository`` URL.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

from campaign_guard import __version__
from tests.conftest import REPO_ROOT

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib  # type: ignore[import-not-found, unused-ignore]

PYPROJECT: dict[str, Any] = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text("utf-8"))
VERSION: str = PYPROJECT["project"]["version"]
REPOSITORY: str = PYPROJECT["project"]["urls"]["Repository"]
SLUG = REPOSITORY.removeprefix("https://github.com/")
"""``OWNER/NAME``, as ``uses:`` names the action."""

README = REPO_ROOT / "README.md"
WORKFLOW = REPO_ROOT / "examples" / ".github" / "workflows" / "campaign-specs.yml"
PRE_COMMIT = REPO_ROOT / "examples" / ".pre-commit-config.yaml"
DOCUMENTS = (README, WORKFLOW, PRE_COMMIT, REPO_ROOT / "action.yml")
PIN = re.compile(r"([\w.-]+/campaign-guard)@([\w.-]*\w)")
"""``OWNER/campaign-guard@REF`` in text (a sentence's full stop is not part of REF)."""


def _text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def test_package_version_is_the_pyproject_version() -> None:
    assert __version__ == VERSION
    assert re.fullmatch(r"\d+\.\d+\.\d+", VERSION), "a release version: MAJOR.MINOR.PATCH"


def test_repository_is_one_github_repository() -> None:
    assert re.fullmatch(r"https://github\.com/[\w.-]+/[\w.-]+", REPOSITORY)


def test_every_action_reference_pins_this_release() -> None:
    references = {path.name: re.findall(PIN, _text(path)) for path in DOCUMENTS}
    assert references["README.md"], "the README shows how to use the action"
    assert references[WORKFLOW.name], "the example workflow uses the action"
    for name, found in references.items():
        assert set(found) <= {(SLUG, f"v{VERSION}")}, name


def test_every_pre_commit_repo_pins_this_release() -> None:
    for path in (README, PRE_COMMIT):
        pins = re.findall(r"^\s*- repo: (\S+)\n\s+rev: (\S+)$", _text(path), flags=re.MULTILINE)
        assert pins, f"{path.name} shows the pre-commit configuration"
        assert set(pins) == {(REPOSITORY, f"v{VERSION}")}, path.name
