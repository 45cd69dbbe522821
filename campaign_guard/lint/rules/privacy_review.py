"""``privacy-review``: personal data collected without a privacy review."""

from __future__ import annotations

from collections.abc import Iterator

from campaign_guard.lint.findings import Finding, Level
from campaign_guard.lint.policy import LintPolicy, found
from campaign_guard.lint.rule import Rule, campaign
from campaign_guard.spec.campaign import CampaignSpec
from campaign_guard.spec.load import LoadedSpec

_COLLECTS = "new_data_fields:\n  - name: phone\n    personal_data: true\n"

RULE = Rule(
    "privacy-review",
    Level.WARNING,
    "Personal data is collected without a privacy review.",
    "A new data field marked `personal_data: true` (a phone number, an address, a date "
    "of birth) needs the privacy team's review before the campaign collects it. Once "
    "the review is approved, add `privacy_review:` to the field with the review's ticket "
    "or link, so DevOps and the reviewers can find it.",
    bad=campaign(("new_data_fields: []\n", _COLLECTS)),
    good=campaign(("new_data_fields: []\n", _COLLECTS + "    privacy_review: PRIV-42\n")),
)


def check(loaded: LoadedSpec, spec: CampaignSpec, policy: LintPolicy) -> Iterator[Finding]:
    for index, data_field in enumerate(spec.new_data_fields):
        if data_field.personal_data and not data_field.privacy_review:
            yield found(
                RULE,
                loaded,
                ("new_data_fields", index, "personal_data"),
                f"'{data_field.name}' is personal data: it needs a privacy review; add "
                "`privacy_review:` with the review's ticket or link once it is approved",
            )
