"""What a lint rule is: its code, its level, and what it means, with examples.

Each rule has one home under :mod:`campaign_guard.lint.rules`: a module per check beyond
the schema (the rule and its check), and modules documenting the problems of reading a
file, grouped by what they check. This module imports nothing heavy: the reporters and
the project settings read rules too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from campaign_guard.lint.findings import Level

Setting = Literal["error", "warning", "off"]
"""What the project file may set a rule to."""
SETTINGS: tuple[Setting, ...] = ("error", "warning", "off")

FIXED = "it decides whether campaign-guard can read the file"
"""Why a rule with ``fixed`` set can be neither turned off nor silenced."""

EXAMPLES_AS_OF = "2027-03-01T09:00+01:00"
"""The moment the examples' dates are read against (a Monday morning in Paris)."""


@dataclass(frozen=True)
class Rule:
    """One finding code: its default level, what it means, and a bad and a good example.

    The examples are whole files (several, each after a ``# file: NAME`` line, for a
    rule about files together), written as of :data:`EXAMPLES_AS_OF`: the bad one gives
    the finding, the good one does not.
    """

    code: str
    level: Level
    summary: str
    """One line, for tables."""
    explanation: str
    """One paragraph: what the finding means, why it matters, how to fix it."""
    bad: str
    good: str
    fixed: bool = False
    """True for the rules that decide whether a file can be read at all: they are always
    errors, and can be neither turned off nor lowered."""
    example_is_a_file: bool = True
    """False when no small file can show the problem (a file that cannot be read, or one
    too large to print): the examples then describe it."""


def example_files(example: str, name: str = "spring-sale.yaml") -> dict[str, str]:
    """The files an example stands for: ``{name: text}``, split at ``# file: NAME`` lines."""
    parts = re.split(r"^# file: (\S+)\n", example, flags=re.MULTILINE)
    if len(parts) == 1:
        return {name: example}
    return dict(zip(parts[1::2], parts[2::2], strict=True))


CAMPAIGN = """\
schema_version: 1
name: Spring Sale
owner: jane@example.com
launch:
  timezone: Europe/Paris
  start: 2027-03-15 09:00
  duration: 7d
traffic:
  - channel: email
    list_size: 50k
landing_pages:
  - https://www.example.com/spring
new_data_fields: []
"""
"""A campaign spec with no problem as of :data:`EXAMPLES_AS_OF`: the examples change it."""


def campaign(*changes: tuple[str, str]) -> str:
    """:data:`CAMPAIGN` with each ``(old, new)`` text of ``changes`` replaced."""
    text = CAMPAIGN
    for old, new in changes:
        if old not in text:
            raise ValueError(f"the example campaign has no {old!r}")
        text = text.replace(old, new, 1)
    return text
