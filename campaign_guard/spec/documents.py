"""Any campaign-guard document, validated by what it says it is.

A file whose top level says ``kind: capacity-profile`` is a capacity profile; any other
file is a campaign spec (``kind: campaign`` may say so explicitly). Each file is parsed
once, whatever it turns out to be.
"""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Any, Literal

from campaign_guard.spec.campaign import CampaignSpec
from campaign_guard.spec.load import Loaded, load_document, validate_document
from campaign_guard.spec.messages import Problem
from campaign_guard.spec.yamlload import Document

Kind = Literal["campaign", "capacity-profile", "unknown"]

CAMPAIGN_KIND: Kind = "campaign"
PROFILE_KIND: Kind = "capacity-profile"
KINDS = (CAMPAIGN_KIND, PROFILE_KIND)


def load_any(path: Path, name: str) -> tuple[Kind, Loaded[Any]]:
    """The file's kind and its validated value (or the problems that stopped it)."""
    document, problems = load_document(path)
    if document is None:
        return "unknown", Loaded(name, None, None, problems)
    kind = document.data.get("kind", CAMPAIGN_KIND)
    if kind == PROFILE_KIND:
        from campaign_guard.spec.capacity import CapacityProfile  # only when there is one

        return PROFILE_KIND, validate_document(document, CapacityProfile, name)
    if kind != CAMPAIGN_KIND:
        return "unknown", Loaded(name, None, document, [_unknown_kind(document, kind)])
    return CAMPAIGN_KIND, validate_document(document, CampaignSpec, name)


def _unknown_kind(document: Document, kind: object) -> Problem:
    """A ``kind`` that is neither a campaign spec nor a capacity profile."""
    text = "" if kind is None else str(kind)
    text = text if len(text) <= 40 else text[:39] + "…"
    close = difflib.get_close_matches(text, KINDS, n=1, cutoff=0.6)
    hint = f"did you mean '{close[0]}'? " if close else ""
    located = document.locate(("kind",))
    message = (
        f"unknown kind '{text}' ({hint}a campaign spec has `kind: campaign` or no `kind`, "
        f"a capacity profile has `kind: {PROFILE_KIND}`)"
    )
    return Problem(located.line, located.column, "invalid-value", "kind", message)
