"""``campaign-guard estimate``: the load campaigns will cause, against capacity."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from campaign_guard.errors import ExitCode, UsageError
from campaign_guard.safe_text import json_document, one_line

if TYPE_CHECKING:
    from campaign_guard.estimate.engine import Estimate
    from campaign_guard.lint.findings import Finding
    from campaign_guard.spec.capacity import CapacityProfile
    from campaign_guard.spec.load import Loaded


FAIL_ON = ("never", "scale", "overload")
"""What ``--fail-on`` takes: the expected verdict at or above which estimate exits 1."""


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
            metavar="FILE",
            help="Capacity profile to check against (default: CAMPAIGN_GUARD_CAPACITY, "
            "else estimate.capacity in campaign-guard.yaml, else a profile among PATHS).",
            show_default=False,
        ),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the estimate as JSON (for machines).")
    ] = False,
    color: Annotated[
        str, typer.Option("--color", metavar="auto|always|never", help="When to use colour.")
    ] = "auto",
    fail_on: Annotated[
        str,
        typer.Option(
            "--fail-on",
            metavar="|".join(FAIL_ON),
            help="Exit 1 when the expected verdict is this bad: overload, scale, or never. "
            "Load that could not be counted fails it too, unless --allow-uncounted.",
        ),
    ] = "never",
    allow_uncounted: Annotated[
        bool,
        typer.Option(
            "--allow-uncounted",
            help="With --fail-on: judge only the load that was counted, even when a "
            "channel could not be estimated or a page or endpoint has no route.",
        ),
    ] = False,
) -> None:
    """Estimate the traffic campaigns bring and check it against capacity.

    Campaigns that overlap in time are added up. Every figure is a range: expected
    (low–high). With --fail-on, CI can stop a launch the platform cannot take, or
    whose load was not all counted.

    \b
    Example:
      campaign-guard estimate campaigns/ \\
        --capacity capacity/production.yaml
    """
    from campaign_guard.config.settings import resolve
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
    uncounted = _placed(result, notes)
    if as_json:
        from campaign_guard.estimate.report import to_json

        document = to_json(result, [_note_json(f) for f in notes], [u for u, _ in uncounted])
        sys.stdout.write(json_document(document))
    else:
        from campaign_guard.cli.estimate_view import show

        show(result, notes, color, profile.path if profile else None)
    if fail_on == "never":
        return
    failed = _gate(result, fail_on, [line for _, line in uncounted], allow_uncounted)
    if failed:
        sys.stderr.write(failed)
        raise typer.Exit(int(ExitCode.FINDINGS))


def _gate(result: Estimate, threshold: str, uncounted: list[str], allow_uncounted: bool) -> str:
    """Why ``--fail-on THRESHOLD`` fails this estimate (empty: it passes)."""
    from campaign_guard.estimate.summary import VERDICT_ORDER, overall_verdict

    reasons = ""
    verdict = overall_verdict(result)
    if verdict is not None and VERDICT_ORDER.index(verdict) >= VERDICT_ORDER.index(threshold):
        reasons += f"--fail-on {threshold}: the expected verdict is {verdict}.\n"
    if uncounted and not allow_uncounted:
        listed = "".join(f"  {line}\n" for line in uncounted)
        reasons += (
            f"--fail-on {threshold}: part of the load was not counted, so the verdict cannot "
            f"pass it:\n{listed}Fill in what the notes ask for, or add --allow-uncounted to "
            "judge only the load that was counted.\n"
        )
    return reasons


def _placed(result: Estimate, notes: list[Finding]) -> list[tuple[dict[str, Any], str]]:
    """Each piece of uncounted load as JSON and as a line, at its place in its spec."""
    where = {id(note): finding for note, finding in zip(result.notes, notes, strict=True)}
    placed = []
    for item in result.uncounted:
        found = where[id(item.note)]
        several = len(result.campaigns) > 1
        line = f"{found.location}: {item.what}" + (f" ({item.campaign})" if several else "")
        document = {"campaign": item.campaign_id, "what": item.what, **_note_json(found)}
        placed.append((document, one_line(f"{line} [{found.code}]")))
    return placed


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
