"""The ``[tool.campaign-guard]`` table of a ``pyproject.toml``, read as project settings.

The file is parsed (and ``tomllib`` imported) only when it mentions campaign-guard.
Validation problems are reported in plain words at the line of the TOML key, through
the messages shared with the YAML project file. The settings model is passed in, so
this module does not import :mod:`campaign_guard.config.settings`.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from campaign_guard.config.toml_depth import too_deep, value_depth
from campaign_guard.errors import ConfigError
from campaign_guard.files import open_regular

if TYPE_CHECKING:
    from pydantic import BaseModel
    from yaml.error import Mark
    from yaml.nodes import Node

    M = TypeVar("M", bound=BaseModel)

PYPROJECT_FILE = "pyproject.toml"
PYPROJECT_TABLE = "[tool.campaign-guard]"

_TOOL_NAME = "campaign-guard"
_TABLE_PATH = ("tool", _TOOL_NAME)
MAX_PYPROJECT_BYTES = 1024 * 1024
"""Largest ``pyproject.toml`` read for a ``[tool.campaign-guard]`` table."""
MAX_NESTING = 20
"""Deepest nesting of arrays and tables read (the limit campaign specs have too)."""


def load_table(path: Path, model: type[M], read: PyProjectTable | None = None) -> M:
    """The ``[tool.campaign-guard]`` table of ``path``, validated as ``model``.

    ``read`` is the table :func:`read_table` already read from ``path`` (so the file is
    not read and parsed twice). Any problem is a :class:`ConfigError` at file:line.
    """
    from pydantic import ValidationError

    pyproject = read if read is not None else read_table(path)
    if pyproject is None:
        raise ConfigError(f"{path}: has no {PYPROJECT_TABLE} table")
    positions = _toml_positions(pyproject.text)
    table = pyproject.table
    if not isinstance(table, dict):
        line = _toml_line(positions, _TABLE_PATH)
        raise ConfigError(
            f"{_where(path, line)}: {PYPROJECT_TABLE} must be a table of `key = value` settings"
        )
    try:
        return model.model_validate(table)
    except ValidationError as exc:
        errors: list[Any] = exc.errors(include_url=False, include_input=False)
        raise ConfigError(_toml_problem(path, table, positions, errors, model)) from None


@dataclass(frozen=True)
class PyProjectTable:
    text: str
    table: object
    """The value of ``tool.campaign-guard`` (a dict unless the file is wrong)."""


def read_table(path: Path) -> PyProjectTable | None:
    """The ``[tool.campaign-guard]`` table of ``path``, or None when it has none.

    TOML is parsed (and ``tomllib`` imported) only when the file mentions campaign-guard.
    A file that mentions it but cannot be read as TOML is a :class:`ConfigError` (it may
    hold the settings); so is one nested too deeply to be read safely.
    """
    try:
        with open_regular(path) as handle:
            raw = handle.read(MAX_PYPROJECT_BYTES + 1)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the file: {exc.strerror or exc}") from None
    if _TOOL_NAME.encode() not in raw:
        return None
    if len(raw) > MAX_PYPROJECT_BYTES:
        raise ConfigError(
            f"{path}: the file is over {MAX_PYPROJECT_BYTES // 1024} KB; campaign-guard reads "
            f"its {PYPROJECT_TABLE} table only from smaller files"
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ConfigError(
            f"{path}:{line}: not valid TOML: the file is not UTF-8 text "
            f"(byte 0x{raw[exc.start]:02x})"
        ) from None
    line = too_deep(text, MAX_NESTING)
    if line:
        raise ConfigError(
            f"{path}:{line}: arrays and inline tables are nested more than {MAX_NESTING} "
            "levels deep; campaign-guard does not read such a file"
        )
    document = _parse_toml(path, text)
    tool = document.get("tool")
    if not isinstance(tool, dict) or _TOOL_NAME not in tool:
        return None
    if value_depth(tool[_TOOL_NAME]) > MAX_NESTING:
        line = key_line(text, *_TABLE_PATH)
        raise ConfigError(
            f"{_where(path, line)}: {PYPROJECT_TABLE} is nested more than {MAX_NESTING} levels deep"
        )
    return PyProjectTable(text, tool[_TOOL_NAME])


def _parse_toml(path: Path, text: str) -> dict[str, Any]:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib  # type: ignore[import-not-found, unused-ignore]

    try:
        parsed: dict[str, Any] = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(_toml_error_place(path, text, str(exc))) from None
    return parsed


_TOML_AT = re.compile(r"\s*\(at line (\d+), column (\d+)\)\s*\Z")
_TOML_AT_END = re.compile(r"\s*\(at end of document\)\s*\Z")


def _toml_error_place(path: Path, text: str, message: str) -> str:
    """``path:LINE:COL: not valid TOML: ...`` from tomllib's "... (at line X, column Y)"."""
    message = message.splitlines()[0] if message else "cannot be parsed"
    where = str(path)
    at = _TOML_AT.search(message)
    if at is not None:
        where = f"{path}:{at.group(1)}:{at.group(2)}"
        message = message[: at.start()]
    else:
        at_end = _TOML_AT_END.search(message)
        if at_end is not None:
            lines = text.split("\n")
            where = f"{path}:{len(lines)}:{len(lines[-1]) + 1}"
            message = f"{message[: at_end.start()]} (at the end of the file)"
    return f"{where}: not valid TOML: {message}"


