"""Strict, line-accurate YAML loading for every document campaign-guard reads.

Specs are written by people who are not YAML experts, so the loader refuses what
surprises them:

* duplicate keys are errors naming both lines (PyYAML silently keeps the last one);
* only YAML 1.2 core scalars are implicit: ``true``/``false``, ``null``, decimal
  integers without leading zeros and decimal floats. ``NO``, ``on``, ``22:30``,
  ``0755`` and ``2027-03-01`` all stay text, and the models parse dates themselves;
* anchors, aliases, ``<<`` merge keys and tags other than the core ones are rejected
  (aliases are how "billion laughs" bombs work);
* size and nesting depth are capped before anything expensive happens;
* input is strict UTF-8 (a UTF-8 BOM is allowed) and errors carry line and column;
* exactly one document, and it must be a mapping.

libyaml (``CParser``) is used when present; the pure-Python parser gives the same
results. The composed node tree is kept so that validation errors can be mapped back
to the line and column of the value they concern (:meth:`Document.locate`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from campaign_guard.spec import codes, lookalike
from campaign_guard.spec.bounds import MAX_NUMBER_CHARS
from campaign_guard.spec.yamltext import char_at, describe_yaml_error

MAX_BYTES = 256 * 1024
"""Largest accepted file. A 30-line spec is about 1 KB; PyYAML needs seconds for MBs."""
MAX_DEPTH = 20
"""Deepest accepted nesting of sections and lists (a spec needs about five)."""

_TAG = "tag:yaml.org,2002:"
STR, INT, FLOAT, BOOL, NULL = (_TAG + t for t in ("str", "int", "float", "bool", "null"))
SEQ, MAP = _TAG + "seq", _TAG + "map"
_SCALAR_TAGS = frozenset((STR, INT, FLOAT, BOOL, NULL))

# YAML 1.2 core schema, narrowed: decimal integers without leading zeros, decimal floats.
# Linear time: tried with .match (one start) on at most MAX_NUMBER_CHARS characters, and
# a run of digits given back leaves the rest facing a digit, rejected at once.
_INT_RE = re.compile(r"[-+]?(?:0|[1-9][0-9]*)\Z")
_FLOAT_RE = re.compile(r"[-+]?(?:(?:0|[1-9][0-9]*)(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?\Z")
_NULLS = frozenset(("", "~", "null", "Null", "NULL"))
_BOOLS = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
# C0 controls except tab, LF and CR; DEL; C1 controls. YAML forbids them in a file.
# Linear time: one character class, searched once.
_CONTROL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ufffe\uffff]")


class WrittenFloat(float):
    """A number written with a point, which remembers how it was written: ``300.000`` is
    300.0, but a count checks the text and asks what was meant."""

    __slots__ = ("text",)
    text: str

    @classmethod
    def of(cls, text: str) -> WrittenFloat:
        number = cls(text)
        number.text = text
        return number


class YamlError(Exception):
    """The document cannot be loaded. ``line``/``column`` are 1-based (0: whole file)."""

    def __init__(self, code: str, message: str, line: int = 0, column: int = 0) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.line = line
        self.column = column


def _resolve_plain(value: str) -> str:
    """The tag of a plain (unquoted) scalar under the narrowed core schema.

    A number longer than :data:`MAX_NUMBER_CHARS` stays text, for the field to refuse as
    too long: ``int()`` refuses more than 4,300 digits, and takes quadratic time below.
    """
    if value in _NULLS:
        return NULL
    if value in _BOOLS:
        return BOOL
    first = value[0]
    if (first.isdigit() or first in "-+.") and len(value) <= MAX_NUMBER_CHARS:
        if _INT_RE.match(value):
            return INT
        if _FLOAT_RE.match(value) and value not in ("-", "+", "."):
            return FLOAT
    return STR


class _CoreResolver(yaml.resolver.BaseResolver):
    # Path-based resolvers are never registered here; skip their bookkeeping per node.
    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        return None

    def ascend_resolver(self) -> None:
        return None

    def resolve(self, kind: type[Node], value: Any, implicit: Any) -> str:
        if kind is ScalarNode:
            return _resolve_plain(value) if implicit[0] else STR
        return SEQ if kind is SequenceNode else MAP


class _PyLoader(
    yaml.reader.Reader,
    yaml.scanner.Scanner,
    yaml.parser.Parser,
    yaml.composer.Composer,
    _CoreResolver,
):
    """The pure-Python parser, with nesting capped before Python's recursion limit."""

    def __init__(self, text: str) -> None:
        yaml.reader.Reader.__init__(self, text)
        yaml.scanner.Scanner.__init__(self)
        yaml.parser.Parser.__init__(self)
        yaml.composer.Composer.__init__(self)
        _CoreResolver.__init__(self)
        self._depth = 0

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        # The composer recurses once per level: stop long before Python's recursion
        # limit. Where exactly is worked out by _nesting_error, as for libyaml.
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH + 1:
                raise _TooDeep
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


