"""Response-time kernels and the rate curves built from them.

A *kernel* is the distribution of the delay between a message reaching someone (or a TV
spot ending) and that person's visit. The log-logistic is the form Bonfrer & Drèze
(Marketing Science 28(2), 2009) use for e-mail open and click times; a :class:`Mixture`
combines several (push: iOS and Android users answer at different speeds).

A *curve* (the :class:`~campaign_guard.loadmodel.flows.Curve` protocol) is a rate over
epoch seconds with a known integral:

* :class:`Burst`: ``amount`` people reached at a uniform rate over ``[t0, t0 + ramp]``
  (the sender's delivery ramp), each answering after a kernel delay. Its rate is the
  kernel convolved with the ramp, in closed form:
  ``amount * (F(t - t0) - F(t - t0 - ramp)) / ramp`` (``amount * f(t - t0)`` if no ramp).
* :class:`Spots`: a burst without ramp after each of several times (TV spots).
* :class:`Spread`: ``amount`` spread evenly over ``[t0, t1)`` (paid ads).
* :class:`Decay`: exponential decay from ``t0`` with a half-life (press coverage).

Every curve's ``rate`` is 0 before its start and after the end of its support; the
support ends where 99.9 % of the amount has arrived, so the mass cut off is < 0.1 %.
``rate`` costs one comparison and one or two ``pow`` calls: the estimator calls it
hundreds of thousands of times.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

TAIL = 0.999
"""Share of a curve's amount inside its support."""

_MAX_SHAPE = 50.0


class Kernel(Protocol):
    """A delay distribution on ``[0, inf)`` seconds."""

    def cdf(self, x: float) -> float:
        """Share of responses within ``x`` seconds (0 for ``x <= 0``)."""

    def pdf(self, x: float) -> float:
        """Density at ``x`` seconds, per second (0 for ``x <= 0``)."""

    def quantile(self, p: float) -> float:
        """The delay within which a share ``p`` (0 <= p < 1) of responses come."""


def _logit(p: float) -> float:
    return math.log(p / (1.0 - p))


@dataclass(frozen=True, slots=True)
class LogLogistic:
    """``F(x) = 1 / (1 + (x / median) ** -shape)``: half the responses by ``median_s``.

    A shape under 1 has a density that is infinite at 0 and a heavy tail (e-mail
    clicks); above 1 the density rises to a mode, then falls (TV responses).
    """

    median_s: float
    shape: float

    def __post_init__(self) -> None:
        if not (0.0 < self.median_s < math.inf):
            raise ValueError(f"median_s must be positive and finite, not {self.median_s}")
        if not (0.0 < self.shape <= _MAX_SHAPE):
            raise ValueError(f"shape must be in (0, {_MAX_SHAPE}], not {self.shape}")

    @classmethod
    def through(cls, t1: float, p1: float, t2: float, p2: float) -> LogLogistic:
        """The kernel with ``cdf(t1) == p1`` and ``cdf(t2) == p2`` (exactly).

        ``cdf(t) = p`` is ``shape * ln(t / median) = ln(p / (1 - p))``: two points give
        two linear equations in ``shape`` and ``ln(median)``.
        """
        if not (0.0 < t1 < t2 and 0.0 < p1 < p2 < 1.0):
            raise ValueError("need 0 < t1 < t2 and 0 < p1 < p2 < 1")
        shape = (_logit(p2) - _logit(p1)) / math.log(t2 / t1)
        return cls(t1 * math.exp(-_logit(p1) / shape), shape)

    @classmethod
    def with_mode(cls, mode_s: float, shape: float) -> LogLogistic:
        """The kernel whose density peaks at ``mode_s`` (needs ``shape > 1``).

        The mode is ``median * ((shape - 1) / (shape + 1)) ** (1 / shape)``.
        """
        if shape <= 1.0:
            raise ValueError("a log-logistic kernel has a mode above 0 only for shape > 1")
        ratio: float = ((shape - 1.0) / (shape + 1.0)) ** (1.0 / shape)
        return cls(mode_s / ratio, shape)

    @property
    def mode_s(self) -> float:
        """Where the density peaks (0 for ``shape <= 1``)."""
        if self.shape <= 1.0:
            return 0.0
        ratio: float = ((self.shape - 1.0) / (self.shape + 1.0)) ** (1.0 / self.shape)
        return self.median_s * ratio

    def cdf(self, x: float) -> float:
        if x <= 0.0:
            return 0.0
        # The ratio is raised to a power only when <= 1, so it never overflows.
        if x <= self.median_s:
            u: float = (x / self.median_s) ** self.shape
            return u / (1.0 + u)
        w: float = (self.median_s / x) ** self.shape
        return 1.0 / (1.0 + w)

    def pdf(self, x: float) -> float:
        if x <= 0.0:
            return 0.0
        # shape/x * u/(1+u)^2 with u = (x/m)^shape; u/(1+u)^2 is the same for 1/u.
        ratio = x / self.median_s if x <= self.median_s else self.median_s / x
        u: float = ratio**self.shape
        return self.shape / x * u / ((1.0 + u) * (1.0 + u))

    def quantile(self, p: float) -> float:
        if not (0.0 <= p < 1.0):
            raise ValueError(f"p must be in [0, 1), not {p}")
        odds: float = (p / (1.0 - p)) ** (1.0 / self.shape)
        return self.median_s * odds


