"""How an estimate looks on a terminal: the verdict first, then tables, charts, actions.

Everything fits 80 columns: long targets wrap inside their cell rather than being cut,
every column has a header, and bullets wrap under their own text.
"""

from __future__ import annotations

from collections.abc import Mapping

from rich.console import Console
from rich.table import Table
from rich.text import Text

from campaign_guard.api import (
    Estimate,
    Finding,
    TargetEstimate,
    actions,
    campaign_verdict,
    capacity_legend,
    chart,
    headline,
    note,
    number,
    per_visit_lines,
    period,
    rows,
    source_rows,
    uncounted_text,
    window_actions,
    window_title,
    worst_first,
    zone_at,
)
from campaign_guard.cli.console import make_console
from campaign_guard.cli.tables import Cell, bullets, sections, table
from campaign_guard.safe_text import block, one_line

_STYLE = {"ok": "green", "scale": "yellow", "overload": "bold red"}


SHOWN_DRIVERS = 10
"""Campaigns whose high-case driver the text names; ``--json`` has every one."""


def show(
    result: Estimate,
    notes: list[Finding],
    color: str,
    profile_path: str | None,
    drivers: Mapping[str, str] | None = None,
) -> None:
    """``drivers``: by campaign id, the sentence saying what its high estimate rests on."""
    console = make_console(color)
    console.print(Text(block(headline(result)), style=_headline_style(result)))
    missing = uncounted_text(result)
    if missing is not None:
        console.print(Text(block(missing), style="yellow"))
    console.print()
    console.print(_campaigns(result, console.width))
    _drivers(console, result, drivers or {})
    console.print(_loads(result, profile_path, console.width))
    console.print(_sources(result, console.width))
    per_visit = per_visit_lines(result)
    if per_visit:
        console.print(Text("Requests per visit", style="bold"))
        console.print(bullets(per_visit))
    console.print()
    for target in _charted(result):
        _chart(console, result, target)
    _actions(console, result)
    if notes:
        console.print(Text("Notes", style="bold"))
        console.print(bullets(note(n) for n in notes))


def _drivers(console: Console, result: Estimate, drivers: Mapping[str, str]) -> None:
    found = [(c.name, drivers[c.campaign_id]) for c in result.campaigns if c.campaign_id in drivers]
    if not found:
        return
    several = len(result.campaigns) > 1
    lines = [f"{one_line(name)}: {why}" if several else why for name, why in found]
    if len(lines) > SHOWN_DRIVERS:
        rest = len(lines) - SHOWN_DRIVERS
        lines = [*lines[:SHOWN_DRIVERS], f"and {rest:,} more (--json gives each campaign's)"]
    console.print(Text("Why the high estimate is higher", style="bold"))
    console.print(bullets(lines))
    console.print()


def _headline_style(result: Estimate) -> str:
    statuses = {t.verdict["expected"].status for t in result.targets if t.verdict is not None}
    for status in ("overload", "scale"):
        if status in statuses:
            return _STYLE[status]
    return "bold green" if statuses else "bold"


def _campaigns(result: Estimate, width: int) -> Table:
    judged = result.profile is not None
    verdict = ("verdict",) if judged else ()
    rows: list[list[Cell]] = []
    for c in result.campaigns:
        cells: list[Cell] = [
            f"{one_line(c.name)}\n{period(c.start, c.end, c.zone)}",
            _range(c.visits["expected"], c.visits["low"], c.visits["high"]),
            _range(c.leads["expected"], c.leads["low"], c.leads["high"]),
        ]
        if judged:
            word = campaign_verdict(c)
            cells.append(Text(one_line(word), style=_STYLE.get(word.split(" ")[0].rstrip(":"), "")))
        rows.append(cells)
    columns = ("campaign, when it runs", "visits", "leads", *verdict)
    return table("Campaigns", columns, rows, width, right=("visits", "leads"))


def _loads(result: Estimate, profile_path: str | None, width: int) -> Table:
    title = "Peak load" + (f" against {result.profile} ({profile_path})" if result.profile else "")
    judged = result.profile is not None
    found: list[tuple[str, list[Cell]]] = []
    for row in rows(result):
        cells: list[Cell] = [row.target, f"{row.peak} {row.unit} at {row.at}"]
        if judged:
            word = row.verdict + (f": {row.needs}" if row.needs else "")
            cells += [
                Text(one_line(word), style=_STYLE.get(row.verdict.split(" ")[0], "")),
                row.detail,
            ]
        found.append((row.kind, cells))
    extra = ("verdict", "against today's capacity") if judged else ()
    columns = ("target", "peak: expected (low–high), when", *extra)
    loads = table(title, columns, sections(found), width)
    if judged:
        loads.caption = capacity_legend(result)
        loads.caption_justify = "left"
    return loads


def _sources(result: Estimate, width: int) -> Table:
    columns = ("people", "link scanners", "image prefetch", "email opens", "baseline")
    found: list[tuple[str, list[Cell]]] = [
        (kind, [name, *parts]) for name, kind, parts in source_rows(result)
    ]
    title = "Where each expected peak comes from"
    return table(title, ("target", *columns), sections(found), width, right=columns)


def _charted(result: Estimate) -> list[TargetEstimate]:
    """Every target that needs action, most urgent first; else the most loaded service,
    else the busiest target."""
    urgent = worst_first(result.targets)
    if urgent:
        return urgent
    judged = [t for t in result.targets if t.verdict is not None and t.kind == "service"]
    if judged:
        return [max(judged, key=lambda t: t.verdict["high"].of_target if t.verdict else 0.0)]
    if result.targets:
        return [max(result.targets, key=lambda t: t.peak["expected"].value)]
    return []


def _chart(console: Console, result: Estimate, target: TargetEstimate) -> None:
    console.print(Text(one_line(f"{target.name}: {target.unit} over time"), style="bold"))
    legend = "  █ expected  ░ high estimate"
    if target.holds_now is not None:
        legend += f"  ─ today's capacity, {number(target.holds_now)}"
        if target.target_utilisation is not None and target.target_utilisation < 1.0:
            legend += f" (its {target.target_utilisation:.0%} target)"
    console.print(legend, highlight=False)
    for line in chart(
        result.times,
        target.series["expected"],
        target.series["high"],
        target.holds_now,
        zone_at(result, target.peak["expected"].at),
    ):
        console.print(line, highlight=False)
    console.print()


def _actions(console: Console, result: Estimate) -> None:
    if not actions(result):
        return
    console.print(Text("What to do", style="bold"))
    grouped = window_actions(result)
    if len(grouped) == 1:
        console.print(bullets(grouped[0][1]))
    else:
        for window, todo in grouped:
            console.print(Text(one_line(f"  {window_title(result, window)}"), style="bold"))
            console.print(bullets(todo or ["nothing to do: today's capacity holds"], indent=4))
    console.print()


def _range(expected: float, low: float, high: float) -> str:
    return f"{number(expected)} ({number(low)}–{number(high)})"
