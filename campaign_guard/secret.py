"""A token kept out of every message: the one type secrets are held in.

Tokens come only from the environment (Jira, PagerDuty). Holding them in a
:class:`Secret` means ``str``, ``repr`` and f-strings never show them, and
:meth:`Secret.redact` scrubs any copy out of text that came back from a server.
"""

from __future__ import annotations


class Secret:
    """A string that never shows itself in ``str``, ``repr`` or f-strings."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        """The value itself: only for the header that carries it."""
        return self._value

    def redact(self, text: str) -> str:
        """``text`` with any copy of the secret replaced by ``***``."""
        return text.replace(self._value, "***") if self._value else text

    def __repr__(self) -> str:
        return "Secret('***')"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)
