"""The installed ``campaign-guard`` script and ``python -m campaign_guard``, in subprocesses."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from campaign_guard import __version__
from tests.conftest import RunInstalled, run_command

AS_OF = "2027-01-04T09:00Z"
HEAVY = ("jira", "jinja2", "requests", "rich")
"""Packages that ``lint`` must not import: they only slow down every CI run."""
RULE_DOCUMENTATION = tuple(
    f"campaign_guard.lint.rules.{name}" for name in ("table", "reading", "yaml_file", "schema")
)
"""The rule table and the modules documenting the loader's rules: ``--explain``,
``rules`` and the project's ``lint.rules`` need them, a plain ``lint`` does not."""


def test_version(run_installed: RunInstalled) -> None:
    done = run_installed("--version")
    assert (done.returncode, done.stdout, done.stderr) == (0, f"campaign-guard {__version__}\n", "")


def test_lint_examples_exit_0(run_installed: RunInstalled) -> None:
    done = run_installed("lint", "examples/campaigns", "--as-of", AS_OF)
    assert (done.returncode, done.stdout, done.stderr) == (
        0,
        "",
        "Checked 3 files: no problems found.\n",
    )


def test_broken_spec_exit_1_without_traceback(run_installed: RunInstalled, tmp_path: Path) -> None:
    (tmp_path / "broken.yaml").write_text("schema_version: 1\nname: [unclosed\n", encoding="utf-8")
    (tmp_path / "binary.yaml").write_bytes(bytes(range(256)) * 4)
    done = run_installed("lint", "broken.yaml", "binary.yaml", cwd=tmp_path)
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    assert done.stderr == "Checked 2 files: 2 errors.\n"
    lines = done.stdout.splitlines()
    assert [line.split(":")[0] for line in lines] == ["binary.yaml", "broken.yaml"]
    assert lines[1].endswith("[yaml-syntax]")


def test_usage_error_exit_2_without_traceback(run_installed: RunInstalled, tmp_path: Path) -> None:
    done = run_installed("lint", "x", cwd=tmp_path)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == "error: no such file or folder: 'x'\n"


def test_python_dash_m_help() -> None:
    done = run_command([sys.executable, "-m", "campaign_guard", "--help"], None)
    assert done.returncode == 0, done.stderr
    assert "Usage: campaign-guard [OPTIONS] COMMAND [ARGS]..." in done.stdout
    for command in ("lint", "init", "schema"):
        assert command in done.stdout


SUBMIT_ONLY = (["campaign_guard", "jira"], ["campaign_guard", "oncall"])
"""Packages only ``submit``, ``doctor`` and a project file need."""


def test_lint_imports_no_heavy_packages(repo_root: Path) -> None:
    example = repo_root / "examples" / "campaigns"
    program = f"""
import json, sys
from campaign_guard.cli import app
try:
    app(["lint", {str(example)!r}, "--as-of", {AS_OF!r}], prog_name="campaign-guard")
except SystemExit as exit:
    code = exit.code
else:
    code = None
print(json.dumps({{"code": code, "modules": sorted(sys.modules)}}))
"""
    done = run_command([sys.executable, "-c", program], repo_root)
    assert done.returncode == 0, done.stderr
    assert done.stderr == "Checked 3 files: no problems found.\n"
    result = json.loads(done.stdout)
    assert result["code"] == 0
    modules: list[str] = result["modules"]
    assert "campaign_guard.lint.runner" in modules, "lint did not run"
    heavy = sorted(m for m in modules if m.split(".")[0] in HEAVY)
    assert heavy == [], f"lint imported {', '.join(heavy)}; import them inside the commands"
    documentation = sorted(set(modules) & set(RULE_DOCUMENTATION))
    assert documentation == [], "lint needs the checks, not the other rules' documentation"
    # no project file above the repository: no project-file, Jira or on-call models
    settings = sorted(
        m
        for m in modules
        if m == "campaign_guard.config.project" or m.split(".")[:2] in SUBMIT_ONLY
    )
    assert settings == [], f"lint without a project file imported {', '.join(settings)}"
