"""The strict YAML loader, rule by rule (reliability checklist, section A).

Every case runs on both parsers: libyaml (``pure=False``, the default) and the
pure-Python one (``pure=True``). They must agree on the value, or on the error's code,
message, line and column.
"""

from __future__ import annotations

import time
from typing import Any

import pytest
import yaml

from campaign_guard.spec.yamlload import (
    MAX_BYTES,
    MAX_DEPTH,
    Document,
    WrittenFloat,
    YamlError,
    load,
)

PARSERS = pytest.mark.parametrize("pure", [False, True], ids=["libyaml", "pure"])

# Messages used by several cases.
ANCHOR = "an anchor (&) is not supported in campaign-guard files; write the value out in full"
ALIAS = "an alias (*) is not supported in campaign-guard files; write the value out in full"
TOO_DEEP = f"sections and lists are nested more than {MAX_DEPTH} levels deep"
EMPTY = (
    "the file is empty; write the spec as `field: value` lines "
    "(`campaign-guard init` writes a starter)"
)
TABS = "a tab is used here; use spaces instead of tabs"

BILLION_LAUGHS = b"""\
a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]
h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]
i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h]
"""


def nested_list(depth: int) -> bytes:
    """``a: [[[...]]]`` with ``depth`` flow sequences inside the top-level mapping."""
    return b"a: " + b"[" * depth + b"]" * depth + b"\n"


def load_error(raw: bytes, pure: bool) -> tuple[str, str, int, int]:
    """``(code, message, line, column)`` of the error ``load`` raises for ``raw``."""
    with pytest.raises(YamlError) as caught:
        load(raw, pure=pure)
    error = caught.value
    assert str(error) == error.message
    return error.code, error.message, error.line, error.column


@PARSERS
def test_libyaml_is_available_so_both_parsers_are_tested(pure: bool) -> None:
    # Without libyaml, pure=False would silently fall back to the pure-Python parser.
    assert yaml.__with_libyaml__
    assert load(b"a: 1\n", pure=pure).data == {"a": 1}


# --- A1: duplicate keys ------------------------------------------------------------


@PARSERS
@pytest.mark.parametrize(
    ("raw", "message", "line", "column"),
    [
        pytest.param(b"a: 1\nb: 2\na: 3\n", "duplicate key 'a' (first at line 1)", 3, 1, id="top"),
        pytest.param(
            b"top:\n  a: 1\n  b: 2\n  a: 3\n",
            "duplicate key 'a' (first at line 2)",
            4,
            3,
            id="nested",
        ),
        pytest.param(
            b"traffic:\n  - channel: email\n    list_size: 1\n    list_size: 2\n",
            "duplicate key 'list_size' (first at line 3)",
            4,
            5,
            id="in-list-item",
        ),
        # Keys are text: a plain 1 and a quoted '1' are the same key.
        pytest.param(b"1: a\n'1': b\n", "duplicate key '1' (first at line 1)", 2, 1, id="1-'1'"),
    ],
)
def test_duplicate_key(raw: bytes, message: str, line: int, column: int, pure: bool) -> None:
    assert load_error(raw, pure) == ("duplicate-key", message, line, column)


@PARSERS
def test_one_and_true_keys_stay_distinct_text_keys(pure: bool) -> None:
    # PyYAML's safe_load collapses them into {1: 'b'}, because True == 1 in Python.
    data = load(b"1: a\ntrue: b\n", pure=pure).data
    assert data == {"1": "a", "true": "b"}
    assert all(type(key) is str for key in data)


# --- A2: implicit typing -----------------------------------------------------------


