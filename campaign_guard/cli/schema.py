"""``campaign-guard schema``: the JSON Schema of the campaign spec, for editors and CI."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from campaign_guard.cli._boundary import guarded
from campaign_guard.cli._files import write_output


def spec_schema_text() -> str:
    """The campaign spec's JSON Schema, as written to files and stdout."""
    import json

    from campaign_guard.spec.campaign import CampaignSpec

    schema = CampaignSpec.model_json_schema()
    schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


@guarded
def schema(
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write the schema to this file instead of stdout."),
    ] = None,
) -> None:
    """Print the JSON Schema of the campaign spec.

    Editors with the YAML language server use it for completion and checks: put
    `# yaml-language-server: $schema=campaign-spec.schema.json` at the top of a spec.

    Example: campaign-guard schema -o campaigns/campaign-spec.schema.json
    """
    text = spec_schema_text()
    if output is None:
        sys.stdout.write(text)
    else:
        write_output(output, text)
