"""A finding is one problem at one place in one file: plain data, formatted elsewhere."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


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


def fails(findings: list[Finding], *, strict: bool) -> bool:
    """Whether these findings make ``lint`` fail."""
    return any(f.level is Level.ERROR or strict for f in findings)
