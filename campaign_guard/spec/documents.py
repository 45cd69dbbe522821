"""Any campaign-guard document, validated by what it says it is.

A file whose top level says ``kind: capacity-profile`` is a capacity profile; any other
file is a campaign spec (``kind: campaign`` may say so explicitly). A file without
``kind`` whose fields are a capacity profile's (``services``, ``routes``...) rather than
a campaign's is a capacity profile that forgot to say so: it is checked as one, with a
problem asking for the ``kind``. Each file is parsed once, whatever it turns out to be.
"""

from __future__ import annotations

import difflib
from dataclasses import replace
from pathlib import Path
from typing import Any, Literal

from campaign_guard.spec import codes
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
    if "kind" not in document.data and _looks_like_a_profile(document):
        return PROFILE_KIND, _profile_without_kind(document, name)
    kind = document.data.get("kind", CAMPAIGN_KIND)
    if kind == PROFILE_KIND:
        from campaign_guard.spec.capacity import CapacityProfile  # only when there is one

        return PROFILE_KIND, validate_document(document, CapacityProfile, name)
    if kind != CAMPAIGN_KIND:
        return "unknown", Loaded(name, None, document, [_unknown_kind(document, kind)])
    return CAMPAIGN_KIND, validate_document(document, CampaignSpec, name)


def _looks_like_a_profile(document: Document) -> bool:
    """Whether more of the top-level fields are a capacity profile's than a campaign's."""
    keys = set(document.data)
    campaign = set(CampaignSpec.model_fields)
    if keys <= campaign:
        return False  # a campaign spec, or nothing known: no need to load the profile model
    from campaign_guard.spec.capacity import CapacityProfile

    profile = set(CapacityProfile.model_fields)
    return len(keys & (profile - campaign)) > len(keys & (campaign - profile))


def _profile_without_kind(document: Document, name: str) -> Loaded[Any]:
    """The file checked as a capacity profile, with a problem asking for its ``kind``."""
    from campaign_guard.spec.capacity import CapacityProfile

    located = document.locate(("kind",))
    message = (
        f"this looks like a capacity profile; add the line `kind: {PROFILE_KIND}` "
        "(a file without `kind` is read as a campaign spec)"
    )
    missing = Problem(located.line, located.column, codes.MISSING_FIELD, "kind", message)
    with_kind = replace(document, data={**document.data, "kind": PROFILE_KIND})
    checked = validate_document(with_kind, CapacityProfile, name)
    return Loaded(name, None, document, [missing, *checked.problems])


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
    return Problem(located.line, located.column, codes.INVALID_VALUE, "kind", message)
