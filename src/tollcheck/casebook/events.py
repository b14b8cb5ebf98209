"""Events in the casebook: derived data, regrouped place by place.

`refresh_events` regroups the places listed in `dirty_places` (those a batch of reports, a
re-extraction or a correction touched), with everything linked to them: near spellings of those
places, the other places of the events they were in, the places the analyst moved claims to, and the
claims an analyst's merge ties to them. The claims of those places (corrections applied) go through
`tollcheck.events.group_events`; the analyst's merges and splits are applied over the result, in the
order they were made; each event keeps the id of the stored event it shares most claims with, so ids
stay stable while events grow. `event_totals` is refilled for the regrouped events. One transaction.
"""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from collections import Counter
from collections.abc import Iterable

from rapidfuzz import fuzz, process

from tollcheck.casebook.claims import StoredClaim, corrected_lists, load_stored, report_names
from tollcheck.casebook.ranks import apply_ranks, load_ranks
from tollcheck.casebook.schema import now, rollback
from tollcheck.events import PlaceIndex, group_events, make_event, place_key
from tollcheck.events.places import MIN_FUZZY_LENGTH, MIN_SIMILARITY
from tollcheck.model import Claim, Event, Report, claim_id
from tollcheck.reconcile import reconcile


def _in(conn: sqlite3.Connection, sql: str, values: Iterable[object]) -> list[sqlite3.Row]:
    """`sql` with one `IN ({})` placeholder, run over chunks of values."""
    vals = list(values)
    out: list[sqlite3.Row] = []
    for i in range(0, len(vals), 800):
        chunk = vals[i : i + 800]
        out += conn.execute(sql.format(",".join("?" * len(chunk))), chunk).fetchall()
    return out


def edited_places(conn: sqlite3.Connection) -> dict[int, str]:
    """{claim id: place key} for claims whose place an analyst edited (the last edit wins)."""
    out: dict[int, str] = {}
    for row in conn.execute("SELECT claim_id, data FROM corrections WHERE action = 'edit' ORDER BY id"):
        data = json.loads(row["data"])
        if "place" in data:
            out[row["claim_id"]] = place_key(data["place"]) if data["place"] else ""
    return out


def event_corrections(conn: sqlite3.Connection) -> list[tuple[str, list[int]]]:
    rows = conn.execute("SELECT action, data FROM corrections WHERE action IN ('merge', 'split') ORDER BY id")
    return [(row["action"], list(json.loads(row["data"])["claims"])) for row in rows]


def copies_of(conn: sqlite3.Connection, names: dict[int, str] | None = None) -> dict[str, str]:
    """{copy's name: the first stored report with the same folded text} (names: `claims.report_names`)."""
    rows = conn.execute(
        "SELECT r.id, (SELECT o.id FROM reports o WHERE o.text_hash = r.text_hash ORDER BY o.id LIMIT 1) AS first "
        "FROM reports r WHERE r.text_hash IN (SELECT text_hash FROM reports GROUP BY text_hash HAVING count(*) > 1)"
    ).fetchall()
    pairs = [(row[0], row[1]) for row in rows if row[0] != row[1]]
    wanted = {i for pair in pairs for i in pair}
    if names is None or not wanted <= names.keys():
        names = {**(names or {}), **report_names(conn, wanted)}
    return {names[copy]: names[first] for copy, first in pairs}


def _near(keys: set[str], known: list[str]) -> set[str]:
    by_initial: dict[str, list[str]] = {}
    for k in known:
        if k:
            by_initial.setdefault(k[0], []).append(k)
    out: set[str] = set()
    for k in keys:
        if len(k) < MIN_FUZZY_LENGTH:
            continue
        for match, _, _ in process.extract(k, by_initial.get(k[0], []), scorer=fuzz.ratio, score_cutoff=MIN_SIMILARITY):
            out.add(match)
    return out