@dataclass(frozen=True, slots=True)
class Mixture:
    """A weighted mixture of kernels: ``F(x) = sum(w_i * F_i(x))``, weights summing to 1."""

    parts: tuple[tuple[float, Kernel], ...]

    def __post_init__(self) -> None:
        weights = [weight for weight, _ in self.parts]
        if not weights or min(weights) <= 0.0 or not math.isclose(sum(weights), 1.0):
            raise ValueError("a mixture needs positive weights that sum to 1")

    @classmethod
    def of(cls, *parts: tuple[float, Kernel]) -> Mixture:
        """The mixture of ``parts`` with their weights scaled to sum to 1."""
        total = sum(weight for weight, _ in parts)
        return cls(tuple((weight / total, kernel) for weight, kernel in parts))

    def cdf(self, x: float) -> float:
        value = 0.0
        for weight, kernel in self.parts:
            value += weight * kernel.cdf(x)
        return value

    def pdf(self, x: float) -> float:
        value = 0.0
        for weight, kernel in self.parts:
            value += weight * kernel.pdf(x)
        return value

    def quantile(self, p: float) -> float:
        """By bisection: the answer lies between the parts' own quantiles."""
        bounds = [kernel.quantile(p) for _, kernel in self.parts]
        low, high = min(bounds), max(bounds)
        if p == 0.0 or low == high:
            return low
        for _ in range(200):
            middle = math.sqrt(low * high) if low > 0.0 else high / 2.0
            if self.cdf(middle) < p:
                low = middle
            else:
                high = middle
            if high - low <= 1e-12 * high:
                break
        return high


def _check_amount(t0: float, amount: float) -> None:
    if not math.isfinite(t0):
        raise ValueError(f"t0 must be finite, not {t0}")
    if not (0.0 <= amount < math.inf):
        raise ValueError(f"amount must be non-negative and finite, not {amount}")


@dataclass(frozen=True, slots=True)
class Burst:
    """``amount`` people reached evenly over ``[t0, t0 + ramp_s]``, answering after a delay
    drawn from ``kernel``."""

    t0: float
    amount: float
    kernel: Kernel
    ramp_s: float = 0.0
    _end: float = field(init=False, repr=False, compare=False)
    _per_s: float = field(init=False, repr=False, compare=False)
    _cdf: Callable[[float], float] = field(init=False, repr=False, compare=False)
    _pdf: Callable[[float], float] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        _check_amount(self.t0, self.amount)
        if not (0.0 <= self.ramp_s < math.inf):
            raise ValueError(f"ramp_s must be non-negative and finite, not {self.ramp_s}")
        end = self.t0 + self.ramp_s + self.kernel.quantile(TAIL)
        object.__setattr__(self, "_end", end)
        object.__setattr__(self, "_per_s", self.amount / self.ramp_s if self.ramp_s else 0.0)
        object.__setattr__(self, "_cdf", self.kernel.cdf)
        object.__setattr__(self, "_pdf", self.kernel.pdf)

    @property
    def total(self) -> float:
        return self.amount

    def rate(self, t: float) -> float:
        x = t - self.t0
        if x <= 0.0 or t > self._end:
            return 0.0
        if self.ramp_s > 0.0:
            return self._per_s * (self._cdf(x) - self._cdf(x - self.ramp_s))
        return self.amount * self._pdf(x)

    def rates(self, times: Sequence[float]) -> list[float]:
        """``[rate(t) for t in times]``, with the common case (a log-logistic kernel over a
        send ramp) written out: the estimator calls this for most of its samples."""
        kernel = self.kernel
        if not isinstance(kernel, LogLogistic) or self.ramp_s <= 0.0:
            return [self.rate(t) for t in times]
        median, shape, t0, end = kernel.median_s, kernel.shape, self.t0, self._end
        ramp, per_s = self.ramp_s, self._per_s
        result = []
        for t in times:
            x = t - t0
            if x <= 0.0 or t > end:
                result.append(0.0)
                continue
            upper = x / median
            upper = (
                upper**shape / (1.0 + upper**shape) if upper <= 1.0 else 1.0 / (1.0 + upper**-shape)
            )
            y = x - ramp
            lower = 0.0
            if y > 0.0:
                lower = y / median
                lower = (
                    lower**shape / (1.0 + lower**shape)
                    if lower <= 1.0
                    else 1.0 / (1.0 + lower**-shape)
                )
            result.append(per_s * (upper - lower))
        return result

    def support(self) -> tuple[float, float]:
        return (self.t0, self._end)

    def anchors(self) -> tuple[float, ...]:
        return (self.t0, self.t0 + self.ramp_s) if self.ramp_s > 0.0 else (self.t0,)


