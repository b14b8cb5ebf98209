"""The terminal view of `compare`: one Rich panel per event with its totals, grades, conflicts and warnings.

Names, speakers, outlets and report ids come from the reports: they go in as `Text` (never read as Rich
markup) with their control characters made visible (`safe.terminal`), so no escape sequence reaches the
terminal."""

from __future__ import annotations

import os
from typing import TextIO

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from tollcheck.model import Comparison, EventFigure
from tollcheck.render.safe import cell, terminal

GRADE_STYLE = {"contested": "bold red", "corroborated": "bold green", "single source": "yellow"}


def _n(x: int | None) -> str:
    return "—" if x is None else f"{x:,}"


def _source_line(fig: EventFigure) -> Text:
    text = Text()
    for s in sorted(fig.sources, key=lambda s: (s.published or "9999", s.report)):
        figure = _n(s.best) if s.best is not None else f"{_n(s.low)}–{_n(s.high)}"
        who = ", ".join(s.speakers) or "the report"
        text.append(f"  {s.published or 'undated'}  ", style="dim")
        text.append(figure, style="cyan")
        text.append(terminal(f"  {who} · {s.outlet or os.path.basename(s.report)}"))
        if s.copies:
            text.append(f" (+{len(s.copies)} cop{'y' if len(s.copies) == 1 else 'ies'})", style="dim")
        if s.flags:
            text.append(terminal(f" [{', '.join(s.flags)}]"), style="magenta")
        text.append("\n")
    return text


def event_panels(comparison: Comparison) -> list[Panel]:
    panels = []
    for event in comparison.events:
        table = Table(expand=True, show_edge=False)
        for col in ("category", "low", "best", "high", "grade", "sources"):
            table.add_column(col, justify="right" if col in ("low", "best", "high", "sources") else "left")
        parts: list[Text | Table] = [table]
        for category, fig in event.totals.items():
            table.add_row(
                cell(category),
                _n(fig.low),
                _n(fig.best),
                _n(fig.high),
                cell(fig.grade, GRADE_STYLE.get(fig.grade, "")),
                str(len(fig.sources)),
            )
        for category, fig in event.totals.items():
            parts.append(cell(f"{category}: {fig.rule}", "italic"))
            parts.append(_source_line(fig))
            for conflict in fig.conflicts:
                parts.append(cell(f"  conflict: {conflict}", "red"))
        for warning in event.warnings:
            parts.append(cell(f"warning: {warning}", "bold yellow"))
        dates = " to ".join(dict.fromkeys(d for d in (event.date_start, event.date_end) if d)) or "undated"
        title = Text.assemble(
            (terminal(event.id), "bold"), terminal(f" {event.name} · {', '.join(event.places) or 'no place'} · {dates}")
        )
        subtitle = cell(f"{event.kind}, {len(event.reports)} report(s)")
        panels.append(Panel(Group(*parts), title=title, title_align="left", subtitle=subtitle))
    return panels


def print_comparison(comparison: Comparison, out: TextIO) -> None:
    console = Console(file=out, width=None if out.isatty() else 120)
    if not comparison.events:
        console.print("No casualty claims found, so no events.")
        return
    for panel in event_panels(comparison):
        console.print(panel)
    if comparison.copies:
        console.print(f"{len(comparison.copies)} report(s) are copies of another and counted once.", style="dim")
