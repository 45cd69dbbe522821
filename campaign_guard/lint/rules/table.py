"""Every rule, by code, in the order the README and SARIF list them.

Imported when the rules are shown or a project file sets them (the documenting modules
are not needed to lint): by ``--explain``, ``rules``, the JUnit and SARIF reporters,
``lint.rules`` in the project file and disable comments.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass

from campaign_guard.errors import UsageError
from campaign_guard.lint.rule import Rule, Setting
from campaign_guard.lint.rules import CHECKED, reading, schema, yaml_file
from campaign_guard.spec.messages import shorten

RULES: dict[str, Rule] = {
    rule.code: rule for rule in (*reading.RULES, *yaml_file.RULES, *schema.RULES, *CHECKED)
}


def rule_named(code: str) -> Rule:
    """The rule ``code``; a UsageError naming the closest codes when there is none."""
    name = code.strip()
    found = RULES.get(name)
    if found is not None:
        return found
    close = difflib.get_close_matches(name, list(RULES), n=3, cutoff=0.6)
    close += [c for c in RULES if name and name in c.split("-") and c not in close]
    close = close[:3]
    hint = f" (did you mean {' or '.join(repr(c) for c in close)}?)" if close else ""
    raise UsageError(
        f"no rule is called '{shorten(code)}'{hint}; `campaign-guard rules` lists them"
    )


@dataclass(frozen=True)
class RuleLevel:
    """A rule, and the level the project file gives it (``None``: its own)."""

    rule: Rule
    setting: Setting | None = None

    @property
    def level(self) -> Setting:
        """The level in force: the project file's, else the rule's."""
        return self.setting if self.setting is not None else self.rule.level.value

    @property
    def changed(self) -> Setting | None:
        """The project file's level, when it is not the rule's own."""
        return self.setting if self.setting != self.rule.level.value else None

    def to_json(self) -> dict[str, object]:
        return {
            "code": self.rule.code,
            "level": self.level,
            "default_level": self.rule.level.value,
            "can_be_changed": not self.rule.fixed,
            "summary": self.rule.summary,
        }


def rule_levels(levels: Mapping[str, Setting]) -> list[RuleLevel]:
    """Every rule, in table order, with the level ``levels`` (the project file's) set."""
    return [RuleLevel(rule, levels.get(code)) for code, rule in RULES.items()]
