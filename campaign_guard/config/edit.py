"""The text of what ``campaign-guard jira fields --save`` writes into the project file.

PyYAML cannot keep comments, so ``campaign-guard.yaml`` is edited as text: the strict
loader's node marks locate ``jira.issue_type`` and each ``jira.fields`` entry; only
their values, and the comment on their line (which becomes the name Jira shows), are
rewritten. Every other byte stays as it was, line endings included. Pure: text in,
text out; :mod:`campaign_guard.config.save` reads and writes the file.
"""

from __future__ import annotations

import json
import re

from yaml.nodes import MappingNode, Node, ScalarNode

from campaign_guard.jira.saved_fields import SavedIds
from campaign_guard.jira.settings import SavedField
from campaign_guard.spec.yamlload import Document, YamlError, load

_PLAIN = re.compile(r"[A-Za-z_][A-Za-z0-9_ ./()-]*")
_NOT_PLAIN = frozenset({"true", "false", "null", "yes", "no", "on", "off", "y", "n"})
_ODD_BREAKS = re.compile("\r(?!\n)|[\x85\u2028\u2029]")


class NotEditable(Exception):
    """The YAML cannot be edited safely (``line`` is 1-based)."""

    def __init__(self, reason: str, line: int) -> None:
        super().__init__(reason)
        self.reason = reason
        self.line = line


# --- editing the YAML text -------------------------------------------------------------


def with_saved_ids(text: str, ids: SavedIds) -> str:
    """``text`` with ``jira.issue_type`` and the ``jira.fields`` entries saved; every other
    byte as it was. :class:`NotEditable` when that cannot be done safely."""
    odd = _ODD_BREAKS.search(text)
    if odd is not None:
        raise NotEditable("the file has unusual line breaks", text.count("\n", 0, odd.start()) + 1)
    try:
        document = load(text.encode("utf-8"), pure=True)  # pure: columns count characters
    except YamlError as exc:
        raise NotEditable(exc.message, exc.line) from None
    jira_key, jira = _section(document)
    where = _Lines(text)
    entries = dict(_pairs(jira))
    edits = [_issue_type_edit(where, entries, ids, jira_key)]
    if ids.fields:
        key, value = _entry(entries, "fields", jira_key)
        if not isinstance(value, MappingNode):
            raise NotEditable("jira.fields is not a section", value.start_mark.line + 1)
        if value.flow_style:
            step = max(key.start_mark.column - jira_key.start_mark.column, 2)
            edits.append(_flow_fields_edit(where, key, value, ids, step))
        else:
            edits += _block_fields_edits(where, value, ids)
    for start, end, new in sorted(edits, reverse=True):
        text = text[:start] + new + text[end:]
    return text


_Edit = tuple[int, int, str]
"""Replace ``text[start:end]`` with the new text."""


class _Lines:
    """Offsets in ``text`` from the 0-based line and column of a node's mark."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.lines = text.split("\n")
        self.newline = "\r\n" if "\r\n" in text else "\n"
        self.starts = [0]
        for line in self.lines[:-1]:
            self.starts.append(self.starts[-1] + len(line) + 1)

    def offset(self, line: int, column: int) -> int:
        return self.starts[line] + column

    def end_of_line(self, line: int) -> int:
        """Where ``line``'s text ends, before its line break."""
        return self.starts[line] + len(self.lines[line].removesuffix("\r"))

    def after_colon(self, key: Node) -> int:
        """Just past the ``:`` that ends ``key``."""
        at = self.offset(key.end_mark.line, key.end_mark.column)
        while self.text.startswith(" ", at):
            at += 1
        if not self.text.startswith(":", at):
            raise NotEditable(
                "a key is written in a form --save does not edit", key.start_mark.line + 1
            )
        return at + 1

    def value_edit(self, key: Node, value: Node, new: str, name: str) -> _Edit:
        """``key: new  # name`` in place of the value and the rest of its last line.

        A comment written after a name or id moves to a line of its own above the key,
        unless it is ``# name`` already: nothing the user wrote is lost.
        """
        start, end = self.after_colon(key), self.end_of_line(_last_line(value))
        replaced = f" {_comment_after(new, name)}"
        if isinstance(value, ScalarNode):
            after = self.text[self.offset(value.end_mark.line, value.end_mark.column) : end]
            comment = after.strip()
            if comment.startswith("#") and comment != _comment(name).strip():
                line_start = self.starts[key.start_mark.line]
                above = f"{' ' * key.start_mark.column}{comment}{self.newline}"
                return line_start, end, above + self.text[line_start:start] + replaced
        return start, end, replaced


def _issue_type_edit(
    where: _Lines, entries: dict[str, tuple[Node, Node]], ids: SavedIds, jira_key: Node
) -> _Edit:
    """The issue type's id in place of its name, or a new line after ``project:``."""
    if "issue_type" in entries:
        return where.value_edit(*entries["issue_type"], ids.issue_type_id, ids.issue_type_name)
    key, value = _entry(entries, "project", jira_key)
    at = where.end_of_line(_last_line(value))
    new = _comment_after(ids.issue_type_id, ids.issue_type_name)
    return at, at, f"{where.newline}{' ' * key.start_mark.column}issue_type: {new}"


