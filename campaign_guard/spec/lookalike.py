"""Characters that look like others: curly quotes, no-break spaces, zero-width spaces.

Text pasted from a word processor, a chat or a web page brings them along. YAML sees a
curly quote as part of the value (not as a quote), a no-break space as a letter (not as
indentation or a separator), and a zero-width space cannot be seen at all. Whoever wrote
the file sees nothing wrong, so every message names the character.
"""

from __future__ import annotations

import re
from typing import Literal

Place = Literal["value", "line", "indentation"]
_SUBJECT = {"value": "contains", "line": "this line has", "indentation": "the indentation has"}

_QUOTES = "\u201c\u201d\u201e\u2018\u2019"
_SPACES = {
    "\u00a0": "a no-break space",
    "\u2007": "a figure space",
    "\u202f": "a narrow no-break space",
}
_INVISIBLE = {
    "\u200b": "a zero-width space",
    "\u200c": "a zero-width non-joiner",
    "\u200d": "a zero-width joiner",
    "\u2060": "a word joiner",
    "\ufeff": "a zero-width no-break space",
}
SPACE_LIKE = "".join((*_SPACES, *_INVISIBLE))
"""Characters that look like a space or like nothing at all."""

_ANY_RE = re.compile(f"[{_QUOTES}{SPACE_LIKE}]")
_INDENT_RE = re.compile(f"^ *[{SPACE_LIKE}]", re.MULTILINE)


def find(text: str) -> int | None:
    """The index of the first look-alike character in ``text``, if any."""
    found = _ANY_RE.search(text)
    return None if found is None else found.start()


def find_in_indentation(text: str) -> int | None:
    """The index of the first space-like character among the spaces that start a line."""
    found = _INDENT_RE.search(text)
    return None if found is None else found.end() - 1


def message(char: str, place: Place = "value") -> str:
    """What ``char`` is and what to type instead, in plain words, for where it was found:
    in a value, on a line YAML cannot read, or in the indentation."""
    code = f"U+{ord(char):04X}"
    if char in _QUOTES:
        return f'{_SUBJECT[place]} a curly quote ({char}, {code}); use straight quotes (") instead'
    if char in _SPACES:
        instead = "indent with ordinary spaces" if place == "indentation" else "type a space"
        return (
            f"{_SUBJECT[place]} {_SPACES[char]} ({code}), which only looks like a space; "
            f"{instead} instead"
        )
    what = _INVISIBLE.get(char, "an invisible character")
    subject = "this line starts with" if place == "indentation" else _SUBJECT[place]
    return f"{subject} {what} ({code}), which cannot be seen; delete it"
