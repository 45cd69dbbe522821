"""Small pieces the edge limits are built from: rates as proxies write them, findings."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

FAST_ENOUGH = 20.0
"""Rates at or above this many requests a second are written in r/s; below it in r/m,
so rounding down loses at most 5 % (nginx takes whole numbers only, per second or per
minute; ngx_http_limit_req_module)."""


@dataclass(frozen=True)
class Finding:
    """Something ``protect edge`` could not do, or had to assume, and where it belongs.

    ``campaign_id`` names the spec whose field ``loc`` is concerned; ``None`` means the
    capacity profile's.
    """

    campaign_id: str | None
    loc: tuple[str | int, ...]
    code: str
    message: str
    level: Literal["error", "warning"] = "error"


@dataclass(frozen=True)
class RateText:
    """A rate as nginx writes it (``12r/s``, ``30r/m``) and what it enforces."""

    count: int
    per: Literal["s", "m"]

    @property
    def text(self) -> str:
        return f"{self.count}r/{self.per}"

    @property
    def per_second(self) -> float:
        return self.count / 60.0 if self.per == "m" else float(self.count)

    @property
    def period_s(self) -> int:
        """The period HAProxy counts over: 1 s or 60 s."""
        return 60 if self.per == "m" else 1


def rate_text(per_second: float) -> RateText | None:
    """``per_second`` rounded down to what nginx can write; ``None`` below 1 r/m."""
    if per_second >= FAST_ENOUGH:
        return RateText(down(per_second), "s")
    per_minute = down(per_second * 60.0)
    return RateText(per_minute, "m") if per_minute >= 1 else None


def down(value: float) -> int:
    """``value`` rounded down, forgiving the float error of a product (0.7 x 1,500 is
    1,049.9999999999998 in binary floating point)."""
    return math.floor(value + 1e-9)


def per_node(rate: float, nodes: int) -> float:
    """Each of ``nodes`` proxies' part of ``rate``: each counts on its own."""
    return rate / nodes


def plain(value: float) -> str:
    """A figure as people read it: 1,234 or 12.5 or 0.25."""
    if value >= 100 or value == int(value):
        return f"{value:,.0f}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")
