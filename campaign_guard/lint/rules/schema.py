"""The rules of a file's fields: the schema of a campaign spec or a capacity profile."""

from __future__ import annotations

from campaign_guard.lint.findings import Level
from campaign_guard.lint.rule import CAMPAIGN, Rule, campaign
from campaign_guard.lint.rules import out_of_range
from campaign_guard.spec import codes

_E = Level.ERROR

_PROFILE = """\
schema_version: 1
kind: capacity-profile
name: Production
timezone: Europe/Paris
services:
  web:
    requests_per_second_per_instance: 120
    instances: 4
    max_instances: 12
routes:
  - match: https://www.example.com/*
    service: web
"""

RULES = (
    Rule(
        codes.MISSING_FIELD,
        _E,
        "A required field is missing.",
        "The spec leaves out a field every review needs: the campaign's `name`, its "
        "`owner`, the launch's `start` and `timezone`, its `traffic`, where it sends "
        "people (`landing_pages` or `endpoints`), the `new_data_fields` it collects. "
        "`campaign-guard init` writes a starter with all of them; add the field the "
        "message names.",
        bad=campaign(("owner: jane@example.com\n", "")),
        good=CAMPAIGN,
        fixed=True,
    ),
    Rule(
        codes.UNKNOWN_FIELD,
        _E,
        "A field the spec does not know (often a typo).",
        "A field campaign-guard does not know is most often a misspelt one, and a "
        "misspelt field is a field left out: its value would silently be ignored. The "
        "message suggests the field you probably meant; `campaign-guard schema` lists "
        "them all.",
        bad=campaign(("owner: jane@example.com", "ownr: jane@example.com")),
        good=CAMPAIGN,
        fixed=True,
    ),
    Rule(
        codes.UNKNOWN_CHANNEL,
        _E,
        "A traffic channel the spec does not know.",
        "Each item under `traffic` says its `channel`, and campaign-guard knows how much "
        "traffic each channel brings: email, sms, push, paid_social, paid_search, "
        "display, tv_radio, influencer, organic_pr and partner_affiliate. A channel it "
        "does not know cannot be estimated; the message suggests the closest one.",
        bad=campaign(("channel: email", "channel: emial")),
        good=CAMPAIGN,
        fixed=True,
    ),
    Rule(
        codes.INVALID_VALUE,
        _E,
        "A value has the wrong type or is out of range.",
        "A value is not of the kind its field takes: text where a number is needed, a "
        "number where a list is, a negative count. The message says what the field "
        "takes, with an example.",
        bad=campaign(("list_size: 50k", "list_size: lots")),
        good=CAMPAIGN,
        fixed=True,
    ),
    out_of_range.RULE,
    Rule(
        codes.ENDPOINT_FORMAT,
        _E,
        "An API endpoint is not written as `METHOD /path`.",
        "DevOps finds the service an endpoint hits by its method and path, so each item "
        "under `endpoints` is written `METHOD /path`, such as `POST /api/signup`. A "
        "page people visit goes under `landing_pages`, as a full address.",
        bad=campaign(
            (
                "landing_pages:\n  - https://www.example.com/spring\n",
                "endpoints:\n  - /api/signup\n",
            )
        ),
        good=campaign(
            (
                "landing_pages:\n  - https://www.example.com/spring\n",
                "endpoints:\n  - POST /api/signup\n",
            )
        ),
        fixed=True,
    ),
    Rule(
        codes.TIMEZONE,
        _E,
        "A date and time has no time zone, or the zone is unknown or no IANA Region/City "
        "name (localtime, posixrules).",
        "A launch time means nothing without its time zone: 09:00 in Paris is 03:00 in "
        "New York. The launch's `timezone` must be a zone name such as `Europe/Paris` or "
        "`America/New_York` (a Region/City name from the IANA list), which every machine "
        "reads the same way and which follows daylight saving time.",
        bad=campaign(("timezone: Europe/Paris", "timezone: Paris")),
        good=CAMPAIGN,
        fixed=True,
    ),
    Rule(
        codes.MISSING_TIME,
        _E,
        "A date has no time of day (it would mean midnight).",
        "A date alone would mean midnight, which is rarely when a campaign starts, and "
        "the load it brings depends on the hour. Give the time of day too, as on the "
        "clock where the campaign launches.",
        bad=campaign(("start: 2027-03-15 09:00", "start: 2027-03-15")),
        good=CAMPAIGN,
        fixed=True,
    ),
    Rule(
        codes.UNKNOWN_REFERENCE,
        _E,
        "A name that refers to nothing defined in the file.",
        "In a capacity profile, each route names the service (and data store) it sends "
        "traffic to. A name the profile does not define, often a typo, leaves the route's "
        "load nowhere. The message suggests the closest name the profile defines.",
        bad=_PROFILE.replace("service: web", "service: webb"),
        good=_PROFILE,
        fixed=True,
    ),
    Rule(
        codes.TOO_MANY_PROBLEMS,
        _E,
        "More problems than are shown for one file (20).",
        "A file with many problems (a section indented wrongly, a list of the wrong "
        "kind) shows its first 20 only: a last line says how many more there are, and "
        "the summary counts them all. Fix the ones shown and check again.",
        bad=campaign(("new_data_fields: []", f"new_data_fields: {list(range(1, 22))}")),
        good=CAMPAIGN,
        fixed=True,
    ),
)
