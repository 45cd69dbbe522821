"""``protect prescale`` from files: read the specs and the profile, estimate, schedule.

No printing and no exiting: files with problems raise :class:`ProblemsFound`, a missing
profile a :class:`UsageError`.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from campaign_guard.errors import UsageError
from campaign_guard.estimation import choose_profile, estimate_loaded, read_documents
from campaign_guard.lint.findings import ProblemsFound
from campaign_guard.protect.prescale import PrescalePlan, plan_prescale


def plan_files(files: Sequence[str], capacity: Path | None, now: float) -> PrescalePlan:
    """The pre-scale schedule for the campaign specs among ``files`` against the profile
    at ``capacity`` (else the one among ``files``)."""
    specs, profiles, problems = read_documents(files)
    if problems:
        raise ProblemsFound(problems)
    profile = choose_profile(capacity, profiles)
    if profile is None or profile.value is None:
        raise UsageError(
            "protect prescale needs a capacity profile with the services' instances; give "
            "it with --capacity FILE"
        )
    run = estimate_loaded(specs, profile)
    return plan_prescale(run.estimate, profile.value, now)
