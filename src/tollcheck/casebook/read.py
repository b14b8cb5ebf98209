"""Reading the casebook back as a `Comparison`: what `compare --db` and `export` print.

Reports come in the order they were added; each report's claims are the machine's with the analyst's
corrections applied (`claims.corrected_lists`), and its totals are tallied from them as `extract`
tallies; events are the stored grouping, reconciled from those claims (with source ranks), so a
correction shows in every figure at once. Nothing is re-read from the inputs.
"""

from __future__ import annotations

import dataclasses
import json
import os
import sqlite3
from collections.abc import Iterator
from typing import Any

from tollcheck.casebook.claims import corrected_lists, load_stored, report_names, report_of
from tollcheck.casebook.events import copies_of, event_of, refresh_events
from tollcheck.casebook.ranks import apply_ranks, load_ranks
from tollcheck.casebook.schema import open_casebook
from tollcheck.model import Claim, Comparison, Event, Report, ReportTotals, claim_id
from tollcheck.reconcile import reconcile
from tollcheck.tally import tally


def comparison_from_conn(conn: sqlite3.Connection) -> Comparison:
    if conn.execute("SELECT 1 FROM dirty_places LIMIT 1").fetchone() and not getattr(conn, "readonly", False):
        refresh_events(conn)  # a run was killed before it regrouped: finish its work first
    conn.execute("BEGIN")  # one snapshot for the whole read, while other processes add
    try:
        ids = report_names(conn)  # the doc, scoped by its file where two sources share it
        rows = conn.execute("SELECT * FROM reports ORDER BY id").fetchall()
        docs = {row["id"]: row["doc"] for row in rows}
        reports = [dataclasses.replace(report_of(row), id=ids[row["id"]]) for row in rows]
        lists, where = corrected_lists(load_stored(conn))
        claims: dict[str, list[Claim]] = {r.id: [] for r in reports}
        for rid, cs in lists.items():
            claims[ids[rid]] = cs
        totals: dict[str, ReportTotals] = {
            ids[row["id"]]: tally(docs[row["id"]], claims[ids[row["id"]]], row["published"]) for row in rows
        }  # the report line's doc stays as given
        copies = copies_of(conn, ids)
        members: dict[str, list[int]] = {}
        for row in conn.execute("SELECT event_id, claim_id FROM event_claims"):
            members.setdefault(row[0], []).append(row[1])
        stored = conn.execute("SELECT * FROM events").fetchall()
        ranks = load_ranks(conn)
    finally:
        conn.execute("COMMIT")
    by_id = {r.id: r for r in reports}
    order = {r.id: n for n, r in enumerate(reports)}
    events: list[tuple[tuple[int, int], Event]] = []
    for row in stored:
        cids = sorted((c for c in members.get(row["id"], []) if c in where), key=lambda c: where[c])
        if not cids:
            continue
        refs = [claim_id(ids[where[c][0]], where[c][1]) for c in cids]
        refs.sort(key=lambda ref: (order[ref.rpartition("#c")[0]], int(ref.rpartition("#c")[2])))
        ev = event_of(row["id"], refs, claims, None)
        ev.name, ev.kind, ev.places = row["name"], row["kind"], json.loads(row["places"])
        ev.date_start, ev.date_end = row["date_start"], row["date_end"]
        reconcile(ev, claims, by_id, copies)
        apply_ranks(ev, ranks)
        first = refs[0].rpartition("#c")
        events.append(((order[first[0]], int(first[2])), ev))
    events.sort(key=lambda pair: pair[0])
    return Comparison(reports, claims, totals, [e for _, e in events], copies)


def comparison_from_db(path: str | os.PathLike[str]) -> Comparison:
    """`compare --db FILE`: the casebook's reports, corrected claims, totals, copies and events."""
    if not os.path.exists(path):
        raise FileNotFoundError(f"{path}: no such casebook")
    conn = open_casebook(path, write=False)
    try:
        return comparison_from_conn(conn)
    finally:
        conn.close()


def export_rows(comparison: Comparison) -> Iterator[dict[str, Any]]:
    """The claim and report lines `extract --format jsonl` prints for the same reports (same fields)."""
    from tollcheck.render import claim_row, report_row

    for report in comparison.reports:
        for i, claim in enumerate(comparison.claims[report.id]):
            row = claim_row(claim, i)
            row.pop("event", None)
            yield row
        yield report_row(comparison.totals[report.id])


def reports_of(conn: sqlite3.Connection) -> list[Report]:
    return [report_of(row) for row in conn.execute("SELECT * FROM reports ORDER BY id")]
