"""Judging stretches of the timeline: the whole of it, each overlap window, each campaign.

A target's *peak* over a stretch is its highest total (campaigns + baseline) among the
samples there; its verdict compares that peak with today's capacity
(:mod:`~campaign_guard.loadmodel.verdicts`).

A campaign *runs* from its launch (or its first send, if earlier) until an hour after its
end or its last send or spot, whichever is later (:data:`RESPONSE_TAIL`). Campaigns whose
runs overlap form one *overlap window*: their loads add up, so they are judged together.
A window is judged from its first launch until the next window's, so the windows share
out the whole timeline and a target's overall verdict is its worst in any window. A
campaign is judged over its own run, on the targets its traffic reaches, so a January
newsletter's verdict is its own and not hidden behind a bigger campaign in March.
"""

from __future__ import annotations

import bisect
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from campaign_guard.defaults import SCENARIOS, Scenario
from campaign_guard.loadmodel.loads import Target, TargetKind
from campaign_guard.loadmodel.queueing import Drained
from campaign_guard.loadmodel.timeline import RangeMax
from campaign_guard.loadmodel.verdicts import (
    Stretch,
    Verdict,
    judge_queue,
    judge_service,
    judge_store,
)
from campaign_guard.spec.capacity import CapacityProfile

TargetKey = tuple[TargetKind, str]

RESPONSE_TAIL = 3600.0
"""Seconds after a campaign's end (or its last send or spot) that still count as its run:
the last responses to a send or a spot at the very end arrive within minutes."""


@dataclass(frozen=True)
class Peak:
    value: float
    at: float
    """Epoch seconds."""


@dataclass(frozen=True)
class Judged:
    """One target's peaks and verdicts over a stretch of the timeline."""

    kind: TargetKind
    name: str
    unit: str
    peak: dict[Scenario, Peak]
    verdict: dict[Scenario, Verdict] | None
    """``None`` when nothing is known of its capacity (pages, endpoints, no profile)."""
    instances: int | None = None
    """Services: the instances running today."""


@dataclass(frozen=True)
class Run:
    """When one campaign's own traffic arrives."""

    campaign_id: str
    start: float
    end: float
    launch: tuple[float, float]
    """The campaign's start and end as its spec says."""


@dataclass(frozen=True)
class OverlapWindow:
    """Campaigns whose runs overlap, judged together on every target."""

    campaign_ids: tuple[str, ...]
    start: float
    """The first campaign's start (as its spec says)."""
    end: float
    """The last campaign's end (as its spec says)."""
    targets: list[Judged]


def overlapping(runs: Sequence[Run]) -> list[list[Run]]:
    """``runs`` in groups whose runs overlap, in order of their start."""
    groups: list[list[Run]] = []
    end = 0.0
    for run in sorted(runs, key=lambda r: (r.start, r.end)):
        if groups and run.start < end:
            groups[-1].append(run)
            end = max(end, run.end)
        else:
            groups.append([run])
            end = run.end
    return groups


class Judge:
    """Peaks and verdicts of every target over any stretch of the shared timeline."""

    def __init__(
        self,
        times: list[float],
        totals: Mapping[TargetKey, dict[Scenario, list[float]]],
        kinds: Mapping[TargetKey, Target],
        profile: CapacityProfile | None,
        drained: Mapping[Scenario, Drained] | None,
    ) -> None:
        self.times = times
        self.totals = totals
        self.kinds = kinds
        self.profile = profile
        self.drained = drained
        self._maxima: dict[tuple[TargetKey, Scenario], RangeMax] = {}
        self._backlogs: dict[Scenario, RangeMax] = {}
        self._judged: dict[tuple[TargetKey, int, int], Judged] = {}

    def index(self, start: float, end: float) -> tuple[int, int]:
        """The samples from ``start`` to ``end`` (both included), as ``first, last``."""
        return bisect.bisect_left(self.times, start), bisect.bisect_right(self.times, end)

    def judge(self, key: TargetKey, first: int = 0, last: int | None = None) -> Judged:
        """``key`` over samples ``first`` to ``last`` (exclusive; default: to the end)."""
        stop = len(self.times) if last is None else last
        known = self._judged.get((key, first, stop))
        if known is not None:  # one window over the whole timeline: judged once
            return known
        kind, name = key
        peaks = {s: self._peak(key, s, first, stop) for s in SCENARIOS}
        verdicts = self._verdicts(key, peaks, first, stop)
        instances = None
        if kind == "service" and self.profile is not None:
            instances = self.profile.services[name].instances
        judged = Judged(kind, name, self.kinds[key].unit, peaks, verdicts, instances)
        self._judged[key, first, stop] = judged
        return judged

    def windows(self, runs: Sequence[Run], keys: Sequence[TargetKey]) -> list[OverlapWindow]:
        """The overlap windows of ``runs``, each judged on every target of ``keys``."""
        groups = overlapping(runs)
        starts = [bisect.bisect_left(self.times, group[0].start) for group in groups]
        bounds = [0, *starts[1:], len(self.times)]
        return [
            OverlapWindow(
                tuple(run.campaign_id for run in group),
                min(run.launch[0] for run in group),
                max(run.launch[1] for run in group),
                [self.judge(key, bounds[i], bounds[i + 1]) for key in keys],
            )
            for i, group in enumerate(groups)
        ]

    def _peak(self, key: TargetKey, scenario: Scenario, first: int, last: int) -> Peak:
        if first >= last:
            return Peak(0.0, self.times[first] if first < len(self.times) else 0.0)
        maxima = self._maxima.get((key, scenario))
        if maxima is None:
            maxima = self._maxima[key, scenario] = RangeMax(self.totals[key][scenario])
        top = maxima.top(first, last)
        return Peak(top, self.times[maxima.index(top, first, last)])

    def _verdicts(
        self, key: TargetKey, peaks: dict[Scenario, Peak], first: int, last: int
    ) -> dict[Scenario, Verdict] | None:
        profile, times, values = self.profile, self.times, self.totals[key]
        kind, name = key
        if profile is None:
            return None
        if kind == "service":
            service = profile.services[name]
            return {
                s: judge_service(
                    service,
                    peaks[s].value,
                    Stretch(times, values[s], first, last, self._maxima.get((key, s))),
                )
                for s in SCENARIOS
            }
        if kind == "data_store":
            store = profile.data_stores[name]
            return {s: judge_store(store, peaks[s].value) for s in SCENARIOS}
        if kind == "queue" and profile.ingestion is not None and self.drained is not None:
            ingestion = profile.ingestion
            verdicts = {}
            for s in SCENARIOS:
                backlog = self.drained[s].backlog
                most = self._most(s, backlog, first, last)
                stretch = Stretch(times, values[s], first, last)
                verdicts[s] = judge_queue(ingestion, peaks[s].value, stretch, backlog, most)
            return verdicts
        return None

    def _most(self, scenario: Scenario, backlog: list[float], first: int, last: int) -> float:
        """The highest backlog from sample ``first`` to ``last``."""
        maxima = self._backlogs.get(scenario)
        if maxima is None:
            maxima = self._backlogs[scenario] = RangeMax(backlog)
        return maxima.top(first, last)
