"""``campaign-guard doctor``: check that ``submit`` can file tickets, and say what to fix."""

from __future__ import annotations

import sys
from dataclasses import asdict
from typing import Annotated

import typer

from campaign_guard.cli.boundary import run_options
from campaign_guard.cli.progress import waiting_status
from campaign_guard.errors import ExitCode
from campaign_guard.safe_text import json_document, one_line

_MARK = {"ok": "ok  ", "warn": "warn", "fail": "FAIL", "skip": "skip"}


def doctor(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print the checks as JSON.")] = False,
) -> None:
    """Check that submit can file tickets: Jira, the fields and on-call.

    Checks the site, credentials, project, issue type, mapped fields,
    transitions and who is on call. Each failed check says which setting or
    permission to fix. Exit code 3 when a check fails, else 0.

    \b
    Example:
      campaign-guard doctor
    """
    from campaign_guard.api import doctor_checks as run_checks
    from campaign_guard.api import doctor_failed, settings

    found = settings()
    with waiting_status(run_options(ctx)):
        checks = run_checks(config=found)
    if as_json:
        sys.stdout.write(json_document([asdict(c) for c in checks]))
    else:
        width = max(len(c.name) for c in checks)
        for check in checks:
            line = f"{_MARK[check.status]}  {check.name:<{width}}  {check.message}".rstrip()
            sys.stdout.write(one_line(line) + "\n")
    if doctor_failed(checks):
        raise typer.Exit(int(ExitCode.EXTERNAL))
