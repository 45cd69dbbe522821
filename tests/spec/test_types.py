"""Field types: what marketers write is accepted, what hurts downstream is refused."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from pydantic import TypeAdapter, ValidationError

from campaign_guard.spec.campaign import slugify
from campaign_guard.spec.types import Count, Duration, Email, Endpoint, PlainText, Rate, Url
from campaign_guard.spec.yamlload import WrittenFloat

NUMBER_WORDS = "must be a number like 50000, 50,000 or 50k"
DURATION_WORDS = "must be a duration like 45m, 2h, 7d or 2 weeks"
ENDPOINT_WORDS = (
    "write an API endpoint as METHOD /path, like 'POST /api/signup' "
    "(method one of GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS)"
)


def validate(annotation: Any, value: Any) -> Any:
    return TypeAdapter(annotation).validate_python(value)


def rejection(annotation: Any, value: Any) -> tuple[str, str]:
    """``(type, message)`` of the single error validating ``value`` raises."""
    with pytest.raises(ValidationError) as caught:
        TypeAdapter(annotation).validate_python(value)
    errors = caught.value.errors()
    assert len(errors) == 1
    return errors[0]["type"], errors[0]["msg"]


# --- Count -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("50k", 50_000),
        ("1.2M", 1_200_000),
        ("4.1M", 4_100_000),  # exact: 4.1 * 1e6 in floats is 4099999.9999999995
        ("8.3m", 8_300_000),
        ("50,000", 50_000),
        ("50 000", 50_000),
        ("3 million", 3_000_000),
        ("2bn", 2_000_000_000),
        (" 7 K ", 7_000),
        (1e3, 1_000),  # YAML reads 1e3 as a float
        (200000, 200_000),
        (0, 0),
    ],
)
def test_count_accepts(value: Any, expected: int) -> None:
    result = validate(Count, value)
    assert result == expected
    assert type(result) is int


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (-1, "must not be negative"),
        ("abc", NUMBER_WORDS),
        ("-5", NUMBER_WORDS),
        ("50 apples", NUMBER_WORDS),
        (True, "must be a number, not yes/no"),
        (1.5, "must be a whole number"),
        ("1.2345k", "must be a whole number"),
        (float("inf"), "must be a finite number"),
        (None, NUMBER_WORDS),
    ],
)
def test_count_rejects(value: Any, message: str) -> None:
    assert rejection(Count, value) == ("invalid_value", message)


THOUSAND_POINT = "a count has no decimal point; if you mean 300,000, write 300000, 300,000 or 300k"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        # A point before exactly three digits: thousands in much of Europe. Read as a
        # decimal point, it made a list of 300,000 people a list of 300.
        ("300.000", THOUSAND_POINT),
        (" 300.000 ", THOUSAND_POINT),
        (WrittenFloat.of("300.000"), THOUSAND_POINT),  # unquoted in YAML: the float 300.0
        (
            "1.234.567",
            "a count has no decimal point; if you mean 1,234,567, write 1234567 or 1,234,567",
        ),
        (
            WrittenFloat.of("2.000"),
            "a count has no decimal point; if you mean 2,000, write 2000, 2,000 or 2k",
        ),
        (
            "1.000.000",
            "a count has no decimal point; if you mean 1,000,000, write 1000000, 1,000,000 or 1M",
        ),
        ("1,5k", "decimals take a point, not a comma: write 1.5k"),
    ],
)
def test_count_refuses_what_a_european_reader_means_otherwise(value: Any, message: str) -> None:
    assert rejection(Count, value) == ("invalid_value", message)


@pytest.mark.parametrize(
    ("value", "expected"),
    [(WrittenFloat.of("300.0"), 300), (WrittenFloat.of("300.00"), 300), ("1.500k", 1_500)],
)
def test_count_with_a_point_before_other_than_three_digits(value: Any, expected: int) -> None:
    # Only "point, then exactly three digits, then nothing" reads two ways; with a
    # suffix the point can only be a decimal point (1.500k is 1,500).
    assert validate(Count, value) == expected


# --- Rate --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [("3%", 0.03), ("3 %", 0.03), ("2.9%", 0.029), (0.03, 0.03), ("0.5", 0.5), ("100%", 1.0)],
)
def test_rate_accepts(value: Any, expected: float) -> None:
    assert validate(Rate, value) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (5, "is a share between 0 and 1; write 5 as '5%' or 0.05"),
        ("5", "is a share between 0 and 1; write 5 as '5%' or 0.05"),
        ("150%", "cannot be more than 100%"),
        (True, "must be a number, not yes/no"),
    ],
)
def test_rate_rejects(value: Any, message: str) -> None:
    assert rejection(Rate, value) == ("invalid_value", message)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("3,5%", "decimals take a point, not a comma: write 3.5%"),
        ("3,5 %", "decimals take a point, not a comma: write 3.5%"),
        ("0,03", "decimals take a point, not a comma: write 0.03 or 3%"),
        # Read as a thousands separator, 0,035 was the share 35.
        ("0,035", "decimals take a point, not a comma: write 0.035 or 3.5%"),
        ("1,2,3%", "must be a share like 0.03 or 3% (decimals take a point, not a comma)"),
        ("three percent", "must be a share like 0.03 or 3%"),
        ("3 apples %", "must be a share like 0.03 or 3%"),
    ],
)
def test_rate_gets_the_rate_hint_not_the_count_hint(value: str, message: str) -> None:
    assert rejection(Rate, value) == ("invalid_value", message)
    assert "50k" not in message


# --- Duration ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("90m", timedelta(minutes=90)),
        ("1d 12h", timedelta(days=1, hours=12)),
        ("1d12h", timedelta(days=1, hours=12)),
        ("2 weeks", timedelta(weeks=2)),
        ("1.5h", timedelta(minutes=90)),
        ("30s", timedelta(seconds=30)),
        ("P7D", timedelta(days=7)),
    ],
)
def test_duration_accepts(value: str, expected: timedelta) -> None:
    assert validate(Duration, value) == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("0m", "must be longer than zero"),
        ("PT0S", "must be longer than zero"),
        ("7x", DURATION_WORDS),
        ("", DURATION_WORDS),
        (3600, DURATION_WORDS),  # a bare number has no unit
    ],
)
def test_duration_rejects(value: Any, message: str) -> None:
    assert rejection(Duration, value) == ("invalid_value", message)


# --- Endpoint ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("post /api/signup", "POST /api/signup"),
        ("POST /api/signup", "POST /api/signup"),
        (" get  /api/products/{id} ", "GET /api/products/{id}"),
    ],
)
def test_endpoint_is_normalised(value: str, expected: str) -> None:
    assert validate(Endpoint, value) == expected


@pytest.mark.parametrize("value", ["api/signup", "POST api", "FETCH /x", "POST /a b", ""])
def test_endpoint_rejects(value: str) -> None:
    assert rejection(Endpoint, value) == ("endpoint_format", ENDPOINT_WORDS)


# --- PlainText, Url ----------------------------------------------------------------


def test_plain_text_is_stripped() -> None:
    assert validate(PlainText, "  Spring Sale  ") == "Spring Sale"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("Spring\nSale", "contains a line break; remove it"),
        ("Spring\rSale", "contains a line break; remove it"),
        ("evil\u202etxt.exe", "contains an invisible character (U+202E); remove it"),
        ("isolate\u2066d", "contains an invisible character (U+2066); remove it"),
        ("bell\x07", "contains an invisible character (U+0007); remove it"),
    ],
)
def test_plain_text_rejects_hidden_characters(value: str, message: str) -> None:
    assert rejection(PlainText, value) == ("invalid_value", message)


@pytest.mark.parametrize(
    "value", ["https://www.example.com/spring", "http://shop.example.com/flash?x=1"]
)
def test_url_accepts(value: str) -> None:
    assert validate(Url, value) == value


@pytest.mark.parametrize(
    "value",
    [
        "javascript:alert(1)",
        "ftp://example.com/file",
        "www.example.com/spring",
        "https://",
        "https://exa mple.com",
        "https://example.com/\u202etxt",
        "https://example.com/spring\u200b",  # zero-width space
        "https://example.com/\u00a0spring",  # no-break space
    ],
)
def test_url_rejects(value: str) -> None:
    assert rejection(Url, value) == (
        "invalid_value",
        "must be a web address starting with https://",
    )


def test_email_rejects_a_zero_width_space() -> None:
    assert rejection(Email, "jane@example.com\u200b") == (
        "invalid_value",
        "must be an email address like jane@example.com",
    )


# --- slugify -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Spring Sale 2027!", "spring-sale-2027"),
        ("  Été à Paris  ", "ete-a-paris"),
        ("Black Friday -- Flash!!", "black-friday-flash"),
        ("\uff53\uff50\uff52\uff49\uff4e\uff47", "spring"),  # full-width letters (NFKC)
    ],
)
def test_slugify(name: str, slug: str) -> None:
    assert slugify(name) == slug


def test_slugify_non_latin_name_is_a_stable_hash() -> None:
    slug = slugify("春のセール")
    assert re.fullmatch(r"campaign-[0-9a-f]{10}", slug)
    assert slug == slugify("春のセール")  # the same on every run and machine
    assert slug == "campaign-f768d96370"
    assert slugify("夏のセール") != slug


# --- amounts: a budget is never read a thousand times too small ------------------------


@pytest.mark.parametrize(
    ("written", "meant"),
    [("40.000", "40,000"), ("1.250.000", "1,250,000"), ("250.000", "250,000")],
)
def test_an_amount_with_a_thousands_point_is_refused(written: str, meant: str) -> None:
    from campaign_guard.spec.types import Amount

    adapter: TypeAdapter[float] = TypeAdapter(Amount)
    values: list[object] = [written]
    if written.count(".") == 1:  # what YAML reads from an unquoted 40.000
        values.append(WrittenFloat.of(written))
    for value in values:
        with pytest.raises(ValidationError, match=f"if you mean {meant}, write"):
            adapter.validate_python(value)


@pytest.mark.parametrize(
    ("written", "amount"),
    [("0.085", 0.085), ("0.85", 0.85), ("40,000", 40000.0), ("12.5", 12.5), ("1.25k", 1250.0)],
)
def test_decimal_amounts_read_as_written(written: str, amount: float) -> None:
    from campaign_guard.spec.types import Amount

    assert TypeAdapter(Amount).validate_python(written) == amount


# --- campaign ids from names: never two campaigns on one ticket -------------------------


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Spring Sale 2027!", "spring-sale-2027"),  # as before: existing tickets keep theirs
        ("Café Week", "cafe-week"),
        ("Winter Newsletter 2027", "winter-newsletter-2027"),
    ],
)
def test_a_name_the_slug_spells_keeps_its_plain_id(name: str, slug: str) -> None:
    assert slugify(name) == slug


def test_names_the_slug_cannot_spell_never_share_an_id() -> None:
    names = ["春季 Sale", "夏季 Sale", "秋季 Sale", "Sale", "Ørsted Sale", "Örsted Sale"]
    ids = [slugify(name) for name in names]
    assert len(set(ids)) == len(names), ids
    assert re.fullmatch(r"sale-[0-9a-f]{8}", ids[0])


def test_long_names_are_cut_with_a_digest_and_stay_distinct() -> None:
    first, second = slugify("a" * 100 + " one"), slugify("a" * 100 + " two")
    assert first != second
    assert len(first) <= 64
    assert len(second) <= 64