_CParser: Any
try:
    from yaml._yaml import CParser as _CParser
except ImportError:  # pragma: no cover - libyaml is missing on some platforms
    _CParser = None

if _CParser is not None:

    class _CLoader(_CParser, _CoreResolver):  # type: ignore[misc]
        def __init__(self, text: str) -> None:
            _CParser.__init__(self, text)
            _CoreResolver.__init__(self)


def _loader_class(pure: bool) -> Any:
    return _PyLoader if pure or _CParser is None else _CLoader


class _TooDeep(Exception):
    """Nesting went past :data:`MAX_DEPTH`; :func:`_nesting_error` says where."""


def _nesting_error(text: str) -> YamlError:
    """The too-deep error, placed at the first section or list past the limit.

    Both parsers come here, and it walks the pure-Python parser's events (which do not
    recurse), so the position is the same whichever parser found the problem.
    """
    loader: Any = _PyLoader(text)
    depth = 0
    try:
        while loader.check_event():
            event = loader.get_event()
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    mark: Any = event.start_mark
                    return YamlError(
                        codes.TOO_DEEP,
                        f"sections and lists are nested more than {MAX_DEPTH} levels deep",
                        mark.line + 1,
                        mark.column + 1,
                    )
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError as exc:
        return _from_yaml_error(exc, text)
    finally:
        loader.dispose()
    return YamlError(
        codes.TOO_DEEP, f"sections and lists are nested more than {MAX_DEPTH} levels deep"
    )


def _lookalike_near(text: str, line: int) -> YamlError | None:
    """A look-alike character that explains a syntax error on 0-based ``line``.

    A no-break space after ``key:`` makes YAML fail on the next line, so the line before
    is searched too; it is searched for space-like characters only, since curly quotes
    there are ordinary text more often than not.
    """
    lines = text.split("\n")
    for number, characters in ((line, None), (line - 1, lookalike.SPACE_LIKE)):
        if not 0 <= number < len(lines):
            continue
        index = lookalike.find(lines[number])
        if index is not None and (characters is None or lines[number][index] in characters):
            message = lookalike.message(lines[number][index], "line")
            return YamlError(codes.LOOKALIKE_CHARACTER, message, number + 1, index + 1)
    return None


