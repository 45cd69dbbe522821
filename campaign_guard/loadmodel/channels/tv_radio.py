"""TV and radio: a burst of visits after each spot ends, peaking about 13 s later."""

from __future__ import annotations

from collections.abc import Mapping

from campaign_guard.defaults import Default
from campaign_guard.loadmodel.channels.kind import ChannelKind
from campaign_guard.loadmodel.channels.run import At
from campaign_guard.loadmodel.channels.words import (
    SPOTS,
    VISITS,
    WHEN_AND_WHERE,
    count,
    lasting,
    rate,
)
from campaign_guard.loadmodel.kernels import Kernel, LogLogistic, Spots
from campaign_guard.spec.channels import TvRadio


def response_kernel(defaults: Mapping[str, Default]) -> Kernel:
    """How long after a spot ends people visit (placed by its peak)."""
    mode = defaults["tv_radio.response_delay.mode"].expected
    return LogLogistic.with_mode(mode, defaults["tv_radio.response_delay.shape"].expected)


def flows(at: At, tv: TvRadio) -> None:
    if at.gap() is not None:
        return
    spots = [at.run.epoch(spot) for spot in tv.spots] or [at.start]
    if tv.expected_visits is not None:
        per_spot = at.given(tv.expected_visits, None) / len(spots)
    else:  # no gap: viewers and response_rate are given
        per_spot = (tv.viewers or 0) * min(1.0, at.given(tv.response_rate or 0.0, None))
    length = tv.spot_length.total_seconds() if tv.spot_length else at.get("tv_radio.spot_length")
    kernel = at.run.kernel(response_kernel)
    ends = tuple(sorted(spot + length for spot in spots))
    at.visits(per_spot, lambda amount: Spots(ends, amount, kernel))


TV_RADIO = ChannelKind(
    model=TvRadio,
    flows=flows,
    reads=(
        "tv_radio.response_delay.mode",
        "tv_radio.response_delay.shape",
        "tv_radio.spot_length",
        "given.spread",
    ),
    phrases=(
        count("viewers", "{} viewers"),
        SPOTS,
        lasting("spot_length", "spots of {}"),
        VISITS,
        rate("response_rate"),
        *WHEN_AND_WHERE,
    ),
    audience="`viewers`",
    overrides="`spots` (air times), `spot_length`, `response_rate`",
)
