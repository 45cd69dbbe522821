"""Which figures the load model can use: assumptions outside them are not used.

A campaign's ``assumptions`` replace defaults of the load model; the spec accepts any
figure that is not negative. Some break the model: a send rate of 0 never ends, a
response delay of 0 or a shape of 0 has no distribution, a shape of 10^-300 overflows.
Each assumption outside its key's range (:data:`RANGES`, by the default's unit) is
replaced by the published default, with a note on it that names the range.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple

from campaign_guard.estimate.defaults import Default, format_value, with_assumptions
from campaign_guard.estimate.flows import Note

YEAR = 365 * 86_400.0


class Range(NamedTuple):
    low: float
    high: float
    why: str
    """What goes wrong outside it, for the note."""


RANGES: dict[str, Range] = {
    "share": Range(0.0, 1.0, "a share is from 0 to 100 %"),
    "delay": Range(1.0, YEAR, "a response delay is from 1 s to a year"),
    "span": Range(0.0, YEAR, "a duration is from 0 to a year"),
    "shape": Range(0.1, 50.0, "a shape is from 0.1 to 50"),
    "peaked": Range(1.01, 50.0, "a shape with a peak after the spot is from 1.01 to 50"),
    "emails/min": Range(1.0, 1e9, "a send rate is from 1 to a billion a minute"),
    "messages/s": Range(0.01, 1e9, "a send rate is from 0.01 to a billion a second"),
    "count": Range(0.0, 1000.0, "a count per email is from 0 to 1,000"),
    "spread": Range(0.01, 100.0, "a multiple of the marketer's figure is from 0.01 to 100"),
}
"""The figures the model can use, by kind (:func:`kind_of`)."""


def kind_of(default: Default) -> str:
    """Which of :data:`RANGES` applies to ``default``."""
    key, unit = default.key, default.unit
    if unit.startswith("share"):
        return "share"
    if key.endswith(".shape"):
        return "peaked" if key.startswith("tv_radio.") else "shape"
    if unit == "s":
        return "span" if key in {"push.fan_out", "tv_radio.spot_length"} else "delay"
    if unit in RANGES:
        return unit
    return "spread" if key == "given.spread" else "count"


def usable_assumptions(
    table: Mapping[str, Default], campaign_id: str, assumptions: Mapping[str, object]
) -> tuple[Mapping[str, Default], list[Note]]:
    """``table`` with the usable figures of ``assumptions``, and a note for each other."""
    merged = dict(with_assumptions(table, assumptions))
    notes = []
    for key in assumptions:
        default = merged[key]
        usable = RANGES[kind_of(default)]
        if all(usable.low <= value <= usable.high for value in _values(default)):
            continue
        merged[key] = table[key]
        unit = default.unit
        limits = f"{format_value(usable.low, unit)} to {format_value(usable.high, unit)}"
        notes.append(
            _note(
                campaign_id,
                key,
                f"{key}: {_shown(default)} cannot be used ({usable.why}); the estimate uses "
                f"the published {_shown(table[key])} instead (write a figure from {limits})",
            )
        )
    p90, p99 = "sms.read_delay.p90", "sms.read_delay.p99"
    if merged[p90].expected >= merged[p99].expected:  # 90 % are read before 99 % are
        merged[p90], merged[p99] = table[p90], table[p99]
        notes.append(
            _note(
                campaign_id,
                p99 if p99 in assumptions else p90,
                f"{p90} must be shorter than {p99}; the estimate uses the published "
                f"{_shown(table[p90])} and {_shown(table[p99])} instead",
            )
        )
    return merged, notes


def _values(default: Default) -> tuple[float, float, float]:
    return default.low, default.expected, default.high


def _shown(default: Default) -> str:
    """``2 h``, or ``1.92 % / 2.91 % / 4.62 %``."""
    return " / ".join(dict.fromkeys(format_value(v, default.unit) for v in _values(default)))


def _note(campaign_id: str, key: str, message: str) -> Note:
    return Note(campaign_id, ("assumptions", key), "unusable-assumption", message)
