"""``campaign-guard lint``: check campaign specs, for people and for CI."""

from __future__ import annotations

import os
import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import Annotated

import typer

from campaign_guard.cli._files import write_output
from campaign_guard.errors import ExitCode, UsageError
from campaign_guard.lint.findings import Finding, fails, tally
from campaign_guard.lint.reporters import FORMAT_CHOICES


def lint(
    paths: Annotated[
        list[str],
        typer.Argument(
            help="Spec files, folders (every .yaml/.yml below them) or glob patterns.",
            show_default=False,
            metavar="PATH",
        ),
    ],
    output_format: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            metavar="|".join(FORMAT_CHOICES),
            help="Output format. `auto` writes GitHub annotations when "
            "GITHUB_ACTIONS=true, text otherwise.",
        ),
    ] = "auto",
    strict: Annotated[
        bool, typer.Option("--strict", help="Fail on warnings too, not only on errors.")
    ] = False,
    lead_time: Annotated[
        int | None,
        typer.Option(
            "--lead-time",
            metavar="DAYS",
            min=0,
            max=60,
            help="Business days of notice DevOps needs before a launch "
            "(default: from campaign-guard.yaml, else 3).",
            show_default=False,
        ),
    ] = None,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            metavar="TIME",
            help="Check dates as of this moment (e.g. 2027-03-01T09:00+01:00) instead of now.",
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="Write the report to this file instead of stdout.",
        ),
    ] = None,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="Do not print the summary line.")
    ] = False,
) -> None:
    """Check campaign specs: the schema, dates, lead time, duplicates, personal data.

    Prints one line per problem as `file:line:col: level message [code]`. Exit code 0
    when clean, 1 when there are problems (errors, or warnings with --strict),
    2 for a wrong command line.

    \b
    Example:
      campaign-guard lint campaigns/
    """
    from campaign_guard.config.settings import resolve
    from campaign_guard.lint.checks import LintPolicy
    from campaign_guard.lint.discover import discover
    from campaign_guard.lint.reporters import LintReport, reporter, resolve_format
    from campaign_guard.lint.runner import lint_files

    name = resolve_format(output_format, os.environ)
    files = discover(paths)
    settings = resolve(lead_time=lead_time, environ=os.environ, cwd=Path.cwd())
    policy = LintPolicy(_moment(as_of), settings.lead_time_business_days)
    result = lint_files(files, policy)
    report = LintReport(result.findings, result.files, strict, _version())
    text = reporter(name)(report)
    if output is None:
        _write_stdout(text)
    else:
        write_output(output, text)
    if not quiet:
        sys.stderr.write(summary(result.findings, len(result.files)) + "\n")
    if fails(result.findings, strict=strict):
        raise typer.Exit(int(ExitCode.FINDINGS))


def summary(findings: list[Finding], file_count: int) -> str:
    """``Checked 3 files: 2 errors, 1 warning.`` in words anyone can read."""
    files = f"{file_count} file" + ("" if file_count == 1 else "s")
    errors, warnings = tally(findings)
    if not findings:
        return f"Checked {files}: no problems found."
    parts = [
        f"{count} {word}" + ("" if count == 1 else "s")
        for count, word in ((errors, "error"), (warnings, "warning"))
        if count
    ]
    return f"Checked {files}: {', '.join(parts)}."


def _moment(as_of: str | None) -> datetime:
    if as_of is None:
        return datetime.now(timezone.utc)
    try:
        moment = datetime.fromisoformat(as_of.strip().replace("Z", "+00:00"))
    except ValueError:
        raise UsageError(f"--as-of: '{as_of[:40]}' is not a date and time") from None
    if moment.tzinfo is None:
        raise UsageError("--as-of needs a time zone offset, like 2027-03-01T09:00+01:00")
    return moment


def _write_stdout(text: str) -> None:
    # A console that cannot show a character gets an escape, not a crash.
    sys.stdout.reconfigure(errors="backslashreplace")  # type: ignore[union-attr]
    sys.stdout.write(text)


def _version() -> str:
    from campaign_guard import __version__

    return __version__
