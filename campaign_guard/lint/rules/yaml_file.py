"""The rules of a file's YAML: the syntax, and what campaign-guard's YAML leaves out."""

from __future__ import annotations

from campaign_guard.lint.findings import Level
from campaign_guard.lint.rule import CAMPAIGN, Rule, campaign
from campaign_guard.spec import codes

_E = Level.ERROR

RULES = (
    Rule(
        codes.YAML_SYNTAX,
        _E,
        "The file is not valid YAML.",
        "The file breaks YAML's rules, so campaign-guard cannot tell what it says. The "
        "usual reasons: a value holding `: ` or starting with a character YAML reserves "
        "(`@`, `` ` ``, `%`), indentation that does not line up, a quote left open. The "
        "message says what to change; putting the value in quotes fixes most of them.",
        bad=campaign(("name: Spring Sale", "name: Spring Sale: 20% off")),
        good=campaign(("name: Spring Sale", 'name: "Spring Sale: 20% off"')),
        fixed=True,
    ),
    Rule(
        codes.TABS,
        _E,
        "A tab is used where YAML needs spaces.",
        "YAML indents with spaces only, and YAML readers disagree about tabs elsewhere, "
        "so campaign-guard refuses every tab. Editors often insert one when you press the "
        "Tab key: replace it with spaces (two per level, as the rest of the file). The bad "
        "example indents `timezone` with a tab.",
        bad=campaign(("  timezone: Europe/Paris", "\ttimezone: Europe/Paris")),
        good=CAMPAIGN,
        fixed=True,
    ),
    Rule(
        codes.DUPLICATE_KEY,
        _E,
        "The same key appears twice in one section.",
        "A field written twice in the same section: most YAML readers silently keep the "
        "last one, so half of what you wrote would be ignored. The message names both "
        "lines; keep the one you mean.",
        bad=campaign(
            ("owner: jane@example.com\n", "owner: jane@example.com\nowner: sam@example.com\n")
        ),
        good=CAMPAIGN,
        fixed=True,
    ),
    Rule(
        codes.YAML_FEATURE,
        _E,
        "An anchor, alias, merge key or tag is used.",
        "Anchors (`&name`), aliases (`*name`), merge keys (`<<`) and tags (`!!str`) are "
        "YAML features for programmers; they make a file hard to read for whoever reviews "
        "it, and aliases can make a small file expand to gigabytes. campaign-guard files "
        "write every value out in full.",
        bad=campaign(("  start: 2027-03-15 09:00", "  start: &launch 2027-03-15 09:00")),
        good=CAMPAIGN,
        fixed=True,
    ),
    Rule(
        codes.DOCUMENT_SHAPE,
        _E,
        "The file is empty, has several documents, or is no mapping.",
        "A campaign file holds one campaign, written as `field: value` lines. An empty "
        "file, a file holding several documents separated by `---`, or a file that is a "
        "list or a single value is not a campaign spec. Put each campaign in its own file.",
        bad=CAMPAIGN + "---\n" + CAMPAIGN.replace("Spring Sale", "Summer Sale"),
        good=CAMPAIGN,
        fixed=True,
    ),
    Rule(
        codes.LOOKALIKE_CHARACTER,
        _E,
        "A curly quote, a no-break space or a zero-width space where YAML or the value "
        "needs something else.",
        "Text pasted from a word processor, a chat or a web page brings characters that "
        "look like others: curly quotes (“ ”) instead of straight ones, a no-break space "
        "instead of a space, an invisible zero-width space. YAML reads them as part of "
        "the value, so the value is wrong although it looks right. The message names the "
        "character; type it again.",
        bad=campaign(("list_size: 50k", "list_size: “50k”")),
        good=campaign(("list_size: 50k", 'list_size: "50k"')),
        fixed=True,
    ),
)
