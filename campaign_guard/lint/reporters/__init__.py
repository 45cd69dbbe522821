"""Output formats for ``lint``, in one registry that also feeds ``--format``.

A reporter turns a :class:`LintReport` into the text written to stdout. Reporters are
pure functions of the report: they never print, never read the clock and never look at
the environment (``auto`` is resolved by :func:`resolve_format`).

Every reporter module uses the standard library only: ``lint`` must start fast, so
nothing here may import rich, jinja2 or pydantic.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from campaign_guard.errors import UsageError
from campaign_guard.lint.findings import Finding


@dataclass(frozen=True)
class LintReport:
    """Everything a reporter needs: the findings, the files checked, and what fails."""

    findings: Sequence[Finding]
    files: Sequence[str]
    strict: bool = False
    tool_version: str = "0"


Reporter = Callable[[LintReport], str]

_MODULES: dict[str, str] = {
    "text": "text",
    "json": "json_report",
    "github": "github",
    "junit": "junit",
    "sarif": "sarif",
}
"""Format name (as given to ``--format``) -> the module whose ``render`` writes it.

Modules are imported only when their format is asked for (XML and SARIF support cost
start-up time that a plain-text run does not need).
"""


def reporter(name: str) -> Reporter:
    """The reporter for format ``name`` (a key of :data:`_MODULES`)."""
    module = importlib.import_module(f"campaign_guard.lint.reporters.{_MODULES[name]}")
    render: Reporter = module.render
    return render


FORMATS: tuple[str, ...] = tuple(_MODULES)
"""Every output format."""

FORMAT_CHOICES: tuple[str, ...] = ("auto", *FORMATS)
"""What ``--format`` accepts: ``auto`` and every reporter's name."""


def resolve_format(name: str, environ: Mapping[str, str]) -> str:
    """The reporter name ``--format NAME`` stands for.

    ``auto`` means GitHub annotations inside GitHub Actions (which sets
    ``GITHUB_ACTIONS=true``) and plain text everywhere else.
    """
    if name == "auto":
        return "github" if environ.get("GITHUB_ACTIONS") == "true" else "text"
    if name in _MODULES:
        return name
    raise UsageError(f"unknown format {name!r}; choose one of: {', '.join(FORMAT_CHOICES)}")
