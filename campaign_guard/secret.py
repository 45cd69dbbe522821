"""A token kept out of every message: the one type secrets are held in.

Tokens come only from the environment (Jira, PagerDuty). Holding them in a
:class:`Secret` means ``str``, ``repr`` and f-strings never show them, and
:meth:`Secret.redact` scrubs any copy out of text that came back from a server: the
token itself, and the forms a server or proxy may echo it in (base64, as in an HTTP
Basic ``Authorization`` header of ``user:token``; URL-encoded).
"""

from __future__ import annotations

import base64
from urllib.parse import quote

SHORTEST_SHOWN_PREFIX = 6
"""A cut-off message may end in the start of a secret: this many characters of one
are taken out too."""


class Secret:
    """A string that never shows itself in ``str``, ``repr`` or f-strings."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        """The value itself: only for the header that carries it."""
        return self._value

    def forms(self, user: str | None = None) -> tuple[str, ...]:
        """Every form of the secret a message could carry, longest first."""
        if not self._value:
            return ()
        found = {self._value, quote(self._value, safe=""), _b64(self._value)}
        if user is not None:
            found.add(_b64(f"{user}:{self._value}"))
        return tuple(sorted(found, key=len, reverse=True))

    def redact(self, text: str, *, user: str | None = None, limit: int | None = None) -> str:
        """``text`` with every form of the secret replaced by ``***``, then cut to
        ``limit`` characters without leaving the start of one at the end."""
        forms = self.forms(user)
        for form in forms:
            text = text.replace(form, "***")
        if limit is None or len(text) <= limit:
            return text
        text = text[:limit]
        for form in forms:
            for size in range(min(len(form), len(text)), SHORTEST_SHOWN_PREFIX - 1, -1):
                if text.endswith(form[:size]):
                    return text[:-size] + "***"
        return text

    def __repr__(self) -> str:
        return "Secret('***')"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)


def _b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()
