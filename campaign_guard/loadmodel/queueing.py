"""The queue model: one place for how a queue drained by workers behaves.

The estimate (its verdict on the ingestion queue) and ``protect queue`` (its sizing of
the workers) both stand on these functions, so they never disagree.

* **Fluid model in overload** (Newell 1968; Liu & Whitt 2012): while arrivals exceed
  what the workers drain, the backlog grows by λ(t) − cμ; a message that arrives when
  ``Q`` messages wait leaves about ``Q / cμ`` later, so the worst delay is
  ``Q_max / cμ``, and the backlog is gone ``Q / (cμ − λ_after)`` after the overload.
* **Erlang C (M/M/c)** while the pool keeps up at every instant (the pointwise
  stationary approximation, Green & Kolesar, Management Science 37(1), 1991): with
  offered load ``a = λ/μ`` and ``c`` workers, a message waits at all with probability
  ``C(c, a)``; the mean wait is ``C / (cμ − λ)`` and ``P(wait > t) = C·e^{−(cμ−λ)t}``
  (Kleinrock, Queueing Systems vol. 1, 1975, §3.5).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import NamedTuple

QUANTILE = 0.99
"""The share of messages whose wait the "worst delay" of a pool that keeps up bounds."""


class Drained(NamedTuple):
    outflow: list[float]
    """What leaves the queue per second at each sample."""
    backlog: list[float]
    """Messages waiting at each sample."""


def drain(
    times: Sequence[float], inflow: Sequence[float], capacity: float, start: float = 0.0
) -> Drained:
    """A queue drained at ``capacity``/s: its outflow and backlog at every sample.

    Fluid model (Newell 1968): the backlog grows by inflow − capacity while positive;
    between samples the inflow is taken as the average of the two ends. ``start`` is
    the backlog already waiting at the first sample.
    """
    outflow: list[float] = []
    backlogs: list[float] = []
    backlog = start
    for i, t in enumerate(times):
        if i > 0:
            dt = t - times[i - 1]
            net = (inflow[i] + inflow[i - 1]) / 2 - capacity  # growth per second
            backlog = max(0.0, backlog + net * dt)
        backlogs.append(backlog)
        outflow.append(capacity if backlog > 0 else min(inflow[i], capacity))
    return Drained(outflow, backlogs)


MOST_WORKERS = 1e18
"""The largest worker count computed: a rate of 10^18 against 10^-300 per worker would
need more workers than a float can count."""


class Backlog(NamedTuple):
    most: float
    """The most messages waiting at once."""
    last: float
    """Messages waiting at the last sample."""


def backlog_of(
    times: Sequence[float], inflow: Sequence[float], capacity: float, start: float = 0.0
) -> Backlog:
    """:func:`drain`'s backlog, its peak and its end only, without the lists (the worker
    search asks this many times)."""
    backlog = most = start
    if not times:
        return Backlog(most, backlog)
    before_t, before_r = times[0], inflow[0]
    for t, r in zip(times, inflow, strict=True):
        backlog += ((r + before_r) * 0.5 - capacity) * (t - before_t)
        if backlog < 0.0:
            backlog = 0.0
        elif backlog > most:
            most = backlog
        before_t, before_r = t, r
    return Backlog(most, backlog)


def keep_up_workers(rate: float, per_worker: float) -> int:
    """Workers whose drain rate covers ``rate`` messages/s (at least 1 for any rate)."""
    if rate <= 0:
        return 0
    ratio = rate / per_worker if per_worker > 0 else math.inf
    # rounded first: 0.1 × 3 = 0.30000000000000004 needs 3 workers, not 4
    return max(1, math.ceil(round(min(ratio, MOST_WORKERS), 9)))


def erlang_c(workers: int, offered: float) -> float:
    """Probability that a message waits at all: Erlang's C formula for ``workers`` and an
    offered load of ``offered`` = λ/μ. 1.0 when the workers cannot keep up.

    Computed from Erlang B's recursion, B(k) = a·B(k−1) / (k + a·B(k−1)), which stays
    accurate for thousands of workers where factorials overflow.
    """
    if offered <= 0:
        return 0.0
    if workers <= offered:
        return 1.0
    blocking = 1.0
    for k in range(1, workers + 1):
        blocking = offered * blocking / (k + offered * blocking)
    return workers * blocking / (workers - offered * (1 - blocking))


def mean_wait(rate: float, workers: int, per_worker: float) -> float:
    """The M/M/c mean wait in seconds before a worker takes a message (inf: overloaded)."""
    spare = workers * per_worker - rate
    if rate <= 0:
        return 0.0
    if spare <= 0:
        return math.inf
    return erlang_c(workers, rate / per_worker) / spare


def wait_quantile(rate: float, workers: int, per_worker: float, share: float = QUANTILE) -> float:
    """The wait in seconds that ``share`` of the messages stay under (inf: overloaded):
    the ``t`` where C·e^{−(cμ−λ)t} = 1 − share."""
    spare = workers * per_worker - rate
    if rate <= 0:
        return 0.0
    if spare <= 0:
        return math.inf
    waits = erlang_c(workers, rate / per_worker)
    return max(0.0, math.log(waits / (1 - share)) / spare) if waits > 0 else 0.0


def backlog_delay(backlog: float, capacity: float) -> float:
    """How long the last of ``backlog`` messages waits at ``capacity``/s (inf: none)."""
    if backlog <= 0:
        return 0.0
    return backlog / capacity if capacity > 0 else math.inf


def emptied_at(
    times: Sequence[float],
    inflow: Sequence[float],
    backlog: Sequence[float],
    capacity: float,
    index: int,
) -> float | None:
    """When the backlog waiting at sample ``index`` is first gone (None: never, within
    the samples). It reaches zero between two samples, at the pace of that interval's net
    outflow."""
    for j in range(index + 1, len(times)):
        if backlog[j] <= 0:
            net = capacity - (inflow[j] + inflow[j - 1]) / 2
            return times[j - 1] + backlog[j - 1] / net
    return None
