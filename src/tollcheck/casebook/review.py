"""The analyst's corrections: each one a row of `corrections` (who, when, why, what), written in one
transaction, applied over the machine's claims when the casebook is read and never written into them.

A correction to a claim records the claim's id and its key at that moment (report, character span,
category, quote); re-extraction carries the claim id over (see `store.rematch`), so the correction
stays in force. Each correction marks the places it touches dirty in the same transaction; their
events are regrouped right after (and by the next command, should that be interrupted).
"""

from __future__ import annotations

import getpass
import json
import os
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from tollcheck.casebook.claims import EDITABLE, StoredClaim, load_stored, report_names
from tollcheck.casebook.events import refresh_events
from tollcheck.casebook.schema import now, rollback
from tollcheck.events import place_key
from tollcheck.model import CATEGORIES, QUALIFIERS


class ReviewError(ValueError):
    """A correction that cannot be made (unknown claim, bad value): nothing is written."""


def default_by() -> str:
    return os.environ.get("USER") or os.environ.get("USERNAME") or getpass.getuser() or "unknown"


def stored_claim(conn: sqlite3.Connection, cid: int) -> StoredClaim:
    row = conn.execute("SELECT report_id FROM claims WHERE id = ?", (cid,)).fetchone()
    if row is None:
        raise ReviewError(f"no claim {cid} in the casebook")
    return next(sc for sc in load_stored(conn, [row[0]])[row[0]] if sc.id == cid)


def _key(c: StoredClaim | None) -> tuple[Any, ...]:
    if c is None:
        return (None, None, None, None, None)
    return (c.report_id, c.claim.start, c.claim.end, c.claim.category, c.claim.quote)


def _record(
    conn: sqlite3.Connection,
    action: str,
    by: str | None,
    why: str | None,
    sc: StoredClaim | None = None,
    data: dict[str, Any] | None = None,
    before: dict[str, Any] | None = None,
    dirty: Sequence[str] = (),
    claim: int | None = None,
    key: tuple[Any, ...] | None = None,
) -> int:
    cur = conn.execute(
        "INSERT INTO corrections (at, by, why, action, claim_id, report_id, span_start, span_end, category, quote, "
        "data, before) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (now(), by or default_by(), why, action, claim if claim is not None else (sc.id if sc else None),
         *(key or _key(sc)), json.dumps(data or {}), json.dumps(before or {})),
    )  # fmt: skip
    conn.executemany("INSERT OR IGNORE INTO dirty_places VALUES (?)", [(k,) for k in set(dirty)])
    return int(cur.lastrowid or 0)


class VersionConflict(ReviewError):
    """The claim was corrected since the version a reviewer saw: nothing is written."""

    def __init__(self, sc: StoredClaim, expected: int) -> None:
        super().__init__(f"claim {sc.id} was changed since version {expected} (now {version_of(sc)}): nothing saved")
        self.claim, self.expected = sc, expected


def version_of(sc: StoredClaim) -> int:
    """A claim's version: the id of its last correction (0 before any). A correction may name the version it
    was made on; another reviewer's correction since changes it, and the correction is refused."""
    return max(sc.corrections, default=0)


def _current(conn: sqlite3.Connection, cid: int, expected: int | None) -> StoredClaim:
    """The stored claim, checked against the version the reviewer saw, inside the correction's transaction
    (so two processes cannot both pass the check)."""
    sc = stored_claim(conn, cid)
    if expected is not None and version_of(sc) != expected:
        raise VersionConflict(sc, expected)
    return sc


def _keys(sc: StoredClaim) -> list[str]:
    return [place_key(p) if p else "" for p in (sc.machine.place, sc.claim.place)]


