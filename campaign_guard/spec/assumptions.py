"""The range each load-model assumption a spec replaces may take.

``assumptions:`` replaces a default of the load model for one campaign (its keys and
units are in :mod:`campaign_guard.defaults`). A send rate of 0 would divide by
zero, a response-curve shape of 0 describes no curve at all, and a share above 100 % no
audience: each value is checked against the range of its kind, and the message names it.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from pydantic_core import InitErrorDetails

from campaign_guard.defaults import SCENARIOS, Scenario
from campaign_guard.spec.bounds import OUT_OF_RANGE
from campaign_guard.spec.field_errors import detail

if TYPE_CHECKING:
    from campaign_guard.spec.campaign import AssumptionRange


@dataclass(frozen=True)
class Accepted:
    """The values an assumption of one kind may take, from ``low`` to ``high``."""

    low: float
    high: float
    words: str
    """The range as people read it: "from 1 to 1,000,000,000 emails a minute"."""
    above_low: bool = False
    """``low`` itself is refused: more than ``low``."""
    shown: Literal["number", "percent", "seconds"] = "number"
    """How a value is said: ``0.2``, ``20%`` or ``30 seconds``."""

    def holds(self, value: float) -> bool:
        return (value > self.low if self.above_low else value >= self.low) and value <= self.high

    def say(self, value: float) -> str:
        if self.shown == "percent":
            return f"{value * 100:g}%"
        return f"{value:g} seconds" if self.shown == "seconds" else f"{value:g}"


DAY = 86400.0
SHARE = Accepted(0.0, 1.0, "from 0% to 100%", shown="percent")
DELAY = Accepted(1.0, 30 * DAY, "from 1 second to 30 days (like 30s, 2h or 3d)", shown="seconds")
SHAPE = Accepted(0.2, 20.0, "from 0.2 to 20 (how steep the curve is)")
PEAKED_SHAPE = Accepted(1.0, 20.0, "more than 1 and at most 20 (a curve with a peak)", True)
PER_EMAIL = Accepted(0.0, 1000.0, "from 0 to 1,000 per email")
SPREAD = Accepted(0.0, 10.0, "more than 0 and at most 10 (times the figure given)", True)

BY_UNIT: dict[str, Accepted] = {
    "share of recipients": SHARE,
    "share of opens": SHARE,
    "s": DELAY,
    "": SHAPE,
    "emails/min": Accepted(1.0, 1e9, "from 1 to 1,000,000,000 emails a minute"),
    "messages/s": Accepted(1.0, 1e9, "from 1 to 1,000,000,000 messages a second"),
    "links per email": PER_EMAIL,
    "requests per open": PER_EMAIL,
    "x the marketer's figure": SPREAD,
}
"""The range of each kind of default, by the unit :mod:`~campaign_guard.defaults`
gives it (a test checks that every default has one)."""
BY_KEY: dict[str, Accepted] = {"tv_radio.response_delay.shape": PEAKED_SHAPE}
"""Keys narrower than their unit: the TV response curve is placed by its peak."""

ORDERED: tuple[tuple[str, str, float], ...] = (("sms.read_delay.p90", "sms.read_delay.p99", 1.1),)
"""``(first, second, ratio)``: ``second`` at least ``ratio`` times ``first``, in every
scenario (the curve through two close quantiles would be a wall)."""


def accepted(key: str, unit: str) -> Accepted:
    """The range of the assumption ``key``, whose default is in ``unit``."""
    return BY_KEY.get(key) or BY_UNIT[unit]


def range_problems(
    given: Mapping[str, float | AssumptionRange], units: Mapping[str, str]
) -> Iterator[InitErrorDetails]:
    """A problem for every value in ``given`` outside its range (``units``: each key's)."""
    for key, value in given.items():
        allowed = accepted(key, units[key])
        for part, number in _parts(value):
            if not allowed.holds(number):
                yield detail(
                    ("assumptions", key, *part),
                    number,
                    "must be {words}, not {given}",
                    OUT_OF_RANGE,
                    words=allowed.words,
                    given=allowed.say(number),
                )
                break


def order_problems(
    given: Mapping[str, float | AssumptionRange], defaults: Mapping[str, tuple[float, ...]]
) -> Iterator[InitErrorDetails]:
    """A problem for each pair of :data:`ORDERED` too close in some scenario.

    ``defaults`` holds each key's low, expected and high defaults, for a key not given.
    """
    for first, second, ratio in ORDERED:
        if first not in given and second not in given:
            continue
        for index, scenario in enumerate(SCENARIOS):
            low = _in(given.get(first), scenario, defaults[first][index])
            high = _in(given.get(second), scenario, defaults[second][index])
            if high < low * ratio:
                key = second if second in given else first
                yield detail(
                    ("assumptions", key),
                    high,
                    "{second} ({high} seconds) must be at least {ratio} times {first} ({low} "
                    "seconds) in the {scenario} scenario",
                    OUT_OF_RANGE,
                    first=first,
                    second=second,
                    high=f"{high:g}",
                    low=f"{low:g}",
                    ratio=f"{ratio:g}",
                    scenario=scenario,
                )
                break


def _parts(value: float | AssumptionRange) -> Iterator[tuple[tuple[str, ...], float]]:
    if isinstance(value, float | int):
        yield (), float(value)
        return
    for scenario in SCENARIOS:
        yield (scenario,), float(getattr(value, scenario))


def _in(value: float | AssumptionRange | None, scenario: Scenario, default: float) -> float:
    if value is None:
        return default
    if isinstance(value, float | int):
        return float(value)
    return float(getattr(value, scenario))
