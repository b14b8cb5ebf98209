"""Storing reports and their machine claims: `add` and `reextract`.

Each batch of reports is one transaction (BEGIN IMMEDIATE ... COMMIT, rows written with executemany):
a process killed in the middle leaves whole reports only, every one with all its claims
(`reports.n_claims`). A report already stored with the same content hash is skipped before it is even
extracted; one stored under the same id with other content is revised in place, its claims re-matched
as `reextract` does. Events are derived: each batch records the places it touched in `dirty_places`,
and the places are regrouped once at the end of the run (or by the next run, if this one was killed).

Re-matching a report's new machine claims to its stored ones keeps claim ids, and so the analyst's
corrections, through re-extraction: first by (character span, category), then by the quote (same
category, rapidfuzz ratio >= MATCH_QUOTE, nearest span first) when the spans moved. New claims are
stored with the run that found them (status `new` until reviewed); stored claims no longer found
become `gone`, never deleted.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TextIO

from tollcheck import __version__
from tollcheck.api import ReportResult, extract_reports
from tollcheck.casebook.claims import CLAIM_COLUMNS, claim_of, claim_values, report_of
from tollcheck.casebook.keys import RunKeys
from tollcheck.casebook.rematch import match
from tollcheck.casebook.schema import now, rollback
from tollcheck.casebook.stream import batches, counted
from tollcheck.events import place_key
from tollcheck.events.copies import text_hash
from tollcheck.ingest import ReadOptions
from tollcheck.model import KEY_FIELD, Claim, IngestError, Report, report_key

BATCH = 100  # reports per transaction: short enough that another process never waits long for the lock
FRESH_CLAIMS = 100_000  # claims a run keeps in memory (about 100 MB at most) to group them without reading back
ExtractFn = Callable[[Iterable[Report | IngestError]], Iterator[ReportResult | IngestError]]
MACHINE_SET = ", ".join(f"{c} = ?" for c in CLAIM_COLUMNS)
INSERT_CLAIM = (
    "INSERT INTO claims (id, report_id, origin, state, idx, "
    + ", ".join(CLAIM_COLUMNS)
    + ", place_key, flags, subgroup_of, statement, first_run, last_run) VALUES ("
    + ", ".join("?" * (len(CLAIM_COLUMNS) + 11))
    + ")"
)
INSERT_REPORT = (
    "INSERT INTO reports (id, doc, key, content_hash, text_hash, text, title, outlet, author, published, url, "
    "origin, metadata, added_at, first_run, last_run, n_claims) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
    "?, ?)"
)


@dataclass(slots=True)
class RunStats:
    run: int = 0
    added: int = 0
    unchanged: int = 0
    revised: int = 0
    failed: int = 0
    claims: int = 0
    new: int = 0
    gone: int = 0
    detached: int = 0  # claims with corrections that no fresh claim is surely (see `rematch`)
    errors: list[str] = field(default_factory=list)
    fresh: dict[int, tuple[str, list[Claim], list[int]]] = field(default_factory=dict, repr=False)


def content_hash(report: Report) -> str:
    """The report as read (text and metadata): the same report added twice has the same hash."""
    fields = [report.text, report.title, report.outlet, report.author, report.published, report.url]
    meta = {k: v for k, v in report.metadata.items() if k not in ("published_from", "updated")}
    return hashlib.sha256(json.dumps([fields, meta], sort_keys=True, default=str).encode("utf-8")).hexdigest()


def start_run(conn: sqlite3.Connection, kind: str, by: str | None) -> int:
    cur = conn.execute(
        "INSERT INTO runs (kind, started_at, version, by) VALUES (?, ?, ?, ?)", (kind, now(), __version__, by)
    )
    return int(cur.lastrowid or 0)


def finish_run(conn: sqlite3.Connection, run: int, reports: int) -> None:
    conn.execute("UPDATE runs SET finished_at = ?, reports = ? WHERE id = ?", (now(), reports, run))


def _next_id(conn: sqlite3.Connection, table: str) -> int:
    return int(conn.execute(f"SELECT coalesce(max(id), 0) + 1 FROM {table}").fetchone()[0])


def _claim_row(cid: int, report_id: int, i: int, c: Claim, ids: Sequence[int], run: int) -> tuple[object, ...]:
    parent = ids[c.subgroup_of] if c.subgroup_of is not None and 0 <= c.subgroup_of < len(ids) else None
    key = place_key(c.place) if c.place else ""
    flags = json.dumps(c.flags) if c.flags else "[]"
    return (cid, report_id, "machine", "current", i, *claim_values(c), key, flags, parent, c.statement, run, run)


def add(
    conn: sqlite3.Connection,
    paths: Sequence[str],
    by: str | None = None,
    stdin: TextIO | None = None,
    on_error: Callable[[IngestError], None] | None = None,
    batch: int = BATCH,
    options: ReadOptions | None = None,
    on_warning: Callable[[str], None] | None = None,
    progress: Callable[[object], None] | None = None,
) -> RunStats:
    """`tollcheck add`: read the paths as `extract` does and store what is not stored yet.

    A report is known by its source-scoped key (`report_key`, see `RunKeys`): every spelling of one file
    is one report, stored once; two files whose reports share an id are two reports. `progress` is
    called with each extracted report (or error) as it passes."""
    from tollcheck.ingest import read_reports

    stats = RunStats()
    hashes: dict[str, str] = {}
    seen = RunKeys()

    def unseen() -> Iterator[Report | IngestError]:
        for item in read_reports(paths, stdin=stdin, options=options):
            if isinstance(item, Report):
                h = content_hash(item)
                key, scoped = (None, False) if seen.read_before(item) else seen.key(item, h)
                if key is None:
                    stats.unchanged += 1
                    continue
                if scoped:
                    item.origin[KEY_FIELD] = key
                    if on_warning:
                        on_warning(f"{item.origin.get('file')}: id {item.id!r} is given to more than one report; "
                                   f"this one is stored apart as {key}")  # fmt: skip
                row = conn.execute("SELECT content_hash FROM reports WHERE key = ?", (key,)).fetchone()
                if row is not None and row[0] == h:
                    stats.unchanged += 1
                    continue
                hashes[key] = h
            yield item

    results = extract_reports(unseen())
    if progress is not None or on_warning is not None:
        results = counted(results, progress, on_warning)
    return add_results(conn, results, by=by, on_error=on_error, batch=batch, hashes=hashes, stats=stats)


def add_results(
    conn: sqlite3.Connection,
    results: Iterable[ReportResult | IngestError],
    by: str | None = None,
    on_error: Callable[[IngestError], None] | None = None,
    batch: int = BATCH,
    hashes: dict[str, str] | None = None,
    stats: RunStats | None = None,
) -> RunStats:
    """Store extracted reports, `batch` reports per transaction, then regroup the events they touch."""
    from tollcheck.api import kept_out_of_gc
    from tollcheck.casebook.events import refresh_events

    stats = stats or RunStats()
    stats.run = start_run(conn, "add", by)
    with kept_out_of_gc() as keep:  # the claims of the touched places are kept for regrouping
        for chunk in batches(results, batch, stats, on_error):
            _store_batch(conn, chunk, stats, hashes or {})
            for _ in chunk:
                keep()
        finish_run(conn, stats.run, stats.added + stats.revised)
        refresh_events(conn, stats.fresh)
    stats.fresh = {}
    return stats


def _origin(r: Report) -> str:
    return json.dumps({k: v for k, v in r.origin.items() if k != KEY_FIELD}, default=str)


def _store_batch(conn: sqlite3.Connection, items: list[ReportResult], stats: RunStats, hashes: dict[str, str]) -> None:
    run, at = stats.run, now()
    conn.execute("BEGIN IMMEDIATE")
    try:
        keys = list(dict.fromkeys(report_key(item.report) for item in items))
        existing = {
            row[0]: (row[1], row[2], row[3], row[4])
            for row in conn.execute(
                f"SELECT key, id, content_hash, text, last_run FROM reports WHERE key IN ({','.join('?' * len(keys))})",
                keys,
            )
        }
        next_report, next_claim = _next_id(conn, "reports"), _next_id(conn, "claims")
        reports: list[tuple[object, ...]] = []
        claims: list[tuple[object, ...]] = []
        dirty: set[str] = set()
        for item in items:
            r = item.report
            key = report_key(r)
            h = hashes.get(key) or content_hash(r)
            if key in existing and existing[key][3] == run and existing[key][1] != h:
                key = _apart(conn, key, h, existing)  # another report met under this key in this run
            if key in existing:
                rid, old, old_text, _ = existing[key]
                if old == h:
                    stats.unchanged += 1
                    existing[key] = (rid, h, old_text, run)  # met in this run: another report under it is apart
                    continue
                _update_report(conn, rid, r, h, run, len(item.claims))
                existing[key] = (rid, h, r.text, run)
                new, gone, detached, touched = rematch(conn, rid, item.claims, run, old_text, r.text)
                stats.revised += 1
                stats.new, stats.gone, stats.detached = stats.new + new, stats.gone + gone, stats.detached + detached
                dirty |= touched
                continue
            rid, next_report = next_report, next_report + 1
            existing[key] = (rid, h, r.text, run)
            reports.append(
                (rid, r.id, key, h, text_hash(r.text), r.text, r.title, r.outlet, r.author, r.published, r.url,
                 _origin(r), json.dumps(r.metadata, default=str), at, run, run, len(item.claims))
            )  # fmt: skip
            ids = range(next_claim, next_claim + len(item.claims))
            next_claim += len(item.claims)
            for i, c in enumerate(item.claims):
                claims.append(_claim_row(ids[i], rid, i, c, ids, run))
                dirty.add(place_key(c.place) if c.place else "")
            stats.added += 1
            stats.claims += len(item.claims)
            if stats.claims <= FRESH_CLAIMS:
                stats.fresh[rid] = (r.id, item.claims, list(ids))
        conn.executemany(INSERT_REPORT, reports)
        conn.executemany(INSERT_CLAIM, claims)
        conn.executemany("INSERT OR IGNORE INTO dirty_places VALUES (?)", [(k,) for k in dirty])
        conn.execute("COMMIT")
    except BaseException:
        rollback(conn)
        raise


def _apart(conn: sqlite3.Connection, key: str, h: str, existing: dict[str, tuple[int, str, str, int]]) -> str:
    """The key a report met under another report's key in one run is stored apart under (`KEY~N`): the
    first such key holding this very report, else the first free one. Never the other report's."""
    n = 2
    while True:
        candidate = f"{key}~{n}"
        if candidate not in existing:
            row = conn.execute(
                "SELECT id, content_hash, text, last_run FROM reports WHERE key = ?", (candidate,)
            ).fetchone()
            if row is None:
                return candidate
            existing[candidate] = (row[0], row[1], row[2], row[3])
        if existing[candidate][1] == h:
            return candidate
        n += 1


