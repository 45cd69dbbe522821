"""``campaign-guard estimate``: the load campaigns will cause, against capacity."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from campaign_guard.api import FAIL_ON
from campaign_guard.errors import ExitCode
from campaign_guard.safe_text import json_document


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
    from campaign_guard.api import estimate_json, estimate_paths, fail_on_reasons

    run = estimate_paths(paths, capacity=capacity, fail_on=fail_on)
    if as_json:
        sys.stdout.write(json_document(estimate_json(run)))
    else:
        from campaign_guard.cli.estimate_view import show

        drivers = {campaign: d.sentence() for campaign, d in run.drivers.items()}
        show(run.estimate, run.notes, color, run.profile_path, drivers)
    failed = fail_on_reasons(run, fail_on, allow_uncounted=allow_uncounted)
    if failed:
        sys.stderr.write(failed)
        raise typer.Exit(int(ExitCode.FINDINGS))