def _affected(conn: sqlite3.Connection, dirty: set[str], moved: dict[int, str]) -> set[int]:
    """The claim ids to regroup: those of the dirty places and everything linked to them."""
    known = [r[0] for r in conn.execute("SELECT DISTINCT place_key FROM claims")]
    merges = [ids for action, ids in event_corrections(conn) if action == "merge"]
    keys = set(dirty)
    keys |= _near(keys, known)
    claims: set[int] = set()
    while True:
        found = {r[0] for r in _in(conn, "SELECT id FROM claims WHERE place_key IN ({})", keys)}
        found |= {cid for cid, k in moved.items() if k in keys}
        events = {r[0] for r in _in(conn, "SELECT event_id FROM event_claims WHERE claim_id IN ({})", found)}
        found |= {r[0] for r in _in(conn, "SELECT claim_id FROM event_claims WHERE event_id IN ({})", events)}
        for ids in merges:
            if found & set(ids):
                found |= set(ids)
        more = {r[0] for r in _in(conn, "SELECT place_key FROM claims WHERE id IN ({})", found - claims)}
        more |= {moved[c] for c in found if c in moved}
        claims = found
        if more <= keys:
            return claims
        keys |= more | _near(more - keys, known)


def refresh_events(conn: sqlite3.Connection, fresh: Fresh | None = None) -> int:
    """Regroup the events of the dirty places; returns how many events were written. `fresh` may give the
    claims of reports the caller has just stored (all machine claims, current), to save reading them back.
    A read-only casebook is read as it is (its events as last grouped)."""
    if getattr(conn, "readonly", False):
        return 0
    conn.execute("BEGIN IMMEDIATE")
    try:
        dirty = {r[0] for r in conn.execute("SELECT place_key FROM dirty_places")}
        written = _regroup(conn, _affected(conn, dirty, edited_places(conn)), fresh) if dirty else 0
        conn.execute("DELETE FROM dirty_places")
        conn.execute("COMMIT")
        return written
    except BaseException:
        rollback(conn)
        raise


Fresh = dict[int, tuple[str, list[Claim], list[int]]]  # report id -> (doc, claims as extracted, their ids)


