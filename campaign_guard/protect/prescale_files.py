"""``protect prescale`` from files: read the specs and the profile, estimate, schedule.

No printing and no exiting: files with problems raise :class:`ProblemsFound`, a missing
profile a :class:`UsageError`.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from campaign_guard.protect.prescale import PrescalePlan, plan_prescale
from campaign_guard.protect.queue_files import estimate_files


def plan_files(files: Sequence[str], capacity: Path | None, now: float) -> PrescalePlan:
    """The pre-scale schedule for the campaign specs among ``files`` against the profile
    at ``capacity`` (else the one among ``files``)."""
    estimate, profile = estimate_files(
        files,
        capacity,
        "protect prescale needs a capacity profile with the services' instances; give it "
        "with --capacity FILE",
    )
    return plan_prescale(estimate, profile, now)
