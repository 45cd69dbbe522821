"""The pre-commit hook (``.pre-commit-hooks.yaml``), as pre-commit users run it.

The ``slow`` test runs ``pre-commit try-repo`` on this checkout: pre-commit builds the
hook's environment from the package index, as it does for every user, and runs the hook
on a repository of 300 specs. The other tests read the manifest only.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
import yaml

from campaign_guard.lint.discover import discover
from tests.ci.external import require_module, require_program
from tests.ci.specs import minimal_spec
from tests.conftest import REPO_ROOT, run_command

MANIFEST: list[dict[str, Any]] = yaml.safe_load(
    (REPO_ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
)
HOOK = MANIFEST[0]
SPECS = 300
TRY_REPO_TIMEOUT = 600
"""Seconds ``pre-commit try-repo`` may take, building the hook's environment included."""

# Files in a repository of campaign specs; the hook must pick the ones `lint DIR` picks.
TREE = (
    "campaigns/spring.yaml",
    "campaigns/summer.yml",
    "campaigns/emea/autumn.yaml",
    "campaigns/.draft.yaml",
    "campaigns/notes.md",
    "capacity/production.yaml",
    "campaign-guard.yaml",
    "teams/growth/campaign-guard.yml",
    ".pre-commit-config.yaml",
    ".github/workflows/campaign-specs.yml",
    "docs/.archive/old.yaml",
    "README.md",
)


def test_manifest_has_one_hook_run_once_over_all_files() -> None:
    assert [hook["id"] for hook in MANIFEST] == ["campaign-guard-lint"]
    assert HOOK["require_serial"] is True
    assert HOOK["entry"] == "campaign-guard lint"


def test_hook_selects_the_files_lint_selects_in_a_folder(workdir: Path) -> None:
    for name in TREE:
        (workdir / name).parent.mkdir(parents=True, exist_ok=True)
        (workdir / name).write_text("", encoding="utf-8")
    # pre-commit matches `files` and `exclude` with re.search on the repository path.
    selected = {
        name
        for name in TREE
        if re.search(HOOK["files"], name) and not re.search(HOOK["exclude"], name)
    }
    walked = {Path(found).relative_to(".").as_posix() for found in discover(["."])}
    assert selected == walked
    assert selected == {
        "campaigns/spring.yaml",
        "campaigns/summer.yml",
        "campaigns/emea/autumn.yaml",
        "capacity/production.yaml",
    }


def _git(*args: str, cwd: Path) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, timeout=60)


@pytest.mark.slow
def test_try_repo_checks_every_file_in_one_run(tmp_path: Path) -> None:
    require_program("git")
    require_module("pre_commit")
    specs = tmp_path / "specs"
    launch = (datetime.now(timezone.utc) + timedelta(days=60)).date()
    for number in range(1, SPECS + 1):
        # The first and the last file describe the same campaign: a split run misses it.
        campaign_id = "summer-sale" if number in (1, SPECS) else f"campaign-{number:03}"
        path = specs / "campaigns" / f"c{number:03}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(minimal_spec(f"Campaign {number}", launch, campaign_id), encoding="utf-8")
    # YAML that is not a spec: the hook leaves it alone.
    (specs / ".github" / "workflows").mkdir(parents=True)
    (specs / ".github" / "workflows" / "ci.yml").write_text("on: push\n", encoding="utf-8")
    (specs / "campaign-guard.yaml").write_text("lint: {}\n", encoding="utf-8")
    _git("init", "--quiet", cwd=specs)
    _git("add", "--all", cwd=specs)

    command = [sys.executable, "-m", "pre_commit", "try-repo", str(REPO_ROOT), HOOK["id"]]
    done = run_command(
        [*command, "--all-files"], specs, env=_environment(tmp_path), timeout=TRY_REPO_TIMEOUT
    )
    output = done.stdout + done.stderr
    assert done.returncode == 1, output
    assert re.findall(r"^Checked .*", output, flags=re.MULTILINE) == [
        f"Checked {SPECS} files: 2 errors."
    ], output
    duplicates = [line for line in output.splitlines() if line.endswith("[duplicate-id]")]
    assert [line.split(":")[0] for line in duplicates] == [
        "campaigns/c001.yaml",
        f"campaigns/c{SPECS}.yaml",
    ], output


def _environment(tmp_path: Path) -> dict[str, str]:
    kept = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "PRE_COMMIT"))}
    # A store of its own: the hook's environment is built here, from the package index.
    return {**kept, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home")}
