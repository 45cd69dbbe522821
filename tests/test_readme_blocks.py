"""Every YAML (and TOML) block of the README is what it claims to be, and passes.

A marketer or an engineer pastes these blocks into files of their own: a campaign spec
and a capacity profile must lint clean, a project file must load. Blocks for other tools
(a GitHub workflow, a pre-commit configuration) are recognised by their top-level keys
and only parsed; a block of any other kind fails the test until it is classified here.
"""

from __future__ import annotations

import re
from datetime import datetime, timezone
from pathlib import Path

import pytest
import yaml

from campaign_guard.config.project import ProjectConfig
from campaign_guard.config.pyproject import PYPROJECT_FILE
from campaign_guard.config.settings import CONFIG_FILE, load_project_config
from campaign_guard.lint.policy import LintPolicy
from campaign_guard.lint.runner import lint_files
from tests.conftest import REPO_ROOT

README = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
AS_OF = datetime(2027, 1, 4, 9, 0, tzinfo=timezone.utc)
"""Before every launch the README shows, with more than the lead time to go."""

_BLOCK = re.compile(r"^```(yaml|toml)\n(.*?)^```", re.MULTILINE | re.DOTALL)
BLOCKS = [
    (README.count("\n", 0, match.start()) + 1, match[1], match[2])
    for match in _BLOCK.finditer(README)
]
_OTHER_TOOLS = {"jobs": "GitHub workflow", "repos": "pre-commit configuration"}


def _kind(language: str, text: str) -> str:
    if language == "toml":
        return "pyproject"
    keys = set(yaml.safe_load(text))
    if keys & set(_OTHER_TOOLS):
        return "other tool"
    if "kind: capacity-profile" in text:
        return "capacity profile"
    if {"schema_version", "traffic"} <= keys:
        return "campaign spec"
    if keys <= set(ProjectConfig.model_fields):
        return "project file"
    return "unknown"


def test_the_readme_shows_each_kind_of_file() -> None:
    kinds = [_kind(language, text) for _, language, text in BLOCKS]
    assert {"campaign spec", "capacity profile", "project file", "pyproject"} <= set(kinds)


@pytest.mark.parametrize(
    ("line", "language", "text"), BLOCKS, ids=[f"README.md:{line}" for line, _, _ in BLOCKS]
)
def test_readme_block(
    line: int, language: str, text: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    kind = _kind(language, text)
    assert kind != "unknown", f"README.md:{line}: a YAML block of no known kind"
    if kind in ("campaign spec", "capacity profile"):
        Path("pasted.yaml").write_text(text, encoding="utf-8")
        findings = lint_files(["pasted.yaml"], LintPolicy(AS_OF)).findings
        assert [f"{f.location}: {f.text} [{f.code}]" for f in findings] == []
    elif kind == "project file":
        Path(CONFIG_FILE).write_text(text, encoding="utf-8")
        load_project_config(Path(CONFIG_FILE))
    elif kind == "pyproject":
        Path(PYPROJECT_FILE).write_text(text, encoding="utf-8")
        load_project_config(Path(PYPROJECT_FILE))
