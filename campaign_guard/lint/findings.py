"""A finding is one problem at one place in one file: plain data, formatted elsewhere."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum

from campaign_guard.errors import CampaignGuardError, ExitCode
from campaign_guard.spec import codes


class Level(str, Enum):
    """How serious a finding is. ``lint`` fails on errors, and on warnings with ``--strict``."""

    ERROR = "error"
    WARNING = "warning"

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True, order=True)
class Finding:
    """One problem found in a file.

    ``line`` and ``column`` are 1-based; 0 means the problem concerns the whole file
    (it could not be read, for instance). ``field`` is the dotted path of the spec field
    concerned (``traffic[1].budget``), when there is one.
    """

    path: str
    line: int
    column: int
    level: Level
    code: str
    message: str
    field: str | None = None
    count: int = 1
    """How many problems the finding stands for: 1, or N for "N more problems not shown"."""

    @property
    def text(self) -> str:
        """The message with the field it concerns, as people read it."""
        return f"{self.field}: {self.message}" if self.field else self.message

    @property
    def location(self) -> str:
        """``path:line:col`` (or just ``path`` for whole-file findings)."""
        if self.line <= 0:
            return self.path
        return f"{self.path}:{self.line}:{max(self.column, 1)}"


def sort_key(finding: Finding) -> tuple[str, bool, int, int, str, str, str, str]:
    """The order of findings in every report: by file, then by place in it, the "N more
    problems not shown" line last (it speaks of the problems above it)."""
    f = finding
    return (
        f.path,
        f.code == codes.TOO_MANY_PROBLEMS,  # it speaks of the problems above it
        f.line,
        f.column,
        f.code,
        f.message,
        f.field or "",
        f.level.value,
    )


def tally(findings: Iterable[Finding]) -> tuple[int, int]:
    """``(errors, warnings)``, counting the problems not shown too."""
    errors = warnings = 0
    for finding in findings:
        if finding.level is Level.ERROR:
            errors += finding.count
        else:
            warnings += finding.count
    return errors, warnings


def fails(findings: list[Finding], *, strict: bool) -> bool:
    """Whether these findings make ``lint`` fail."""
    return any(f.level is Level.ERROR or strict for f in findings)


class ProblemsFound(CampaignGuardError):
    """The files have problems to fix before the command can go on (exit code 1).

    The CLI shows ``findings`` as ``lint`` does, then says to fix them first.
    """

    exit_code = ExitCode.FINDINGS

    def __init__(self, findings: Iterable[Finding]) -> None:
        self.findings = tuple(findings)
        super().__init__(f"{len(self.findings)} problem(s) to fix first")
