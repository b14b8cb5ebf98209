"""The casebook as a library: storing, reading back, corrections, re-extraction and migrations.

All reports are invented.
"""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest

from tollcheck import api
from tollcheck.api import ReportResult, extract_reports
from tollcheck.casebook import add, comparison_from_conn, export_rows, open_casebook, reextract, review
from tollcheck.casebook.schema import VERSION, migrate
from tollcheck.model import IngestError, Report
from tollcheck.render import claim_row, report_row

REPORTS = {
    "a.txt": "Published 3 June 2024\nGunmen killed 12 villagers in Pellinor on Sunday, police said. "
    "About 30 people were wounded.\n",
    "b.txt": "Published 5 June 2024\nThe death toll from Sunday's attack in Pellinor rose to 19, the regional "
    "health office said on Saturday. Another 4 people remain missing.\n",
    "c.txt": "Published 6 June 2024\nGunmen killed 7 villagers in Quessa on Sunday, a local official told reporters. "
    "Separately, 3 soldiers were killed near Tarvik on Saturday, the army said.\n",
}
LATE = {"d.txt": "Published 9 June 2024\nThe toll of the June 2 attack in Pellinor rose to 23, police said.\n"}


def write_all(d: Path, texts: dict[str, str]) -> list[str]:
    paths = []
    for name, text in texts.items():
        (d / name).write_text(text, encoding="utf-8")
        paths.append(str(d / name))
    return paths


def counts(conn: sqlite3.Connection) -> dict[str, int]:
    tables = ("reports", "claims", "events", "event_claims", "corrections", "event_totals")
    return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}


def whole_reports(conn: sqlite3.Connection) -> bool:
    bad = conn.execute(
        "SELECT count(*) FROM reports r WHERE n_claims != (SELECT count(*) FROM claims c "
        "WHERE c.report_id = r.id AND c.origin = 'machine' AND c.state = 'current')"
    ).fetchone()[0]
    return bad == 0


def extract_lines(paths: list[str]) -> list[dict]:
    rows: list[dict] = []
    for item in api.extract(paths):
        assert not isinstance(item, IngestError)
        rows += [claim_row(c, i) for i, c in enumerate(item.claims)]
        rows.append(report_row(item.totals))
    return rows


@pytest.fixture
def book(tmp_path: Path) -> tuple[sqlite3.Connection, list[str]]:
    paths = write_all(tmp_path, REPORTS)
    conn = open_casebook(tmp_path / "case.db")
    add(conn, paths, by="tester")
    return conn, paths


def killed_in(conn: sqlite3.Connection, place: str) -> dict:
    comparison = comparison_from_conn(conn)
    event = next(e for e in comparison.events if place in e.places)
    return event.totals["killed"].to_dict()


def claim_id_of(conn: sqlite3.Connection, doc_end: str, category: str, value: int) -> int:
    row = conn.execute(
        "SELECT c.id FROM claims c JOIN reports r ON r.id = c.report_id "
        "WHERE r.doc LIKE ? AND category = ? AND low = ?",
        (f"%{doc_end}", category, value),
    ).fetchone()
    assert row is not None, (doc_end, category, value)
    return int(row[0])


def test_adding_the_same_reports_twice_changes_nothing(book: tuple[sqlite3.Connection, list[str]]) -> None:
    conn, paths = book
    before = counts(conn)
    assert before["reports"] == 3 and before["claims"] >= 5 and before["events"] >= 3
    stats = add(conn, paths)
    assert (stats.added, stats.unchanged) == (0, 3)
    assert counts(conn) == before
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert whole_reports(conn)


def test_export_matches_extract(book: tuple[sqlite3.Connection, list[str]]) -> None:
    conn, paths = book
    assert list(export_rows(comparison_from_conn(conn))) == extract_lines(paths)


