"""The back-test cases are sound data, and the harness measures each of them.

Whether the model is inside each band is the table ``python -m tests.backtest.harness``
prints (tests/backtest/README.md); these tests keep the cases honest and the harness
right.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest
import yaml

import campaign_guard as cg
from campaign_guard.spec.channels import CHANNEL_MODELS
from tests.backtest.harness import CASES, PROFILES, Case, Outcome, _within, outcomes
from tests.conftest import RunCli

RATINGS = {"solid", "ok", "weak"}
READ = {"full", "excerpt", "summary", "abstract"}


def _data(path: Path) -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return loaded


def test_enough_cases_over_enough_channels() -> None:
    channels = {_data(path)["channel"] for path in CASES}
    assert len(CASES) >= 8
    assert len(channels) >= 5
    assert channels <= set(CHANNEL_MODELS)


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_each_case_cites_its_source_and_states_its_band(path: Path) -> None:
    data = _data(path)
    assert data["id"] == path.stem
    source = data["source"]
    assert source["url"].startswith(("http://", "https://"))
    assert source["rating"] in RATINGS
    assert source["read"] in READ
    assert source["quote"]
    assert all(isinstance(line, str) and len(line) > 20 for line in source["quote"])
    assert data["before_launch"].strip()
    observed = data["observed"]
    low, high = observed["band"]
    assert low is not None or high is not None
    if low is not None and high is not None:
        assert 0 <= low <= high
    assert observed["derivation"].strip()
    for name in data["compare"]["profiles"]:
        assert (PROFILES / name).is_file()


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_each_spec_lints_clean(path: Path, tmp_path: Path, cli: RunCli) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text(Case.read(path).spec_text, encoding="utf-8")
    code, out, err = cli("lint", str(spec), "--strict")
    assert (code, out) == (0, ""), err


def test_the_profiles_load() -> None:
    for path in sorted(PROFILES.glob("*.yaml")):
        assert cg.load_profile(path).name


def test_the_harness_measures_every_case_in_every_scenario() -> None:
    found = list(outcomes())
    assert {o.case.id for o in found} == {p.stem for p in CASES}
    for outcome in found:
        assert set(outcome.model) == {"low", "expected", "high"}
        assert all(math.isfinite(v) and v >= 0 for v in outcome.model.values()), outcome


def test_a_window_of_a_flow_is_integrated() -> None:
    """An even spread over 10 hours: any window holds its share exactly. A push's
    visits over its support add up to its total, less the 0.1 % its parts' supports
    leave out (and the sum's own error, well under that)."""
    from campaign_guard.loadmodel.channels import flows_for
    from campaign_guard.loadmodel.flows import Flow
    from campaign_guard.loadmodel.kernels import Spread

    even = Flow("c", 0, "paid_social", "paid", "visit", None, Spread(0.0, 36_000.0, 1000.0))
    assert _within(even, 0.0, 18_000.0) == pytest.approx(500.0)
    assert _within(even, 9_000.0, 12_600.0) == pytest.approx(100.0)
    assert _within(even, -3_600.0, 0.0) == 0.0
    spec = cg.load_spec(Path("examples/campaigns/winter-newsletter.yaml"))
    (push,) = (f for f in flows_for(spec, "expected")[0] if f.channel == "push")
    begin, end = push.curve.support()
    assert 0.998 * push.curve.total <= _within(push, begin, end) <= push.curve.total


def test_inside_and_factor_follow_the_band() -> None:
    case = Case.read(CASES[0])
    at = {"low": 1.0, "expected": 2.0, "high": 3.0}

    def outcome(low: float | None, high: float | None) -> Outcome:
        return Outcome(Case(**{**case.__dict__, "band": (low, high)}), "p", at)  # type: ignore[arg-type]

    assert outcome(1.0, 3.0).inside
    assert outcome(1.0, 3.0).factor == 1.0
    assert not outcome(4.0, 8.0).inside
    assert outcome(4.0, 8.0).factor == 2.0
    assert outcome(None, 0.5).factor == 4.0
    assert outcome(None, 5.0).inside


def test_no_default_is_referenced_only_by_a_back_test() -> None:
    """Every default is read by a channel of the model; a case may replace one for its
    campaign (`assumptions`, as a marketer could), but never brings one of its own."""
    from campaign_guard.defaults import DEFAULT
    from campaign_guard.loadmodel.channels import CHANNEL_KINDS

    read = {key for kind in CHANNEL_KINDS.values() for key in kind.reads}
    assert set(DEFAULT) <= read, set(DEFAULT) - read
    for path in CASES:
        spec = Case.read(path).spec()
        assert set(spec.assumptions) <= read, (path.stem, set(spec.assumptions) - read)
