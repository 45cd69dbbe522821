"""A campaign spec's ``assumptions`` replace the load model's defaults for that campaign."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from campaign_guard.defaults import Scenario
from campaign_guard.loadmodel.channels import flows_for
from campaign_guard.spec.campaign import CampaignSpec
from campaign_guard.spec.load import load_spec

BASE: dict[str, Any] = {
    "schema_version": 1,
    "name": "Assumed",
    "owner": "a@example.com",
    "launch": {"start": "2027-01-05T09:00Z", "duration": "1d"},
    "traffic": [{"channel": "email", "list_size": 10_000}],
    "landing_pages": ["https://a.example.com/"],
    "new_data_fields": [],
}


def scanner_hits(assumptions: dict[str, Any], scenario: Scenario) -> float:
    spec = CampaignSpec.model_validate({**BASE, "assumptions": assumptions})
    flows, _ = flows_for(spec, scenario)
    return sum(f.curve.total for f in flows if f.kind == "scanner")


def test_default_scanner_hits() -> None:
    # 10,000 recipients x 20 % scanned x 5 tracked links
    assert scanner_hits({}, "expected") == pytest.approx(10_000)


def test_one_figure_replaces_every_scenario() -> None:
    for scenario in ("low", "expected", "high"):
        # 10,000 x 5 % x 5 links
        assert scanner_hits({"email.scanned_share": "5%"}, scenario) == pytest.approx(2_500)


def test_a_range_replaces_each_scenario() -> None:
    given = {"email.scanned_share": {"low": "1%", "expected": "2%", "high": "3%"}}
    assert [scanner_hits(given, s) for s in ("low", "expected", "high")] == pytest.approx(
        [500, 1_000, 1_500]
    )


def test_durations_are_seconds() -> None:
    spec = CampaignSpec.model_validate(
        {**BASE, "assumptions": {"organic_pr.visit_delay.median": "2h"}}
    )
    assert spec.assumptions["organic_pr.visit_delay.median"] == 7_200


def test_unknown_key_is_a_finding_with_a_suggestion(tmp_path: Path) -> None:
    path = tmp_path / "spec.yaml"
    path.write_text(
        "schema_version: 1\nname: x\nowner: a@example.com\n"
        "launch: {start: 2027-01-05T09:00Z, duration: 1d}\n"
        "traffic: [{channel: organic_pr, expected_visits: 10}]\n"
        "landing_pages: [https://a.example.com/]\nnew_data_fields: []\n"
        "assumptions:\n  email.scaned_share: 5%\n",
        encoding="utf-8",
    )
    problems = load_spec(path).problems
    assert [(p.line, p.code, p.field, p.message) for p in problems] == [
        (
            9,
            "invalid-value",
            "assumptions",
            "unknown assumption 'email.scaned_share' (did you mean 'email.scanned_share'?); "
            "the keys are listed in docs/load-model.md",
        )
    ]


def test_a_range_must_be_ordered() -> None:
    with pytest.raises(ValueError, match="low <= expected <= high"):
        CampaignSpec.model_validate(
            {**BASE, "assumptions": {"push.open_rate": {"low": 0.5, "expected": 0.1, "high": 1}}}
        )