def test_comparison_matches_compare(book: tuple[sqlite3.Connection, list[str]]) -> None:
    conn, paths = book
    expected, _ = api.compare(paths)
    got = comparison_from_conn(conn)

    def shape(c: api.Comparison) -> list[tuple]:
        return [(e.name, e.kind, e.places, e.reports, sorted(e.claims), {k: v.to_dict() for k, v in e.totals.items()})
                for e in c.events]  # fmt: skip

    assert shape(got) == shape(expected)
    assert [r.id for r in got.reports] == [r.id for r in expected.reports]


def test_new_reports_regroup_their_events_and_keep_ids(
    book: tuple[sqlite3.Connection, list[str]], tmp_path: Path
) -> None:
    conn, _ = book
    ids_before = {r[0]: r[1] for r in conn.execute("SELECT id, name FROM events")}
    pellinor = next(eid for eid, name in ids_before.items() if name.startswith("Pellinor"))
    add(conn, write_all(tmp_path, LATE))
    ids_after = {r[0]: r[1] for r in conn.execute("SELECT id, name FROM events")}
    assert set(ids_before) == set(ids_after)
    docs = [r[0] for r in conn.execute(
        "SELECT DISTINCT r.doc FROM event_claims ec JOIN claims c ON c.id = ec.claim_id "
        "JOIN reports r ON r.id = c.report_id WHERE ec.event_id = ?", (pellinor,))]  # fmt: skip
    assert any(d.endswith("d.txt") for d in docs)
    assert killed_in(conn, "Pellinor")["best"] == 23


def test_a_correction_shows_in_the_totals_and_the_audit(book: tuple[sqlite3.Connection, list[str]]) -> None:
    conn, _ = book
    assert killed_in(conn, "Quessa")["best"] == 7
    cid = claim_id_of(conn, "c.txt", "killed", 7)
    review.edit(conn, cid, {"low": 9}, by="ana", why="the hospital list names nine")
    assert killed_in(conn, "Quessa")["best"] == 9
    machine = conn.execute("SELECT low, high FROM claims WHERE id = ?", (cid,)).fetchone()
    assert tuple(machine) == (7, 7)  # the machine's claim is never overwritten
    audit = conn.execute("SELECT by, why, action, data, before FROM corrections WHERE claim_id = ?", (cid,)).fetchall()
    assert [(a["by"], a["why"], a["action"]) for a in audit] == [("ana", "the hospital list names nine", "edit")]
    assert json.loads(audit[0]["data"]) == {"low": 9, "high": 9}
    assert json.loads(audit[0]["before"]) == {"low": 7, "high": 7}
    exported = [
        r for r in export_rows(comparison_from_conn(conn)) if r["type"] == "claim" and r["doc"].endswith("c.txt")
    ]
    assert exported[0]["low"] == 9 and exported[0]["value"] == 9 and exported[0]["qualifier"] == "exact"


def shifted(shift: int, drop: str | None = None, extra: bool = False):  # type: ignore[no-untyped-def]
    """An 'improved extractor': every span moves by `shift`, the claims of category `drop` are no longer
    found, and (extra) one more claim is found in c.txt."""

    def run(reports: Iterable[Report | IngestError]) -> Iterator[ReportResult | IngestError]:
        for item in extract_reports(reports):
            if isinstance(item, IngestError):
                yield item
                continue
            claims = [dataclasses.replace(c, start=c.start + shift, end=c.end + shift, flags=list(c.flags))
                      for c in item.claims if c.category != drop]  # fmt: skip
            if extra and item.report.id.endswith("c.txt"):
                claims.append(dataclasses.replace(claims[-1], category="injured", low=2, high=2, value=2))
            yield ReportResult(item.report, item.cleaned, claims, item.totals)

    return run


