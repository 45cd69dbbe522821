"""``disable-comment``, and what the comments it checks do.

``# campaign-guard: disable=CODE[,CODE]`` at the end of a line silences those codes on
that line; on a line of its own, on the line below it. Only the checks beyond the schema
can be silenced: a problem that stops the file from being read cannot. A comment that
names an unknown code, or one that cannot be silenced, is this rule's warning.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from campaign_guard.lint.findings import Finding, Level
from campaign_guard.lint.rule import FIXED, Rule, campaign
from campaign_guard.spec.load import Loaded
from campaign_guard.spec.messages import shorten

MARKER = "campaign-guard:"
_COMMENT = re.compile(r"(?:^|(?<=\s))#\s*campaign-guard:\s*disable\s*=\s*([^#\n]*)")

RULE = Rule(
    "disable-comment",
    Level.WARNING,
    "A `# campaign-guard: disable=` comment names a code that is unknown or cannot be silenced.",
    "A comment `# campaign-guard: disable=CODE` at the end of a line silences that "
    "finding on that line (on a line of its own, on the line below). It silences only "
    "the checks beyond the schema: a problem that stops the file from being read, such "
    "as `yaml-syntax` or `missing-field`, must be fixed instead. A code that is "
    "misspelt, or cannot be silenced, silences nothing, so campaign-guard says so. "
    "`campaign-guard rules` lists the codes.",
    bad=campaign(
        ("start: 2027-03-15 09:00", "start: 2027-03-02 09:00  # campaign-guard: disable=lead-time")
    ),
    good=campaign(
        (
            "start: 2027-03-15 09:00",
            "start: 2027-03-02 09:00  # campaign-guard: disable=short-lead-time",
        )
    ),
)


@dataclass(frozen=True)
class Inline:
    """What a file's disable comments say: the codes silenced on each line, and the
    findings about the comments themselves."""

    silenced: dict[int, frozenset[str]] = field(default_factory=dict)
    findings: tuple[Finding, ...] = ()

    def keeps(self, finding: Finding) -> bool:
        """Whether ``finding`` is not silenced by a comment."""
        return finding.code not in self.silenced.get(finding.line, ())


NO_COMMENTS = Inline()


def read_comments(loaded: Loaded[Any]) -> Inline:
    """The disable comments of ``loaded``'s text (none when it was not parsed)."""
    document = loaded.document
    if document is None or MARKER not in document.text:
        return NO_COMMENTS
    from campaign_guard.lint.rules.table import RULES

    text = document.text
    inside = _scalar_spans(document.root)
    silenced: dict[int, set[str]] = {}
    findings: list[Finding] = []
    offset = 0
    for number, line in enumerate(text.split("\n"), start=1):
        for match in _COMMENT.finditer(line):
            at = offset + match.start()
            if any(start <= at < end for start, end in inside):
                continue  # a quoted or block value's text, not a comment
            target = number + 1 if not line[: match.start()].strip() else number
            for code in filter(None, (c.strip() for c in match.group(1).split(","))):
                problem = _refused(code, RULES)
                if problem is None:
                    silenced.setdefault(target, set()).add(code)
                else:
                    column = match.start() + 1
                    findings.append(
                        Finding(loaded.path, number, column, RULE.level, RULE.code, problem)
                    )
        offset += len(line) + 1
    return Inline({n: frozenset(c) for n, c in silenced.items()}, tuple(findings))


def _refused(code: str, rules: dict[str, Rule]) -> str | None:
    """Why a comment cannot silence ``code`` (None: it can)."""
    rule = rules.get(code)
    if rule is None:
        close = difflib.get_close_matches(code, list(rules), n=1, cutoff=0.6)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        return (
            f"'{shorten(code)}' is no campaign-guard check{hint}, so this comment silences "
            "nothing for it; `campaign-guard rules` lists them"
        )
    if rule.fixed:
        return f"'{code}' cannot be silenced: {FIXED}; fix the problem instead"
    return None


def _scalar_spans(root: Node) -> list[tuple[int, int]]:
    """Where the values that may hold a ``#`` are: quoted, block and multi-line ones."""
    spans: list[tuple[int, int]] = []
    for node in _nodes(root):
        multi_line = node.start_mark.line != node.end_mark.line
        if node.style in ('"', "'", "|", ">") or multi_line:
            spans.append((node.start_mark.index, node.end_mark.index))
    return spans


def _nodes(root: Node) -> Iterator[ScalarNode]:
    pending = [root]
    while pending:
        node = pending.pop()
        if isinstance(node, ScalarNode):
            yield node
        elif isinstance(node, SequenceNode):
            pending.extend(node.value)
        elif isinstance(node, MappingNode):
            for key, value in node.value:
                pending.extend((key, value))
