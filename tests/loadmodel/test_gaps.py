"""The one predicate behind the estimator's "not counted" notes and lint's
``uncounted-traffic`` warning: for every channel of the spec model and every
combination of its figures, both say the same thing about the same field.
"""

from __future__ import annotations

from datetime import datetime
from itertools import combinations
from typing import Any

import pytest
from pydantic import ValidationError

from campaign_guard.loadmodel.channels import flows_for
from campaign_guard.loadmodel.gaps import channel_gap, spec_gaps
from campaign_guard.spec.campaign import CampaignSpec
from campaign_guard.spec.channels import CHANNEL_MODELS

COMMON = {"channel", "label", "start", "landing_page"}
"""Fields every channel has, which say nothing about how much traffic it brings."""

SAMPLES: dict[str, Any] = {
    "expected_visits": 5000,
    "send_over": "20m",
    "list_size": "50k",
    "recipients": "20k",
    "open_rate": "20%",
    "click_rate": "3%",
    "tracked_links": 4,
    "images_from_origin": True,
    "origin_assets": 2,
    "budget": "10k",
    "currency": "USD",
    "cost_per_click": 0.8,
    "impressions": "1M",
    "viewers": "2M",
    "spots": ["2027-03-02 20:45"],
    "spot_length": "30s",
    "response_rate": "0.2%",
    "followers": "300k",
    "engagement_rate": "1%",
    "audience": "80k",
}
"""A valid value for each figure a channel can have."""


def spec_with(channel: dict[str, Any]) -> CampaignSpec:
    return CampaignSpec.model_validate(
        {
            "schema_version": 1,
            "name": "Gaps",
            "owner": "jane@example.com",
            "launch": {"timezone": "Europe/Paris", "start": "2027-03-02 09:00", "duration": "7d"},
            "traffic": [channel],
            "landing_pages": ["https://www.example.com/"],
            "new_data_fields": [],
        }
    )


def every_combination(channel: str) -> list[CampaignSpec]:
    """A spec for each subset of ``channel``'s figures that the model accepts."""
    figures = [name for name in CHANNEL_MODELS[channel].model_fields if name not in COMMON]
    specs = []
    for size in range(len(figures) + 1):
        for chosen in combinations(figures, size):
            try:
                specs.append(spec_with({"channel": channel, **{f: SAMPLES[f] for f in chosen}}))
            except ValidationError:
                continue  # no audience figure at all: the model says so itself
    return specs


def test_every_figure_of_every_channel_has_a_sample() -> None:
    figures = {name for model in CHANNEL_MODELS.values() for name in model.model_fields}
    assert figures - COMMON == set(SAMPLES)


@pytest.mark.parametrize("channel", list(CHANNEL_MODELS))
def test_lint_and_the_estimator_agree_on_what_is_not_counted(channel: str) -> None:
    specs = every_combination(channel)
    assert specs
    for spec in specs:
        flows, notes = flows_for(spec, "expected")
        gaps = spec_gaps(spec)
        assert [(n.loc, n.code) for n in notes] == [
            (("traffic", i, g.field), g.code) for i, g in gaps
        ], spec.traffic[0]
        for note, (_, gap) in zip(notes, gaps, strict=True):
            assert note.message.endswith(": " + gap.message)
        # A gap for the whole channel is a channel without traffic, and only that.
        whole = any(gap.whole_channel for _, gap in gaps)
        assert whole == (not flows), spec.traffic[0]


@pytest.mark.parametrize(
    ("channel", "field", "whole"),
    [
        ({"channel": "tv_radio", "viewers": "2M"}, "response_rate", True),
        ({"channel": "paid_social", "budget": "10k"}, "cost_per_click", True),
        ({"channel": "display", "impressions": "1M"}, "click_rate", True),
        ({"channel": "influencer", "followers": "300k"}, "engagement_rate", True),
        ({"channel": "partner_affiliate", "audience": "80k"}, "click_rate", True),
        ({"channel": "email", "expected_visits": 3000}, "list_size", False),
    ],
)
def test_what_cannot_be_counted(channel: dict[str, Any], field: str, whole: bool) -> None:
    gap = channel_gap(spec_with(channel), 0)
    assert gap is not None
    assert (gap.field, gap.whole_channel) == (field, whole)


@pytest.mark.parametrize(
    "channel",
    [
        {"channel": "tv_radio", "expected_visits": 8000},
        {"channel": "tv_radio", "viewers": "2M", "response_rate": "0.2%"},
        {"channel": "paid_social", "budget": "10k", "cost_per_click": 0.8},
        {"channel": "display", "impressions": "1M", "click_rate": "0.1%"},
        {"channel": "paid_search", "budget": "10k", "expected_visits": 9000},
        {"channel": "influencer", "followers": "300k", "expected_visits": 900},
        {"channel": "partner_affiliate", "audience": "80k", "click_rate": "2%"},
        {"channel": "email", "list_size": "50k"},
        {"channel": "sms", "recipients": "20k"},
        {"channel": "push", "recipients": "20k"},
        {"channel": "organic_pr", "expected_visits": 2000},
    ],
)
def test_what_can_be_counted(channel: dict[str, Any]) -> None:
    assert channel_gap(spec_with(channel), 0) is None


def test_a_paid_channel_starting_at_the_end_cannot_be_spread() -> None:
    # The model refuses such a start; a spec built in Python may still have one.
    spec = spec_with({"channel": "paid_search", "expected_visits": 100})
    late = spec.traffic[0].model_copy(update={"start": datetime(2027, 3, 9, 9, 0)})
    spec = spec.model_copy(update={"traffic": [late]})
    gap = channel_gap(spec, 0)
    assert gap is not None
    assert (gap.field, gap.code) == ("start", "not-estimated")
    assert [(n.loc, n.code) for n in flows_for(spec, "expected")[1]] == [
        (("traffic", 0, "start"), "not-estimated")
    ]
