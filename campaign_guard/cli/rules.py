"""``campaign-guard rules`` and ``lint --explain``: the lint rules, and what each means."""

from __future__ import annotations

import sys
import textwrap
from typing import TYPE_CHECKING, Annotated

import typer

from campaign_guard.safe_text import block, json_document

if TYPE_CHECKING:
    from campaign_guard.api import Rule

WRAP = 80


def rules(
    as_json: Annotated[bool, typer.Option("--json", help="Print the rules as JSON.")] = False,
) -> None:
    """List the lint rules: code, level and what each finds.

    A level the project file sets (lint.rules) is shown beside the rule's own.
    `campaign-guard lint --explain CODE` explains a rule, with examples.

    \b
    Example:
      campaign-guard rules
    """
    from campaign_guard.api import lint_rules

    found = lint_rules()
    if as_json:
        sys.stdout.write(json_document([r.to_json() for r in found]))
        return
    from campaign_guard.cli.console import make_console
    from campaign_guard.cli.tables import table

    configured = any(r.changed is not None for r in found)
    columns = ["code", "level", *(["in this project"] if configured else []), "finds"]
    rows = [
        [
            r.rule.code,
            r.rule.level.value,
            *([r.changed or ""] if configured else []),
            r.rule.summary,
        ]
        for r in found
    ]
    console = make_console()
    console.print(table("Lint rules", columns, rows, console.width))


def explain(code: str | None) -> None:
    """``lint --explain CODE``: print the rule, then stop (before any path is needed)."""
    if code is None:
        return
    from campaign_guard.api import lint_rule

    sys.stdout.write(block(explanation(lint_rule(code))))
    raise typer.Exit()


def explanation(rule: Rule) -> str:
    """The rule as ``--explain`` prints it: code and level, summary, the explanation
    wrapped, then the bad and the good example, indented."""
    fixed = (
        ": it decides whether the file can be read, so it cannot be turned off"
        if rule.fixed
        else ""
    )
    parts = [
        f"{rule.code} ({rule.level.value}{fixed})",
        rule.summary,
        textwrap.fill(rule.explanation, WRAP, break_on_hyphens=False, break_long_words=False),
        f"Bad:\n{textwrap.indent(rule.bad, '  ')}",
        f"Good:\n{textwrap.indent(rule.good, '  ')}",
    ]
    return "\n\n".join(part.rstrip("\n") for part in parts) + "\n"
