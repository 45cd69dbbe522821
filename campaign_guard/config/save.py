"""Saving ``campaign-guard jira fields --save``'s findings in the project file.

``campaign-guard.yaml`` is edited as text (:mod:`campaign_guard.config.edit`), read
back, and must hold exactly the intended settings before anything is written; the file
is then replaced in one step: a temporary file in the same folder, with the same mode,
renamed over it. Nothing is half-written.

``pyproject.toml`` is never rewritten: the lines to paste are given instead, as they
are when the file is read-only or its ``jira:`` section cannot be edited safely.
"""

from __future__ import annotations

import codecs
import contextlib
import os
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path

from campaign_guard.config.edit import (
    NotEditable,
    toml_lines,
    with_saved_ids,
    yaml_section,
    yaml_value,
)
from campaign_guard.config.project import ProjectConfig
from campaign_guard.config.pyproject import PYPROJECT_FILE, key_line
from campaign_guard.errors import ConfigError
from campaign_guard.jira.saved_fields import SavedIds
from campaign_guard.jira.settings import FieldMapping, JiraSettings
from campaign_guard.spec.yamlload import YamlError, load

_JIRA_TABLE = "[tool.campaign-guard.jira]"


@dataclass(frozen=True)
class Change:
    setting: str
    before: str
    after: str


@dataclass(frozen=True)
class SaveOutcome:
    path: Path
    changes: tuple[Change, ...]
    written: bool


class NotSaved(ConfigError):
    """The project file was left as it was; ``paste`` is what to put in it by hand."""

    def __init__(self, message: str, paste: str) -> None:
        super().__init__(message)
        self.paste = paste


# --- what changes ----------------------------------------------------------------------


def changes(jira: JiraSettings, ids: SavedIds) -> tuple[Change, ...]:
    """The settings ``ids`` would change, each with its value before and after."""
    found: list[Change] = []
    if jira.issue_type != ids.issue_type_id:
        found.append(Change("jira.issue_type", jira.issue_type, ids.issue_type_id))
    for review, (saved, _) in ids.fields.items():
        before = jira.fields.get(review)
        if before != saved:
            shown = "" if before is None else _shown(before)
            found.append(Change(f"jira.fields.{review}", shown, yaml_value(saved)))
    return tuple(found)


def _shown(value: FieldMapping) -> str:
    return value if isinstance(value, str) else yaml_value(value)


# --- writing the file ------------------------------------------------------------------


def save_ids(path: Path, jira: JiraSettings, ids: SavedIds) -> SaveOutcome:
    """Write ``ids`` into the project file at ``path`` (whose ``jira:`` settings are
    ``jira``); a :class:`NotSaved` with the lines to paste when it cannot be done."""
    found = changes(jira, ids)
    if not found:
        return SaveOutcome(path, (), written=False)
    if path.name == PYPROJECT_FILE:
        line = key_line(path.read_text(encoding="utf-8"), "tool", "campaign-guard", "jira")
        raise NotSaved(
            f"{_where(path, line)}: campaign-guard does not rewrite {PYPROJECT_FILE}; nothing "
            f"was changed: in its {_JIRA_TABLE} table, replace issue_type and fields with the "
            "lines printed above",
            toml_lines(ids),
        )
    paste = yaml_section(ids)
    target = path.resolve()  # a link stays a link: its target is rewritten
    if not _writable(target):
        raise NotSaved(
            f"{path}: the file is read-only; nothing was changed: make it writable and run "
            "the command again, or set jira.issue_type and jira.fields as printed above",
            paste,
        )
    try:
        replace_file(target, _edited(target.read_bytes(), ids))
    except NotEditable as exc:
        raise NotSaved(f"{_where(path, exc.line)}: {exc.reason}; {_BY_HAND}", paste) from None
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise NotSaved(f"{path}: cannot rewrite the file ({reason}); {_BY_HAND}", paste) from None
    return SaveOutcome(path, found, written=True)


_BY_HAND = "nothing was changed: set jira.issue_type and jira.fields as printed above"


def _edited(raw: bytes, ids: SavedIds) -> bytes:
    """The file's bytes with ``ids`` saved, read back to hold exactly what was intended."""
    bom = codecs.BOM_UTF8 if raw.startswith(codecs.BOM_UTF8) else b""
    data = bom + with_saved_ids(raw[len(bom) :].decode("utf-8"), ids).encode("utf-8")
    expected = _expected(raw, ids)
    if expected is None or _reloaded(data) != expected:
        raise NotEditable("the edited file would not hold the saved settings exactly", 0)
    return data


def _where(path: Path, line: int) -> str:
    return f"{path}:{line}" if line else str(path)


def _writable(path: Path) -> bool:
    """Writable, and not marked read-only (even for a user who could write it anyway)."""
    mode = path.stat().st_mode
    return os.access(path, os.W_OK) and bool(mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))


def _reloaded(data: bytes) -> dict[str, object] | None:
    """The settings ``data`` holds (None when it does not load)."""
    config = _config(data)
    return None if config is None else config.model_dump()


def _expected(raw: bytes, ids: SavedIds) -> dict[str, object] | None:
    """The settings the file should hold once ``ids`` are in it."""
    config = _config(raw)
    if config is None or config.jira is None:
        return None
    return config.model_copy(update={"jira": ids.applied_to(config.jira)}).model_dump()


def _config(data: bytes) -> ProjectConfig | None:
    try:
        return ProjectConfig.model_validate(load(data).data)
    except (YamlError, ValueError):
        return None


def replace_file(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` in one step, keeping its mode: never half-written."""
    mode = stat.S_IMODE(path.stat().st_mode)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
