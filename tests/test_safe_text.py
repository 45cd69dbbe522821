"""What :mod:`campaign_guard.safe_text` lets through, for each kind of output."""

from __future__ import annotations

import json
import os
import unicodedata
import xml.etree.ElementTree as ET

import pytest
from hypothesis import given
from hypothesis import strategies as st

from campaign_guard.safe_text import block, github_data, github_property, json_document, one_line

# Any text at all, lone surrogates included (a file name that is not UTF-8 holds them).
ANY_TEXT = st.text(st.characters(codec=None, exclude_categories=()))
BIDI = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


def _must_not_print(char: str) -> bool:
    """A character that no output may carry as it is (tab and newline aside)."""
    return (
        (unicodedata.category(char) in ("Cc", "Cs", "Zl", "Zp") and char not in "\t\n")
        or char in BIDI
        or char in "\ufffe\uffff"
    )


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("esc\x1b[31mred", "esc\\x1b[31mred"),
        (
            "\x1b]8;;https://evil.example\x07link\x1b]8;;\x07",
            "\\x1b]8;;https://evil.example\\x07link\\x1b]8;;\\x07",
        ),
        ("\x1b]52;c;cHduZWQ=\x07", "\\x1b]52;c;cHduZWQ=\\x07"),
        ("cr\roverwritten", "cr\\roverwritten"),
        ("x\n::warning file=x::pwned", "x\\n:\\x3awarning file=x:\\x3apwned"),
        ("##[error]pwned", "##\\x5berror]pwned"),
        (":::", ":\\x3a:"),
        ("nul\x00 del\x7f csi\x9b", "nul\\x00 del\\x7f csi\\x9b"),
        ("bidi\u202etxt.exe \u2028", "bidi\\u202etxt.exe \\u2028"),
        (os.fsdecode(b"bad\xff\xfe.yaml"), "bad\\xff\\xfe.yaml"),
        ("lone \ud800 \ufffe", "lone \\ud800 \\ufffe"),
        ("tab\tkept, été 夏 😀, a: b, 100%", "tab\tkept, été 夏 😀, a: b, 100%"),
    ],
)
def test_one_line_shows_each_character_that_must_not_be_printed(raw: str, shown: str) -> None:
    assert one_line(raw) == shown


def test_block_keeps_line_breaks_and_reads_crlf_as_one() -> None:
    assert block("a\r\nb\nc\rd\x1b\n::e") == "a\nb\nc\\rd\\x1b\n:\\x3ae"


def test_github_escapes_as_the_toolkit_after_showing_escapes() -> None:
    assert github_data("100%\r\n") == "100%25\\r\\n"
    assert github_property("a:b,c%\x1b") == "a%3Ab%2Cc%25\\x1b"


def test_json_document_is_exact_where_json_can_be() -> None:
    value = {"path": "a\x1b]8;;x\x07 \x9b \u202e ##[error]x ::warning::y"}
    text = json_document(value)
    assert json.loads(text) == value
    assert not any(c in text for c in "\x1b\x07\x9b\u202e")
    assert "##[" not in text
    assert text.endswith("}\n")


def test_json_document_shows_the_bytes_that_are_not_utf8() -> None:
    text = json_document([os.fsdecode(b"bad\xff.yaml"), "\udc00"])
    assert json.loads(text.encode("utf-8")) == ["bad\\xff.yaml", "\\udc00"]


@given(ANY_TEXT)
def test_one_line_output_is_one_printable_line(text: str) -> None:
    shown = one_line(text)
    assert not any(_must_not_print(c) for c in shown)
    assert "\n" not in shown
    assert "::" not in shown
    assert "##[" not in shown
    shown.encode("utf-8")
    assert one_line(shown) == shown  # nothing is shown twice over


@given(ANY_TEXT)
def test_block_output_is_printable_and_keeps_only_newlines(text: str) -> None:
    shown = block(text)
    assert not any(_must_not_print(c) for c in shown)
    assert shown.count("\n") == text.replace("\r\n", "\n").count("\n")
    assert "::" not in shown
    assert "##[" not in shown


@given(ANY_TEXT)
def test_one_line_output_is_xml_text(text: str) -> None:
    element = ET.Element("failure", message=one_line(text))
    element.text = block(text)
    parsed = ET.fromstring(ET.tostring(element, encoding="unicode").encode("utf-8"))
    assert parsed.get("message") == one_line(text)


@given(ANY_TEXT)
def test_json_document_is_utf8_and_exact_without_lone_surrogates(text: str) -> None:
    document = json_document({"value": text})
    assert not any(_must_not_print(c) for c in document if c != "\n")
    assert "##[" not in document
    value = json.loads(document.encode("utf-8"))["value"]
    if not any(unicodedata.category(c) == "Cs" for c in text):
        assert value == text