@PARSERS
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # YAML 1.1 surprises stay text.
        ("NO", "NO"),
        ("on", "on"),
        ("yes", "yes"),
        ("22:30", "22:30"),
        ("0755", "0755"),
        ("2024-03-01", "2024-03-01"),
        ("1_000", "1_000"),
        ("0x1F", "0x1F"),
        (".inf", ".inf"),
        # YAML 1.2 core scalars.
        ("1.10", 1.1),
        ("1e3", 1000.0),
        ("~", None),
        ("null", None),
        ("", None),
        ("true", True),
        ("False", False),
        ("-12", -12),
        (".5", 0.5),
        ("0", 0),
    ],
)
def test_plain_scalar_typing(text: str, expected: Any, pure: bool) -> None:
    value = load(f"value: {text}\n".encode(), pure=pure).data["value"]
    assert value == expected
    # True == 1 and 1.0 == 1, so check the type too (a float keeps how it was written).
    assert (float if type(value) is WrittenFloat else type(value)) is type(expected)


@PARSERS
@pytest.mark.parametrize("text", ["300.000", "1.10", ".5", "1e3"])
def test_a_float_keeps_how_it_was_written(text: str, pure: bool) -> None:
    value = load(f"value: {text}\n".encode(), pure=pure).data["value"]
    assert isinstance(value, WrittenFloat)
    assert (value, value.text) == (float(text), text)


@PARSERS
def test_quoted_scalars_are_always_text(pure: bool) -> None:
    data = load(b"a: 'true'\nb: \"12\"\nc: 'null'\n", pure=pure).data
    assert data == {"a": "true", "b": "12", "c": "null"}


# --- A3: anchors, aliases, merge keys ----------------------------------------------


@PARSERS
@pytest.mark.parametrize(
    ("raw", "message", "line", "column"),
    [
        pytest.param(b"a: &x 1\nb: 2\n", ANCHOR, 1, 4, id="anchor"),
        pytest.param(b"a: 1\nb: *x\n", ALIAS, 2, 4, id="alias"),
        pytest.param(BILLION_LAUGHS, ANCHOR, 1, 4, id="billion-laughs"),
        pytest.param(b"a: &a [1, *a]\n", ANCHOR, 1, 4, id="recursive"),
        pytest.param(
            b"base:\n  x: 1\nother:\n  <<: {x: 1}\n",
            "merge keys (<<) are not supported in campaign-guard files; write the fields out",
            4,
            3,
            id="merge-key",
        ),
    ],
)
def test_anchors_aliases_and_merge_keys_are_refused(
    raw: bytes, message: str, line: int, column: int, pure: bool
) -> None:
    started = time.perf_counter()
    assert load_error(raw, pure) == ("yaml-feature", message, line, column)
    # A hang guard only (the real figure is a few milliseconds), not a performance claim.
    assert time.perf_counter() - started < 1.0


@PARSERS
def test_quoted_merge_key_and_anchor_characters_in_text_are_fine(pure: bool) -> None:
    data = load(b"'<<': 1\nb: 'x & y *z'\n", pure=pure).data
    assert data == {"<<": 1, "b": "x & y *z"}


# --- A4: size and depth -----------------------------------------------------------


@PARSERS
def test_too_large(pure: bool) -> None:
    raw = b"a: " + b"x" * (300 * 1024 - 4) + b"\n"
    assert len(raw) == 300 * 1024 > MAX_BYTES
    message = (
        "the file is 300 KB; a campaign-guard file must be under 256 KB (is this the right file?)"
    )
    assert load_error(raw, pure) == ("too-large", message, 0, 0)


@PARSERS
@pytest.mark.parametrize("depth", [25, 600])
def test_too_deep(depth: int, pure: bool) -> None:
    started = time.perf_counter()
    # The 21st level (the root mapping is the 1st) starts at column 23.
    assert load_error(nested_list(depth), pure) == ("too-deep", TOO_DEEP, 1, 23)
    assert time.perf_counter() - started < 1.0  # hang guard


@PARSERS
def test_deepest_accepted_nesting(pure: bool) -> None:
    value: Any = load(nested_list(MAX_DEPTH - 1), pure=pure).data["a"]
    for _ in range(MAX_DEPTH - 2):
        value = value[0]
    assert value == []


