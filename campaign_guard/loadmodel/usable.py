"""Assumptions outside the ranges the load model can use are not used.

The spec refuses them already (:mod:`campaign_guard.spec.assumptions`: a send rate of 0
never ends, a shape of 0 describes no curve, 10^-300 overflows). The estimate does not
rely on that: whatever spec object it is given, each assumption outside the same ranges
is replaced by the published default, with a note on it that names the range, so the
model never meets a figure it cannot compute with.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from campaign_guard.defaults import Default, format_value
from campaign_guard.loadmodel.flows import Note
from campaign_guard.spec.assumptions import ORDERED, accepted


def usable_assumptions(
    table: Mapping[str, Default], campaign_id: str, assumptions: Mapping[str, object]
) -> tuple[Mapping[str, Default], list[Note]]:
    """``table`` with the usable figures of ``assumptions``, and a note for each other."""
    merged = dict(with_assumptions(table, assumptions))
    notes = []
    for key in assumptions:
        given = merged[key]
        allowed = accepted(key, given.unit)
        if all(allowed.holds(value) for value in _values(given)):
            continue
        merged[key] = table[key]
        notes.append(
            _note(
                campaign_id,
                key,
                f"{key}: {_shown(given)} cannot be used (it must be {allowed.words}); the "
                f"estimate uses the published {_shown(table[key])} instead",
            )
        )
    for first, second, ratio in ORDERED:
        if all(
            b >= a * ratio
            for a, b in zip(_values(merged[first]), _values(merged[second]), strict=True)
        ):
            continue
        merged[first], merged[second] = table[first], table[second]
        notes.append(
            _note(
                campaign_id,
                second if second in assumptions else first,
                f"{second} must be at least {ratio:g} times {first}; the estimate uses the "
                f"published {_shown(table[first])} and {_shown(table[second])} instead",
            )
        )
    return merged, notes


def with_assumptions(
    table: Mapping[str, Default], assumptions: Mapping[str, object]
) -> Mapping[str, Default]:
    """``table`` with the figures a campaign spec sets in its ``assumptions``.

    A figure is one number for every scenario, or an object with ``low``, ``expected``
    and ``high``.
    """
    if not assumptions:
        return table
    merged = dict(table)
    for key, given in assumptions.items():
        low = expected = high = given
        if not isinstance(given, int | float):
            low, expected, high = (getattr(given, name) for name in ("low", "expected", "high"))
        merged[key] = replace(
            table[key],
            low=float(low),  # type: ignore[arg-type]
            expected=float(expected),  # type: ignore[arg-type]
            high=float(high),  # type: ignore[arg-type]
            source="the campaign spec's `assumptions`",
            rating="assumption",
            note="set for this campaign",
        )
    return merged


def _values(default: Default) -> tuple[float, float, float]:
    return default.low, default.expected, default.high


def _shown(default: Default) -> str:
    """``2 h``, or ``1.92 % / 2.91 % / 4.62 %``."""
    return " / ".join(dict.fromkeys(format_value(v, default.unit) for v in _values(default)))


def _note(campaign_id: str, key: str, message: str) -> Note:
    return Note(campaign_id, ("assumptions", key), "unusable-assumption", message)
