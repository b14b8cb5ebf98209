"""Streaming row writers: JSON lines, CSV (claims only, one row per claim), and a Rich table."""

from __future__ import annotations

import csv
import json
from typing import Any, Protocol, TextIO

from rich.console import Console
from rich.table import Table

from tollcheck.render.rows import CLAIM_FIELDS
from tollcheck.render.safe import cell

QUOTE_EXCERPT = 90


class RowWriter(Protocol):
    def write(self, row: dict[str, Any]) -> None: ...
    def close(self) -> None: ...


class JsonlWriter:
    def __init__(self, out: TextIO) -> None:
        self.out = out

    def write(self, row: dict[str, Any]) -> None:
        self.out.write(json.dumps(row, ensure_ascii=False) + "\n")

    def close(self) -> None:
        self.out.flush()


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """A text cell a spreadsheet would read as a formula gets a leading single quote (OWASP's advice for
    CSV injection); numbers (`low`, `high`, offsets) are not text and stay as they are, "-3" included."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


class CsvWriter:
    """One row per claim; list fields are joined with ';'; text that could start a formula is quoted."""

    def __init__(self, out: TextIO) -> None:
        self.writer = csv.DictWriter(out, fieldnames=[f for f in CLAIM_FIELDS if f != "type"], extrasaction="ignore")
        self.writer.writeheader()
        self.out = out

    def write(self, row: dict[str, Any]) -> None:
        if row.get("type") != "claim":
            return
        flat = {k: neutralise(";".join(map(str, v)) if isinstance(v, list) else v) for k, v in row.items()}
        self.writer.writerow(flat)

    def close(self) -> None:
        self.out.flush()


def figure_text(low: int | None, high: int | None) -> str:
    if low is None and high is None:
        return "—"
    if high is None:
        return f"≥{low:,}"
    if low is None:
        return f"≤{high:,}"
    return f"{low:,}" if low == high else f"{low:,}–{high:,}"


PLAIN_WIDTH = 100_000  # off a terminal: no line is folded, each table as wide as its content


def table_console(out: TextIO) -> tuple[Console, bool]:
    """A console for `out` and whether tables should fill it: the terminal's width on a terminal; written
    to a file or a pipe, tables take the width of their content (not 80 columns with a word per line)."""
    if out.isatty():
        return Console(file=out, soft_wrap=False), True
    return Console(file=out, soft_wrap=False, width=PLAIN_WIDTH), False


class TableWriter:
    """A readable table: one row per claim, then each report's totals. Every cell is untrusted text,
    shown with its control characters made visible and never read as Rich markup."""

    def __init__(self, out: TextIO) -> None:
        self.console, self.expand = table_console(out)
        self.table = Table(title="Casualty claims", show_lines=False, expand=self.expand)
        for name, style in (
            ("report", "dim"),
            ("category", "bold"),
            ("figure", "cyan"),
            ("group", ""),
            ("speaker", "magenta"),
            ("place", "green"),
            ("quote", ""),
        ):
            self.table.add_column(name, style=style, overflow="fold")
        self.totals: list[dict[str, Any]] = []

    def write(self, row: dict[str, Any]) -> None:
        if row.get("type") == "report":
            self.totals.append(row)
            return
        if row.get("type") != "claim":
            return
        quote = str(row.get("quote") or "").replace("\n", " ")
        if len(quote) > QUOTE_EXCERPT:
            quote = quote[: QUOTE_EXCERPT - 1] + "…"
        figure = figure_text(row.get("low"), row.get("high"))
        flags = [
            f for f in row.get("flags") or [] if f in ("negated", "hypothetical", "subgroup", "hedged", "contested")
        ]
        if flags:
            figure += " (" + ", ".join(flags) + ")"
        self.table.add_row(
            *map(cell, (row.get("doc"), row.get("category"), figure, row.get("group"), row.get("source"))),
            cell(row.get("place")),
            cell(quote),
        )

    def close(self) -> None:
        self.console.print(self.table)
        totals = Table(title="Each report's own totals", expand=self.expand)
        for name in ("report", "category", "low", "best", "high", "by side"):
            totals.add_column(name, overflow="fold")
        for row in self.totals:
            for cat, fig in row["totals"].items():
                sides = ", ".join(f"{k} {v}" for k, v in (fig.get("by_side") or {}).items())
                totals.add_row(
                    cell(row["doc"]),
                    cell(cat),
                    *(("—" if fig.get(k) is None else f"{fig[k]:,}") for k in ("low", "best", "high")),
                    cell(sides),
                )
        self.console.print(totals)


WRITERS = {"jsonl": JsonlWriter, "csv": CsvWriter, "table": TableWriter}


def make_writer(fmt: str, out: TextIO) -> RowWriter:
    return WRITERS[fmt](out)
