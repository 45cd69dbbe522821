"""Route patterns match as they always did, in one pass over the address.

The patterns a regular expression took minutes on (one ``.*`` per star, backtracking)
are run through ``estimate`` under CPU and time limits in
``tests/cli/test_hostile_values.py``; here, what each pattern matches.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from campaign_guard.spec.globs import compile_glob
from campaign_guard.spec.routes import endpoint_matches, page_matches


@pytest.mark.parametrize(
    ("pattern", "url", "matches"),
    [
        ("https://www.example.com/winter*", "https://www.example.com/winter", True),
        ("https://www.example.com/winter*", "https://www.example.com/winter/a/b?x=1", True),
        ("https://www.example.com/winter*", "https://www.example.com/wint", False),
        ("https://www.example.com/*", "https://www.example.com", True),
        ("https://www.example.com/*", "https://www.example.com.evil.org/", False),
        ("https://www.example.com/a*b*c", "https://www.example.com/abc", True),
        ("https://www.example.com/a*b*c", "https://www.example.com/a/x/b/y/c", True),
        ("https://www.example.com/a*b*c", "https://www.example.com/a/x/b/y/cd", False),
        ("https://WWW.Example.com/a", "http://www.example.com/a/", True),
    ],
)
def test_a_page_pattern_matches_as_documented(pattern: str, url: str, matches: bool) -> None:
    assert page_matches(pattern, url) is matches


@pytest.mark.parametrize(
    ("pattern", "endpoint", "matches"),
    [
        ("GET /api/products/{id}", "GET /api/products/42", True),
        ("GET /api/products/{id}", "GET /api/products/42/reviews", False),
        ("GET /api/products/{id}", "GET /api/products/", False),
        ("GET /api/products/{id}", "POST /api/products/42", False),
        ("GET /api/products/*", "GET /api/products", True),
        ("GET /api/products/*", "GET /api/products/42/reviews", True),
        ("GET /api/{kind}*/x", "GET /api/products/42/x", True),
        ("GET /files/{id}.json", "GET /files/a.b.json", True),
        ("GET /files/{id}.json", "GET /files/.json", False),
    ],
)
def test_an_endpoint_pattern_matches_as_documented(
    pattern: str, endpoint: str, matches: bool
) -> None:
    assert endpoint_matches(pattern, endpoint) is matches


def regex_of(text: str, *, params: bool) -> str:
    """The regular expression routes were matched with before (to compare, on short text)."""
    tail = ""
    if text.endswith("/*"):
        text, tail = text[:-2], "(?:/.*)?"
    pieces = []
    for piece in re.split(r"(\{[^/{}]*\}|\*)" if params else r"(\*)", text):
        if piece == "*":
            pieces.append(".*")
        elif params and piece.startswith("{") and piece.endswith("}"):
            pieces.append("[^/]+")
        else:
            pieces.append(re.escape(piece))
    return "".join(pieces) + tail


PIECES = st.sampled_from(["a", "b", "/", "*", "{x}", "/*", "."])


@given(
    st.lists(PIECES, max_size=7).map("".join),
    st.text(alphabet="ab/.", max_size=10),
    st.booleans(),
)
def test_a_pattern_matches_what_its_regular_expression_matched(
    pattern: str, text: str, params: bool
) -> None:
    expected = re.fullmatch(regex_of(pattern, params=params), text) is not None
    assert compile_glob(pattern, params=params).matches(text) is expected
