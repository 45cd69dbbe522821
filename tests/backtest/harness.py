"""The back-test: each published case's spec through the estimator, beside its band.

A case (``cases/<id>.yaml``, see ``README.md``) holds a spec written from what was known
before the launch, the outcome the source observed as a band, and ``compare:`` — the
profiles to estimate against and, for a share or a count over time, the window. This
module computes the model's side of each quantity in its three scenarios, from the
estimator's public results (its flows and the estimate of each target), and says
whether the expected value falls inside the band.

Run ``python -m tests.backtest.harness`` for the table.
"""

from __future__ import annotations

import itertools
import math
import sys
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import yaml

from campaign_guard.defaults import SCENARIOS, Scenario
from campaign_guard.loadmodel.channels import flows_for
from campaign_guard.loadmodel.engine import Estimate, estimate
from campaign_guard.loadmodel.flows import Flow
from campaign_guard.spec.campaign import CampaignSpec
from campaign_guard.spec.capacity import CapacityProfile
from campaign_guard.spec.load import load_model

HERE = Path(__file__).parent
CASES = sorted((HERE / "cases").glob("*.yaml"))
PROFILES = HERE / "profiles"
STEPS = 4000
"""Steps of the numeric integral of a flow over a window (a midpoint sum)."""

Band = tuple[float | None, float | None]


@dataclass(frozen=True)
class Case:
    id: str
    channel: str
    quantity: str
    band: Band
    profiles: tuple[str, ...]
    spec_text: str
    start: str
    """Where a window starts: ``launch`` or ``first_spot``."""
    seconds: float | None
    """The window's length, for ``share_within`` and ``visits_within``."""
    rating: str
    url: str

    @classmethod
    def read(cls, path: Path) -> Case:
        data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
        compare = data["compare"]
        low, high = data["observed"]["band"]
        return cls(
            id=data["id"],
            channel=data["channel"],
            quantity=data["observed"]["quantity"],
            band=(low, high),
            profiles=tuple(compare["profiles"]),
            spec_text=data["spec"],
            start=compare.get("from", "launch"),
            seconds=compare.get("seconds"),
            rating=data["source"]["rating"],
            url=data["source"]["url"],
        )

    def spec(self) -> CampaignSpec:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / f"{self.id}.yaml"
            path.write_text(self.spec_text, encoding="utf-8")
            loaded = load_model(path, CampaignSpec, str(path))
        if loaded.value is None:
            raise ValueError(f"{self.id}: the spec does not load: {loaded.problems}")
        return loaded.value


@dataclass(frozen=True)
class Outcome:
    case: Case
    profile: str
    model: dict[Scenario, float]

    @property
    def inside(self) -> bool:
        """Whether the expected value is inside the observed band."""
        low, high = self.case.band
        value = self.model["expected"]
        return (low is None or value >= low) and (high is None or value <= high)

    @property
    def factor(self) -> float:
        """How far the expected value is from the band (1: inside; 10: ten times
        above its top or below its bottom)."""
        low, high = self.case.band
        value = self.model["expected"]
        if value <= 0.0:
            return math.inf
        if high is not None and value > high:
            return value / high
        if low is not None and value < low:
            return low / value
        return 1.0


def profile(name: str) -> CapacityProfile:
    path = PROFILES / name
    loaded = load_model(path, CapacityProfile, str(path))
    if loaded.value is None:
        raise ValueError(f"{name}: the profile does not load: {loaded.problems}")
    return loaded.value


def outcomes(cases: Sequence[Path] = CASES) -> Iterator[Outcome]:
    """Every case against each of its profiles."""
    for path in cases:
        case = Case.read(path)
        spec = case.spec()
        for name in case.profiles:
            found = profile(name)
            result = estimate([spec], found)
            model = {s: measure(case, spec, found, result, s) for s in SCENARIOS}
            yield Outcome(case, name, model)


