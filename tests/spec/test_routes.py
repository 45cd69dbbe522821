"""Route patterns: matched as documented, in linear time, within the profile's limits.

The matcher (:mod:`campaign_guard.spec.globs`) replaced a translation of each pattern
into a regular expression, which took minutes on ``*a*a*a…*b``. The property test
compares the two on small inputs, where the expression is quick: they must agree on
every pattern the profile accepts.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from campaign_guard.spec.globs import MAX_STARS, compile_pattern, wildcard_error
from campaign_guard.spec.routes import MAX_PATTERN_LENGTH
from tests.limits import run_limited
from tests.spec.test_capacity import edit, problems

PRODUCTION = Path(__file__).resolve().parents[2] / "examples" / "capacity" / "production.yaml"


def reference(pattern: str, *, params: bool) -> re.Pattern[str]:
    """The former translation: ``*`` is ``.*``, ``{name}`` is ``[^/]+``, a final ``/*``
    is ``(?:/.*)?``."""
    tail = ""
    if pattern.endswith("/*"):
        pattern, tail = pattern[:-2], "(?:/.*)?"
    special = r"(\{[^/{}]*\}|\*)" if params else r"(\*)"
    pieces = []
    for piece in re.split(special, pattern):
        if piece == "*":
            pieces.append(".*")
        elif params and piece.startswith("{") and piece.endswith("}"):
            pieces.append("[^/]+")
        else:
            pieces.append(re.escape(piece))
    return re.compile("".join(pieces) + tail)


TOKENS = st.sampled_from(["a", "b", "/", "*", "/{id}", "/{id}/"])
PATTERNS = st.lists(TOKENS, max_size=8).map(lambda tokens: "/" + "".join(tokens))
TEXTS = st.text(alphabet="ab/", max_size=12).map(lambda text: "/" + text)


@given(pattern=PATTERNS, text=TEXTS, params=st.booleans())
def test_the_matcher_agrees_with_the_regular_expression(
    pattern: str, text: str, params: bool
) -> None:
    problem = wildcard_error(pattern, params=params)
    if problem is not None:
        with pytest.raises(ValueError, match=re.escape(problem)):
            compile_pattern(pattern, params=params)
        return
    expected = reference(pattern, params=params).fullmatch(text) is not None
    assert compile_pattern(pattern, params=params).matches(text) == expected


@pytest.mark.parametrize(
    ("pattern", "text", "expected"),
    [
        ("/api/products/{id}", "/api/products/42", True),
        ("/api/products/{id}", "/api/products/", False),  # a segment is never empty
        ("/api/products/{id}", "/api/products/42/reviews", False),
        ("/api/{shop}/products/{id}/*", "/api/eu/products/42", True),
        ("/api/{shop}/products/{id}/*", "/api/eu/products/42/reviews/7", True),
        ("/api/{shop}/products/{id}/*", "/api/eu/products/42x", True),  # {id} is 42x
        ("/api/*/reviews/{id}", "/api/products/42/reviews/7", True),
        ("/api/*/reviews/{id}", "/api/reviews/7", False),  # `*/` needs the `/`
        ("/*", "/", True),
        ("/*", "", True),
        ("www.example.com/*", "www.example.com", True),
        ("*.example.org/*", "blog.example.org/post", True),
        ("*a*a*b", "aab", True),
        ("*a*a*b", "ab", False),
    ],
)
def test_examples(pattern: str, text: str, expected: bool) -> None:
    assert compile_pattern(pattern, params=True).matches(text) is expected


# --- what a profile may write ---------------------------------------------------------------


PAGE, ENDPOINT = "invalid-value", "endpoint-format"


@pytest.mark.parametrize(
    ("match", "code", "message"),
    [
        (
            "https://www.example.com/" + "*a" * 8 + "*b",
            PAGE,
            "has 9 `*`; a pattern takes at most 8 (one usually does)",
        ),
        ("GET /" + "*/" * 9, ENDPOINT, "has 9 `*`; a pattern takes at most 8 (one usually does)"),
        (
            "GET /api/v{version}/products",
            ENDPOINT,
            "a path parameter takes a whole segment between two `/`, like "
            "/api/products/{id}, not part of one ('v{version}')",
        ),
        (
            "GET /api/{a}{b}",
            ENDPOINT,
            "write one path parameter per segment, like /api/{shop}/products/{id}",
        ),
        (
            "GET /api/*/products/{id}/*",
            ENDPOINT,
            "a pattern with a path parameter takes one `*` at most (the one in a final /* "
            "counts), like GET /api/products/{id}/*",
        ),
        (
            "https://www.example.com/" + "a" * MAX_PATTERN_LENGTH,
            PAGE,
            f"is too long (at most {MAX_PATTERN_LENGTH} characters)",
        ),
    ],
)
def test_patterns_beyond_the_limits_are_findings(
    tmp_path: Path, match: str, code: str, message: str
) -> None:
    text = edit("  - match: https://www.example.com/*\n", f"  - match: {match}\n")
    assert problems(tmp_path, text) == [(36, 12, code, "routes[3].match", message)]


def test_ingestion_routes_have_the_same_limits(tmp_path: Path) -> None:
    text = edit("routes: [POST /api/signup]", "routes: [POST /api/signup, 'POST /api/{x}*']")
    [(line, _, code, field, message)] = problems(tmp_path, text)
    assert (line, code, field) == (42, "endpoint-format", "ingestion.routes[1]")
    assert message.startswith("a path parameter takes a whole segment")


def test_the_limits_leave_room_for_every_documented_pattern() -> None:
    assert MAX_STARS >= 2  # https://*.example.org/*
    for pattern in ("*.example.org/*", "/api/products/{id}/*", "/api/*/reviews/{id}"):
        assert wildcard_error(pattern, params=True) is None


# --- the reproduction, under limits ---------------------------------------------------------


def test_hostile_patterns_and_long_addresses_estimate_fast(tmp_path: Path) -> None:
    """Every pattern with the most `*` allowed, as long as allowed, against the longest
    landing pages a spec may name: each of the 22,500 lookups fails only at the end.
    The regular expressions took minutes on one such pair."""
    profile = yaml.safe_load(PRODUCTION.read_text(encoding="utf-8"))
    stars = "*a" * (MAX_STARS - 2)
    hostile = [
        {"match": f"https://www.example.com/*{'a' * n}{stars}*b", "service": "web"}
        for n in range(1, 451)
    ]
    endpoints = [route for route in profile["routes"] if not route["match"].startswith("http")]
    profile["routes"] = hostile + endpoints
    (tmp_path / "profile.yaml").write_text(yaml.safe_dump(profile), encoding="utf-8")
    spec = {
        "schema_version": 1,
        "name": "Long addresses",
        "owner": "jane@example.com",
        "launch": {"timezone": "UTC", "start": "2027-03-02 09:00", "duration": "1d"},
        "traffic": [{"channel": "paid_social", "expected_visits": 1000}],
        "landing_pages": [f"https://www.example.com/{n}/{'a' * 1900}" for n in range(50)],
        "new_data_fields": [],
    }
    (tmp_path / "spec.yaml").write_text(yaml.safe_dump(spec), encoding="utf-8")
    assert run_limited("lint", "profile.yaml", cwd=tmp_path).code == 0
    done = run_limited("estimate", "spec.yaml", "-c", "profile.yaml", "--json", cwd=tmp_path)
    assert (done.code, done.killed) == (0, False), done.stderr[-2000:]
    assert "no route for https://www.example.com/0/" in done.stdout
