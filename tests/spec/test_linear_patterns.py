"""Every regular expression the spec layer applies to what a file says runs in linear time.

Each pattern is tried, the way its module tries it (``match`` from one start, or
``search``), on inputs built to make a backtracking pattern quadratic: 5,000 characters
of digits, separators, points or letters that almost match. A linear pattern needs a
tenth of a millisecond for each; the duration pattern this replaced, searched instead of
matched, needed 0.7 s for the first (and 10 s at 20,000 characters). The fields cap
their text long before such lengths (:mod:`campaign_guard.spec.bounds`); these tests
check the patterns themselves, and fail in about a second if one turns quadratic.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from types import ModuleType

import pytest

from campaign_guard.spec import globs, lookalike, numbers, routes, types, yamlload
from campaign_guard.spec.types import duration_seconds

N = 5_000
ADVERSARIAL = {
    "digits": "1" * N + "!",
    "digits then letters": "1" * N + "x" * 10 + "!",
    "thousands groups": "1" + ",000" * (N // 4) + "!",
    "spaced groups": "1" + " 000" * (N // 4) + " x!",
    "points and three digits": "1" + ".000" * (N // 4) + "!",
    "point digit pairs": ".1" * (N // 2) + "!",
    "digit space pairs": "1 " * (N // 2) + "!",
    "decimal commas": "1," * (N // 2) + "1x!",
    "letters": "a" * N + "!",
    "spaces": " " * N + "x",
    "email-like": "a@" + "a." * (N // 2) + "!",
    "dashes": "a-" * (N // 2) + "-",
    "path": "/" + "a/" * (N // 2) + " ",
    "indented lines": (" " * 40 + "x\n") * (N // 41),
    "date-like": "2027-03-02" * (N // 10),
    "exponents": "1e" * (N // 2),
    "open braces": "{a" * (N // 2) + "}",
}
"""Inputs on which a backtracking pattern tried at every offset, or with two repetitions
that can share characters, takes time quadratic in their length."""

MODULES: tuple[ModuleType, ...] = (numbers, types, yamlload, lookalike, routes, globs)
"""Every module of the spec layer that compiles a pattern (a route pattern itself is no
regular expression: :mod:`campaign_guard.spec.globs` reads it)."""


def _match(pattern: re.Pattern[str]) -> Callable[[str], object]:
    return pattern.match


def _search(pattern: re.Pattern[str]) -> Callable[[str], object]:
    return pattern.search


HOW: dict[str, Callable[[re.Pattern[str]], Callable[[str], object]]] = {
    "numbers._NUMBER_RE": _match,
    "numbers._DECIMAL_COMMA_RE": _match,
    "numbers._POINT_THEN_THREE_RE": _match,
    "numbers._AMOUNT_THOUSANDS_RE": _match,
    "types._HIDDEN_RE": _search,
    "types._HIDDEN_MULTILINE_RE": _search,
    "types._DURATION_PART_RE": _match,
    "types._DATE_ONLY_RE": _match,
    "types._SLUG_RE": _match,
    "types._EMAIL_RE": _match,
    "types._PATH_RE": _match,
    "yamlload._INT_RE": _match,
    "yamlload._FLOAT_RE": _match,
    "yamlload._CONTROL_RE": _search,
    "lookalike._ANY_RE": _search,
    "lookalike._INDENT_RE": _search,
    "routes._PATH_RE": _match,
    "routes._PARAM_RE": _search,
    "globs._STAR": _search,
    "globs._PARAM_OR_STAR": _search,
}
"""Each pattern, and how its module tries it."""


def compiled() -> dict[str, re.Pattern[str]]:
    return {
        f"{module.__name__.rsplit('.', 1)[1]}.{name}": value
        for module in MODULES
        for name, value in vars(module).items()
        if isinstance(value, re.Pattern)
    }


def test_every_pattern_is_listed_with_how_it_is_tried() -> None:
    assert set(compiled()) == set(HOW)


def longest(try_it: Callable[[str], object]) -> float:
    """The longest time ``try_it`` takes on one of the adversarial inputs (best of 2)."""
    worst = 0.0
    for text in ADVERSARIAL.values():
        best = float("inf")
        for _ in range(2):
            started = time.perf_counter()
            try_it(text)
            best = min(best, time.perf_counter() - started)
        worst = max(worst, best)
    return worst


@pytest.mark.parametrize("name", sorted(HOW))
def test_each_pattern_is_linear_on_adversarial_input(name: str) -> None:
    assert longest(HOW[name](compiled()[name])) < 0.05


def test_a_duration_is_read_in_one_pass() -> None:
    assert longest(duration_seconds) < 0.05
    assert duration_seconds("1d 12h") == 129_600


@pytest.mark.parametrize(
    "text",
    ["1" * N + "!", "1 " * (N // 2) + "d", "1d" * (N // 2) + "x"],
    ids=["digits", "pairs", "parts"],
)
def test_durations_the_old_search_was_quadratic_on(text: str) -> None:
    started = time.perf_counter()
    assert duration_seconds(text) is None
    assert time.perf_counter() - started < 0.05
