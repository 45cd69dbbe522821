"""Which assumption a campaign's high estimate rests on most.

The high scenario takes every default the campaign's channels use at the top of its
published range at once (and spreads the figures the spec gives like the default they
replace). To say *why* it is higher than the expected one, each of those defaults is
raised to its high value alone, the others left expected, and the one that adds the
most traffic is named, with its range and how sure its source is: "high mostly
because the share of recipients whose mail is scanned is uncertain: 10–30 % (weak)".

Traffic here is everything the campaign's flows bring (people's visits, scanner hits,
image loads), before routing: the same count the scenarios differ by.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass

from campaign_guard.defaults import DEFAULT, Default, Rating, Scenario, format_value
from campaign_guard.loadmodel.channels import CHANNEL_KINDS, flows_for
from campaign_guard.spec.campaign import CampaignSpec

LABELS: Mapping[str, str] = {
    "email.click_rate": "the email's click rate",
    "email.send_rate": "the email platform's sending speed",
    "email.scanned_share": "the share of recipients whose mail is scanned",
    "email.open_rate": "the email's open rate",
    "email.prefetch_share": "Apple Mail's share of opens",
    "push.open_rate": "the push open rate",
    "sms.click_rate": "the SMS click rate",
    "given.spread": "the ±25% around the figures the spec gives",
}
"""What each default with a range is, in words (a test keeps this complete)."""


@dataclass(frozen=True)
class Driver:
    """The default that adds the most to a campaign's high estimate."""

    key: str
    label: str
    range: str
    """Its low to high values as people read them: ``10 % – 30 %``."""
    rating: Rating
    share: float
    """Its part of the difference between the high and the expected traffic, raised
    alone (the parts need not add up to 1: the defaults multiply)."""

    def sentence(self) -> str:
        if self.key == "given.spread":
            return "high mostly because the spec's own figures are taken as ±25% (an assumption)"
        return f"high mostly because {self.label} is uncertain: {self.range} ({self.rating})"


def high_driver(spec: CampaignSpec, defaults: Mapping[str, Default] = DEFAULT) -> Driver | None:
    """The assumption ``spec``'s high estimate rests on most; ``None`` when the high
    estimate brings no more traffic than the expected one."""
    expected = _traffic(spec, "expected", defaults)
    gap = _traffic(spec, "high", defaults) - expected
    if not gap > 0.0:
        return None
    used = dict.fromkeys(k for c in spec.traffic for k in CHANNEL_KINDS[c.channel].reads)
    # every default at its expected value in every scenario...
    flat = {k: dataclasses.replace(d, low=d.expected, high=d.expected) for k, d in defaults.items()}
    best: tuple[float, str] | None = None
    for key in used:
        default = defaults[key]
        if not default.high > default.expected:
            continue
        # ...but this one: the high scenario then raises it alone (and the figures the
        # spec gives by its spread)
        gain = _traffic(spec, "high", {**flat, key: default}) - expected
        if best is None or gain > best[0]:
            best = (gain, key)
    if best is None or not best[0] > 0.0:
        return None
    gain, key = best
    default = defaults[key]
    low, high = (format_value(v, default.unit) for v in (default.low, default.high))
    shown = f"{low} – {high}"
    return Driver(key, LABELS.get(key, key), shown, default.rating, min(1.0, gain / gap))


def _traffic(spec: CampaignSpec, scenario: Scenario, defaults: Mapping[str, Default]) -> float:
    flows, _ = flows_for(spec, scenario, defaults)
    return sum(flow.curve.total for flow in flows)
