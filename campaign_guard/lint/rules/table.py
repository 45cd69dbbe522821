"""Every rule, by code, in the order the README and SARIF list them.

Imported when the rules are shown or a project file sets them (the documenting modules
are not needed to lint): by ``--explain``, ``rules``, the JUnit and SARIF reporters,
``lint.rules`` in the project file and disable comments.
"""

from __future__ import annotations

from campaign_guard.lint.rule import Rule
from campaign_guard.lint.rules import CHECKED, reading, schema, yaml_file

RULES: dict[str, Rule] = {
    rule.code: rule for rule in (*reading.RULES, *yaml_file.RULES, *schema.RULES, *CHECKED)
}