def _regroup(conn: sqlite3.Connection, affected: set[int], fresh: Fresh | None = None) -> int:
    report_ids = {r[0] for r in _in(conn, "SELECT DISTINCT report_id FROM claims WHERE id IN ({})", affected)}
    fresh = dict(fresh or {})
    if fresh:  # reports stored by this run, as extracted: no need to read them back unless corrected since
        for row in conn.execute("SELECT DISTINCT report_id FROM corrections WHERE report_id IS NOT NULL"):
            fresh.pop(row[0], None)
    stored = load_stored(conn, sorted(r for r in report_ids if r not in fresh))
    lists, where = corrected_lists(stored)
    for rid, (_, claims, ids) in fresh.items():
        if rid in report_ids:
            lists[rid] = claims
            where.update((cid, (rid, i)) for i, cid in enumerate(ids))
    docs = report_names(conn, [rid for rid in lists if rid in report_ids or rid in stored])
    meta = {r["id"]: r for r in _in(conn, "SELECT id, doc, published, outlet FROM reports WHERE id IN ({})", docs)}
    reports = [Report(id=docs[m["id"]], text="", published=m["published"], outlet=m["outlet"]) for m in meta.values()]
    by_doc = {docs[rid]: claims for rid, claims in lists.items() if rid in docs}
    row_of = {claim_id(docs[rid], i): cid for cid, (rid, i) in where.items()}
    masked = {  # claims outside the affected places are hidden from grouping, their indices kept
        docs[rid]: [c if _cid(row_of, docs[rid], i) in affected else dataclasses.replace(c, low=None, high=None)
                    for i, c in enumerate(claims)]
        for rid, claims in lists.items()
    }  # fmt: skip
    machine = group_events(reports, masked, PlaceIndex())
    clusters: list[tuple[Event | None, list[int]]] = [(e, [row_of[c] for c in e.claims]) for e in machine]
    clusters = _apply_event_corrections(conn, clusters, affected)
    rows_before = _in(conn, "SELECT claim_id, event_id FROM event_claims WHERE claim_id IN ({})", affected)
    old = {r[0]: r[1] for r in rows_before}
    _in(conn, "DELETE FROM event_claims WHERE claim_id IN ({})", affected)
    _in(conn, "DELETE FROM event_totals WHERE event_id IN ({})", set(old.values()))
    _in(conn, "DELETE FROM events WHERE id IN ({})", set(old.values()))
    ids = _stable_ids(conn, [cl for _, cl in clusters], old)
    copies = copies_of(conn, docs)
    by_id = {r.id: r for r in reports}
    ranks = load_ranks(conn)
    rows, members, totals = [], [], []
    at = now()
    for (event, cids), eid in zip(clusters, ids, strict=True):
        refs = [claim_id(docs[where[c][0]], where[c][1]) for c in cids]
        ev = event_of(eid, refs, by_doc, event)
        reconcile(ev, by_doc, by_id, copies)
        apply_ranks(ev, ranks)
        rows.append((eid, ev.name, ev.kind, json.dumps(ev.places), ev.date_start, ev.date_end, len(cids),
                     len(ev.reports), at))  # fmt: skip
        members += [(c, eid) for c in cids]
        totals += [(eid, cat, f.low, f.best, f.high, f.grade, f.rule, len(f.sources)) for cat, f in ev.totals.items()]
    conn.executemany("INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    conn.executemany("INSERT INTO event_claims VALUES (?, ?)", members)
    conn.executemany("INSERT INTO event_totals VALUES (?, ?, ?, ?, ?, ?, ?, ?)", totals)
    return len(rows)


def _cid(row_of: dict[str, int], doc: str, i: int) -> int:
    return row_of[claim_id(doc, i)]


def _apply_event_corrections(
    conn: sqlite3.Connection, clusters: list[tuple[Event | None, list[int]]], affected: set[int]
) -> list[tuple[Event | None, list[int]]]:
    for action, ids in event_corrections(conn):
        wanted = set(ids) & affected
        if not wanted:
            continue
        if action == "merge":
            hit = [cl for cl in clusters if wanted & set(cl[1])]
            if len(hit) < 2:
                continue
            keep = max(hit, key=lambda cl: len(cl[1]))
            merged = [c for cl in hit for c in cl[1]]
            clusters = [cl for cl in clusters if cl not in hit]
            clusters.append((keep[0], merged))
        else:  # split: the listed claims leave their events and form one of their own
            rest = [(e, [c for c in cids if c not in wanted]) for e, cids in clusters]
            moved = [c for _, cids in clusters for c in cids if c in wanted]
            if moved:
                clusters = [cl for cl in rest if cl[1]] + [(None, moved)]
    return clusters


def _stable_ids(conn: sqlite3.Connection, clusters: list[list[int]], old: dict[int, str]) -> list[str]:
    """Each cluster takes the old event id most of its claims had (largest clusters choose first)."""
    ids: list[str | None] = [None] * len(clusters)
    taken: set[str] = set()
    for n in sorted(range(len(clusters)), key=lambda n: -len(clusters[n])):
        votes = Counter(old[c] for c in clusters[n] if c in old)
        for eid, _ in sorted(votes.items(), key=lambda kv: (-kv[1], _num(kv[0]))):
            if eid not in taken:
                ids[n] = eid
                taken.add(eid)
                break
    row = conn.execute("SELECT value FROM meta WHERE key = 'next_event'").fetchone()
    nxt = int(row[0]) if row else 1
    out: list[str] = []
    for eid in ids:
        if eid is None:
            eid, nxt = f"e{nxt}", nxt + 1
        out.append(eid)
    conn.execute("INSERT OR REPLACE INTO meta VALUES ('next_event', ?)", (str(nxt),))
    return out


def _num(eid: str) -> int:
    return int(eid[1:]) if eid[1:].isdigit() else 0


def event_of(eid: str, refs: list[str], claims: dict[str, list[Claim]], machine: Event | None) -> Event:
    """An event over claim refs ("doc#cN"): the machine's event as it was when the grouping made it as it
    is, else (after a merge or split) described anew by `tollcheck.events.make_event`."""
    cs = [claims[d][int(i)] for d, _, i in (r.rpartition("#c") for r in refs)]
    if machine is not None and set(machine.claims) == set(refs):
        for c in cs:
            c.event = eid
        return Event(
            eid,
            machine.name,
            machine.kind,
            machine.places,
            machine.date_start,
            machine.date_end,
            list(refs),
            list(dict.fromkeys(r.rpartition("#c")[0] for r in refs)),
        )
    return make_event(eid, list(refs), cs, machine.kind if machine else "incident", machine.name if machine else None)


__all__ = ["StoredClaim", "copies_of", "event_of", "refresh_events"]
