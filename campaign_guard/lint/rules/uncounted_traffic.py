"""``uncounted-traffic``: traffic the estimate cannot count."""

from __future__ import annotations

from collections.abc import Iterator

from campaign_guard.lint.findings import Finding, Level
from campaign_guard.lint.policy import LintPolicy, found
from campaign_guard.lint.rule import Rule, campaign
from campaign_guard.loadmodel.gaps import spec_gaps
from campaign_guard.spec.campaign import CampaignSpec
from campaign_guard.spec.load import LoadedSpec

_PAID = "  - channel: paid_social\n    budget: 20000\n"

RULE = Rule(
    "uncounted-traffic",
    Level.WARNING,
    "The estimate cannot count some of the traffic: a figure it needs is missing.",
    "Some channels need a figure that nothing published can supply: a TV spot needs the "
    "share of viewers who visit, a paid budget needs its cost per click, an email needs "
    "its list size to count mail scanners. Without it `estimate` leaves that traffic out "
    "(and says so), so the review would plan for less than will come. Give the figure "
    "the message names, or `expected_visits` if you know them.",
    bad=campaign(("landing_pages:", _PAID + "landing_pages:")),
    good=campaign(("landing_pages:", _PAID + "    cost_per_click: 0.80\nlanding_pages:")),
)


def check(loaded: LoadedSpec, spec: CampaignSpec, policy: LintPolicy) -> Iterator[Finding]:
    """Traffic the estimate would leave out: the same condition as its notes."""
    for index, gap in spec_gaps(spec):
        yield found(RULE, loaded, ("traffic", index, gap.field), gap.message)
