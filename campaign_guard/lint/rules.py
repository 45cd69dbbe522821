"""Every finding code, with its default level and a one-line summary.

The codes are stable: CI configurations and SARIF dashboards refer to them. The
README's rule table and the SARIF ``rules`` array are both generated from this list.
"""

from __future__ import annotations

from dataclasses import dataclass

from campaign_guard.lint.findings import Level


@dataclass(frozen=True)
class Rule:
    code: str
    level: Level
    summary: str


_E, _W = Level.ERROR, Level.WARNING

RULES: dict[str, Rule] = {
    rule.code: rule
    for rule in (
        # Reading and parsing the file
        Rule("unreadable", _E, "The file cannot be read."),
        Rule("encoding", _E, "The file is not UTF-8 text, or holds control characters."),
        Rule("too-large", _E, "The file is larger than a campaign spec can reasonably be."),
        Rule("too-deep", _E, "The file nests lists or sections too deeply."),
        Rule("yaml-syntax", _E, "The file is not valid YAML."),
        Rule("tabs", _E, "A tab is used where YAML needs spaces."),
        Rule("duplicate-key", _E, "The same key appears twice in one section."),
        Rule("yaml-feature", _E, "An anchor, alias, merge key or tag is used."),
        Rule("document-shape", _E, "The file is empty, has several documents, or is no mapping."),
        Rule(
            "lookalike-character",
            _E,
            "A curly quote, a no-break space or a zero-width space where YAML or the value "
            "needs something else.",
        ),
        # The spec's schema
        Rule("missing-field", _E, "A required field is missing."),
        Rule("unknown-field", _E, "A field the spec does not know (often a typo)."),
        Rule("unknown-channel", _E, "A traffic channel the spec does not know."),
        Rule("invalid-value", _E, "A value has the wrong type or is out of range."),
        Rule(
            "out-of-range",
            _E,
            "A figure, duration or date beyond what any campaign needs (more than a billion "
            "people, longer than a year, before 2000 or after 2099); the message names the range.",
        ),
        Rule("endpoint-format", _E, "An API endpoint is not written as `METHOD /path`."),
        Rule(
            "timezone",
            _E,
            "A date and time has no time zone, or the zone is unknown or no IANA Region/City "
            "name (localtime, posixrules).",
        ),
        Rule("missing-time", _E, "A date has no time of day (it would mean midnight)."),
        Rule("unknown-reference", _E, "A name that refers to nothing defined in the file."),
        Rule("too-many-problems", _E, "More problems than are shown for one file (20)."),
        # Checks beyond the schema
        Rule("launch-in-past", _W, "The launch date is already in the past."),
        Rule("short-lead-time", _W, "The launch is sooner than the review lead time."),
        Rule(
            "legacy-timezone",
            _W,
            "A legacy time zone name (EST, MST...) that ignores daylight saving time.",
        ),
        Rule(
            "nonexistent-time",
            _W,
            "A time the clocks skip that day (daylight saving time starts); the message "
            "names the time it means.",
        ),
        Rule(
            "ambiguous-time",
            _W,
            "A time that happens twice that day (daylight saving time ends); the message "
            "says which of the two is used.",
        ),
        Rule("duplicate-id", _E, "Two spec files describe a campaign with the same id."),
        Rule("privacy-review", _W, "Personal data is collected without a privacy review."),
        Rule(
            "uncounted-traffic",
            _W,
            "The estimate cannot count some of the traffic: a figure it needs is missing.",
        ),
    )
}


def rule(code: str) -> Rule:
    """The rule for ``code``; unknown codes are a bug in campaign-guard."""
    return RULES[code]
