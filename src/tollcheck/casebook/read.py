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


def count(conn: sqlite3.Connection, what: str) -> int:
    """How many reports or events the casebook holds."""
    table = {"reports": "reports", "events": "events"}[what]
    return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def event_lines(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    """`review list --events`: each stored event with its totals per category, refreshed first."""
    refresh_events(conn)
    totals: dict[str, dict[str, Any]] = {}
    for t in conn.execute("SELECT * FROM event_totals ORDER BY event_id, category"):
        totals.setdefault(t["event_id"], {})[t["category"]] = {k: t[k] for k in ("low", "best", "high", "grade")}
    return [
        {"id": e["id"], "name": e["name"], "kind": e["kind"], "date_start": e["date_start"],
         "claims": e["n_claims"], "reports": e["n_reports"], "totals": totals.get(e["id"], {})}
        for e in conn.execute("SELECT * FROM events ORDER BY CAST(substr(id, 2) AS INTEGER)")
    ]  # fmt: skip


def claim_lines(
    conn: sqlite3.Connection,
    event: str | None = None,
    category: str | None = None,
    status: list[str] | None = None,
    report: str | None = None,
) -> list[dict[str, Any]]:
    """`review list`: every stored claim with its status, review and event, filtered; a `status` filter
    names statuses or reviews that must all hold."""
    refresh_events(conn)
    member = {r[0]: r[1] for r in conn.execute("SELECT claim_id, event_id FROM event_claims")}
    lines = []
    for rows in load_stored(conn).values():
        for sc in rows:
            c = sc.claim
            line = {
                "id": sc.id, "report": sc.doc, "event": member.get(sc.id), "status": sc.status, "review": sc.review,
                "category": c.category, "low": c.low, "high": c.high, "group": c.group, "source": c.source,
                "place": c.place, "date": c.date, "quote": c.quote, "start": c.start, "end": c.end,
                "report_key": sc.report_key,
            }  # fmt: skip
            if event and line["event"] != event or category and c.category != category:
                continue
            if report and report not in (sc.doc, sc.report_key):
                continue
            if any(s not in (sc.status, sc.review) for s in status or []):
                continue
            lines.append(line)
    return lines
