"""``campaign-guard protect queue``: size the lead workers, write the KEDA ScaledObject."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from campaign_guard.errors import ExitCode, UsageError
from campaign_guard.safe_text import block, json_document

SpecPaths = Annotated[
    list[str],
    typer.Argument(
        help="Campaign specs, folders or glob patterns.", show_default=False, metavar="SPEC"
    ),
]
"""The campaign specs every ``protect`` command reads."""


def queue(
    paths: SpecPaths,
    capacity: Annotated[
        Path | None,
        typer.Option(
            "--capacity",
            "-c",
            metavar="FILE",
            help="Capacity profile with the ingestion queue (default: as for estimate).",
            show_default=False,
        ),
    ] = None,
    max_delay: Annotated[
        str | None,
        typer.Option(
            "--max-delay",
            metavar="DURATION",
            help="The longest a lead may wait in the queue, like 90s or 5m (default 5m: "
            "leads followed up within 5 minutes are the ones reached).",
            show_default=False,
        ),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            "-o",
            metavar="DIR",
            help="Write the KEDA ScaledObject, the workers per hour and the consumer "
            "settings to DIR.",
            show_default=False,
        ),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the numbers as JSON (for machines).")
    ] = False,
) -> None:
    """Size the workers of the ingestion queue for the campaigns' leads.

    Shows the backlog, the worst delay and the drain time with today's workers, the
    workers each hour needs to keep every lead under --max-delay, and what to fix in
    the queue's settings. Exit 1 when a setting is wrong (an error finding).

    \b
    Example:
      campaign-guard protect queue campaigns/ \\
        --capacity capacity/production.yaml --out k8s/
    """
    from campaign_guard.api import (
        protect_queue,
        protect_queue_files,
        protect_queue_json,
        protect_queue_text,
    )

    plan = protect_queue(paths, capacity=capacity, max_delay=max_delay)
    files = protect_queue_files(plan) if out is not None else {}
    document = protect_queue_json(plan) if as_json else None
    show(protect_queue_text(plan) if document is None else document, files, out)
    if any(f.severity == "error" for f in plan.findings):
        raise typer.Exit(int(ExitCode.FINDINGS))


def show(answer: str | dict[str, Any], files: dict[str, str], out: Path | None) -> None:
    """Print ``answer`` (text, or a JSON document), write ``files`` to ``out`` if given,
    and, after text, say which files were written where."""
    if isinstance(answer, str):
        sys.stdout.write(block(answer))
    else:
        sys.stdout.write(json_document(answer))
    if out is not None:
        write_all(out, files)
        if isinstance(answer, str):
            names = ", ".join(sorted(files))
            sys.stdout.write(block(f"Wrote {names} to {out}\n"))


def write_all(folder: Path, files: dict[str, str]) -> None:
    """Write every file, or none: each goes to a temporary name first, then all are
    renamed into place."""
    import tempfile

    try:
        folder.mkdir(parents=True, exist_ok=True)
        staged: list[tuple[str, Path]] = []
        try:
            for name, text in files.items():
                handle, temp = tempfile.mkstemp(prefix=f".{name}.", dir=folder)
                with os.fdopen(handle, "w", encoding="utf-8") as stream:
                    stream.write(text)
                staged.append((temp, folder / name))
        except BaseException:
            for temp, _ in staged:
                Path(temp).unlink(missing_ok=True)
            raise
        for temp, final in staged:
            os.replace(temp, final)
    except OSError as exc:
        raise UsageError(
            f"cannot write to {folder}: {exc.strerror or type(exc).__name__}"
        ) from None
