"""``campaign-guard schema``: the JSON Schema of a campaign spec or a capacity profile."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from campaign_guard.cli._files import write_output
from campaign_guard.errors import UsageError

SCHEMA_KINDS = ("campaign", "capacity")
"""What ``--kind`` takes: the campaign spec, or the capacity profile."""


def spec_schema_text() -> str:
    """The campaign spec's JSON Schema, as written to files and stdout."""
    return schema_text("campaign")


def schema_text(kind: str) -> str:
    """The JSON Schema of ``kind`` (one of :data:`SCHEMA_KINDS`), as written out."""
    import json

    from pydantic import BaseModel

    model: type[BaseModel]
    if kind == "capacity":
        from campaign_guard.spec.capacity import CapacityProfile

        model = CapacityProfile
    else:
        from campaign_guard.spec.campaign import CampaignSpec

        model = CampaignSpec
    schema = model.model_json_schema()
    schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


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
    if kind not in SCHEMA_KINDS:
        raise UsageError(f"--kind must be one of: {', '.join(SCHEMA_KINDS)} (not '{kind[:40]}')")
    text = schema_text(kind)
    if output is None:
        sys.stdout.write(text)
    else:
        write_output(output, text)