def _correct(conn: sqlite3.Connection, fn: Any, *args: Any) -> int:
    """Run one correction in its own transaction, then regroup what it touched."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        out = fn(conn, *args)
        conn.execute("COMMIT")
    except BaseException:
        rollback(conn)
        raise
    refresh_events(conn)
    return int(out)


def accept(
    conn: sqlite3.Connection, cid: int, by: str | None = None, why: str | None = None, expected: int | None = None
) -> int:
    def run(conn: sqlite3.Connection) -> int:
        sc = _current(conn, cid, expected)
        return _record(conn, "accept", by, why, sc, before={"review": sc.review}, dirty=_keys(sc))

    return _correct(conn, run)


def reject(
    conn: sqlite3.Connection, cid: int, by: str | None = None, why: str | None = None, expected: int | None = None
) -> int:
    def run(conn: sqlite3.Connection) -> int:
        sc = _current(conn, cid, expected)
        return _record(conn, "reject", by, why, sc, before={"review": sc.review}, dirty=_keys(sc))

    return _correct(conn, run)


def check_values(changes: dict[str, Any]) -> None:
    if "category" in changes and changes["category"] not in CATEGORIES:
        raise ReviewError(f"unknown category {changes['category']!r} (one of {', '.join(CATEGORIES)})")
    if "qualifier" in changes and changes["qualifier"] not in QUALIFIERS:
        raise ReviewError(f"unknown qualifier {changes['qualifier']!r} (one of {', '.join(QUALIFIERS)})")
    for k in ("low", "high", "value"):
        if changes.get(k) is not None and int(changes[k]) < 0:
            raise ReviewError(f"{k} cannot be negative")


def edit(
    conn: sqlite3.Connection,
    cid: int,
    changes: dict[str, Any],
    by: str | None = None,
    why: str | None = None,
    expected: int | None = None,
) -> int:
    """Change a claim's figure (low, high), category, group, source or place."""
    unknown = set(changes) - set(EDITABLE)
    if unknown or not changes:
        raise ReviewError(f"cannot edit {unknown}" if unknown else "give one of " + ", ".join(EDITABLE))
    check_values(changes)

    def run(conn: sqlite3.Connection) -> int:
        sc = _current(conn, cid, expected)
        if "low" in changes and "high" not in changes:  # one figure: exactly that many
            changes["high"] = changes["low"]
        low, high = changes.get("low", sc.claim.low), changes.get("high", sc.claim.high)
        if low is not None and high is not None and low > high:
            raise ReviewError(f"low {low} is above high {high}")
        before = {k: getattr(sc.claim, k) for k in changes}
        dirty = _keys(sc) + ([place_key(changes["place"])] if changes.get("place") else [""])
        return _record(conn, "edit", by, why, sc, data=changes, before=before, dirty=dirty)

    return _correct(conn, run)


@dataclass(slots=True)
class NewClaim:
    doc: str
    category: str
    low: int | None
    high: int | None
    quote: str
    group: str = "people"
    source: str | None = None
    place: str | None = None
    date: str | None = None


def add_claim(conn: sqlite3.Connection, new: NewClaim, by: str | None = None, why: str | None = None) -> int:
    """A claim the extractor missed, with its report and its quote (which must be in the report's text)."""
    check_values({"category": new.category, "low": new.low, "high": new.high})
    if new.low is not None and new.high is not None and new.low > new.high:
        raise ReviewError(f"low {new.low} is above high {new.high}")

    def run(conn: sqlite3.Connection) -> int:
        row = find_report(conn, new.doc)
        start = row["text"].find(new.quote) if new.quote else -1
        if start < 0:
            raise ReviewError("the quote is not in the report's text: copy the sentence as it stands")
        end = start + len(new.quote)
        value = new.low if new.low is not None and new.low == new.high else None
        qualifier = "exact" if value is not None else ("at_least" if new.high is None else "range")
        key = place_key(new.place) if new.place else ""
        cur = conn.execute(
            "INSERT INTO claims (report_id, origin, state, idx, category, low, high, qualifier, value, victim_group, "
            "unit, side, source, place, place_from, place_key, date, quote, span_start, span_end, sentence_start, "
            "sentence_end) VALUES (?, 'analyst', 'current', -1, ?, ?, ?, ?, ?, ?, 'people', 'unknown', ?, ?, ?, ?, ?, "
            "?, ?, ?, ?, ?)",
            (row["id"], new.category, new.low, new.high, qualifier, value, new.group, new.source, new.place,
             "analyst" if new.place else None, key, new.date, new.quote, start, end, start, end),
        )  # fmt: skip
        cid = int(cur.lastrowid or 0)
        data = {k: v for k, v in vars_of(new).items() if v is not None}
        ckey = (row["id"], start, end, new.category, new.quote)
        return _record(conn, "add-claim", by, why, None, data=data, dirty=[key], claim=cid, key=ckey)

    return _correct(conn, run)


def find_report(conn: sqlite3.Connection, ref: str) -> sqlite3.Row:
    """The stored report `ref` names: its key, its doc when only one report has it, or its name in
    comparisons ("b.jsonl#1" for the second of two reports with the id "1")."""
    row = conn.execute("SELECT id, text, key FROM reports WHERE key = ?", (ref,)).fetchone()
    if row is not None:
        return row
    rows = conn.execute("SELECT id, text, key FROM reports WHERE doc = ? ORDER BY id", (ref,)).fetchall()
    if len(rows) > 1:
        keys = ", ".join(r["key"] for r in rows)
        raise ReviewError(f"{len(rows)} reports have the id {ref!r}: name one by its key ({keys})")
    if rows:
        return rows[0]
    for rid, name in report_names(conn).items():
        if name == ref:
            return conn.execute("SELECT id, text, key FROM reports WHERE id = ?", (rid,)).fetchone()
    raise ReviewError(f"no report {ref!r} in the casebook")


def vars_of(new: NewClaim) -> dict[str, Any]:
    return {k: getattr(new, k) for k in NewClaim.__slots__}  # type: ignore[attr-defined]