@PARSERS
def test_too_deep_top_level_list_is_the_same_on_both_parsers(pure: bool) -> None:
    # libyaml currently reports document-shape "the file holds a list" at 1:1 (load()
    # checks the shape before _construct checks the depth); the pure parser stops while
    # composing. One-line fix: in load(), call `data = _construct(root, 1)` before the
    # `isinstance(root, MappingNode)` check.
    raw = b"[" * 25 + b"]" * 25 + b"\n"
    assert load_error(raw, pure) == ("too-deep", TOO_DEEP, 1, 21)


# --- A5: encoding and odd characters ----------------------------------------------


@PARSERS
@pytest.mark.parametrize(
    ("raw", "message", "line", "column"),
    [
        pytest.param(
            b"schema_version: 1\nname: Caf\xe9 Cr\xe8me\n",
            "the file is not UTF-8 text (byte 0xE9 here); save it as UTF-8",
            2,
            10,
            id="latin-1",
        ),
        pytest.param(
            # Columns count characters: the two-byte é before the bad byte is one column.
            "name: été ".encode() + b"\xe0 la plage\n",
            "the file is not UTF-8 text (byte 0xE0 here); save it as UTF-8",
            1,
            11,
            id="latin-1-after-utf8",
        ),
        pytest.param(
            "a: 1\n".encode("utf-16"),
            "the file is saved as UTF-16; save it as UTF-8",
            1,
            1,
            id="utf-16",
        ),
        pytest.param(
            b"a: 1\nb: x\x00y\n",
            "the file contains an invisible control character (U+0000); delete it",
            2,
            5,
            id="nul",
        ),
    ],
)
def test_encoding(raw: bytes, message: str, line: int, column: int, pure: bool) -> None:
    assert load_error(raw, pure) == ("encoding", message, line, column)


@PARSERS
def test_utf8_bom_is_accepted_and_does_not_shift_columns(pure: bool) -> None:
    document = load(b"\xef\xbb\xbfa: 1\nb: caf\xc3\xa9\n", pure=pure)
    assert document.data == {"a": 1, "b": "café"}
    located = document.locate(["a"])
    assert (located.line, located.column) == (1, 4)


@PARSERS
def test_bidi_override_passes_the_loader(pure: bool) -> None:
    # The loader keeps it; the text fields (PlainText) reject it, see test_types.py.
    assert load("name: evil\u202etxt\n".encode(), pure=pure).data == {"name": "evil\u202etxt"}


# --- A6: tabs --------------------------------------------------------------------


@PARSERS
@pytest.mark.parametrize(
    ("raw", "line", "column"),
    [
        pytest.param(b"a:\n\tb: 1\n", 2, 1, id="indentation"),
        pytest.param(b"a: 1\t# comment\n", 1, 5, id="before-comment"),
    ],
)
def test_tabs(raw: bytes, line: int, column: int, pure: bool) -> None:
    assert load_error(raw, pure) == ("tabs", TABS, line, column)


# --- look-alike characters, pasted from documents and chats ----------------------------

NBSP_INDENT = (
    "the indentation has a no-break space (U+00A0), which only looks like a space; "
    "indent with ordinary spaces instead"
)
NBSP_LINE = (
    "this line has a no-break space (U+00A0), which only looks like a space; type a space instead"
)


