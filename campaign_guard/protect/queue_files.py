"""``protect queue`` from files: read the specs and the profile, estimate, size the queue.

No printing and no exiting: files with problems raise :class:`ProblemsFound`, a missing
profile or a bad ``--max-delay`` a :class:`UsageError`.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from campaign_guard.errors import UsageError
from campaign_guard.estimation import estimate_loaded, read_with_profile
from campaign_guard.loadmodel.engine import Estimate
from campaign_guard.protect.queue import DEFAULT_MAX_DELAY
from campaign_guard.protect.queue_plan import QueuePlan, plan_queue
from campaign_guard.spec.capacity import CapacityProfile
from campaign_guard.spec.types import duration_seconds

LONGEST_DELAY = 14 * 86400.0
"""The longest --max-delay: SQS keeps a message 14 days at most."""


def max_delay_seconds(text: str | None) -> float:
    """``--max-delay`` in seconds (default 5 minutes): ``90s``, ``5m``, ``1h``."""
    if text is None:
        return DEFAULT_MAX_DELAY
    seconds = duration_seconds(text.strip().lower()[:40])
    if seconds is None or not 0 < seconds <= LONGEST_DELAY:
        shown = text[:20]
        raise UsageError(
            f"--max-delay must be a duration from 1s to 14d, like 90s, 5m or 1h, not '{shown}'"
        )
    return seconds


def plan_files(files: Sequence[str], capacity: Path | None, max_delay: float) -> QueuePlan:
    """Size the ingestion queue of the profile at ``capacity`` (else the one among
    ``files``) for the campaign specs among ``files``."""
    estimate, profile = estimate_files(
        files,
        capacity,
        "protect queue needs a capacity profile with an ingestion queue; give it with "
        "--capacity FILE",
    )
    return plan_queue(estimate, profile, max_delay)


def estimate_files(
    files: Sequence[str], capacity: Path | None, missing: str
) -> tuple[Estimate, CapacityProfile]:
    """The estimate of the campaign specs among ``files`` against the profile at
    ``capacity`` (else the one among ``files``); ``missing``: the UsageError's message
    when there is no profile."""
    specs, loaded, profile = read_with_profile(files, capacity, missing)
    return estimate_loaded(specs, loaded).estimate, profile