@dataclass(frozen=True, slots=True)
class Spots:
    """``amount`` people after each of the times ``t0s`` (TV spots' ends), answering after
    a delay drawn from ``kernel``: a :class:`Burst` without ramp at each time, as one
    curve, so that 500 spots are one flow, not 500."""

    t0s: tuple[float, ...]
    amount: float
    kernel: Kernel
    _reach: float = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not self.t0s:
            raise ValueError("need at least one spot")
        _check_amount(math.fsum(self.t0s), self.amount)  # not finite if any t0 is not
        object.__setattr__(self, "_reach", self.kernel.quantile(TAIL))

    @property
    def total(self) -> float:
        return self.amount * len(self.t0s)

    def rate(self, t: float) -> float:
        pdf, reach = self.kernel.pdf, self._reach
        return self.amount * sum(pdf(t - t0) for t0 in self.t0s if t0 < t <= t0 + reach)

    def rates(self, times: Sequence[float]) -> list[float]:
        """``[rate(t) for t in times]`` (``times`` sorted), each spot adding its response
        to the samples inside its own support only."""
        result = [0.0] * len(times)
        pdf, reach = self.kernel.pdf, self._reach
        for t0 in self.t0s:
            first = bisect.bisect_right(times, t0)
            last = bisect.bisect_right(times, t0 + reach)
            for i in range(first, last):
                result[i] += pdf(times[i] - t0)
        return [self.amount * value for value in result]

    def support(self) -> tuple[float, float]:
        return (min(self.t0s), max(self.t0s) + self._reach)

    def anchors(self) -> tuple[float, ...]:
        return self.t0s


@dataclass(frozen=True, slots=True)
class Spread:
    """``amount`` spread evenly over ``[t0, t1)``."""

    t0: float
    t1: float
    amount: float
    _per_s: float = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        _check_amount(self.t0, self.amount)
        if not (self.t0 < self.t1 < math.inf):
            raise ValueError(f"need t0 < t1, not {self.t0} >= {self.t1}")
        object.__setattr__(self, "_per_s", self.amount / (self.t1 - self.t0))

    @property
    def total(self) -> float:
        return self.amount

    def rate(self, t: float) -> float:
        return self._per_s if self.t0 <= t < self.t1 else 0.0

    def support(self) -> tuple[float, float]:
        return (self.t0, self.t1)

    def anchors(self) -> tuple[float, ...]:
        return (self.t0, self.t1)


@dataclass(frozen=True, slots=True)
class Decay:
    """``amount`` arriving from ``t0`` at a rate that halves every ``half_life_s``."""

    t0: float
    amount: float
    half_life_s: float
    _k: float = field(init=False, repr=False, compare=False)
    _end: float = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        _check_amount(self.t0, self.amount)
        if not (0.0 < self.half_life_s < math.inf):
            raise ValueError(f"half_life_s must be positive, not {self.half_life_s}")
        k = math.log(2.0) / self.half_life_s
        object.__setattr__(self, "_k", k)
        object.__setattr__(self, "_end", self.t0 - math.log(1.0 - TAIL) / k)

    @property
    def total(self) -> float:
        return self.amount

    def rate(self, t: float) -> float:
        if t < self.t0 or t > self._end:
            return 0.0
        return self.amount * self._k * math.exp(self._k * (self.t0 - t))

    def support(self) -> tuple[float, float]:
        return (self.t0, self._end)

    def anchors(self) -> tuple[float, ...]:
        return (self.t0,)
