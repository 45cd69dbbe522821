"""Output formats for ``lint``, in one registry that also feeds ``--format``.

A reporter turns a :class:`LintReport` into the text written to stdout. Reporters are
pure functions of the report: they never print, never read the clock and never look at
the environment (``auto`` is resolved by :func:`resolve_format`).

Every reporter module uses the standard library only: ``lint`` must start fast, so
nothing here may import rich, jinja2 or pydantic.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from campaign_guard.errors import UsageError
from campaign_guard.lint.findings import Finding
from campaign_guard.lint.reporters import github, json_report, junit, sarif, text


@dataclass(frozen=True)
class LintReport:
    """Everything a reporter needs: the findings, the files checked, and what fails."""

    findings: Sequence[Finding]
    files: Sequence[str]
    strict: bool = False
    tool_version: str = "0"


Reporter = Callable[[LintReport], str]

REPORTERS: dict[str, Reporter] = {
    "text": text.render,
    "json": json_report.render,
    "github": github.render,
    "junit": junit.render,
    "sarif": sarif.render,
}
"""Format name (as given to ``--format``) -> reporter."""

FORMAT_CHOICES: tuple[str, ...] = ("auto", *REPORTERS)
"""What ``--format`` accepts: ``auto`` and every reporter's name."""


def resolve_format(name: str, environ: Mapping[str, str]) -> str:
    """The reporter name ``--format NAME`` stands for.

    ``auto`` means GitHub annotations inside GitHub Actions (which sets
    ``GITHUB_ACTIONS=true``) and plain text everywhere else.
    """
    if name == "auto":
        return "github" if environ.get("GITHUB_ACTIONS") == "true" else "text"
    if name in REPORTERS:
        return name
    raise UsageError(f"unknown format {name!r}; choose one of: {', '.join(FORMAT_CHOICES)}")