def test_corrections_survive_reextraction(book: tuple[sqlite3.Connection, list[str]]) -> None:
    conn, _ = book
    cid = claim_id_of(conn, "c.txt", "killed", 7)
    review.edit(conn, cid, {"low": 9}, by="ana", why="the hospital list names nine")
    missing = claim_id_of(conn, "b.txt", "missing", 4)
    stats = reextract(conn, by="tester", extract_fn=shifted(5, drop="missing", extra=True))
    assert (stats.new, stats.gone) == (1, 1)
    assert whole_reports(conn)
    # the span moved: the claim was re-matched by its quote, and the correction still stands
    row = conn.execute("SELECT span_start, state, low FROM claims WHERE id = ?", (cid,)).fetchone()
    assert row["state"] == "current" and row["low"] == 7
    assert killed_in(conn, "Quessa")["best"] == 9
    history = review.history(conn, cid)
    assert [h["action"] for h in history if "action" in h] == ["extracted", "extracted again", "edit"]
    assert history[-1]["now"]["low"] == 9 and history[-1]["review"] == "edited"
    # the claim no longer found is shown as gone, and the new one is marked for review
    stored = {sc.id: sc for rows in review.load_stored(conn).values() for sc in rows}
    assert stored[missing].status == "gone" and not stored[missing].counts
    new = [sc for sc in stored.values() if sc.status == "new"]
    assert [(sc.doc[-5:], sc.claim.category) for sc in new] == [("c.txt", "injured")]
    # a real re-extraction finds everything where it was first stored: nothing new, the lost claim returns
    stats = reextract(conn, by="tester")
    assert stats.gone == 1 and killed_in(conn, "Quessa")["best"] == 9
    assert conn.execute("SELECT state FROM claims WHERE id = ?", (missing,)).fetchone()[0] == "current"


def test_an_accepted_claim_that_disappears_still_counts(book: tuple[sqlite3.Connection, list[str]]) -> None:
    conn, _ = book
    cid = claim_id_of(conn, "c.txt", "killed", 3)
    review.accept(conn, cid, by="ana", why="checked against the army statement")
    reextract(conn, extract_fn=shifted(0, drop="killed"))
    stored = {sc.id: sc for rows in review.load_stored(conn).values() for sc in rows}
    assert stored[cid].status == "gone" and stored[cid].counts
    assert killed_in(conn, "Tarvik")["best"] == 3


def test_reject_add_claim_and_rank(book: tuple[sqlite3.Connection, list[str]]) -> None:
    conn, paths = book
    assert killed_in(conn, "Pellinor")["best"] == 19
    review.rank(conn, "police", 5, by="ana", why="the police count bodies at the morgue")
    fig = killed_in(conn, "Pellinor")
    assert fig["best"] == 12 and "highest-ranked" in fig["rule"] and (fig["low"], fig["high"]) == (12, 19)
    review.rank(conn, "police", 0, by="ana")
    assert killed_in(conn, "Pellinor")["best"] == 19
    cid = claim_id_of(conn, "b.txt", "killed", 19)
    review.reject(conn, cid, by="ana", why="counts the attackers")
    assert killed_in(conn, "Pellinor")["best"] == 12
    quote = "Another 4 people remain missing."
    new = review.NewClaim(paths[1], "injured", 6, 6, quote, place="Pellinor", source="regional health office")
    n = review.add_claim(conn, new, by="ana", why="missed by the extractor")
    added = conn.execute("SELECT claim_id FROM corrections WHERE id = ?", (n,)).fetchone()[0]
    comparison = comparison_from_conn(conn)
    assert any(c.category == "injured" and c.low == 6 for c in comparison.claims[paths[1]])
    assert review.history(conn, added)[-1]["status"] == "added"
    with pytest.raises(review.ReviewError):
        review.add_claim(conn, dataclasses.replace(new, quote="words that are not in the report"))
    with pytest.raises(review.ReviewError):
        review.edit(conn, cid, {"category": "eaten"})


