"""Sizing the queue-and-workers path: how many workers, hour by hour, keep leads on time.

Pure: it reads the estimate's arrival curve of the ingestion queue (messages per second
at each sample time) and the profile's pool (workers × messages/s each), and returns
data. The queue model is :mod:`campaign_guard.loadmodel.queueing`, the one the
estimate's verdict uses:

* a pool that keeps up at every instant is judged by the M/M/c wait at the peak: the
  "worst delay" is the wait 99 % of leads stay under (Erlang C, pointwise stationary);
* a pool that falls behind is judged by the fluid backlog: the worst delay is the peak
  backlog over the drain rate, the drain time how long the backlog takes to clear.

The workers needed are the fewest that keep the worst delay under ``max_delay``: a pool
may fall behind for a moment if it catches up within it. The per-hour plan does the same
hour by hour, carrying over what one hour leaves in the queue, never below the workers
that run today.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from campaign_guard.loadmodel.queueing import (
    backlog_delay,
    backlog_of,
    drain,
    emptied_at,
    keep_up_workers,
    mean_wait,
    wait_quantile,
)

DEFAULT_MAX_DELAY = 300.0
"""Seconds a lead may wait in the queue by default (``--max-delay 5m``): leads followed
up within 5 minutes are far more likely to be reached than after 30 (Oldroyd, "Lead
Response Management Study", MIT / InsideSales.com, 2007), and the confirmation email a
signup triggers is expected within minutes."""
HOUR = 3600.0
LONGEST_DRAIN = 14 * 86400.0
"""The hours are planned at most this long after the last arrival: SQS keeps a message 14
days at most (AWS SQS Developer Guide, "Amazon SQS message quotas")."""
MOST_WORKERS = 1_000_000
"""Beyond this many workers the search stops: no pool is that large."""


@dataclass(frozen=True)
class Sizing:
    """One arrival curve against one pool (``workers`` × ``per_worker`` messages/s)."""

    workers: int
    peak_rate: float
    """Messages per second at the busiest sample."""
    peak_at: float
    peak_backlog: float
    """The most messages waiting at once (fluid model; 0 while the pool keeps up)."""
    backlog_at: float
    worst_delay: float
    """Seconds the unluckiest lead waits (inf: the backlog never clears)."""
    drain_time: float
    """Seconds from the peak backlog until the queue is empty (0: no backlog; inf: never)."""
    cleared_at: float | None
    """When the backlog is gone (None: no backlog, or it never clears)."""
    mean_wait: float
    """Erlang C mean wait at the peak rate (inf: the pool cannot keep up with it)."""
    keep_up: int
    """Workers whose drain covers the peak rate."""
    needed: int
    """The fewest workers that keep :attr:`worst_delay` under the maximum delay."""


@dataclass(frozen=True)
class HourWorkers:
    """Workers to run from ``start`` to ``end`` (whole hours with the same count)."""

    start: float
    end: float
    peak_rate: float
    workers: int


def worst_delay(
    times: Sequence[float],
    rates: Sequence[float],
    workers: int,
    per_worker: float,
    start: float = 0.0,
) -> float:
    """Seconds the unluckiest message waits with ``workers`` (``start``: the backlog
    already waiting at the first sample): the fluid backlog's delay, or the Erlang wait
    at the busiest rate the workers keep up with, whichever is longer. Arrivals that
    exactly match the drain rate build no fluid backlog but no stable queue either: inf.
    """
    capacity = workers * per_worker
    if capacity <= 0:
        return math.inf if start > 0 or any(r > 0 for r in rates) else 0.0
    below = max((rate for rate in rates if rate < capacity), default=0.0)
    random_wait = wait_quantile(below, workers, per_worker)
    if start <= 0 and max(rates, default=0.0) < capacity:
        return random_wait
    backlog = backlog_of(times, rates, capacity, start).most
    if backlog <= 0:
        return math.inf
    return max(backlog_delay(backlog, capacity), random_wait)


def workers_for(
    times: Sequence[float],
    rates: Sequence[float],
    per_worker: float,
    max_delay: float,
    *,
    floor: int = 1,
    start: float = 0.0,
) -> int:
    """The fewest workers (at least ``floor``) whose worst delay is at most ``max_delay``."""
    low = max(floor, 1)

    def fits(count: int) -> bool:
        return worst_delay(times, rates, count, per_worker, start) <= max_delay

    if fits(low):
        return low
    # The delay falls as workers are added, except where the drain rate exactly meets
    # the peak (no fluid backlog, no stable queue): search below that point and above
    # it separately.
    ratio = max(rates, default=0.0) / per_worker
    above = min(math.floor(round(min(ratio, MOST_WORKERS), 9)) + 1, MOST_WORKERS)
    for top in (above - 1, above - 2):  # the exact match may be either, after rounding
        if low < top and fits(top):
            return _first_fit(fits, low, top)
    failing = max(low, above - 1)
    high = max(failing + 1, above)
    while not fits(high):
        if high >= MOST_WORKERS:
            return MOST_WORKERS
        failing, high = high, min(high * 2, MOST_WORKERS)
    return _first_fit(fits, failing, high)


def _first_fit(fits: Callable[[int], bool], low: int, high: int) -> int:
    """The smallest count from ``low`` (which does not fit) to ``high`` (which does)."""
    while high - low > 1:
        middle = (low + high) // 2
        low, high = (low, middle) if fits(middle) else (middle, high)
    return high


def size(
    times: Sequence[float],
    rates: Sequence[float],
    workers: int,
    per_worker: float,
    max_delay: float,
) -> Sizing:
    """``rates`` (messages/s at ``times``) against ``workers`` × ``per_worker``."""
    if not rates:
        first = times[0] if times else 0.0
        return Sizing(workers, 0.0, first, 0.0, first, 0.0, 0.0, None, 0.0, 0, 0)
    top = max(range(len(rates)), key=rates.__getitem__)
    peak = rates[top]
    capacity = workers * per_worker
    backlog = drain(times, rates, capacity).backlog
    most = max(range(len(backlog)), key=backlog.__getitem__)
    cleared = emptied_at(times, rates, backlog, capacity, most) if backlog[most] > 0 else None
    if backlog[most] <= 0:
        drain_time = 0.0
    else:
        drain_time = math.inf if cleared is None else cleared - times[most]
    usable = per_worker > 0
    return Sizing(
        workers=workers,
        peak_rate=peak,
        peak_at=times[top],
        peak_backlog=backlog[most],
        backlog_at=times[most],
        worst_delay=worst_delay(times, rates, workers, per_worker) if usable else math.inf,
        drain_time=drain_time,
        cleared_at=cleared,
        mean_wait=mean_wait(peak, workers, per_worker) if usable else math.inf,
        keep_up=keep_up_workers(peak, per_worker),
        needed=workers_for(times, rates, per_worker, max_delay) if usable else 0,
    )


def hourly(
    times: Sequence[float],
    rates: Sequence[float],
    per_worker: float,
    max_delay: float,
    floor: int,
) -> list[HourWorkers]:
    """Workers per hour from the first hour with arrivals to the last with a backlog,
    consecutive hours with the same count merged. Hours are whole hours since the epoch
    (whole local hours in every zone a whole number of hours from UTC)."""
    busy = [i for i, rate in enumerate(rates) if rate > 0]
    if not busy or per_worker <= 0:
        return []
    hour = math.floor(times[busy[0]] / HOUR) * HOUR
    last = times[busy[-1]]
    rows: list[HourWorkers] = []
    carry = 0.0
    stop = last + LONGEST_DRAIN
    while (hour <= last or carry > 0) and hour < stop:
        end = hour + HOUR
        cut_times, cut_rates = _slice(times, rates, hour, end)
        count = workers_for(cut_times, cut_rates, per_worker, max_delay, floor=floor, start=carry)
        carry = backlog_of(cut_times, cut_rates, count * per_worker, carry).last
        peak = max(cut_rates, default=0.0)
        if rows and rows[-1].workers == count:
            rows[-1] = HourWorkers(rows[-1].start, end, max(rows[-1].peak_rate, peak), count)
        else:
            rows.append(HourWorkers(hour, end, peak, count))
        hour = end
    return rows


def _slice(
    times: Sequence[float], rates: Sequence[float], start: float, end: float
) -> tuple[list[float], list[float]]:
    """The samples from ``start`` to ``end``, with the rate at both ends interpolated."""
    first, stop = bisect_right(times, start), bisect_left(times, end)
    inner_times = list(times[first:stop])
    inner_rates = list(rates[first:stop])
    return (
        [start, *inner_times, end],
        [_at(times, rates, start), *inner_rates, _at(times, rates, end)],
    )


def _at(times: Sequence[float], rates: Sequence[float], moment: float) -> float:
    """The rate at ``moment``, linear between samples (0 outside them)."""
    i = bisect_left(times, moment)
    if i < len(times) and times[i] == moment:
        return rates[i]
    if i == 0 or i == len(times):
        return 0.0
    t0, t1 = times[i - 1], times[i]
    return rates[i - 1] + (rates[i] - rates[i - 1]) * (moment - t0) / (t1 - t0)