@PARSERS
@pytest.mark.parametrize(
    ("text", "message", "line", "column"),
    [
        pytest.param("a:\n  b: 1\n\u00a0 c: 2\n", NBSP_INDENT, 3, 1, id="indent-first"),
        pytest.param(
            "t:\n  - channel: email\n  \u00a0 list_size: 5\n", NBSP_INDENT, 3, 3, id="indent-after"
        ),
        pytest.param(
            "a: 1\n\u200bb: 2\n",
            "this line starts with a zero-width space (U+200B), which cannot be seen; delete it",
            2,
            1,
            id="zero-width-first",
        ),
        # YAML fails on the line after `b:` + no-break space: the line before is named.
        pytest.param("a: 1\nb:\u00a050k\nc: 2\n", NBSP_LINE, 2, 3, id="after-colon"),
        pytest.param(
            "a: \u201cx: y\u201d\n",
            'this line has a curly quote (\u201c, U+201C); use straight quotes (") instead',
            1,
            4,
            id="curly-quotes",
        ),
    ],
)
def test_lookalike_characters_are_named(
    text: str, message: str, line: int, column: int, pure: bool
) -> None:
    assert load_error(text.encode(), pure) == ("lookalike-character", message, line, column)


@PARSERS
def test_a_curly_apostrophe_in_text_is_text(pure: bool) -> None:
    assert load("name: L\u2019Or\u00e9al \u201cSpring\u201d\n".encode(), pure=pure).data == {
        "name": "L\u2019Or\u00e9al \u201cSpring\u201d"
    }


@PARSERS
def test_a_curly_apostrophe_on_the_line_before_a_syntax_error_is_not_blamed(pure: bool) -> None:
    code, _, line, _ = load_error("name: L\u2019Or\u00e9al\nb: [1\n".encode(), pure)
    assert (code, line) == ("yaml-syntax", 3)


# --- A7: document shape -----------------------------------------------------------


@PARSERS
@pytest.mark.parametrize(
    ("raw", "message", "line", "column"),
    [
        pytest.param(
            b"a: 1\n---\nb: 2\n",
            "the file holds more than one document (---); put each campaign in its own file",
            2,
            1,
            id="several-documents",
        ),
        pytest.param(b"", EMPTY, 0, 0, id="empty"),
        pytest.param(b"# only a comment\n\n", EMPTY, 0, 0, id="comment-only"),
        pytest.param(
            b"hello\n",
            "the file holds a single value; it must be a set of `field: value` lines",
            1,
            1,
            id="bare-scalar",
        ),
        pytest.param(
            b"- a\n- b\n",
            "the file holds a list; it must be a set of `field: value` lines",
            1,
            1,
            id="top-level-list",
        ),
    ],
)
def test_document_shape(raw: bytes, message: str, line: int, column: int, pure: bool) -> None:
    assert load_error(raw, pure) == ("document-shape", message, line, column)


@PARSERS
def test_one_explicit_document_is_fine(pure: bool) -> None:
    assert load(b"---\na: 1\n...\n", pure=pure).data == {"a": 1}


# --- A8: tags --------------------------------------------------------------------


@PARSERS
@pytest.mark.parametrize(
    ("raw", "message"),
    [
        pytest.param(
            b"a: !!binary aGVsbG8=\n",
            "the tag !!binary is not supported in campaign-guard files; remove it",
            id="binary",
        ),
        pytest.param(
            b"a: !foo bar\n",
            "the tag !foo is not supported in campaign-guard files; remove it",
            id="local",
        ),
        pytest.param(
            b"a: !!python/object:os.system x\n",
            "the tag !!python/object:os.system is not supported in campaign-guard files; remove it",
            id="python-object",
        ),
        pytest.param(b"a: !!int abc\n", "'abc' is not a valid !!int; remove the tag", id="int"),
        pytest.param(
            b"a: !!set {x}\n",
            "the tag !!set is not supported in campaign-guard files; remove it",
            id="set",
        ),
    ],
)
def test_tags_are_refused(raw: bytes, message: str, pure: bool) -> None:
    assert load_error(raw, pure) == ("yaml-feature", message, 1, 4)


@PARSERS
def test_core_tags_are_allowed(pure: bool) -> None:
    data = load(b"a: !!str 1\nb: !!int 12\nc: !!seq [1]\n", pure=pure).data
    assert data == {"a": "1", "b": 12, "c": [1]}