def _toml_problem(
    path: Path,
    table: dict[str, Any],
    positions: _Positions,
    errors: list[Any],
    model: type[BaseModel],
) -> str:
    """The first validation problem, in plain words, at the line of the TOML key."""
    from yaml.nodes import MappingNode

    from campaign_guard.spec.load import field_names
    from campaign_guard.spec.messages import problems_from_errors
    from campaign_guard.spec.yamlload import Document

    root = _node(table, _TABLE_PATH, positions, _mark(_toml_line(positions, _TABLE_PATH)))
    assert isinstance(root, MappingNode)
    document = Document(table, root)
    first = problems_from_errors(errors, document, field_names(model))[0]
    field = f" {first.field}:" if first.field else ""
    return f"{_where(path, first.line)}: {PYPROJECT_TABLE}{field} {_toml_words(first.message)}"


# YAML-flavoured advice in the shared messages, said the TOML way.
_TOML_WORDS = {
    "must be a section of `field: value` lines": "must be a table of `key = value` settings",
    "must be a list (one item per line, each starting with '- ')": (
        'must be a list, like ["a", "b"]'
    ),
    "(quote it in YAML)": "(quote it)",
}


def _toml_words(message: str) -> str:
    for yaml_words, toml_words in _TOML_WORDS.items():
        message = message.replace(yaml_words, toml_words)
    return message


def _where(path: Path, line: int) -> str:
    return f"{path}:{line}" if line else str(path)


# Where each key of a TOML file is written: path -> 1-based line (0: unknown). Exact
# paths are the keys and table headers themselves; a prefix maps to the first line of a
# key under it (dotted keys define tables without a header).
_Positions = tuple[dict[tuple[str | int, ...], int], dict[tuple[str | int, ...], int]]

_KEY_PART = re.compile(r"""[ \t]*(?:([A-Za-z0-9_-]+)|"((?:[^"\\\n]|\\.)*)"|'([^'\n]*)')[ \t]*""")


def _dotted_key(text: str, start: int) -> tuple[tuple[str, ...], int] | None:
    """The dotted key at ``text[start:]`` and where it ends, or None if there is none."""
    parts: list[str] = []
    pos = start
    while True:
        match = _KEY_PART.match(text, pos)
        if match is None:
            return None
        parts.append(next(group for group in match.groups() if group is not None))
        pos = match.end()
        if not text.startswith(".", pos):
            return tuple(parts), pos
        pos += 1


def _header(line: str, brackets: int) -> tuple[str, ...] | None:
    """The path of a ``[table]`` (``brackets`` 1) or ``[[table]]`` (2) header line."""
    key = _dotted_key(line, brackets)
    if key is None or not line.startswith("]" * brackets, key[1]):
        return None
    rest = line[key[1] + brackets :].strip()
    return key[0] if not rest or rest.startswith("#") else None


def _toml_positions(text: str) -> _Positions:
    """Scan TOML text for the line of every key and table header (a best effort)."""
    exact: dict[tuple[str | int, ...], int] = {}
    prefixes: dict[tuple[str | int, ...], int] = {}
    counts: dict[tuple[str, ...], int] = {}
    table: tuple[str | int, ...] = ()
    open_string: str | None = None

    def place(found: tuple[str | int, ...], number: int) -> None:
        exact.setdefault(found, number)
        for size in range(1, len(found)):
            prefixes.setdefault(found[:size], number)

    for number, line in enumerate(text.splitlines(), start=1):
        if open_string is not None:
            if line.count(open_string) % 2 == 1:
                open_string = None
            continue
        stripped = line.lstrip()
        if stripped.startswith("[["):  # [[array.of.tables]]: one table per header
            header = _header(stripped, 2)
            if header is not None:
                index = counts.get(header, 0)
                counts[header] = index + 1
                table = (*header, index)
                place(table, number)
            continue
        if stripped.startswith("["):
            header = _header(stripped, 1)
            if header is not None:
                table = header
                place(table, number)
            continue
        key = _dotted_key(line, 0)
        if key is None or not line.startswith("=", key[1]):
            continue
        place((*table, *key[0]), number)
        value = line[key[1] + 1 :]
        for quotes in ('"""', "'''"):
            if value.count(quotes) % 2 == 1:
                open_string = quotes
                break
    return exact, prefixes


def key_line(text: str, *path: str) -> int:
    """The 1-based line where the key or table ``path`` of TOML ``text`` is written (0:
    not found)."""
    return _toml_line(_toml_positions(text), path)


def _toml_line(positions: _Positions, path: tuple[str | int, ...]) -> int:
    exact, prefixes = positions
    return exact.get(path) or prefixes.get(path) or 0


def _mark(line: int) -> Mark:
    """A mark at 1-based ``line``; line 0 (unknown) is reported as line 0, i.e. none."""
    from yaml.error import Mark

    return Mark(PYPROJECT_FILE, 0, line - 1, 0, None, 0)


def _node(value: object, path: tuple[str | int, ...], positions: _Positions, at: Mark) -> Node:
    """A YAML node tree mirroring the TOML ``value``, each node marked at its key's line.

    The shared messages (:mod:`campaign_guard.spec.messages`) place validation errors
    through such a tree; a key whose line is unknown gets its parent's.
    """
    from yaml.nodes import MappingNode, ScalarNode, SequenceNode

    line = _toml_line(positions, path)
    mark = _mark(line) if line else at
    if isinstance(value, dict):
        pairs: list[tuple[Node, Node]] = []
        for name, item in value.items():
            child = _node(item, (*path, name), positions, mark)
            pairs.append((ScalarNode("tag:yaml.org,2002:str", name, child.start_mark), child))
        return MappingNode("tag:yaml.org,2002:map", pairs, mark, mark)
    if isinstance(value, list):
        items = [_node(item, (*path, i), positions, mark) for i, item in enumerate(value)]
        return SequenceNode("tag:yaml.org,2002:seq", items, mark, mark)
    return ScalarNode("tag:yaml.org,2002:str", str(value), mark, mark)
