"""The one place Rich consoles are made: colour, width and where output goes.

Colour follows ``--color`` (auto/always/never), then ``NO_COLOR`` and ``FORCE_COLOR``;
people's output goes to stdout, diagnostics to stderr, machine output (``--json``) to
stdout only and never coloured.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from rich.console import Console

ColorChoice = Literal["auto", "always", "never"]


def make_console(color: str = "auto", *, stderr: bool = False) -> Console:
    from rich.console import Console

    if color not in ("auto", "always", "never"):
        from campaign_guard.errors import UsageError

        raise UsageError(f"--color must be auto, always or never, not '{color[:20]}'")
    force: bool | None = None
    if color == "always":
        force = True
    elif color == "never" or os.environ.get("NO_COLOR"):
        force = False
    return Console(
        stderr=stderr,
        force_terminal=force,
        no_color=force is False,
        highlight=False,
        markup=False,  # campaign names and notes are user text, never Rich markup
        emoji=False,  # nor emoji codes: a name holding ":fire:" shows ":fire:"
        soft_wrap=False,
    )