# --- syntax errors in plain words (yamltext.py) --------------------------------------


SYNTAX = "yaml-syntax"


@PARSERS
@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        pytest.param(
            b'a: "abc\nb: 2\n',
            (SYNTAX, "the file ends inside a quoted value; close the quote", 3, 1),
            id="unclosed-double-quote",
        ),
        pytest.param(
            b"a: 'abc\nb: 2\n",
            (SYNTAX, "the file ends inside a quoted value; close the quote", 3, 1),
            id="unclosed-single-quote",
        ),
        pytest.param(
            b"a: 'abc\n---\n",
            (SYNTAX, "a quoted value is not closed", 2, 1),
            id="quote-open-at-document-marker",
        ),
        pytest.param(
            b"a: b: c\n",
            (
                SYNTAX,
                "unexpected ':' here; if a value contains ': ', put the whole value in quotes",
                1,
                5,
            ),
            id="a-b-c",
        ),
        pytest.param(
            b"a: 1\nb\nc: 2\n",
            (
                SYNTAX,
                "a line here has no ':' after its field name, or its indentation is off",
                3,
                1,
            ),
            id="no-colon",
        ),
        pytest.param(
            b"a: !x!y z\n",
            ("yaml-feature", "a value starts with '!'; put it in quotes", 1, 4),
            id="tag-handle",
        ),
        pytest.param(
            b"? [a]\n: 1\n",
            (SYNTAX, "a key must be a single word, not a list or section", 1, 3),
            id="list-as-key",
        ),
    ],
)
def test_syntax_messages(raw: bytes, expected: tuple[str, str, int, int], pure: bool) -> None:
    assert load_error(raw, pure) == expected


@pytest.mark.parametrize(
    ("raw", "message", "line", "column"),
    [
        pytest.param(
            b"a:\n    b: 1\n  c: 2\n",
            "the indentation is inconsistent here; line up the fields of one section",
            3,
            3,
            id="mapping",
        ),
        pytest.param(
            b"a:\n  - 1\n  b: 2\n",
            "the items of this list are not lined up; start each with '-' at the same indent",
            3,
            3,
            id="list",
        ),
    ],
)
def test_indentation_messages_with_libyaml(
    raw: bytes, message: str, line: int, column: int
) -> None:
    # libyaml only: the pure parser words these errors differently ("expected <block
    # end>, but found ...") and yamltext.py has no entry for its wording.
    assert load_error(raw, False) == (SYNTAX, message, line, column)


# --- Document.locate ------------------------------------------------------------


@PARSERS
def test_locate(pure: bool) -> None:
    document = load(b"a:\n  b:\n    - x\n    - c: 1\nz: 2\n", pure=pure)
    assert isinstance(document, Document)
    assert document.data == {"a": {"b": ["x", {"c": 1}]}, "z": 2}

    def where(*loc: str | int) -> tuple[tuple[str | int, ...], int, int, bool]:
        located = document.locate(loc)
        return located.path, located.line, located.column, located.found

    assert where() == ((), 1, 1, True)
    assert where("z") == (("z",), 5, 4, True)
    assert where("a", "b", 1, "c") == (("a", "b", 1, "c"), 4, 10, True)
    # The last element that names nothing is kept: a "missing field" error is about it,
    # and it sits at the section that should hold it.
    assert where("a", "nope") == (("a", "nope"), 2, 3, False)
    assert where("a", "b", 5) == (("a", "b", 5), 3, 5, False)
    assert where("owner") == (("owner",), 1, 1, False)
    # Elements that name nothing while more follow (pydantic's union tags) are skipped.
    assert where("a", "email", "b") == (("a", "b"), 3, 5, True)

    located = document.locate(("a", "b"))
    assert located.key is not None
    assert located.key.value == "b"
    assert document.locate(("a", "b", 0)).key is None  # list items have no key
