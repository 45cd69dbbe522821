"""Retrying HTTP calls: which statuses, how long to wait, and when to stop.

Shared by every client that talks to a service (Jira, PagerDuty): only calls that are
safe to repeat are retried, ``Retry-After`` is honoured whether it is given in seconds or
as an HTTP date, and the waits stop at a budget so a command never hangs. A
:class:`Deadline` bounds a whole command (start-up included) rather than its waits.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from datetime import timezone as dt_timezone
from email.utils import parsedate_to_datetime

RETRY_STATUSES = frozenset({429, 502, 503, 504})
"""Answers that say "try again later": rate limited, or a gateway or service hiccup."""


def _utc_now() -> datetime:
    return datetime.now(dt_timezone.utc)


@dataclass(frozen=True)
class Deadline:
    """The moment a command must be done by: ``budget`` seconds after ``started``.

    Times are ``clock()`` readings (monotonic seconds). A command's clock starts when
    its process starts, so start-up counts against the budget too.
    """

    budget: float
    started: float
    clock: Callable[[], float] = time.monotonic

    def remaining(self) -> float:
        """Seconds left (negative once the deadline has passed)."""
        return self.started + self.budget - self.clock()


@dataclass(frozen=True)
class RetryPolicy:
    """Retries for idempotent GETs: at most ``attempts`` tries within ``budget`` seconds.

    The wait is ``Retry-After`` when the server sends one (seconds or an HTTP date),
    otherwise ``backoff`` · 2ⁿ with jitter. The clock functions are injectable for tests.
    """

    attempts: int = 3
    budget: float = 30.0
    backoff: float = 1.0
    sleep: Callable[[float], None] = time.sleep
    monotonic: Callable[[], float] = time.monotonic
    now: Callable[[], datetime] = _utc_now
    jitter: Callable[[], float] = field(default=random.random)

    def retry_after(self, header: str | None) -> float | None:
        """Seconds to wait according to a ``Retry-After`` header, if it is readable."""
        if header is None:
            return None
        header = header.strip()
        if header.isdigit():
            return float(header)
        try:
            when = parsedate_to_datetime(header)
        except (TypeError, ValueError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=dt_timezone.utc)
        return max(0.0, (when - self.now()).total_seconds())

    def delay(self, attempt: int, header: str | None) -> float:
        """The wait before attempt ``attempt + 1``."""
        asked = self.retry_after(header)
        if asked is not None:
            return asked
        return self.backoff * 2.0 ** (attempt - 1) * (0.5 + self.jitter() / 2)