def measure(
    case: Case, spec: CampaignSpec, found: CapacityProfile, result: Estimate, scenario: Scenario
) -> float:
    """The model's side of ``case``'s quantity in ``scenario``."""
    (campaign,) = result.campaigns
    quantity = case.quantity
    if quantity == "peak_requests_per_second":
        return float(_service(result).peak[scenario].value)
    if quantity == "peak_over_total_per_second":
        service = _service(result)
        total = _area(result.times, service.series[scenario])
        return float(service.peak[scenario].value) / total if total > 0 else math.inf
    if quantity == "signups_per_visit":
        people = campaign.visits[scenario]
        return campaign.leads[scenario] / people if people > 0 else 0.0
    if quantity == "send_duration_seconds":
        return _send_seconds(spec, scenario)
    if quantity in ("share_within", "visits_within"):
        flows = [f for f in flows_for(spec, scenario)[0] if f.kind == "visit"]
        begin = _window_start(case, spec)
        inside = sum(_within(f, begin, begin + (case.seconds or 0.0)) for f in flows)
        if quantity == "visits_within":
            return inside
        total = sum(f.curve.total for f in flows)
        return inside / total if total > 0 else 0.0
    raise ValueError(f"{case.id}: no model side for the quantity {quantity!r}")


def _service(result: Estimate) -> Any:
    return next(t for t in result.targets if t.kind == "service")


def _area(times: Sequence[float], values: Sequence[float]) -> float:
    """The trapezoid integral of a sampled series."""
    return sum(
        (values[i] + values[i + 1]) / 2 * (times[i + 1] - times[i]) for i in range(len(times) - 1)
    )


def _within(flow: Flow, begin: float, end: float) -> float:
    """``flow``'s amount from ``begin`` to ``end``: a midpoint sum of its rate over steps
    that grow geometrically from each of its anchors (a send's start, a spot's end), where
    the rate changes fastest, so a window of years costs as little as one of minutes."""
    cuts = sorted({begin, end, *(a for a in flow.curve.anchors() if begin < a < end)})
    total = 0.0
    for left, right in itertools.pairwise(cuts):
        edges = [left] + [
            left + (right - left) * (10 ** (9 * i / STEPS) - 1) / (1e9 - 1)
            for i in range(1, STEPS + 1)
        ]
        total += sum(flow.curve.rate((a + b) / 2) * (b - a) for a, b in itertools.pairwise(edges))
    return total


def _window_start(case: Case, spec: CampaignSpec) -> float:
    if case.start == "first_spot":
        spots: list[datetime] = [s for c in spec.traffic for s in getattr(c, "spots", None) or []]
        first = min(spots)
        return (first if first.tzinfo else first.replace(tzinfo=spec.launch.zone)).timestamp()
    return spec.launch.start.timestamp()


def _send_seconds(spec: CampaignSpec, scenario: Scenario) -> float:
    """The send ramp the model uses for the spec's only messaging channel: its
    ``send_over``, else the ramp of its visit flow (the default fan-out or rate)."""
    (channel,) = spec.traffic
    over = getattr(channel, "send_over", None)
    if over is not None:
        return float(over.total_seconds())
    (flow,) = (f for f in flows_for(spec, scenario)[0] if f.kind == "visit")
    ramp: float | None = getattr(flow.curve, "ramp_s", None)
    if ramp is None:
        raise ValueError("the channel's visits have no send ramp")
    return float(ramp)


def _band(band: Band) -> str:
    low, high = band
    return f"{'–' if low is None else f'{low:.3g}'} … {'–' if high is None else f'{high:.3g}'}"


def table(found: Sequence[Outcome]) -> str:
    """The outcomes as a Markdown table."""
    lines = [
        "| case | channel | profile | quantity | model: expected (low–high) | band | in band |",
        "|---|---|---|---|---|---|---|",
    ]
    for o in found:
        m = o.model
        model = f"{m['expected']:.3g} ({m['low']:.3g}–{m['high']:.3g})"
        verdict = "yes" if o.inside else f"no, {o.factor:.3g}×"
        lines.append(
            f"| {o.case.id} | {o.case.channel} | {o.profile} | {o.case.quantity} | {model} "
            f"| {_band(o.case.band)} | {verdict} |"
        )
    inside = sum(o.inside for o in found)
    lines.append(f"\n{inside} of {len(found)} in band.")
    return "\n".join(lines)


def main() -> int:
    print(table(list(outcomes())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
