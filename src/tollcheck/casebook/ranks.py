"""Source reliability ranks, set by `tollcheck review rank`, and how they choose an event's best figure.

A rank is an integer, higher is more reliable; a source nobody ranked is 0, so a negative rank marks
a source the analyst distrusts. A source is a speaker as the reports name it ("the health ministry"),
or, for a report speaking in its own voice, its outlet; names are compared lowercased.

When any source of an event's figure for a category has a rank, `best` is the figure of the
highest-ranked source (its own figure, never a partial one), and among equally ranked sources the
latest report's (by publication date, then report id). `low` and `high` stay the lowest and highest
figures any source gives: ranking chooses the best estimate, it does not hide the others. The rule
written next to `best` says so.
"""

from __future__ import annotations

import os
import sqlite3

from tollcheck.model import Event, SourceFigure


def load_ranks(conn: sqlite3.Connection) -> dict[str, int]:
    try:
        return {row[0]: int(row[1]) for row in conn.execute("SELECT source_key, rank FROM source_ranks")}
    except sqlite3.OperationalError:  # a casebook not yet at version 2
        return {}


def rank_of(s: SourceFigure, ranks: dict[str, int]) -> int:
    found = [ranks[x.lower()] for x in s.speakers if x and x.lower() in ranks]
    if not found and not s.speakers and s.outlet and s.outlet.lower() in ranks:
        found = [ranks[s.outlet.lower()]]
    return max(found, default=0)


def _label(s: SourceFigure) -> str:
    who = ", ".join(s.speakers) or "the report itself"
    when = f", {s.published}" if s.published else ""
    return f"{s.outlet or os.path.basename(s.report)} ({who}{when})"


def apply_ranks(event: Event, ranks: dict[str, int]) -> None:
    """Re-choose each category's best by the sources' ranks (see the module's docstring)."""
    if not ranks:
        return
    for fig in event.totals.values():
        estimates = [s for s in fig.sources if s.best is not None and "partial" not in s.flags]
        if not any(rank_of(s, ranks) for s in estimates):
            continue
        top = max(rank_of(s, ranks) for s in estimates)
        chosen = max((s for s in estimates if rank_of(s, ranks) == top), key=lambda s: (s.published or "", s.report))
        fig.best = chosen.best
        fig.rule = (
            f"best = {chosen.best:,}: the figure of the highest-ranked source ({_label(chosen)}, rank {top}); "
            "among equally ranked sources, the latest report's"
        )
