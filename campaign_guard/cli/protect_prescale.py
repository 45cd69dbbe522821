"""``campaign-guard protect prescale``: when to scale each service up and back down."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from campaign_guard.cli.protect_queue import SpecPaths, show
from campaign_guard.errors import ExitCode


def prescale(
    paths: SpecPaths,
    capacity: Annotated[
        Path | None,
        typer.Option(
            "--capacity",
            "-c",
            metavar="FILE",
            help="Capacity profile with the services (default: as for estimate).",
            show_default=False,
        ),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            "-o",
            metavar="DIR",
            help="Write the schedule, the kubectl commands and the AWS scheduled actions to DIR.",
            show_default=False,
        ),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the schedule as JSON (for machines).")
    ] = False,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            metavar="TIME",
            help="Judge what is late as of this moment (e.g. 2027-03-01T09:00+01:00) "
            "instead of now.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Schedule when each service scales up for campaigns, and back down.

    Per service that a campaign needs scaled: when to scale up (its scale-up lead time
    and a margin before the load needs it), to how many instances, and when to go back
    to today's count. Exit 1 when a peak needs more than max_instances.

    \b
    Example:
      campaign-guard protect prescale campaigns/ \\
        --capacity capacity/production.yaml --out prescale/
    """
    from campaign_guard.api import (
        protect_prescale,
        protect_prescale_files,
        protect_prescale_json,
        protect_prescale_text,
    )

    plan = protect_prescale(paths, capacity=capacity, now=as_of)
    files = protect_prescale_files(plan) if out is not None else {}
    document = protect_prescale_json(plan) if as_json else None
    show(protect_prescale_text(plan) if document is None else document, files, out)
    if any(f.severity == "error" for f in plan.findings):
        raise typer.Exit(int(ExitCode.FINDINGS))
