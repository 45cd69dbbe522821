"""The JSON Schemas of the campaign spec and the capacity profile, as written out."""

from __future__ import annotations

import json

from pydantic import BaseModel

from campaign_guard.choices import SCHEMA_KINDS


def schema_text(kind: str) -> str:
    """The JSON Schema of ``kind`` (one of :data:`SCHEMA_KINDS`), as written out."""
    if kind not in SCHEMA_KINDS:
        raise ValueError(f"no schema of kind {kind!r}")
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
