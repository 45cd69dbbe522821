"""The repository as a GitHub Action (``action.yml``): its steps, run as GitHub runs them.

The ``slow`` tests run every ``run:`` step for real (see :mod:`tests.ci.composite`): a
virtual environment in ``RUNNER_TEMP``, campaign-guard installed into it from this
checkout, ``lint`` on a workspace of specs. A broken step fails them. They need ``bash``
and the package index (for campaign-guard's dependencies); run them with
``pytest -m slow``. The other tests read ``action.yml`` and the example workflow only.
"""

from __future__ import annotations

import json
import re
import shutil
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
import yaml

from campaign_guard import __version__
from tests.ci.composite import ActionRun, load_action, run_action, runner_environment
from tests.ci.external import require_program
from tests.ci.specs import minimal_spec
from tests.conftest import REPO_ROOT

ACTION = load_action(REPO_ROOT)
STEPS: list[dict[str, Any]] = ACTION["runs"]["steps"]
WORKFLOW = REPO_ROOT / "examples" / ".github" / "workflows" / "campaign-specs.yml"
EXAMPLES = REPO_ROOT / "examples" / "campaigns"
PINNED = re.compile(r"[\w.-]+/[\w./-]+@[0-9a-f]{40}")
"""``owner/repo[/path]@`` a full commit id: a tag can be moved, a commit cannot."""


# --- action.yml as written ----------------------------------------------------------


def test_scripts_never_paste_expressions() -> None:
    # `${{ inputs.paths }}` inside a script would run whatever the input holds.
    scripts = [step["run"] for step in STEPS if "run" in step]
    assert scripts
    for script in scripts:
        assert "${{" not in script, script


def test_every_input_reaches_a_step_through_env() -> None:
    used = {
        match
        for step in STEPS
        for value in (step.get("env") or {}).values()
        for match in re.findall(r"\$\{\{\s*inputs\.([\w-]+)\s*\}\}", str(value))
    }
    assert used == set(ACTION["inputs"])


def test_actions_it_uses_are_pinned_to_a_commit() -> None:
    uses = [step["uses"] for step in STEPS if "uses" in step]
    assert uses
    for reference in uses:
        assert PINNED.fullmatch(reference), f"{reference} is not pinned to a commit"


def test_example_workflow_uses_the_action_with_inputs_it_declares() -> None:
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    steps = [step for job in workflow["jobs"].values() for step in job["steps"]]
    ours = [step for step in steps if str(step.get("uses", "")).startswith("campaign-guard/")]
    assert len(ours) == 1
    assert ours[0]["uses"] == f"campaign-guard/campaign-guard@v{__version__}"
    assert set(ours[0].get("with") or {}) <= set(ACTION["inputs"])
    assert not any("pip install" in str(step.get("run", "")) for step in steps)


# --- the steps, run -----------------------------------------------------------------


