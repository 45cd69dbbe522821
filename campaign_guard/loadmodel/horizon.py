"""How far ahead the estimate looks: one year from the first launch.

The timeline is sampled every hour at least, so its length decides what an estimate
costs. A campaign written to end in the year 9999, or an email to a list so large that
sending it would take centuries, would otherwise cost gigabytes: the load after the
horizon is left out, and a note on the spec field says so (an uncounted load, so that
``estimate --fail-on`` and the ticket's "Not counted" section show it).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timezone

from campaign_guard.loadmodel.flows import Flow, Note
from campaign_guard.loadmodel.words import AFTER_9999, local
from campaign_guard.spec.campaign import CampaignSpec, say_when

HORIZON_DAYS = 366
HORIZON = HORIZON_DAYS * 86_400.0
"""Seconds after the first launch that the estimate follows: a year-long campaign fits."""

LAST_MOMENT = datetime(9999, 12, 31, 9, 0, tzinfo=timezone.utc).timestamp()
"""The latest time the estimate follows: Python shows no time after the year 9999, and
this is 9999-12-31 23:00 in the zones furthest east (UTC+14)."""

BEYOND = "beyond-horizon"
"""The code of the notes that say load after the horizon was left out."""


def horizon(specs: Sequence[CampaignSpec]) -> float:
    """The end of what the estimate follows, in epoch seconds."""
    if not specs:
        return 0.0
    first = min(spec.launch.start.timestamp() for spec in specs)
    return min(first + HORIZON, LAST_MOMENT)


def beyond_notes(specs: Sequence[CampaignSpec], flows: Iterable[Flow], end: float) -> list[Note]:
    """A note for each campaign that runs past ``end``, and each channel whose sending
    does (of ``flows``: one scenario's)."""
    notes: list[Note] = []
    for spec in specs:
        ends = spec.launch.ends
        if ends.timestamp() > end:
            field = "end" if spec.launch.end is not None else "duration"
            notes.append(
                Note(
                    spec.campaign_id,
                    ("launch", field),
                    BEYOND,
                    f"the campaign runs until {_say(ends.timestamp(), spec)}; "
                    f"{_until(end, spec)}: its traffic after that is not counted (check "
                    "the end and the year; estimate campaigns a year apart separately)",
                )
            )
    noted = {note.campaign_id for note in notes}
    by_id = {spec.campaign_id: spec for spec in specs}
    for flow in flows:
        key = flow.campaign_id
        last = max(flow.curve.anchors(), default=0.0)
        if key in noted or flow.channel_index < 0 or last <= end:
            continue
        noted.add(key)
        spec = by_id[key]
        notes.append(
            Note(
                key,
                ("traffic", flow.channel_index),
                BEYOND,
                f"{flow.label}: sending it would go on until {_say(last, spec)}; "
                f"{_until(end, spec)}: the visits after that are not counted (check the "
                "audience, or give `send_over`)",
            )
        )
    return notes


def _until(end: float, spec: CampaignSpec) -> str:
    """``the estimate covers one year from the first launch, to …``."""
    if end < LAST_MOMENT:
        return f"the estimate covers one year from the first launch, to {_say(end, spec)}"
    return f"the estimate stops at {_say(end, spec)}"


def _say(epoch: float, spec: CampaignSpec) -> str:
    """``epoch`` in ``spec``'s zone, with its year (or "after the year 9999")."""
    moment = local(epoch, spec.launch.zone)
    return AFTER_9999 if moment is None else say_when(moment)


COARSE = "coarse-timeline"


def coarse_note(specs: Sequence[CampaignSpec], samples: int) -> Note:
    """The note that the timeline was sampled more coarsely than usual (on the first
    campaign's traffic: it concerns them all)."""
    these = " in these campaigns together" if len(specs) > 1 else ""
    return Note(
        specs[0].campaign_id,
        ("traffic",),
        COARSE,
        f"so many sends, spots, pages and endpoints{these} "
        f"that the load was followed at {samples:,} moments instead of every few seconds "
        "after each send: a peak that lasts only minutes may be higher than shown",
    )
