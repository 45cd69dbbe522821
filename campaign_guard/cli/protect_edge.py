"""``campaign-guard protect edge``: nginx, HAProxy, ingress-nginx or AWS WAF rate limits for
campaign endpoints."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from campaign_guard.errors import ExitCode, UsageError
from campaign_guard.safe_text import json_document


def edge(
    paths: Annotated[
        list[str],
        typer.Argument(
            help="Campaign specs, folders or glob patterns.", show_default=False, metavar="SPEC"
        ),
    ],
    target: Annotated[
        str,
        typer.Option(
            "--target",
            "-t",
            metavar="nginx|haproxy|ingress-nginx|aws-waf",
            help="The proxy to write for (ingress-nginx: annotations and the controller's "
            "ConfigMap; retired March 2026; aws-waf: a rule group of rate-based rules).",
        ),
    ] = "nginx",
    capacity: Annotated[
        Path | None,
        typer.Option(
            "--capacity",
            "-c",
            metavar="PROFILE",
            help="Capacity profile to size the limits from (default: CAMPAIGN_GUARD_CAPACITY, "
            "else estimate.capacity in campaign-guard.yaml, else a profile among SPECS).",
            show_default=False,
        ),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            "-o",
            metavar="DIR",
            help="Write the files into DIR (made if missing) instead of printing them.",
            show_default=False,
        ),
    ] = None,
    enforce: Annotated[
        bool,
        typer.Option(
            "--enforce",
            help="Refuse requests over the limits (default: a dry run that only logs them).",
        ),
    ] = False,
    access_log: Annotated[
        str | None,
        typer.Option(
            "--access-log",
            metavar="FILE",
            help="nginx: the log of the limiter's decisions "
            "(default /var/log/nginx/campaign-guard-limits.log).",
            show_default=False,
        ),
    ] = None,
    as_json: Annotated[
        bool,
        typer.Option("--json", help="Print the limits, their numbers and where each came from."),
    ] = False,
) -> None:
    """Write rate limits for the endpoints campaigns send people to.

    For each endpoint the capacity profile routes to a service: a cap on the whole
    endpoint (what the service takes at its target utilisation, minus its baseline at
    the launch hour, shared among the campaigns' endpoints, divided among the edge
    proxies) and a cap per client address (sized for people behind one shared
    address). A comment above every directive says where its numbers come from.
    The first rollout is a dry run that only logs; --enforce refuses.

    \b
    Example:
      campaign-guard protect edge campaigns/ \\
        --capacity capacity/production.yaml --target nginx --out edge/
    """
    from campaign_guard.api import protect_edge, protect_edge_json
    from campaign_guard.cli.boundary import say_findings

    if access_log is not None and target != "nginx":
        raise UsageError("--access-log applies to --target nginx only")
    result = protect_edge(
        paths, target=target, capacity=capacity, enforce=enforce, access_log=access_log
    )
    if as_json:
        sys.stdout.write(json_document(protect_edge_json(result)))
    elif out is not None:
        _write(out, result.files)
    else:
        for name, text in result.files.items():
            sys.stdout.write(f"# ===== {name} =====\n{text}\n")
    say_findings(result.findings)
    if result.failed:
        raise typer.Exit(int(ExitCode.FINDINGS))


def _write(folder: Path, files: dict[str, str]) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for name, text in files.items():
            (folder / name).write_text(text, encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot write into '{folder}': {exc.strerror or exc}") from None
    sys.stderr.write("".join(f"wrote {folder / name}\n" for name in files))
