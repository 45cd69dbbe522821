"""Fixture files linted end to end: every invalid spec fails as expected, every example passes.

Each ``tests/**/invalid/X.yaml`` holds one kind of mistake; ``X.expected`` beside it is
the exact ``--format text`` output for it, with paths relative to the repository root.
Rewrite them with ``CG_UPDATE_GOLDEN=1`` after an intended change, and read the diff.
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest

from campaign_guard.lint.discover import discover
from campaign_guard.lint.findings import Level, fails
from campaign_guard.lint.policy import DEFAULT_LEAD_TIME_BUSINESS_DAYS, LintPolicy
from campaign_guard.lint.reporters import LintReport
from campaign_guard.lint.reporters.text import render
from campaign_guard.lint.runner import lint_files
from tests.golden import assert_golden

REPO_ROOT = Path(__file__).resolve().parents[1]
AS_OF = datetime(2027, 1, 4, 9, 0, tzinfo=timezone.utc)

INVALID = sorted(path.relative_to(REPO_ROOT) for path in REPO_ROOT.glob("tests/**/invalid/*.yaml"))


def test_invalid_fixtures_are_found() -> None:
    assert len(INVALID) >= 15


@pytest.mark.parametrize("relative", INVALID, ids=[path.as_posix() for path in INVALID])
def test_invalid_fixture(relative: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO_ROOT)
    name = relative.as_posix()
    result = lint_files([name], LintPolicy(now=AS_OF))
    assert any(f.level is Level.ERROR for f in result.findings), f"{name} has no error"
    assert all(f.path == name for f in result.findings)
    report = LintReport(result.findings, result.files)
    assert_golden(render(report), REPO_ROOT / relative.with_suffix(".expected"))


def test_examples_are_clean(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO_ROOT)
    files = discover(["examples"])
    assert len(files) >= 3
    assert all(Path(name).suffix in (".yaml", ".yml") for name in files)
    assert "examples/campaign-guard.yaml" not in files  # the project config is no spec
    policy = LintPolicy(now=AS_OF, lead_time_business_days=DEFAULT_LEAD_TIME_BUSINESS_DAYS)
    result = lint_files(files, policy)
    assert result.findings == []
    assert not fails(result.findings, strict=True)
