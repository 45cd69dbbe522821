"""Tables and bullet lists that fit the terminal without cutting words short.

Rich shrinks a table that is too wide by narrowing its widest columns, folding numbers
and addresses mid-word, or, when a column insists on a minimum width, by cropping the
table at the terminal's edge. Here the widths are chosen first: every column gets at
least its longest word (the first column, of names and addresses, as much of it as the
others leave), and the room left goes to the columns with the most text.

Text cells and items are shown as :func:`campaign_guard.safe_text.block` shows them:
the names in them come from specs and profiles, and a table must not carry an escape
sequence to the terminal. A :class:`~rich.text.Text` cell is taken as it is: whoever
styles it makes its text safe.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from rich.console import JustifyMethod
from rich.table import Table
from rich.text import Text

from campaign_guard.safe_text import block, one_line

Cell = str | Text

_OVERHEAD = 3
"""Characters each column adds beside its text: one space of padding on either side and
the line between columns (the outer edge has no line)."""


def table(
    title: str,
    columns: Sequence[str],
    rows: Sequence[Sequence[Cell]],
    width: int,
    *,
    right: Iterable[str] = (),
) -> Table:
    """A table of ``rows`` no wider than ``width`` characters."""
    rows = [[block(c) if isinstance(c, str) else c for c in row] for row in rows]
    widths = fit([[_plain(c) for c in columns], *([_plain(c) for c in r] for r in rows)], width)
    result = Table(title=one_line(title), title_justify="left", show_edge=False)
    aligned = set(right)
    for column, size in zip(columns, widths, strict=True):
        justify: JustifyMethod = "right" if column in aligned else "left"
        result.add_column(column, justify=justify, overflow="fold", width=size)
    for row in rows:
        result.add_row(*row)
    return result


def fit(rows: Sequence[Sequence[str]], width: int) -> list[int]:
    """Column widths for ``rows`` (the header first) within ``width`` characters."""
    count = max(len(row) for row in rows)
    need = [max((_longest_line(r[i]) for r in rows if i < len(r)), default=1) for i in range(count)]
    least = [
        max((_longest_word(r[i]) for r in rows if i < len(r)), default=1) for i in range(count)
    ]
    room = width - _OVERHEAD * count + 1
    least[0] = max(1, min(least[0], room - sum(least[1:])))
    if sum(need) <= room:
        return need
    if sum(least) > room:  # not even the longest words fit: shrink them all alike
        return _shrink(least, sum(least) - room)
    spare = room - sum(least)
    wants = [n - m for n, m in zip(need, least, strict=True)]
    total = sum(wants)
    widths = [m + spare * w // total for m, w in zip(least, wants, strict=True)]
    widths[wants.index(max(wants))] += room - sum(widths)  # the rounding's remainder
    return widths


def bullets(items: Iterable[str], indent: int = 2) -> Table:
    """One ``•`` line per item; a long item wraps under its own text, not at column 0."""
    grid = Table.grid(padding=(0, 1, 0, 0))
    grid.add_column(width=indent + 1, justify="right", no_wrap=True)
    grid.add_column(overflow="fold")
    for item in items:
        grid.add_row("•", one_line(item))
    return grid


def _shrink(widths: list[int], excess: int) -> list[int]:
    """``widths`` less ``excess`` in all, taken from the widest first (at least 1 each)."""
    widths = list(widths)
    for _ in range(excess):
        widest = widths.index(max(widths))
        if widths[widest] <= 1:
            break
        widths[widest] -= 1
    return widths


def _plain(cell: Cell) -> str:
    return cell.plain if isinstance(cell, Text) else cell


def _longest_line(text: str) -> int:
    return max((len(line) for line in text.splitlines()), default=0)


def _longest_word(text: str) -> int:
    """The longest word, counting the indent of a line that starts with one."""
    return (
        max(
            (len(line) - len(line.lstrip(" ")) + len(word) if i == 0 else len(word))
            for line in text.splitlines()
            for i, word in enumerate(line.split())
        )
        if text.strip()
        else 0
    )


PLURAL = {
    "service": "services",
    "data store": "data stores",
    "queue": "queue",
    "page": "pages",
    "endpoint": "endpoints",
}


def sections(rows: Iterable[tuple[str, list[Cell]]]) -> list[list[Cell]]:
    """``(kind, cells)`` rows with a heading row before the first of each kind."""
    found: list[list[Cell]] = []
    last = None
    for kind, cells in rows:
        if kind != last:
            found.append([Text(one_line(f"{PLURAL.get(kind, kind)}:"), style="italic")])
            last = kind
        found.append(cells)
    return found
