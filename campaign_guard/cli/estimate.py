"""``campaign-guard estimate``: the load campaigns will cause, against capacity."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from campaign_guard.cli._boundary import guarded
from campaign_guard.errors import ExitCode, UsageError

if TYPE_CHECKING:
    from campaign_guard.estimate.engine import Estimate
    from campaign_guard.lint.findings import Finding
    from campaign_guard.spec.capacity import CapacityProfile
    from campaign_guard.spec.load import Loaded


@guarded
def estimate(
    paths: Annotated[
        list[str],
        typer.Argument(
            help="Campaign specs, folders or glob patterns.", show_default=False, metavar="PATH"
        ),
    ],
    capacity: Annotated[
        Path | None,
        typer.Option(
            "--capacity",
            "-c",
            help="Capacity profile to check against (default: CAMPAIGN_GUARD_CAPACITY, "
            "else estimate.capacity in campaign-guard.yaml, else a profile among PATHS).",
            show_default=False,
        ),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the estimate as JSON (for machines).")
    ] = False,
    color: Annotated[str, typer.Option("--color", help="Colour: auto, always or never.")] = "auto",
    fail_on: Annotated[
        str,
        typer.Option(
            "--fail-on",
            help="Exit 1 when the expected verdict is this bad: overload, scale, or never.",
        ),
    ] = "never",
) -> None:
    """Estimate the traffic campaigns bring and check it against capacity.

    Campaigns that overlap in time are added up. Every figure is a range: expected
    (low–high). With --fail-on, CI can stop a launch the platform cannot take.

    Example: campaign-guard estimate campaigns/ --capacity capacity/production.yaml
    """
    from campaign_guard.config import resolve
    from campaign_guard.estimate.engine import estimate as run_estimate
    from campaign_guard.lint.discover import discover

    if fail_on not in FAIL_ON:
        raise UsageError(f"--fail-on must be one of {', '.join(FAIL_ON)}, not '{fail_on[:20]}'")
    settings = resolve(capacity=capacity, environ=os.environ, cwd=Path.cwd())
    specs, profiles, problems = _read(discover(paths))
    if problems:
        print_findings(problems)
        raise typer.Exit(int(ExitCode.FINDINGS))
    profile = load_profile(settings.capacity, profiles)
    if fail_on != "never" and profile is None:
        raise UsageError(f"--fail-on {fail_on} needs a capacity profile to judge against")
    result = run_estimate(
        [s.value for s in specs if s.value is not None], profile.value if profile else None
    )
    notes = note_findings(result, specs)
    if as_json:
        from campaign_guard.estimate.report import to_json

        document = to_json(result, [_note_json(f) for f in notes])
        sys.stdout.write(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
    else:
        from campaign_guard.cli.estimate_view import show

        show(result, notes, color, profile.path if profile else None)
    if fail_on != "never" and _at_least(result, fail_on):
        raise typer.Exit(int(ExitCode.FINDINGS))


FAIL_ON = ("never", "scale", "overload")
"""What ``--fail-on`` takes: the expected verdict at or above which estimate exits 1."""


def _at_least(result: Estimate, threshold: str) -> bool:
    from campaign_guard.estimate.summary import VERDICT_ORDER, overall_verdict

    verdict = overall_verdict(result)
    return verdict is not None and VERDICT_ORDER.index(verdict) >= VERDICT_ORDER.index(threshold)


def _read(files: list[str]) -> tuple[list[Loaded[Any]], list[Loaded[Any]], list[Finding]]:
    from campaign_guard.lint.runner import problem_findings
    from campaign_guard.spec.documents import PROFILE_KIND, load_any

    specs: list[Loaded[Any]] = []
    profiles: list[Loaded[Any]] = []
    problems: list[Finding] = []
    for name in files:
        kind, loaded = load_any(Path(name), name)
        problems.extend(problem_findings(loaded))
        (profiles if kind == PROFILE_KIND else specs).append(loaded)
    if not specs and not problems:
        raise UsageError("no campaign spec among the files given")
    return specs, profiles, problems


def load_profile(path: Path | None, found: list[Loaded[Any]]) -> Loaded[CapacityProfile] | None:
    """The capacity profile at ``path``, else the one among ``found`` (several: an error)."""
    from campaign_guard.spec.capacity import CapacityProfile
    from campaign_guard.spec.load import load_model

    if path is None:
        if len(found) > 1:
            names = ", ".join(p.path for p in found)
            raise UsageError(
                f"several capacity profiles given ({names}); choose one with --capacity"
            )
        return found[0] if found else None
    if not path.is_file():
        raise UsageError(f"capacity profile not found: '{path}'")
    loaded = load_model(path, CapacityProfile, str(path))
    if loaded.problems:
        from campaign_guard.lint.runner import problem_findings

        print_findings(problem_findings(loaded))
        raise typer.Exit(int(ExitCode.FINDINGS))
    return loaded


def note_findings(result: Estimate, specs: list[Loaded[Any]]) -> list[Finding]:
    """The estimate's notes as warnings placed in their spec files."""
    from campaign_guard.lint.checks import finding
    from campaign_guard.lint.findings import Level

    by_id = {s.value.campaign_id: s for s in specs if s.value is not None}
    return [
        finding(by_id[note.campaign_id], note.loc, note.code, note.message, Level.WARNING)
        for note in result.notes
    ]


def _note_json(finding: Finding) -> dict[str, Any]:
    return {
        "path": finding.path,
        "line": finding.line,
        "column": finding.column,
        "code": finding.code,
        "field": finding.field,
        "message": finding.message,
    }


def print_findings(findings: list[Finding]) -> None:
    say_findings(findings)
    sys.stderr.write("Fix these first (campaign-guard lint shows the same problems).\n")


def say_findings(findings: list[Finding]) -> None:
    """Findings on stderr, one ``file:line:col: level …`` line each (nothing if none)."""
    if not findings:
        return
    from campaign_guard.lint.reporters import LintReport, reporter

    sys.stderr.write(reporter("text")(LintReport(findings, [])))
