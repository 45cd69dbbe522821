"""Route patterns compiled once and matched in linear time, without regular expressions.

A pattern is split at its ``*`` into *pieces*. A piece is literal text, or, in an
endpoint pattern, a tuple of the parts between its ``/`` where ``None`` stands for a
``{name}`` parameter (exactly one non-empty path segment).

Matching is greedy, piece by piece, as a shell matches ``*``: the first piece must
start the text, each middle piece is found at its leftmost place after the one before,
and the last piece must end the text. Taking the leftmost place never loses a match,
since a ``*`` takes any text; each piece is looked for once, with ``str.find``, so the
time grows with the length of the text and the pattern, never with their product and
never exponentially (as a regular expression with several ``.*`` does on
``*a*a*a…*b``).

A parameter's segment has no choice either: it runs to the next ``/``. That holds when
a parameter is a whole segment and sits in the first or the last piece, which the
profile's checks ensure (:func:`wildcard_error`): a pattern with a parameter has one
``*`` at most. A pattern ending in ``/*`` also matches the text without that part: it
is two globs, with and without ``/…``.
"""

from __future__ import annotations

from dataclasses import dataclass

Piece = str | tuple[str | None, ...]
"""Literal text, or the parts between the ``/`` of a piece with parameters."""

MAX_STARS = 8
"""The most ``*`` a route pattern may have; one is what patterns need."""


@dataclass(frozen=True, slots=True)
class Glob:
    """A pattern's pieces, between its ``*``."""

    pieces: tuple[Piece, ...]

    def matches(self, text: str) -> bool:
        """Whether the whole of ``text`` matches."""
        pieces = self.pieces
        if len(pieces) == 1:
            return _match_at(pieces[0], text, 0) == len(text)
        pos = _match_at(pieces[0], text, 0)
        for piece in pieces[1:-1]:
            if pos is None:
                return False
            pos = _find(piece, text, pos)
        return pos is not None and _match_end(pieces[-1], text, pos)


@dataclass(frozen=True, slots=True)
class Pattern:
    """A compiled route pattern: it matches when one of its globs does."""

    globs: tuple[Glob, ...]

    def matches(self, text: str) -> bool:
        return any(glob.matches(text) for glob in self.globs)


def compile_pattern(text: str, *, params: bool) -> Pattern:
    """``text`` with ``*`` for any run of characters (``/`` included); with ``params``,
    ``{name}`` for one path segment. A final ``/*`` also matches nothing at all.

    Raises ``ValueError`` for what :func:`wildcard_error` refuses.
    """
    problem = wildcard_error(text, params=params)
    if problem is not None:
        raise ValueError(problem)
    if text.endswith("/*"):
        body = _pieces(text[:-2], params)
        last = body[-1]
        slash: Piece = last + "/" if isinstance(last, str) else (*last, "")
        return Pattern((Glob(body), Glob((*body[:-1], slash, ""))))
    return Pattern((Glob(_pieces(text, params)),))


def wildcard_error(text: str, *, params: bool) -> str | None:
    """Why ``text`` cannot be matched in linear time, in plain words; ``None`` if it can."""
    stars = text.count("*")
    if stars > MAX_STARS:
        return f"has {stars} `*`; a pattern takes at most {MAX_STARS} (one usually does)"
    if not params or "{" not in text:
        return None
    for segment in text.split("/"):
        if "{" in segment and not (segment.startswith("{") and segment.endswith("}")):
            return (
                "a path parameter takes a whole segment between two `/`, like "
                f"/api/products/{{id}}, not part of one ('{segment[:40]}')"
            )
        if segment.count("{") > 1:
            return "write one path parameter per segment, like /api/{shop}/products/{id}"
    if stars > 1:
        return (
            "a pattern with a path parameter takes one `*` at most (the one in a final /* "
            "counts), like GET /api/products/{id}/*"
        )
    return None


def _pieces(text: str, params: bool) -> tuple[Piece, ...]:
    pieces: list[Piece] = []
    for piece in text.split("*"):
        if params and "{" in piece:
            pieces.append(tuple(None if _is_param(part) else part for part in piece.split("/")))
        else:
            pieces.append(piece)
    return tuple(pieces)


def _is_param(part: str) -> bool:
    return part.startswith("{") and part.endswith("}")


def _match_at(piece: Piece, text: str, pos: int) -> int | None:
    """Where ``piece`` ends when it starts at ``pos`` of ``text`` (``None``: it does not)."""
    if isinstance(piece, str):
        return pos + len(piece) if text.startswith(piece, pos) else None
    for index, part in enumerate(piece):
        if index:
            if not text.startswith("/", pos):
                return None
            pos += 1
        if part is None:  # a parameter: the segment, up to the next `/`
            end = text.find("/", pos)
            end = len(text) if end < 0 else end
            if end == pos:
                return None
            pos = end
        elif text.startswith(part, pos):
            pos += len(part)
        else:
            return None
    return pos


def _find(piece: Piece, text: str, pos: int) -> int | None:
    """The end of the leftmost match of a middle ``piece`` at or after ``pos``.

    Middle pieces are literal: a pattern with a parameter has at most one ``*``.
    """
    assert isinstance(piece, str)
    found = text.find(piece, pos)
    return None if found < 0 else found + len(piece)


def _match_end(piece: Piece, text: str, pos: int) -> bool:
    """Whether ``piece`` matches the end of ``text``, starting at or after ``pos``."""
    if isinstance(piece, str):
        return len(text) - len(piece) >= pos and text.endswith(piece)
    # The match holds as many `/` as the piece: it starts that many `/` from the end.
    start = len(text)
    for _ in range(len(piece) - 1):
        start = text.rfind("/", pos, start)
        if start < 0:
            return False
    head = piece[0]
    assert isinstance(head, str)  # a parameter always follows a `/`
    start -= len(head)
    return start >= pos and _match_at(piece, text, start) == len(text)