def test_merge_and_split_events(book: tuple[sqlite3.Connection, list[str]]) -> None:
    conn, _ = book
    events = {r["name"]: r["id"] for r in conn.execute("SELECT id, name FROM events")}
    quessa = next(v for k, v in events.items() if k.startswith("Quessa"))
    tarvik = next(v for k, v in events.items() if k.startswith("Tarvik"))
    review.merge(conn, [quessa, tarvik], by="ana", why="one raid across two villages")
    merged = {r[0] for r in conn.execute("SELECT event_id FROM event_claims ec JOIN claims c ON c.id = ec.claim_id "
                                         "WHERE c.place IN ('Quessa', 'Tarvik')")}  # fmt: skip
    assert len(merged) == 1
    eid = merged.pop()
    fig = next(e for e in comparison_from_conn(conn).events if e.id == eid).totals["killed"]
    assert (fig.low, fig.high) == (3, 7)
    tarvik_claim = claim_id_of(conn, "c.txt", "killed", 3)
    review.split(conn, eid, [tarvik_claim], by="ana", why="two days apart after all")
    after = {r[0] for r in conn.execute("SELECT event_id FROM event_claims WHERE claim_id = ?", (tarvik_claim,))}
    assert after and after != {eid}
    with pytest.raises(review.ReviewError):
        review.merge(conn, [eid])


def test_a_revised_report_keeps_its_corrections(book: tuple[sqlite3.Connection, list[str]], tmp_path: Path) -> None:
    conn, paths = book
    cid = claim_id_of(conn, "c.txt", "killed", 7)
    review.edit(conn, cid, {"place": "Quessa Lower"}, by="ana")
    Path(paths[2]).write_text("Editor's note: updated.\n" + REPORTS["c.txt"], encoding="utf-8")
    stats = add(conn, [paths[2]])
    assert (stats.added, stats.revised) == (0, 1)
    assert counts(conn)["reports"] == 3 and whole_reports(conn)
    stored = {sc.id: sc for rows in review.load_stored(conn).values() for sc in rows}
    assert stored[cid].claim.place == "Quessa Lower" and stored[cid].state == "current"


def test_an_older_casebook_is_upgraded_with_a_backup(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    conn = open_casebook(path, target=1)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    conn.execute("INSERT INTO runs (kind, started_at, version) VALUES ('add', '2024-05-01', '0.0.1')")
    conn.execute(
        "INSERT INTO reports (doc, content_hash, text_hash, text, added_at, first_run, last_run, n_claims) "
        "VALUES ('old.txt', 'h', 't', 'Gunmen killed 5 herders in Ombrel, police said.', '2024-05-01', 1, 1, 1)"
    )
    conn.execute(
        "INSERT INTO claims (report_id, idx, category, low, high, qualifier, value, victim_group, unit, side, source, "
        "place, place_key, quote, span_start, span_end, sentence_start, sentence_end, first_run, last_run) VALUES "
        "(1, 0, 'killed', 5, 5, 'exact', 5, 'herders', 'people', 'unknown', 'police', 'Ombrel', 'ombrel', "
        "'Gunmen killed 5 herders in Ombrel, police said.', 14, 15, 0, 47, 1, 1)"
    )
    conn.execute("INSERT INTO dirty_places VALUES ('ombrel')")
    conn.execute(
        "INSERT INTO corrections (at, by, action, claim_id, report_id, data, before) "
        "VALUES ('2024-05-02', 'ana', 'edit', 1, 1, '{\"low\": 6, \"high\": 6}', '{\"low\": 5, \"high\": 5}')"
    )
    conn.close()
    conn = open_casebook(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == VERSION >= 3
    versions = [r[0] for r in conn.execute("SELECT version FROM migrations ORDER BY version")]
    assert versions == list(range(1, VERSION + 1))
    # version 3 keys reports by source; the doc stays, and the analyst's correction still applies
    assert conn.execute("SELECT doc, key FROM reports").fetchone()[:] == ("old.txt", "old.txt")
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    assert conn.execute("SELECT count(*) FROM corrections").fetchone()[0] == 1
    backups = list(tmp_path.glob("old.db.v1-*.bak"))
    assert len(backups) == 1
    old = sqlite3.connect(backups[0])
    assert old.execute("PRAGMA user_version").fetchone()[0] == 1
    assert old.execute("SELECT count(*) FROM claims").fetchone()[0] == 1
    old.close()
    assert killed_in(conn, "Ombrel")["best"] == 6
    assert conn.execute("SELECT best FROM event_totals WHERE category = 'killed'").fetchone()[0] == 6
    review.rank(conn, "police", 2)  # the v2 table is there
    assert migrate(conn, path) == []  # nothing more to do, no second backup
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
