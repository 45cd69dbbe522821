"""Route patterns matched against an address in one left-to-right pass.

A pattern is literal text with two wildcards: ``*``, any run of characters (``/``
included), and, in an endpoint pattern, ``{name}``, one or more characters other than
``/``. A pattern ending in ``/*`` also matches the address without that part.

A regular expression built from a pattern (``.*`` for each ``*``) backtracks: against
60 letters, ``*a*a*a*a*a*a*a*a*b`` took 46 s, and each star more multiplies that. Here a
pattern is a list of steps, and the address is read once, keeping the set of steps the
pattern may have reached so far: time proportional to the address's length times the
number of wildcards, at most.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_STAR = re.compile(r"(\*)")
_PARAM_OR_STAR = re.compile(r"(\{[^/{}]*\}|\*)")
"""Linear: only a ``{`` starts the longer branch, and its run stops at the next ``{``."""


@dataclass(frozen=True)
class Step:
    """One step of a pattern: a character (``char``), or a wildcard when ``char`` is None."""

    char: str | None
    repeat: bool = False
    """Zero or more characters (a wildcard's run); otherwise exactly one."""
    slash: bool = True
    """Whether the wildcard takes ``/``."""

    def takes(self, char: str) -> bool:
        if self.char is not None:
            return char == self.char
        return self.slash or char != "/"


@dataclass(frozen=True)
class Glob:
    """A compiled pattern: its steps, and the step from which the rest may be left out
    (a pattern ending in ``/*``); None when nothing may be."""

    steps: tuple[Step, ...]
    optional_from: int | None = None

    def matches(self, text: str) -> bool:
        """Whether all of ``text`` matches the pattern."""
        reached = self._closure({0})
        for char in text:
            reached = self._closure(
                {i if self.steps[i].repeat else i + 1 for i in reached if self._takes(i, char)}
            )
            if not reached:
                return False
        return len(self.steps) in reached or self.optional_from in reached

    def _takes(self, index: int, char: str) -> bool:
        return index < len(self.steps) and self.steps[index].takes(char)

    def _closure(self, reached: set[int]) -> set[int]:
        """``reached`` and the steps after each run that may be empty (runs never follow
        one another: :func:`compile_glob` merges them)."""
        return reached | {i + 1 for i in reached if i < len(self.steps) and self.steps[i].repeat}


_ANY = Step(None, repeat=True)
_ONE_IN_SEGMENT = Step(None, slash=False)
_RUN_IN_SEGMENT = Step(None, repeat=True, slash=False)


def compile_glob(text: str, *, params: bool) -> Glob:
    """The steps of ``text``: ``*`` is any run, ``{name}`` (with ``params``) one segment."""
    tail = text.endswith("/*")
    if tail:
        text = text[:-2]
    steps: list[Step] = []
    for piece in (_PARAM_OR_STAR if params else _STAR).split(text):
        if piece == "*":
            _add_run(steps, _ANY)
        elif params and piece.startswith("{") and piece.endswith("}"):
            steps.append(_ONE_IN_SEGMENT)
            _add_run(steps, _RUN_IN_SEGMENT)
        else:
            steps.extend(Step(char) for char in piece)
    if not tail:
        return Glob(tuple(steps))
    return Glob((*steps, Step("/"), _ANY), optional_from=len(steps))


def _add_run(steps: list[Step], run: Step) -> None:
    """Append ``run``, merged with a run just before it (``**`` is ``*``, and a segment's
    run next to any run is any run)."""
    if steps and steps[-1].repeat:
        steps[-1] = _ANY if run.slash or steps[-1].slash else run
    else:
        steps.append(run)
