"""``campaign-guard lint``: check campaign specs, for people and for CI."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from campaign_guard.api import FORMAT_CHOICES, Finding, fails, lint_paths, report_format, tally
from campaign_guard.cli import rules
from campaign_guard.cli._files import write_output
from campaign_guard.errors import ExitCode


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
    explain: Annotated[
        str | None,
        typer.Option(
            "--explain",
            metavar="CODE",
            is_eager=True,
            expose_value=False,
            callback=rules.explain,
            help="Explain the rule CODE, with a bad and a good example, and exit "
            "(`campaign-guard rules` lists the codes).",
        ),
    ] = None,
) -> None:
    """Check campaign specs: the schema, dates, lead time, duplicates, personal data.

    Prints one line per problem as `file:line:col: level message [code]`. Exit code 0
    when clean, 1 when there are problems (errors, or warnings with --strict),
    2 for a wrong command line or an unknown --explain code.

    \b
    Example:
      campaign-guard lint campaigns/
    """
    from campaign_guard.api import lint_report

    name = report_format(output_format, os.environ)
    result = lint_paths(paths, lead_time=lead_time, as_of=as_of)
    text = lint_report(result, name, strict=strict)
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


def _write_stdout(text: str) -> None:
    # A console that cannot show a character gets an escape, not a crash.
    sys.stdout.reconfigure(errors="backslashreplace")  # type: ignore[union-attr]
    sys.stdout.write(text)
