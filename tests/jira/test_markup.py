from __future__ import annotations

import re
import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from campaign_guard.jira.markup import MAX_SUMMARY, plain_summary, wiki_escape

SPECIAL = set("*_?-+^~{}[]!|#()")


def unescape(markup: str) -> str:
    """Undo wiki_escape for one-line text: what Jira would show."""
    text = re.sub(r"\\(.)", r"\1", markup)
    text = text.replace("&#58;", ":").replace("&#46;", ".").replace("&#92;", "\\")
    return text.replace("&amp;", "&")


@pytest.mark.parametrize(
    ("raw", "escaped"),
    [
        ("[evil|https://x]", r"\[evil\|https&#58;//x\]"),
        ("!https://x/p.png!", r"\!https&#58;//x/p.png\!"),
        ("[~admin]", r"\[\~admin\]"),
        ("{html}<b>x</b>{html}", r"\{html\}<b>x</b>\{html\}"),
        ("h1. big", "h1&#46; big"),
        (
            "*bold* _em_ -del- +u+ ^sup^ ~sub~ ??cite??",
            r"\*bold\* \_em\_ \-del\- \+u\+ \^sup\^ \~sub\~ \?\?cite\?\?",
        ),
        ("a\\b", "a&#92;b"),
        ("&#92; &amp; R&D", r"&amp;\#92; &amp;amp; R&D"),
        ("mailto:x@example.com", "mailto&#58;x@example.com"),
        ("# one | two", r"\# one \| two"),
        ("a\u202eb\u2066c\u200fd\x00e\x1bf", "abcdef"),
        ("one\ntwo\r\nthree\tfour", "one two three four"),
    ],
)
def test_escapes(raw: str, escaped: str) -> None:
    assert wiki_escape(raw) == escaped


def test_multiline_keeps_line_breaks_and_escapes_line_starts() -> None:
    text = "intro\nh1. big\n  bq. quote\n|a|b|\n* item\n# item\n----"
    assert wiki_escape(text, multiline=True) == (
        "intro\nh1&#46; big\n  bq&#46; quote\n\\|a\\|b\\|\n\\* item\n\\# item\n\\-\\-\\-\\-"
    )


def test_line_starts_after_blank_lines_are_escaped_in_linear_time() -> None:
    assert wiki_escape("\n\n  \n h1. big", multiline=True) == "\n\n  \n h1&#46; big"
    notes = "\n" * 10_000 + "x"  # the longest notes a spec may have, and no heading
    started = time.perf_counter()
    assert wiki_escape(notes, multiline=True) == notes
    assert time.perf_counter() - started < 0.1  # spaces searched across lines: 1 s


@given(st.text())
def test_escape_is_reversible_and_leaves_no_markup(text: str) -> None:
    escaped = wiki_escape(text)
    assert "\n" not in escaped
    assert "\r" not in escaped
    assert "://" not in escaped
    # every special character is escaped
    unescaped_special = re.sub(r"\\.|&#[0-9]+;|&amp;", "", escaped)
    assert not SPECIAL & set(unescaped_special)
    assert "\\" not in unescaped_special


@given(st.text(alphabet=st.characters(categories=["L", "N", "P", "S", "Zs"])))
def test_escape_round_trips_printable_text(text: str) -> None:
    assert unescape(wiki_escape(text)) == text.replace("\t", " ")


def test_plain_summary_is_one_short_line() -> None:
    assert plain_summary(" a\nb\tc\u202e  d ") == "a b c d"
    long = plain_summary("word " * 100)
    assert len(long) <= MAX_SUMMARY
    assert long.endswith("word…")
    assert len(plain_summary("x" * 400)) == MAX_SUMMARY


@given(st.text(max_size=600))
def test_plain_summary_never_too_long(text: str) -> None:
    summary = plain_summary(text)
    assert len(summary) <= MAX_SUMMARY
    assert not re.search("[\x00-\x1f\u202a-\u202e\u2066-\u2069]", summary)
