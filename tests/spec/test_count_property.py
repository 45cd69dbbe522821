"""Counts of people, property-tested over every channel of the spec model and every
count field it has: each accepted way of writing a number gives the same whole number,
and no way of writing it is read as a number a thousand times smaller or larger.

The fields come from the model (any field typed :data:`Count`), so a channel or a count
added later is covered without touching this file. Examples are derandomized and no
database is kept: a failure reproduces by rerunning the test.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import get_args

from hypothesis import example, given, settings
from hypothesis import strategies as st

from campaign_guard.spec.bounds import MAX_PEOPLE
from campaign_guard.spec.campaign import CampaignSpec
from campaign_guard.spec.channels import CHANNEL_MODELS
from campaign_guard.spec.load import parse, validate_document
from campaign_guard.spec.types import Count
from tests.spec.test_campaign import MINIMAL

PROPERTY = settings(deadline=None, max_examples=300, derandomize=True, database=None)

COUNT_FIELDS = sorted(
    (channel, name)
    for channel, model in CHANNEL_MODELS.items()
    for name, info in model.model_fields.items()
    if info.annotation is Count or Count in get_args(info.annotation)
)
"""Every ``(channel, field)`` whose value is a count, taken from the spec model."""

SUFFIXES = {
    "": 1,
    "k": 10**3,
    "K": 10**3,
    " thousand": 10**3,
    "m": 10**6,
    "M": 10**6,
    " million": 10**6,
    "bn": 10**9,
    " billion": 10**9,
}
QUOTES = ("", '"', "'")


def spec_with(channel: str, field: str, written: str) -> bytes:
    """A valid spec whose only channel has ``field: written`` (and what else it needs)."""
    others = "" if field == "expected_visits" else "    expected_visits: 1000\n"
    entry = f"  - channel: {channel}\n    {field}: {written}\n{others}"
    return MINIMAL.replace("  - channel: email\n    list_size: 50k\n", entry).encode()


def read_count(channel: str, field: str, written: str) -> int | None:
    """The count the spec loader reads from ``written``, or None when it refuses it."""
    document, problems = parse(spec_with(channel, field, written))
    assert document is not None, problems
    loaded = validate_document(document, CampaignSpec, "spec.yaml")
    if loaded.value is None:
        assert [p.field for p in loaded.problems] == [f"traffic[0].{field}"], loaded.problems
        return None
    value = getattr(loaded.value.traffic[0], field)
    assert type(value) is int
    return value


def test_the_count_fields_are_the_audiences_and_more() -> None:
    fields = {name for _, name in COUNT_FIELDS}
    assert {"list_size", "recipients", "viewers", "followers", "audience", "impressions"} <= (
        fields
    )
    assert {channel for channel, _ in COUNT_FIELDS} == set(CHANNEL_MODELS)  # expected_visits


def accepted_forms(number: int) -> list[str]:
    """Ways people write ``number`` that the spec accepts, each meaning exactly it."""
    grouped = f"{number:,}"
    forms = [str(number), grouped, grouped.replace(",", " "), grouped.replace(",", "_")]
    forms.append(f"{number}.0")
    for suffix, factor in SUFFIXES.items():
        if suffix and number % factor == 0 and number:
            forms.append(f"{number // factor}{suffix}")
        elif suffix and number >= factor:
            share = (Decimal(number) / factor).normalize()
            if share == share.to_integral_value() or len(str(share).split(".")[1]) <= 3:
                forms.append(f"{share:f}{suffix}")
    return forms


@st.composite
def written_counts(draw: st.DrawFn) -> tuple[int, str]:
    number = draw(
        st.one_of(
            st.integers(0, MAX_PEOPLE),
            st.integers(1, 10**4).map(lambda n: n * 1_000),
            st.integers(1, 10**3).map(lambda n: n * 10_000),
        )
    )
    form = draw(st.sampled_from(accepted_forms(number)))
    quote = draw(st.sampled_from(QUOTES))
    return number, f"{quote}{form}{quote}"


@PROPERTY
@given(st.sampled_from(COUNT_FIELDS), written_counts())
def test_every_accepted_form_of_a_count_gives_the_same_whole_number(
    where: tuple[str, str], written: tuple[int, str]
) -> None:
    channel, field = where
    number, text = written
    assert read_count(channel, field, text) == number


# Digits in groups, separated by a comma, a point, a space or an underscore, with or
# without a suffix: what a marketer from anywhere may type.
def _digits(widths: st.SearchStrategy[int]) -> st.SearchStrategy[str]:
    return widths.flatmap(lambda n: st.text("0123456789", min_size=n, max_size=n))


GROUPS = st.tuples(
    _digits(st.integers(1, 3)),
    st.lists(
        st.tuples(
            st.sampled_from(".,. _"),
            st.one_of(st.just("000"), _digits(st.sampled_from([1, 2, 3, 3, 3, 4]))),
        ),
        max_size=2,
    ),
).map(lambda parts: parts[0] + "".join(sep + group for sep, group in parts[1]))
NUMBERISH = st.tuples(
    GROUPS, st.one_of(st.just(""), st.sampled_from(list(SUFFIXES))), st.sampled_from(QUOTES)
)
_POINT_THEN_THREE = re.compile(r"\.[0-9]{3}\Z")


def plain_reading(digits: str, suffix: str) -> Decimal:
    """What ``digits`` + ``suffix`` means when the point is a decimal point and commas,
    spaces and underscores separate thousands."""
    return Decimal(re.sub(r"[,_ ]", "", digits)) * SUFFIXES[suffix]


@PROPERTY
@given(st.sampled_from(COUNT_FIELDS), NUMBERISH)
@example(("email", "list_size"), ("300.000", "", ""))
@example(("sms", "recipients"), ("300.000", "", '"'))
@example(("tv_radio", "viewers"), ("1.250.000", "", "'"))
def test_no_way_of_writing_a_count_is_silently_scaled(
    where: tuple[str, str], numberish: tuple[str, str, str]
) -> None:
    channel, field = where
    digits, suffix, quote = numberish
    count = read_count(channel, field, f"{quote}{digits}{suffix}{quote}")
    if not suffix and _POINT_THEN_THREE.search(digits):
        # 300.000: three hundred, or three hundred thousand? Never guessed.
        assert count is None
    if count is not None:
        # Commas, spaces and underscores only group digits; a point is only a decimal
        # point; nothing accepted means a thousand times more or less.
        assert count == plain_reading(digits, suffix)
