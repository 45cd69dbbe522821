"""``campaign-guard schema``: the JSON Schema of a campaign spec or a capacity profile."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from campaign_guard.api import SCHEMA_KINDS
from campaign_guard.cli._files import write_output


def schema(
    kind: Annotated[
        str,
        typer.Option(
            "--kind",
            metavar="|".join(SCHEMA_KINDS),
            help="Which file: `campaign` (a campaign spec) or `capacity` (a capacity profile).",
        ),
    ] = "campaign",
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="Write the schema to this file instead of stdout.",
        ),
    ] = None,
) -> None:
    """Print the JSON Schema of the campaign spec (or, with --kind capacity, the capacity profile).

    Editors with the YAML language server use it for completion and checks: put
    `# yaml-language-server: $schema=campaign-spec.schema.json` at the top of a spec.

    \b
    Example:
      campaign-guard schema -o campaigns/campaign-spec.schema.json
    """
    from campaign_guard.api import schema_text

    text = schema_text(kind)
    if output is None:
        sys.stdout.write(text)
    else:
        write_output(output, text)