def _line_col(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def decode(raw: bytes) -> str:
    """Strict UTF-8 (BOM allowed), with the offending byte located by line and column."""
    if len(raw) > MAX_BYTES:
        raise YamlError(
            codes.TOO_LARGE,
            f"the file is {len(raw) / 1024:,.0f} KB; a campaign-guard file must be under "
            f"{MAX_BYTES // 1024} KB (is this the right file?)",
        )
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise YamlError(codes.ENCODING, "the file is saved as UTF-16; save it as UTF-8", 1, 1)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        prefix = raw[: exc.start].decode("utf-8-sig", errors="replace")
        line, col = _line_col(prefix + "?", len(prefix))
        raise YamlError(
            codes.ENCODING,
            f"the file is not UTF-8 text (byte 0x{raw[exc.start]:02X} here); save it as UTF-8",
            line,
            col,
        ) from None
    tab = text.find("\t")
    if tab >= 0:
        # libyaml and PyYAML disagree on where a tab may stand; refusing all of them
        # keeps the two parsers identical and is what people expect from a spec file.
        line, col = _line_col(text, tab)
        raise YamlError(codes.TABS, "a tab is used here; use spaces instead of tabs", line, col)
    bad = _CONTROL_RE.search(text)
    if bad is not None:
        line, col = _line_col(text, bad.start())
        raise YamlError(
            codes.ENCODING,
            f"the file contains an invisible control character (U+{ord(bad.group()):04X}); "
            "delete it",
            line,
            col,
        )
    indent = lookalike.find_in_indentation(text)
    if indent is not None:
        line, col = _line_col(text, indent)
        message = lookalike.message(text[indent], "indentation")
        raise YamlError(codes.LOOKALIKE_CHARACTER, message, line, col)
    return text


@dataclass(frozen=True)
class Document:
    """A loaded mapping document and the node tree it came from."""

    data: dict[str, Any]
    root: MappingNode
    text: str = ""
    """The text it was read from (its comments are not in the tree)."""

    def locate(self, loc: Sequence[str | int]) -> Located:
        """The deepest node reachable along ``loc``, and the path actually found.

        Elements of ``loc`` that name nothing in the document are skipped while more
        follow (pydantic puts union tags there); the last one is kept as the field a
        "missing" error is about.
        """
        node: Node = self.root
        key: Node | None = None
        path: list[str | int] = []
        for i, part in enumerate(loc):
            found = _child(node, part)
            if found is None:
                if i == len(loc) - 1:
                    path.append(part)
                    return Located(tuple(path), node, key, found=False)
                continue
            key, node = found
            path.append(part)
        return Located(tuple(path), node, key, found=True)


@dataclass(frozen=True)
class Located:
    path: tuple[str | int, ...]
    node: Node
    key: Node | None
    found: bool

    @property
    def line(self) -> int:
        return int(self.node.start_mark.line) + 1

    @property
    def column(self) -> int:
        return int(self.node.start_mark.column) + 1


def _child(node: Node, part: str | int) -> tuple[Node | None, Node] | None:
    if isinstance(node, MappingNode) and isinstance(part, str):
        for key, value in node.value:
            if isinstance(key, ScalarNode) and key.value == part:
                return key, value
    elif isinstance(node, SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
        return None, node.value[part]
    return None


def load(raw: bytes, *, pure: bool = False) -> Document:
    """Parse one strict YAML mapping document from ``raw`` bytes.

    Raises :class:`YamlError` with a plain-words message and its position.
    ``pure`` forces the pure-Python parser (the tests run both).
    """
    text = decode(raw)
    loader_class = _loader_class(pure)
    if "&" in text or "*" in text:
        _reject_anchors(loader_class, text)
    loader = loader_class(text)
    try:
        root = loader.get_single_node()
        data: Any = None if root is None else _construct(root, 1)
    except yaml.YAMLError as exc:
        error = _from_yaml_error(exc, text)
        raise (_nesting_error(text) if error.code == codes.TOO_DEEP else error) from None
    except (_TooDeep, RecursionError):
        raise _nesting_error(text) from None
    finally:
        loader.dispose()
    if root is None:
        raise YamlError(
            codes.DOCUMENT_SHAPE,
            "the file is empty; write the spec as `field: value` lines "
            "(`campaign-guard init` writes a starter)",
        )
    if not isinstance(root, MappingNode):
        shape = "a list" if isinstance(root, SequenceNode) else "a single value"
        raise YamlError(
            codes.DOCUMENT_SHAPE,
            f"the file holds {shape}; it must be a set of `field: value` lines",
            root.start_mark.line + 1,
            root.start_mark.column + 1,
        )
    return Document(data, root, text)


def _reject_anchors(loader_class: Any, text: str) -> None:
    """Refuse anchors (``&a``) and aliases (``*a``): only checked when the text has them."""
    loader = loader_class(text)
    try:
        while loader.check_event():
            event = loader.get_event()
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                mark = event.start_mark
                what = "an alias (*)" if isinstance(event, yaml.AliasEvent) else "an anchor (&)"
                raise YamlError(
                    codes.YAML_FEATURE,
                    f"{what} is not supported in campaign-guard files; write the value out in full",
                    mark.line + 1,
                    mark.column + 1,
                )
    except yaml.YAMLError as exc:
        error = _from_yaml_error(exc, text)
        raise (_nesting_error(text) if error.code == codes.TOO_DEEP else error) from None
    finally:
        loader.dispose()


def _construct(node: Node, depth: int) -> Any:
    if isinstance(node, ScalarNode):
        return _scalar(node)
    if depth > MAX_DEPTH:
        raise _TooDeep
    if isinstance(node, SequenceNode):
        _check_tag(node, SEQ)
        return [_construct(item, depth + 1) for item in node.value]
    _check_tag(node, MAP)
    result: dict[str, Any] = {}
    first_seen: dict[str, Node] = {}
    for key_node, value_node in node.value:
        key = _key(key_node)
        earlier = first_seen.get(key)
        if earlier is not None:
            raise YamlError(
                codes.DUPLICATE_KEY,
                f"duplicate key '{key}' (first at line {earlier.start_mark.line + 1})",
                key_node.start_mark.line + 1,
                key_node.start_mark.column + 1,
            )
        first_seen[key] = key_node
        result[key] = _construct(value_node, depth + 1)
    return result


def _key(node: Node) -> str:
    mark = node.start_mark
    if not isinstance(node, ScalarNode):
        raise YamlError(
            codes.YAML_SYNTAX,
            "a key must be a single word, not a list or section",
            mark.line + 1,
            mark.column + 1,
        )
    if node.value == "<<" and not node.style:  # plain: None in Python, '' in libyaml
        raise YamlError(
            codes.YAML_FEATURE,
            "merge keys (<<) are not supported in campaign-guard files; write the fields out",
            mark.line + 1,
            mark.column + 1,
        )
    _check_tag(node, None)
    return str(node.value)


def _check_tag(node: Node, expected: str | None) -> None:
    tag = node.tag
    if tag == expected or (expected is None and tag in _SCALAR_TAGS):
        return
    mark = node.start_mark
    raise YamlError(
        codes.YAML_FEATURE,
        f"the tag {_short_tag(tag)} is not supported in campaign-guard files; remove it",
        mark.line + 1,
        mark.column + 1,
    )


def _short_tag(tag: str) -> str:
    return "!!" + tag[len(_TAG) :] if tag.startswith(_TAG) else tag


def _scalar(node: ScalarNode) -> Any:
    tag, value = node.tag, node.value
    if tag == STR:
        return value
    if tag not in _SCALAR_TAGS:
        _check_tag(node, None)
    if _resolve_plain(value) != tag:
        mark = node.start_mark
        raise YamlError(
            codes.YAML_FEATURE,
            f"'{value}' is not a valid {_short_tag(tag)}; remove the tag",
            mark.line + 1,
            mark.column + 1,
        )
    if tag == INT:
        return int(value)
    if tag == FLOAT:
        return WrittenFloat.of(value)
    if tag == BOOL:
        return _BOOLS[value]
    return None


def _from_yaml_error(exc: yaml.YAMLError, text: str) -> YamlError:
    code, message, mark = describe_yaml_error(exc, text)
    if mark is None:
        return YamlError(code, message)
    pasted = _lookalike_near(text, mark.line)
    if pasted is not None:
        return pasted
    column = mark.column
    if "escape" in message and column > 0 and char_at(text, mark.line, column - 1) == "\\":
        column -= 1  # PyYAML points past the backslash, libyaml at it
    return YamlError(code, message, mark.line + 1, column + 1)
