"""Writing the files a command produces, with errors a person can act on."""

from __future__ import annotations

from pathlib import Path

from campaign_guard.errors import UsageError


def write_output(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` (UTF-8); a failure is a usage error naming the file."""
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror or type(exc).__name__}") from None