@pytest.fixture(scope="module")
def runner(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """``RUNNER_TEMP`` (shared, so the virtual environment is built once) and the environment."""
    require_program("bash")
    root = tmp_path_factory.mktemp("runner")
    return root / "temp", runner_environment(root / "shims")


def _workspace(tmp_path: Path, *specs: tuple[str, str]) -> Path:
    workspace = tmp_path / "workspace"
    shutil.copytree(EXAMPLES, workspace / "campaigns")
    for name, text in specs:
        (workspace / name).parent.mkdir(parents=True, exist_ok=True)
        (workspace / name).write_text(text, encoding="utf-8")
    return workspace


def _run(runner: tuple[Path, dict[str, str]], workspace: Path, **inputs: str) -> ActionRun:
    temp, environ = runner
    return run_action(
        REPO_ROOT, workspace=workspace, runner_temp=temp, inputs=inputs, environ=environ
    )


def _annotations(stdout: str, level: str) -> list[str]:
    return [line for line in stdout.splitlines() if line.startswith(f"::{level} ")]


@pytest.mark.slow
def test_clean_specs_pass_and_are_counted(
    runner: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    run = _run(runner, _workspace(tmp_path))
    assert run.exit_code == 0, run.stdout + run.stderr
    assert run.ran == ["install", "lint"]
    assert f"campaign-guard {__version__}\n" in run.stdout
    assert _annotations(run.stdout, "error") == []
    warnings = len(_annotations(run.stdout, "warning"))
    assert run.outputs == {"errors": "0", "warnings": str(warnings), "files": "3", "sarif-file": ""}
    assert "Checked 3 files: " in run.stderr


@pytest.mark.slow
def test_findings_fail_with_annotations_counts_and_sarif(
    runner: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    broken = ("campaigns/broken.yaml", "schema_version: 1\nname: [unclosed\n")
    twin = (
        "campaigns/sub/winter-again.yaml",
        (EXAMPLES / "winter-newsletter.yaml").read_text("utf-8"),
    )
    run = _run(runner, _workspace(tmp_path, broken, twin), sarif="true")

    assert run.exit_code == 1, run.stdout + run.stderr
    errors = _annotations(run.stdout, "error")
    codes = {
        code for line in errors for code in re.findall(r"title=campaign-guard ([a-z-]+)::", line)
    }
    assert codes == {"yaml-syntax", "duplicate-id"}
    assert any(
        line.startswith("::error file=campaigns/broken.yaml,line=3,col=1,") for line in errors
    )
    warnings = len(_annotations(run.stdout, "warning"))
    assert run.outputs["errors"] == str(len(errors))
    assert run.outputs["warnings"] == str(warnings)
    assert run.outputs["files"] == "5"

    sarif_file = Path(run.outputs["sarif-file"])
    sarif = json.loads(sarif_file.read_text(encoding="utf-8"))
    assert sarif["version"] == "2.1.0"
    assert len(sarif["runs"][0]["results"]) == len(errors) + warnings
    assert [(step.uses.split("@")[0], step.with_) for step in run.uses] == [
        (
            "github/codeql-action/upload-sarif",
            {"sarif_file": str(sarif_file), "category": "campaign-guard"},
        )
    ]
    # The upload comes before the step that fails the job, so findings reach code scanning.
    assert run.ran[-2:] == [
        "Upload the findings to code scanning",
        "Fail when the specs have problems",
    ]


@pytest.mark.slow
def test_strict_and_lead_time_reach_lint(
    runner: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    tomorrow = (datetime.now(timezone.utc) + timedelta(days=1)).date()
    soon = minimal_spec("Flash Sale Soon", tomorrow)
    workspace = _workspace(tmp_path, ("campaigns/soon.yaml", soon))

    strict = _run(runner, workspace, strict="true")
    assert strict.exit_code == 1, strict.stdout + strict.stderr
    assert [w for w in _annotations(strict.stdout, "warning") if "short-lead-time" in w]
    assert strict.outputs["errors"] == "0"

    no_notice = _run(runner, workspace, strict="true", **{"lead-time": "0"})
    assert no_notice.exit_code == 0, no_notice.stdout + no_notice.stderr
    assert not [w for w in _annotations(no_notice.stdout, "warning") if "short-lead-time" in w]


@pytest.mark.slow
def test_inputs_are_data_not_options_or_commands(
    runner: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    workspace = _workspace(tmp_path)
    run = _run(runner, workspace, paths="--version $(touch pwned) `touch pwned`;touch pwned")
    assert run.exit_code == 2
    assert "error: no such file or folder: '--version'" in run.stderr
    assert sorted(p.name for p in workspace.iterdir()) == ["campaigns"]
    assert run.outputs["errors"] == ""

    typo = _run(runner, workspace, strict="yes")
    assert typo.exit_code == 2
    assert "::error title=campaign-guard::The input strict must be true or false, not 'yes'." in (
        typo.stdout
    )
