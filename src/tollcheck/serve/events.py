"""The events list (filters, sort, pages) and one event with its reconciled figures, read from the casebook.

The list reads the stored grouping (`events`, `event_totals`) with one query for the page and one for
its count, so it stays quick at 100,000 events. One event is reconciled again from its claims with the
analyst's corrections applied (as `compare --db` does), for its sources, quotes, conflicts and warnings.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from tollcheck.casebook.claims import StoredClaim, corrected_lists, load_stored
from tollcheck.casebook.events import event_of
from tollcheck.casebook.ranks import apply_ranks, load_ranks
from tollcheck.model import CATEGORIES, Claim, Event, Report, claim_id
from tollcheck.reconcile import reconcile

PAGE = 50
COUNT_CAP = 10_000  # a filtered count stops here: "10,000+ events"
GRADES = ("single source", "corroborated", "contested")
NUMBER = "CAST(substr(e.id, 2) AS INTEGER)"  # e12 -> 12
SORTS = {
    "id": NUMBER,
    "name": "e.name COLLATE NOCASE",
    "date": "e.date_start",
    "reports": "e.n_reports",
    "claims": "e.n_claims",
    "killed": "k.best",
}
FILTERS = ("q", "place", "date_from", "date_to", "category", "grade", "contested", "reviewed", "kind")


@dataclass(slots=True)
class EventQuery:
    """What the events page was asked for (every field a query-string parameter)."""

    q: str = ""
    place: str = ""
    date_from: str = ""
    date_to: str = ""
    category: str = ""
    grade: str = ""
    contested: str = ""  # "", "yes", "no"
    reviewed: str = ""  # "", "yes", "no"
    kind: str = ""
    sort: str = "id"
    desc: bool = False
    page: int = 1

    @classmethod
    def of(cls, params: Any) -> EventQuery:
        q = cls(**{k: str(params.get(k, "")).strip()[:200] for k in FILTERS})
        q.sort = params.get("sort", "id") if params.get("sort") in SORTS else "id"
        q.desc = params.get("desc") == "1"
        try:
            q.page = max(1, min(int(params.get("page", 1)), 1_000_000))
        except ValueError:
            q.page = 1
        return q

    def params(self, **over: Any) -> dict[str, str]:
        """The query string of this view with some values changed (for sort and page links)."""
        out = {k: getattr(self, k) for k in FILTERS if getattr(self, k)}
        out |= {"sort": self.sort, "desc": "1" if self.desc else "", "page": str(self.page)}
        out |= {k: str(v) for k, v in over.items()}
        return {k: v for k, v in out.items() if v and not (k == "page" and v == "1")}


@dataclass(slots=True)
class EventPage:
    rows: list[dict[str, Any]]
    total: int
    query: EventQuery
    pages: int = 1
    categories: list[str] = field(default_factory=list)


def _like(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _where(q: EventQuery) -> tuple[str, list[Any]]:
    conds: list[str] = []
    args: list[Any] = []
    if q.q:
        conds.append("(e.id = ? OR e.name LIKE ? ESCAPE '\\' OR e.places LIKE ? ESCAPE '\\')")
        args += [q.q, _like(q.q), _like(q.q)]
    if q.place:
        conds.append("e.places LIKE ? ESCAPE '\\'")
        args.append(_like(json.dumps(q.place)[1:-1]))
    if q.date_from:
        conds.append("coalesce(e.date_end, e.date_start) >= ?")
        args.append(q.date_from)
    if q.date_to:
        conds.append("e.date_start <= ?")
        args.append(q.date_to + "\uffff")
    if q.kind:
        conds.append("e.kind = ?")
        args.append(q.kind)
    if q.category or q.grade:  # per event, from the primary key or the (grade, event_id) index
        sub = ["t.event_id = e.id"]
        for col, value in (("category", q.category), ("grade", q.grade)):
            if value:
                sub.append(f"t.{col} = ?")
                args.append(value)
        conds.append(f"EXISTS (SELECT 1 FROM event_totals t WHERE {' AND '.join(sub)})")
    if q.contested in ("yes", "no"):
        neg = "" if q.contested == "yes" else "NOT "
        conds.append(f"{neg}EXISTS (SELECT 1 FROM event_totals t WHERE t.grade = 'contested' AND t.event_id = e.id)")
    if q.reviewed in ("yes", "no"):  # IN (subquery): evaluated once, from the few corrections
        neg = "" if q.reviewed == "yes" else "NOT "
        conds.append(
            f"e.id {neg}IN (SELECT ec.event_id FROM corrections k JOIN event_claims ec ON ec.claim_id = k.claim_id)"
        )
    return " AND ".join(conds), args


def _order(q: EventQuery) -> str:
    way = "DESC" if q.desc else "ASC"  # the tie-break runs the same way: one index walk (schema migration 3)
    if q.sort == "killed":  # as _killed_page walks it: events with a killed figure, then those without
        return f"k.best {way} NULLS LAST, k.event_id {way}, {NUMBER} {way}"
    return f"{SORTS[q.sort]} {way}, {NUMBER} {way}" if q.sort != "id" else f"{NUMBER} {way}"


def _page(conn: sqlite3.Connection, q: EventQuery, cond: str, args: list[Any], n: int, offset: int) -> list[int]:
    """The rowids of one page of events, in order: an index walk (a sort's index, migration 3)."""
    if q.sort == "killed":
        return _killed_page(conn, q, cond, args, n, offset)
    where = f" WHERE {cond}" if cond else ""
    sql = f"SELECT e.rowid FROM events e{where} ORDER BY {_order(q)} LIMIT ? OFFSET ?"
    return [r[0] for r in conn.execute(sql, [*args, n, offset])]


def _killed_page(conn: sqlite3.Connection, q: EventQuery, cond: str, args: list[Any], n: int, offset: int) -> list[int]:
    """Events by their killed best (down the (category, best, event_id) index), then those with no killed figure."""
    way = "DESC" if q.desc else "ASC"
    also = f" AND {cond}" if cond else ""
    with_figure = f"FROM event_totals k JOIN events e ON e.id = k.event_id WHERE k.category = 'killed'{also}"
    sql = f"SELECT e.rowid {with_figure} ORDER BY k.best {way}, k.event_id {way} LIMIT ? OFFSET ?"
    out = [r[0] for r in conn.execute(sql, [*args, n, offset])]
    if len(out) == n:
        return out
    if cond:
        n_with = conn.execute(f"SELECT count(*) {with_figure}", args).fetchone()[0]
    else:
        n_with = conn.execute("SELECT count(*) FROM event_totals WHERE category = 'killed'").fetchone()[0]
    none = "NOT EXISTS (SELECT 1 FROM event_totals k WHERE k.event_id = e.id AND k.category = 'killed')"
    sql = f"SELECT e.rowid FROM events e WHERE {none}{also} ORDER BY {NUMBER} {way} LIMIT ? OFFSET ?"
    return out + [r[0] for r in conn.execute(sql, [*args, n - len(out), max(0, offset - n_with)])]


def list_events(conn: sqlite3.Connection, q: EventQuery, per_page: int = PAGE) -> EventPage:
    """One page of events. The page's rowids are found first (an index walk, `_page`), then its rows read
    whole; a filtered count stops at COUNT_CAP ("10,000+ found")."""
    cond, args = _where(q)
    if cond:
        capped = f"SELECT count(*) FROM (SELECT 1 FROM events e WHERE {cond} LIMIT {COUNT_CAP + 1})"
        total = conn.execute(capped, args).fetchone()[0]
    else:
        total = conn.execute("SELECT count(*) FROM events").fetchone()[0]
    pages = max(1, -(-total // per_page))
    q.page = min(q.page, pages)
    rowids = _page(conn, q, cond, args, per_page, (q.page - 1) * per_page)
    found = conn.execute(f"SELECT rowid, * FROM events WHERE rowid IN ({','.join('?' * len(rowids))})", rowids)
    by_rowid = {r[0]: r for r in found}
    rows = [by_rowid[i] for i in rowids if i in by_rowid]
    ids = [r["id"] for r in rows]
    totals: dict[str, dict[str, sqlite3.Row]] = {}
    if ids:
        marks = ",".join("?" * len(ids))
        for t in conn.execute(f"SELECT * FROM event_totals WHERE event_id IN ({marks})", ids):
            totals.setdefault(t["event_id"], {})[t["category"]] = t
    out = [{"e": r, "places": json.loads(r["places"]), "totals": totals.get(r["id"], {})} for r in rows]
    seen = {c for t in totals.values() for c in t}
    cats = [c for c in CATEGORIES if c in seen]
    return EventPage(out, total, q, pages, cats)


EXPORT_FIELDS = ("id", "name", "kind", "places", "date_start", "date_end", "n_reports", "n_claims")


def export_events(conn: sqlite3.Connection, q: EventQuery, limit: int = 100_000) -> Iterator[dict[str, Any]]:
    """Every event the list shows for these filters and this sort (not only one page), with its totals:
    what the events page's CSV and JSONL links give."""
    cond, args = _where(q)
    join = " LEFT JOIN event_totals k ON k.event_id = e.id AND k.category = 'killed'" if q.sort == "killed" else ""
    where = f" WHERE {cond}" if cond else ""
    with snapshot(conn):
        rows = conn.execute(f"SELECT e.* FROM events e{join}{where} ORDER BY {_order(q)} LIMIT ?", [*args, limit])
        for batch in iter(lambda: rows.fetchmany(500), []):
            ids = [r["id"] for r in batch]
            totals: dict[str, dict[str, Any]] = {}
            marks = ",".join("?" * len(ids))
            for t in conn.execute(f"SELECT * FROM event_totals WHERE event_id IN ({marks})", ids):
                totals.setdefault(t["event_id"], {})[t["category"]] = {
                    k: t[k] for k in ("low", "best", "high", "grade", "rule", "n_sources")
                }
            for r in batch:
                row = {k: r[k] for k in EXPORT_FIELDS}
                row["places"] = json.loads(row["places"])
                row["totals"] = totals.get(r["id"], {})
                yield row


@dataclass(slots=True)
class EventView:
    row: sqlite3.Row
    event: Event
    claims: dict[str, list[Claim]]  # by doc, corrections applied (counted claims only)
    stored: dict[str, StoredClaim]  # claim ref ("doc#c3") -> its stored claim (id, version, review)
    reports: dict[str, sqlite3.Row]  # by doc: id, title, outlet, published, url
    history: list[sqlite3.Row]


@contextmanager
def snapshot(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One read transaction: the page sees the casebook as it was at one moment while others write."""
    conn.execute("BEGIN")
    try:
        yield conn
    finally:
        conn.execute("COMMIT")


def event_view(conn: sqlite3.Connection, eid: str) -> EventView | None:
    """One event reconciled from its claims as they stand now, in one read snapshot."""
    with snapshot(conn):
        row = conn.execute("SELECT * FROM events WHERE id = ?", (eid,)).fetchone()
        if row is None:
            return None
        members = [r[0] for r in conn.execute("SELECT claim_id FROM event_claims WHERE event_id = ?", (eid,))]
        marks = ",".join("?" * len(members))
        rids = [r[0] for r in conn.execute(f"SELECT DISTINCT report_id FROM claims WHERE id IN ({marks})", members)]
        stored = load_stored(conn, rids)
        meta = {
            r["doc"]: r
            for r in conn.execute(
                f"SELECT id, doc, title, outlet, published, url FROM reports WHERE id IN ({','.join('?' * len(rids))})",
                rids,
            )
        }
        copies = copies_among(conn, rids)
        ranks = load_ranks(conn)
        history = event_history(conn, eid, members, rids)
    lists, where = corrected_lists(stored)
    docs = {rid: rows[0].doc for rid, rows in stored.items() if rows}
    claims = {docs[rid]: cs for rid, cs in lists.items()}
    by_row = {sc.id: sc for rows in stored.values() for sc in rows}
    cids = sorted((c for c in members if c in where), key=lambda c: where[c])
    refs = [claim_id(docs[where[c][0]], where[c][1]) for c in cids]
    ev = event_of(eid, refs, claims, None)
    ev.name, ev.kind, ev.places = row["name"], row["kind"], json.loads(row["places"])
    ev.date_start, ev.date_end = row["date_start"], row["date_end"]
    reports = {d: Report(id=d, text="", published=m["published"], outlet=m["outlet"]) for d, m in meta.items()}
    reconcile(ev, claims, reports, copies)
    apply_ranks(ev, ranks)
    ref_rows = {ref: by_row[c] for ref, c in zip(refs, cids, strict=True)}
    return EventView(row, ev, claims, ref_rows, meta, history)


def copies_among(conn: sqlite3.Connection, rids: list[int]) -> dict[str, str]:
    """`copies_of` for the copies of these reports only: {copy's doc: the first stored report with its text}."""
    first: dict[str, str] = {}
    out: dict[str, str] = {}
    rows = conn.execute(
        "SELECT doc, text_hash FROM reports WHERE text_hash IN "
        f"(SELECT text_hash FROM reports WHERE id IN ({','.join('?' * len(rids))})) ORDER BY id",
        rids,
    )
    for doc, h in rows:
        if h in first:
            out[doc] = first[h]
        else:
            first[h] = doc
    return out


def event_history(conn: sqlite3.Connection, eid: str, members: list[int], rids: list[int]) -> list[sqlite3.Row]:
    """Corrections to the event's claims and to its reports' claims that are in no event now (rejected ones),
    and the merges and splits that name the event or its claims; oldest first."""
    marks = ",".join("?" * len(rids))
    loose = conn.execute(
        f"SELECT id FROM claims c WHERE report_id IN ({marks}) AND NOT EXISTS "
        "(SELECT 1 FROM event_claims x WHERE x.claim_id = c.id)",
        rids,
    )
    ids = members + [r[0] for r in loose]
    rows = conn.execute(f"SELECT * FROM corrections WHERE claim_id IN ({','.join('?' * len(ids))})", ids).fetchall()
    mine = set(members)
    for row in conn.execute("SELECT * FROM corrections WHERE action IN ('merge', 'split')"):
        data = json.loads(row["data"])
        if mine & set(data.get("claims", [])) or data.get("event") == eid or eid in data.get("events", []):
            rows.append(row)
    return sorted(rows, key=lambda r: r["id"])


def quote_parts(claim: Claim) -> tuple[str, str, str]:
    """The claim's quote split around its figure (before, figure, after); the whole quote first when the
    figure's span is not inside the quote (an added claim's quote is its span)."""
    quote = claim.quote or ""
    s, e = claim.start - claim.sentence_start, claim.end - claim.sentence_start
    if 0 <= s <= e <= len(quote) and (s, e) != (0, len(quote)):
        return quote[:s], quote[s:e], quote[e:]
    return "", quote, ""
