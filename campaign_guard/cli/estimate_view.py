"""How an estimate looks on a terminal: the verdict first, then tables and a chart."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text

from campaign_guard.cli.console import make_console
from campaign_guard.estimate.chart import chart
from campaign_guard.estimate.engine import Estimate, TargetEstimate
from campaign_guard.estimate.summary import actions, headline, number, rows, when
from campaign_guard.lint.findings import Finding

_STYLE = {"ok": "green", "scale": "yellow", "overload": "bold red"}


def show(result: Estimate, notes: list[Finding], color: str, profile_path: str | None) -> None:
    console = make_console(color)
    console.print(Text(headline(result), style=_headline_style(result)))
    console.print()
    console.print(_campaigns(result))
    console.print(_loads(result, profile_path))
    focus = _focus(result)
    if focus is not None:
        console.print(
            Text(
                f"{focus.name}: {focus.unit} over time "
                "(█ expected, ░ high estimate, ─ today's capacity)",
                style="bold",
            )
        )
        for line in chart(
            result.times,
            focus.series["expected"],
            focus.series["high"],
            focus.holds_now,
            result.zone,
        ):
            console.print(line, highlight=False)
        console.print()
    todo = actions(result)
    if todo:
        console.print(Text("What to do", style="bold"))
        for item in todo:
            console.print(f"  • {item}")
        console.print()
    if notes:
        console.print(Text("Notes", style="bold"))
        for note in notes:
            console.print(f"  {note.location}: {note.text} [{note.code}]", highlight=False)


def _headline_style(result: Estimate) -> str:
    statuses = {t.verdict["expected"].status for t in result.targets if t.verdict is not None}
    for status in ("overload", "scale"):
        if status in statuses:
            return _STYLE[status]
    return "bold green" if statuses else "bold"


def _campaigns(result: Estimate) -> Table:
    table = Table(title="Campaigns", title_justify="left", show_edge=False)
    for column in ("campaign", "runs", "visits", "leads"):
        table.add_column(column, justify="right" if column in ("visits", "leads") else "left")
    for c in result.campaigns:
        table.add_row(
            c.name,
            f"{when(c.start, c.zone)} → {when(c.end, c.zone)}",
            _range(c.visits["expected"], c.visits["low"], c.visits["high"]),
            _range(c.leads["expected"], c.leads["low"], c.leads["high"]),
        )
    return table


def _loads(result: Estimate, profile_path: str | None) -> Table:
    title = "Peak load" + (f" against {result.profile} ({profile_path})" if result.profile else "")
    table = Table(title=title, title_justify="left", show_edge=False)
    judged = result.profile is not None
    columns = ("target", "peak: expected (low–high)", "at", *(("verdict", "") if judged else ()))
    for column in columns:
        table.add_column(column)
    for row in rows(result):
        cells = [f"{row.target} ({row.kind})", f"{row.peak} {row.unit}", row.at]
        if judged:
            verdict = Text(row.verdict, style=_STYLE.get(row.verdict.split(" ")[0], ""))
            table.add_row(*cells, verdict, row.detail)
        else:
            table.add_row(*cells)
    return table


def _focus(result: Estimate) -> TargetEstimate | None:
    """The target to chart: the most utilised service, else the busiest target."""
    judged = [t for t in result.targets if t.verdict is not None and t.kind == "service"]
    if judged:
        return max(judged, key=lambda t: t.verdict["high"].utilisation if t.verdict else 0.0)
    if result.targets:
        return max(result.targets, key=lambda t: t.peak["expected"].value)
    return None


def _range(expected: float, low: float, high: float) -> str:
    return f"{number(expected)} ({number(low)}–{number(high)})"
