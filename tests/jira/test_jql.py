from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from campaign_guard.errors import ConfigError
from campaign_guard.jira.jql import campaign_label, dedup_jql, quote, validate_project_key

LABEL = re.compile(r"cg-[0-9a-f]{16}\Z")
ONE_CLAUSE = re.compile(r'project = "([A-Z][A-Z0-9_]{1,9})" AND labels = "(cg-[0-9a-f]{16})"\Z')
_UNESCAPES = {"n": "\n", "r": "\r", "t": "\t", "\\": "\\", '"': '"', "'": "'"}


def unquote(jql: str) -> str:
    """Read one double-quoted JQL string back; fails on anything else."""
    assert jql.startswith('"')
    assert jql.endswith('"')
    out: list[str] = []
    body = iter(jql[1:-1])
    for char in body:
        if char == "\\":
            out.append(_UNESCAPES[next(body)])
        else:
            assert char != '"', "unescaped quote ends the string early"
            out.append(char)
    return "".join(out)


HOSTILE_IDS = [
    'x" OR project is not EMPTY OR summary ~ "',
    "x' OR labels is EMPTY",
    "a\nb\rc\td",
    "Ünïcödé-名前",
    "e\u0301",
    "abc\u202edef",
    '\\" ) OR (',
    "",
]


@pytest.mark.parametrize("campaign_id", HOSTILE_IDS)
def test_hostile_ids_give_one_clause(campaign_id: str) -> None:
    label = campaign_label(campaign_id)
    assert LABEL.match(label)
    match = ONE_CLAUSE.match(dedup_jql("OPS", label))
    assert match is not None
    assert match.groups() == ("OPS", label)


def test_label_uses_nfc() -> None:
    assert campaign_label("e\u0301") == campaign_label("\u00e9")
    assert campaign_label("a") != campaign_label("b")


@pytest.mark.parametrize(
    "key", ["DO", "INT", "AND", "OR", "NOT", "OPS", "MKT_2", "A1234567890"[:10]]
)
def test_reserved_words_are_quoted(key: str) -> None:
    assert dedup_jql(key, campaign_label("x")).startswith(f'project = "{key}" AND ')


@pytest.mark.parametrize(
    "key", ["ops", "O", "1OPS", "OPS-1", 'OPS" OR x', "ABCDEFGHIJK", "OPS ", "", "ÖPS"]
)
def test_bad_project_keys(key: str) -> None:
    with pytest.raises(ConfigError, match=r"jira\.project"):
        validate_project_key(key)


def test_dedup_refuses_a_label_it_did_not_make() -> None:
    with pytest.raises(ValueError, match="campaign label"):
        dedup_jql("OPS", 'cg-0" OR x')


@pytest.mark.parametrize(
    ("value", "quoted"),
    [
        ('say "hi"', r'"say \"hi\""'),
        ("it's", r'"it\'s"'),
        ("a\\b", r'"a\\b"'),
        ("1\n2\r3\t4", r'"1\n2\r3\t4"'),
    ],
)
def test_quote(value: str, quoted: str) -> None:
    assert quote(value) == quoted


@pytest.mark.parametrize("char", ["\x00", "\x07", "\x1b", "\x7f", "\x85"])
def test_quote_rejects_controls(char: str) -> None:
    with pytest.raises(ValueError, match="control character"):
        quote(f"a{char}b")


@given(st.text(alphabet=st.characters(blacklist_categories=["Cc"]) | st.sampled_from("\n\r\t")))
def test_quote_round_trips(value: str) -> None:
    assert unquote(quote(value)) == value