def _block_fields_edits(where: _Lines, fields: MappingNode, ids: SavedIds) -> list[_Edit]:
    """Each entry's saved definition in place of its value (other lines untouched)."""
    edits = []
    for review, (key, value) in _pairs(fields):
        if review in ids.fields:
            saved, name = ids.fields[review]
            edits.append(where.value_edit(key, value, yaml_value(saved), name))
    return edits


def _flow_fields_edit(
    where: _Lines, key: Node, fields: MappingNode, ids: SavedIds, step: int
) -> _Edit:
    """``fields: {…}`` becomes a block of one entry a line (a comment after it stays)."""
    indent = " " * (key.start_mark.column + step)
    end = where.offset(fields.end_mark.line, fields.end_mark.column)
    line_end = where.end_of_line(fields.end_mark.line)
    block = "".join(
        f"{where.newline}{indent}{review}: {_comment_after(yaml_value(saved), name)}"
        for review, (saved, name) in ids.fields.items()
    )
    return where.after_colon(key), line_end, where.text[end:line_end].rstrip() + block


def _section(document: Document) -> tuple[Node, MappingNode]:
    for key, value in document.root.value:
        if isinstance(key, ScalarNode) and key.value == "jira":
            if not isinstance(value, MappingNode) or value.flow_style:
                raise NotEditable(
                    "the jira: section is written in flow style ({...}), which --save does "
                    "not rewrite",
                    value.start_mark.line + 1,
                )
            return key, value
    raise NotEditable("the file has no jira: section", 1)


def _entry(entries: dict[str, tuple[Node, Node]], name: str, jira_key: Node) -> tuple[Node, Node]:
    if name not in entries:
        raise NotEditable(f"the jira: section has no {name}:", jira_key.start_mark.line + 1)
    return entries[name]


def _pairs(mapping: MappingNode) -> list[tuple[str, tuple[Node, Node]]]:
    return [(str(key.value), (key, value)) for key, value in mapping.value]


def _last_line(node: Node) -> int:
    """The 0-based line where ``node``'s content ends (a block section: its last value's)."""
    if isinstance(node, ScalarNode):
        if node.style in ("|", ">") or node.start_mark.line != node.end_mark.line:
            raise NotEditable("a value spans several lines", node.start_mark.line + 1)
        return int(node.end_mark.line)
    if getattr(node, "flow_style", False) or not node.value:
        return int(node.end_mark.line)
    last = node.value[-1]
    return _last_line(last[1] if isinstance(last, tuple) else last)


# --- rendering ---------------------------------------------------------------------------


def yaml_value(saved: SavedField) -> str:
    """``{id: customfield_10050, type: datetime}``: one field's saved definition."""
    parts = [f"id: {_yaml_scalar(saved.id)}", f"type: {saved.type}"]
    if saved.custom is not None:
        parts.append(f"custom: {_yaml_scalar(saved.custom)}")
    if saved.options:
        parts.append(f"options: [{', '.join(_yaml_scalar(o) for o in saved.options)}]")
    return "{" + ", ".join(parts) + "}"


def yaml_section(ids: SavedIds) -> str:
    """The ``jira:`` settings ``--save`` writes, to paste into ``campaign-guard.yaml``."""
    lines = ["jira:", f"  issue_type: {_comment_after(ids.issue_type_id, ids.issue_type_name)}"]
    if ids.fields:
        lines.append("  fields:")
        lines += [
            f"    {review}: {_comment_after(yaml_value(saved), name)}"
            for review, (saved, name) in ids.fields.items()
        ]
    return "\n".join(lines) + "\n"


def toml_lines(ids: SavedIds) -> str:
    """The same, as ``key = value`` lines for the ``[tool.campaign-guard.jira]`` table."""
    lines = [f"issue_type = {_quoted(ids.issue_type_id)}{_comment(ids.issue_type_name)}"]
    for review, (saved, name) in ids.fields.items():
        parts = [f"id = {_quoted(saved.id)}", f"type = {_quoted(saved.type)}"]
        if saved.custom is not None:
            parts.append(f"custom = {_quoted(saved.custom)}")
        if saved.options:
            parts.append(f"options = [{', '.join(_quoted(o) for o in saved.options)}]")
        lines.append(f"fields.{review} = {{ {', '.join(parts)} }}{_comment(name)}")
    return "\n".join(lines) + "\n"


def _comment_after(value: str, name: str) -> str:
    return value + _comment(name)


def _comment(name: str) -> str:
    """``  # name``, on one line of printable characters (nothing for no name)."""
    shown = " ".join("".join(ch if ch.isprintable() else " " for ch in name).split())
    return f"  # {shown}" if shown else ""


def _yaml_scalar(text: str) -> str:
    plain = _PLAIN.fullmatch(text) and not text.endswith(" ") and text.lower() not in _NOT_PLAIN
    return text if plain else _quoted(text)


def _quoted(text: str) -> str:
    """A double-quoted string valid in both YAML and TOML, every unprintable escaped."""
    return "".join(_escaped(ch) for ch in json.dumps(text, ensure_ascii=False))


def _escaped(ch: str) -> str:
    if ch.isprintable():
        return ch
    return f"\\u{ord(ch):04x}" if ord(ch) <= 0xFFFF else f"\\U{ord(ch):08x}"