def _event_claims(conn: sqlite3.Connection, eid: str) -> list[int]:
    ids = [r[0] for r in conn.execute("SELECT claim_id FROM event_claims WHERE event_id = ? ORDER BY claim_id", (eid,))]
    if not ids:
        raise ReviewError(f"no event {eid} in the casebook")
    return ids


def _place_keys(conn: sqlite3.Connection, ids: Sequence[int]) -> list[str]:
    marks = ",".join("?" * len(ids))
    return [r[0] for r in conn.execute(f"SELECT DISTINCT place_key FROM claims WHERE id IN ({marks})", list(ids))]


def merge(conn: sqlite3.Connection, events: Sequence[str], by: str | None = None, why: str | None = None) -> int:
    """Join events the grouping kept apart; the merged event keeps the id of the largest."""
    if len(set(events)) < 2:
        raise ReviewError("merge needs two events or more")

    def run(conn: sqlite3.Connection) -> int:
        ids = [c for e in dict.fromkeys(events) for c in _event_claims(conn, e)]
        data = {"claims": ids, "events": list(dict.fromkeys(events))}
        return _record(conn, "merge", by, why, data=data, dirty=_place_keys(conn, ids))

    return _correct(conn, run)


def split(
    conn: sqlite3.Connection, event: str, claims: Sequence[int], by: str | None = None, why: str | None = None
) -> int:
    """Move some claims of an event into an event of their own."""

    def run(conn: sqlite3.Connection) -> int:
        members = set(_event_claims(conn, event))
        outside = [c for c in claims if c not in members]
        if outside or not claims:
            raise ReviewError(f"claims {outside} are not in event {event}" if outside else "name claims to split off")
        if set(claims) == members:
            raise ReviewError("split off fewer claims than the event has")
        data = {"claims": list(dict.fromkeys(claims)), "event": event}
        return _record(conn, "split", by, why, data=data, dirty=_place_keys(conn, list(members)))

    return _correct(conn, run)


def rank(conn: sqlite3.Connection, source: str, value: int, by: str | None = None, why: str | None = None) -> int:
    """Set a source's (speaker's or outlet's) reliability rank; see `ranks` for how it chooses best."""
    key = source.strip().lower()
    if not key:
        raise ReviewError("name the source to rank")

    def run(conn: sqlite3.Connection) -> int:
        old = conn.execute("SELECT rank FROM source_ranks WHERE source_key = ?", (key,)).fetchone()
        who = by or default_by()
        row = (key, source.strip(), value, who, now(), why)
        conn.execute("INSERT OR REPLACE INTO source_ranks VALUES (?, ?, ?, ?, ?, ?)", row)
        dirty = [
            r[0]
            for r in conn.execute(
                "SELECT DISTINCT c.place_key FROM claims c JOIN reports r ON r.id = c.report_id "
                "WHERE lower(c.source) = ? OR lower(r.outlet) = ?",
                (key, key),
            )
        ]
        data, before = {"source": source.strip(), "rank": value}, {"rank": old[0] if old else None}
        return _record(conn, "rank", who, why, data=data, before=before, dirty=dirty)

    return _correct(conn, run)


def history(conn: sqlite3.Connection, cid: int) -> list[dict[str, Any]]:
    """What happened to a claim: its extraction (runs), then every correction, oldest first."""
    sc = stored_claim(conn, cid)
    row = conn.execute("SELECT first_run, last_run, state, origin FROM claims WHERE id = ?", (cid,)).fetchone()
    out: list[dict[str, Any]] = []
    if row["origin"] == "machine":
        runs = conn.execute("SELECT * FROM runs WHERE id IN (?, ?) ORDER BY id", (row["first_run"], row["last_run"]))
        for run in runs:
            what = "extracted" if run["id"] == row["first_run"] else "extracted again"
            out.append({"at": run["started_at"], "by": f"tollcheck {run['version']}", "action": what, "run": run["id"]})
        if row["state"] == "gone":
            out.append({"at": None, "by": "tollcheck", "action": "gone: the last extraction no longer finds it"})
        elif row["state"] == "detached":
            what = "detached: its report was revised and no fresh claim is surely this one; corrections apply to none"
            out.append({"at": None, "by": "tollcheck", "action": what})
    for c in conn.execute("SELECT * FROM corrections WHERE claim_id = ? ORDER BY id", (cid,)):
        out.append(
            {"at": c["at"], "by": c["by"], "action": c["action"], "why": c["why"],
             "data": json.loads(c["data"]), "before": json.loads(c["before"]), "correction": c["id"]}
        )  # fmt: skip
    out.append({"now": sc.claim.to_dict(), "status": sc.status, "review": sc.review})
    return out


def claim_of(conn: sqlite3.Connection, correction: int) -> int:
    """The claim a correction was made on (for an added claim: the claim it added)."""
    return conn.execute("SELECT claim_id FROM corrections WHERE id = ?", (correction,)).fetchone()[0]