def _update_report(conn: sqlite3.Connection, rid: int, r: Report, h: str, run: int, n_claims: int) -> None:
    conn.execute(
        "UPDATE reports SET content_hash = ?, text_hash = ?, text = ?, title = ?, outlet = ?, author = ?, "
        "published = ?, url = ?, origin = ?, metadata = ?, last_run = ?, n_claims = ? WHERE id = ?",
        (h, text_hash(r.text), r.text, r.title, r.outlet, r.author, r.published, r.url,
         _origin(r), json.dumps(r.metadata, default=str), run, n_claims, rid),
    )  # fmt: skip


def rematch(
    conn: sqlite3.Connection, report_id: int, claims: list[Claim], run: int, old_text: str, new_text: str
) -> tuple[int, int, int, set[str]]:
    """Store a fresh extraction of a stored report over its machine claims, keeping matched claims' ids
    (`rematch.match`: by the claims' own words and context, one to one). A stored claim left unmatched
    becomes `gone`; one with corrections becomes `detached` (it no longer counts, and its corrections are
    listed for review) when the report was revised and its sentence is no longer in it, or when two fresh
    claims fit it equally. Returns (new claims, gone claims, detached claims, place keys touched). Runs inside
    the caller's transaction."""
    old = conn.execute(
        "SELECT * FROM claims WHERE report_id = ? AND origin = 'machine' ORDER BY state != 'current', idx, id",
        (report_id,),
    ).fetchall()
    stale = {j for j, o in enumerate(old) if o["state"] != "current"}
    found, ambiguous = match([claim_of(o, "") for o in old], claims, old_text, new_text, stale)
    matched = {i: old[j]["id"] for i, j in found.items()}
    next_claim = _next_id(conn, "claims")
    ids: list[int] = []
    for i in range(len(claims)):
        if i in matched:
            ids.append(matched[i])
        else:
            ids.append(next_claim)
            next_claim += 1
    keys = {o["place_key"] for o in old}
    inserts, updates = [], []
    for i, c in enumerate(claims):
        row = _claim_row(ids[i], report_id, i, c, ids, run)
        keys.add(row[5 + len(CLAIM_COLUMNS)])  # type: ignore[arg-type]
        if i in matched:  # idx, the machine's values, place_key, flags, subgroup_of, statement, last_run
            updates.append((i, *row[5 : 5 + len(CLAIM_COLUMNS)], *row[5 + len(CLAIM_COLUMNS) : -2], run, ids[i]))
        else:
            inserts.append(row)
    conn.executemany(
        f"UPDATE claims SET state = 'current', idx = ?, {MACHINE_SET}, place_key = ?, flags = ?, subgroup_of = ?, "
        "statement = ?, last_run = ? WHERE id = ?",
        updates,
    )
    conn.executemany(INSERT_CLAIM, inserts)
    used = set(matched.values())
    left = [(j, o) for j, o in enumerate(old) if o["id"] not in used]
    corrected = {
        r[0] for r in conn.execute(
            f"SELECT DISTINCT claim_id FROM corrections WHERE claim_id IN ({','.join('?' * len(left))})",
            [o["id"] for _, o in left],
        )
    } if left else set()  # fmt: skip
    states = []
    for j, o in left:
        vanished = old_text != new_text and o["quote"] not in new_text
        if o["id"] in corrected and (j in ambiguous or vanished):
            states.append(("detached", o["id"]))
        elif o["state"] == "current":
            states.append(("gone", o["id"]))
    conn.executemany("UPDATE claims SET state = ? WHERE id = ?", states)
    conn.executemany("INSERT OR IGNORE INTO dirty_places VALUES (?)", [(k,) for k in keys])
    detached = sum(1 for state, _ in states if state == "detached")
    return len(inserts), len(states) - detached, detached, keys


