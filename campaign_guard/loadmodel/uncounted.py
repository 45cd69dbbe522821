"""Load the estimate left out, named as the spec names it.

A channel with no published default for what its spec leaves out (a TV spot without
``response_rate``, a budget without ``cost_per_click``), part of one (an email without
``list_size``: its link scanners and image prefetch), a page or endpoint the capacity
profile has no route for, or traffic past the estimate's horizon. Each comes with the
note that says why and how to fix it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from campaign_guard.loadmodel.channels import channel_label
from campaign_guard.loadmodel.flows import UNCOUNTED, Note
from campaign_guard.spec.campaign import CampaignSpec


@dataclass(frozen=True)
class Uncounted:
    """Load the estimate left out: a channel (or part of one) it could not estimate, or a
    page or endpoint the capacity profile has no route for. ``note`` says why and how to
    fix it."""

    campaign_id: str
    campaign: str
    """The campaign's name."""
    what: str
    """``tv_radio "Prime time"``, ``page https://…``, ``endpoint POST /api/…``."""
    note: Note


def uncounted(notes: Sequence[Note], specs: Sequence[CampaignSpec]) -> list[Uncounted]:
    """What the notes say was left out, named as the spec names it."""
    by_id = {spec.campaign_id: spec for spec in specs}
    found = []
    for note in notes:
        if note.code not in UNCOUNTED:
            continue
        spec = by_id[note.campaign_id]
        found.append(Uncounted(spec.campaign_id, spec.name, _what(spec, note.loc), note))
    return found


def _what(spec: CampaignSpec, loc: tuple[str | int, ...]) -> str:
    part, index = loc[0], loc[1] if len(loc) > 1 else 0
    if part == "launch":
        return "its traffic more than a year after the first launch"
    assert isinstance(index, int)
    if part == "landing_pages":
        return f"page {spec.landing_pages[index]}"
    if part == "endpoints":
        return f"endpoint {spec.endpoints[index]}"
    label = channel_label(spec, index)
    if loc[-1] == "list_size":  # the visits are counted; what comes with the send is not
        return f"{label}: link scanners and image prefetch"
    return label
