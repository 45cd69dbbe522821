"""Sampling loads over time: seconds near every send and TV spot, hours elsewhere.

Peaks hide in the first seconds after a TV spot and the first minutes after a push, so
each *anchor* (a flow's start, a spot's end) gets a dense run of sample times after it,
spaced more widely as the response decays; a whole-hour grid covers the rest and the
changes of the hourly baseline. Each target's rate is evaluated at those times only.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, is_dataclass, replace
from typing import Any, NamedTuple

from campaign_guard.loadmodel.flows import Combined, Flow
from campaign_guard.loadmodel.loads import Load

OFFSETS: tuple[float, ...] = (
    0,
    1,
    2,
    4,
    7,
    10,
    13,
    16,
    20,
    30,
    45,
    60,
    90,
    120,
    180,
    300,
    450,
    600,
    900,
    1200,
    1800,
    2700,
    3600,
    5400,
    7200,
    10800,
    14400,
    21600,
    43200,
)
"""Seconds after an anchor at which loads are sampled (13 s: a TV response's peak)."""

HOUR = 3600.0
TAIL = 24 * HOUR
"""How long after its campaign ends a flow is still followed: clicks on an email keep
coming for weeks, but a day after the end they are a vanishing share of any peak."""


MAX_SAMPLES = 50_000
"""The most sample times on a timeline: a quarter's calendar of 500 campaigns needs about
25,000 (:data:`OFFSETS` after each of 2,500 sends, and every hour)."""

SAMPLE_CELLS = 500_000
"""The most samples times targets: each target keeps a few series of one value per sample
in each scenario (and ``estimate --json`` writes them all), so a campaign reaching 300
pages, endpoints and services is sampled less finely than one reaching 10. The calendar
of 500 campaigns reaches 17 (about 425,000)."""

MIN_SAMPLES = 1_000


def sample_limit(targets: int) -> int:
    """How many sample times a timeline of ``targets`` targets may have."""
    return max(MIN_SAMPLES, min(MAX_SAMPLES, SAMPLE_CELLS // max(1, targets)))


class Grid(NamedTuple):
    """How finely a timeline is sampled: anchors and edges rounded to ``grain`` seconds,
    ``offsets`` after each anchor, and a regular grid every ``hours`` hours."""

    grain: int
    offsets: tuple[float, ...]
    hours: int = 1


GRIDS: tuple[Grid, ...] = (
    Grid(1, OFFSETS),
    Grid(1, OFFSETS[:13]),  # the first 90 s: a TV response's peak, a push's first wave
    Grid(60, (0, 60, 300, 900, 1800)),
    Grid(600, (0, 600, 1800)),
    Grid(3600, (0,)),  # every anchor and edge on the hourly grid
)
"""From the finest to the coarsest: the first whose samples fit the limit is used."""


@dataclass(frozen=True)
class Window:
    start: float
    end: float


class Timeline(NamedTuple):
    times: list[float]
    fine: bool
    """Sampled with the finest grid (``False``: coarser, to stay within the limit)."""


def sample_times(
    anchors: Iterable[float],
    window: Window,
    edges: Iterable[float] = (),
    limit: int = MAX_SAMPLES,
) -> Timeline:
    """Dense after each anchor, on both sides of each edge, hourly elsewhere: at most
    ``limit`` times.

    ``anchors`` start bursts (a send, a TV spot's end); ``edges`` are where a smooth
    curve starts or stops (a paid channel's spend), which need no dense run. When they
    are too many for ``limit`` (thousands of spots, hundreds of campaigns at once), a
    coarser grid of :data:`GRIDS` is used; when even the hours of the window are (a
    small ``limit``, a long window), a grid of every few hours.
    """
    anchors, edges = set(anchors), set(edges)  # the same send in every scenario and page
    hours = max(0.0, window.end - window.start) / HOUR + 2
    every = max(1, math.ceil(hours / max(1, limit - 2)))
    grids = [*GRIDS, Grid(3600 * every, (0,), every)]
    for number, grid in enumerate(grids):
        last = number == len(grids) - 1
        spots = {round(a / grid.grain) * grid.grain for a in anchors}
        sides = {round(e / grid.grain) * grid.grain for e in edges}
        most = len(spots) * (len(grid.offsets) + 1) + 2 * len(sides) + hours / grid.hours
        if most > 4 * limit and not last:
            continue  # too many to be worth building
        times = _grid(spots, sides, window, grid)
        if len(times) <= limit or last:
            return Timeline(times, number == 0)
    raise AssertionError("unreachable: the last grid is always used")


def _grid(anchors: set[int], edges: set[int], window: Window, grid: Grid) -> list[float]:
    times: set[float] = set()
    step = grid.grain
    for anchor in anchors:
        for offset in grid.offsets:
            times.add(anchor + offset)
        times.add(anchor - step)  # just before: the level the burst starts from
    for edge in edges:
        times.update((edge - step, edge))
    times = {t for t in times if window.start <= t <= window.end}
    every = grid.hours * HOUR
    hour = (window.start // every) * every
    while hour <= window.end:
        if hour >= window.start:
            times.add(hour)
        hour += every
    return sorted(times)


@dataclass(frozen=True)
class Samples:
    """A flow's rate at ``times[first:first + len(unit)]`` is ``scale × unit`` (zero
    elsewhere). Flows of the same shape (the same send split over two landing pages, the
    same kernel in three scenarios) share one ``unit`` list."""

    first: int
    unit: list[float]
    scale: float
    constant: bool = False
    """The rate is the same at every sample (a paid channel's even spend)."""


def sample_flows(
    flows: Iterable[Flow], times: Sequence[float], ends: dict[str, float]
) -> dict[int, Samples]:
    """Each flow's rate at the sample times inside its support, keyed by ``id(flow)``.

    A flow is followed until a day after its campaign ends (``ends`` maps campaign id
    to end time), so a calendar of hundreds of campaigns costs what the overlapping ones
    cost at each time, not all of them. Curves that differ only in their amount are
    evaluated once, at amount 1, and scaled.
    """
    shapes: dict[object, tuple[int, list[float], bool]] = {}
    result: dict[int, Samples] = {}
    combined = []
    for flow in flows:
        curve = flow.curve
        if isinstance(curve, Combined):
            combined.append((flow, curve))
            continue
        start, end = curve.support()
        end = min(end, max(ends.get(flow.campaign_id, end), start) + TAIL)
        amount = getattr(curve, "amount", None)
        shape: Any = curve
        scale = 1.0
        if is_dataclass(curve) and isinstance(amount, float | int) and amount > 0:
            shape, scale = replace(curve, amount=1.0), float(amount)
        key: object = (shape, end)
        try:
            known = shapes.get(key)
        except TypeError:  # an unhashable curve: sample it on its own
            key, known = id(flow), None
        if known is None:
            first = bisect.bisect_left(times, start)
            last = bisect.bisect_right(times, end)
            vectorised = getattr(shape, "rates", None)
            if vectorised is not None:
                unit = vectorised(times[first:last])
            else:
                rate = shape.rate
                unit = [rate(times[i]) for i in range(first, last)]
            while unit and unit[-1] == 0.0:
                unit.pop()  # the support's end is exclusive
            constant = bool(unit) and min(unit) == max(unit)
            known = shapes[key] = (first, unit, constant)
        result[id(flow)] = Samples(known[0], known[1], scale, known[2])
    for flow, curve in combined:
        result[id(flow)] = _summed([result[id(part)] for part in curve.flows])
    return result


def _summed(parts: Iterable[Samples]) -> Samples:
    """The samples of several flows added up, over the samples where any is not zero.

    Flows of one shape (a send split over landing pages) are folded first, so each
    shape is added once."""
    folded: dict[int, tuple[Samples, float]] = {}
    for sampled in parts:
        if sampled.unit:
            _, scale = folded.get(id(sampled.unit), (sampled, 0.0))
            folded[id(sampled.unit)] = (sampled, scale + sampled.scale)
    if not folded:
        return Samples(0, [], 1.0)
    first = min(sampled.first for sampled, _ in folded.values())
    stop = max(sampled.first + len(sampled.unit) for sampled, _ in folded.values())
    unit = [0.0] * (stop - first)
    for sampled, scale in folded.values():
        start, end = sampled.first - first, sampled.first - first + len(sampled.unit)
        unit[start:end] = [
            v + scale * u for v, u in zip(unit[start:end], sampled.unit, strict=True)
        ]
    return Samples(first, unit, 1.0, min(unit) == max(unit))


MAX_RATE = 1e18
"""The highest rate a target is given (a billion billion per second): a profile may ask
10^300 requests of each visit, and the arithmetic must stay finite."""


def total(loads: Iterable[Load], samples: dict[int, Samples], size: int) -> list[float]:
    """The summed rate of ``loads`` at every sample time, at most :data:`MAX_RATE`.

    Loads sharing a shape are folded into one coefficient first, so each shape is
    added to the result once, however many flows and factors it carries.
    """
    folded: dict[int, tuple[Samples, float]] = {}
    for load in loads:
        sampled = samples[id(load.flow)]
        key = id(sampled.unit)
        _, coefficient = folded.get(key, (sampled, 0.0))
        folded[key] = (sampled, coefficient + load.factor * sampled.scale)
    values = [0.0] * size
    steps = [0.0] * (size + 1)  # constant shapes (a paid channel's spend): added as steps
    for sampled, folded_coefficient in folded.values():
        coefficient = min(folded_coefficient, MAX_RATE)
        first, unit = sampled.first, sampled.unit
        stop = first + len(unit)
        if not unit:
            continue
        if sampled.constant:
            steps[first] += coefficient * unit[0]
            steps[stop] -= coefficient * unit[0]
            continue
        values[first:stop] = [
            v + coefficient * u for v, u in zip(values[first:stop], unit, strict=True)
        ]
    level = 0.0
    for i in range(size):
        level += steps[i]
        if level:
            values[i] += level
    if values and max(values) > MAX_RATE:
        values = [min(value, MAX_RATE) for value in values]
    return values


def peak(times: Sequence[float], values: Sequence[float]) -> tuple[float, float]:
    """``(value, time)`` of the highest value (the earliest, on a tie)."""
    if not values:
        return 0.0, 0.0
    top = max(values)
    return top, times[values.index(top)]


class RangeMax:
    """The highest of ``values`` over any range of indices, without reading the whole
    range: the maximum of each block of :attr:`BLOCK` values is kept. A calendar judges
    every campaign's run, hundreds of ranges of thousands of samples each."""

    BLOCK = 128

    def __init__(self, values: list[float]) -> None:
        self.values = values
        size = self.BLOCK
        self.blocks = [max(values[i : i + size]) for i in range(0, len(values), size)]

    def top(self, first: int, last: int) -> float:
        """The highest value among indices ``first`` to ``last`` (exclusive); 0 if none."""
        values, size = self.values, self.BLOCK
        inner, outer = -(-first // size), last // size  # the whole blocks inside
        if inner >= outer:
            return max(values[first:last], default=0.0)
        head = max(values[first : inner * size], default=0.0)
        tail = max(values[outer * size : last], default=0.0)
        return max(head, tail, *self.blocks[inner:outer])

    def index(self, value: float, first: int, last: int) -> int:
        """The first index from ``first`` to ``last`` (exclusive) holding ``value``."""
        values, size = self.values, self.BLOCK
        inner, outer = -(-first // size), last // size
        if inner >= outer:
            return values.index(value, first, last)
        if value in values[first : inner * size]:
            return values.index(value, first, inner * size)
        if value in self.blocks[inner:outer]:
            block = self.blocks.index(value, inner, outer)
            return values.index(value, block * size, (block + 1) * size)
        return values.index(value, outer * size, last)

    def first_above(self, level: float, first: int, last: int) -> int | None:
        """The first index from ``first`` to ``last`` (exclusive) whose value is above
        ``level``, skipping whole blocks that stay at or under it."""
        values, blocks, size = self.values, self.blocks, self.BLOCK
        i = first
        while i < last:
            if i % size == 0 and i + size <= last and blocks[i // size] <= level:
                i += size
                continue
            if values[i] > level:
                return i
            i += 1
        return None


def first_above(
    times: Sequence[float], values: Sequence[float], level: float, first: int = 0, last: int = -1
) -> float | None:
    """The first time the value goes above ``level`` (among samples ``first`` to ``last``)."""
    stop = len(values) if last < 0 else last
    for i in range(first, stop):
        if values[i] > level:
            return times[i]
    return None