def reextract(
    conn: sqlite3.Connection,
    by: str | None = None,
    extract_fn: ExtractFn = extract_reports,
    on_error: Callable[[IngestError], None] | None = None,
    batch: int = BATCH,
    progress: Callable[[object], None] | None = None,
) -> RunStats:
    """`tollcheck reextract`: run the current extractor over every stored report and re-match its claims.
    `progress` is called with each extracted report (or error) as it passes."""
    from tollcheck.casebook.events import refresh_events

    stats = RunStats()
    stats.run = start_run(conn, "reextract", by)

    def stored() -> Iterator[Report]:
        last = 0
        while True:
            rows = conn.execute("SELECT * FROM reports WHERE id > ? ORDER BY id LIMIT 500", (last,)).fetchall()
            if not rows:
                return
            for row in rows:
                yield report_of(row)
            last = rows[-1]["id"]

    results = extract_fn(stored())
    if progress is not None:
        results = counted(results, progress)
    for chunk in batches(results, batch, stats, on_error):
        _reextract_batch(conn, chunk, stats)
    finish_run(conn, stats.run, stats.revised)
    refresh_events(conn)
    return stats


def _reextract_batch(conn: sqlite3.Connection, items: list[ReportResult], stats: RunStats) -> None:
    conn.execute("BEGIN IMMEDIATE")
    try:
        for item in items:
            key = report_key(item.report)
            row = conn.execute("SELECT id, text FROM reports WHERE key = ?", (key,)).fetchone()
            if row is None:
                continue
            conn.execute(
                "UPDATE reports SET last_run = ?, n_claims = ? WHERE id = ?", (stats.run, len(item.claims), row[0])
            )
            new, gone, detached, _ = rematch(conn, row[0], item.claims, stats.run, row[1], row[1])
            stats.revised += 1
            stats.claims += len(item.claims)
            stats.new, stats.gone, stats.detached = stats.new + new, stats.gone + gone, stats.detached + detached
        conn.execute("COMMIT")
    except BaseException:
        rollback(conn)
        raise
