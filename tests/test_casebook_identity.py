"""Reports are known by their source, not by their id alone (issue 12, item 1).

Two JSONL files whose ids both start at "1" are four reports, in `add` (one run or two) and in
`compare`; one file named three ways (`r/a.txt`, `./r/a.txt`, the absolute path) is one report; a
collision never overwrites a stored report. All reports are invented.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tollcheck import api
from tollcheck.casebook import add, comparison_from_conn, export_rows, open_casebook, review
from tollcheck.cli import app
from tollcheck.cli import app as casebook_app

FIRST = [
    {"id": "1", "text": "Gunmen killed 12 villagers in Pellinor on Sunday, police said.", "published": "2024-06-03"},
    {"id": "2", "text": "A roadside bomb killed 4 soldiers near Vesk on Monday, the army said.",
     "published": "2024-06-04"},
]  # fmt: skip
SECOND = [
    {"id": "1", "text": "Floods killed 30 people in Marrow on Tuesday, the governor said.", "published": "2024-07-02"},
    {"id": "2", "text": "Raiders abducted 9 herders near Quessa on Friday, elders said.", "published": "2024-07-05"},
]  # fmt: skip


def jsonl(path: Path, records: list[dict]) -> str:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return str(path)


@pytest.fixture
def two(tmp_path: Path) -> tuple[str, str]:
    return jsonl(tmp_path / "a.jsonl", FIRST), jsonl(tmp_path / "b.jsonl", SECOND)


def texts(conn: sqlite3.Connection) -> list[str]:
    return [r[0] for r in conn.execute("SELECT text FROM reports ORDER BY id")]


def test_two_files_with_the_same_ids_added_one_after_the_other(tmp_path: Path, two: tuple[str, str]) -> None:
    a, b = two
    conn = open_casebook(tmp_path / "case.db")
    add(conn, [a], by="t")
    cid = conn.execute("SELECT id FROM claims WHERE low = 12").fetchone()[0]
    review.edit(conn, cid, {"low": 14}, by="ana", why="the morgue list")
    stats = add(conn, [b], by="t")
    assert (stats.added, stats.revised, stats.unchanged) == (2, 0, 0)
    assert texts(conn) == [r["text"] for r in FIRST + SECOND]  # nothing overwritten
    assert [r[0] for r in conn.execute("SELECT doc FROM reports ORDER BY id")] == ["1", "2", "1", "2"]
    assert len({r[0] for r in conn.execute("SELECT key FROM reports")}) == 4
    # the analyst's edit stays on the first file's claim and never shows on the second file's
    comparison = comparison_from_conn(conn)
    figures = {c.quote[:6]: c.low for cs in comparison.claims.values() for c in cs}
    assert figures == {"Gunmen": 14, "A road": 4, "Floods": 30, "Raider": 9}
    # the export keeps the ids as given and every report's claims
    rows = list(export_rows(comparison))
    assert [(r["doc"], r["type"]) for r in rows].count(("1", "claim")) == 2
    assert sorted(r["low"] for r in rows if r["type"] == "claim") == [4, 9, 14, 30]
    assert add(conn, [a, b]).unchanged == 4


def test_two_files_with_the_same_ids_in_one_run(tmp_path: Path, two: tuple[str, str]) -> None:
    conn = open_casebook(tmp_path / "case.db")
    stats = add(conn, list(two), by="t")
    assert (stats.added, stats.unchanged) == (4, 0)
    assert texts(conn) == [r["text"] for r in FIRST + SECOND]


def test_one_file_under_three_spellings_is_stored_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "r").mkdir()
    (tmp_path / "r" / "a.txt").write_text("Gunmen killed 7 villagers in Quessa on Sunday, police said.\n")
    monkeypatch.chdir(tmp_path)
    conn = open_casebook(tmp_path / "case.db")
    stats = add(conn, ["./r/a.txt", "r/a.txt", str(tmp_path / "r" / "a.txt")], by="t")
    assert (stats.added, stats.unchanged) == (1, 2)
    assert add(conn, ["r/a.txt"]).unchanged == 1 and add(conn, ["./r/../r/a.txt"]).unchanged == 1
    assert conn.execute("SELECT count(*), min(doc) FROM reports").fetchone()[:] == (1, "./r/a.txt")


def test_a_file_repeating_an_id_keeps_both_reports(tmp_path: Path) -> None:
    path = jsonl(tmp_path / "dup.jsonl", [FIRST[0], {**SECOND[0], "id": "1"}])
    conn = open_casebook(tmp_path / "case.db")
    warnings: list[str] = []
    stats = add(conn, [path], by="t", on_warning=warnings.append)
    assert stats.added == 2 and texts(conn) == [FIRST[0]["text"], SECOND[0]["text"]]
    assert len(warnings) == 1 and "'1'" in warnings[0] and "dup.jsonl" in warnings[0]
    again = add(conn, [path], by="t", on_warning=warnings.append)
    assert (again.added, again.unchanged, again.revised) == (0, 2, 0)


def test_a_collision_never_overwrites_and_add_claim_asks_which(tmp_path: Path, two: tuple[str, str]) -> None:
    conn = open_casebook(tmp_path / "case.db")
    add(conn, list(two), by="t")
    quote = "Floods killed 30 people in Marrow on Tuesday, the governor said."
    new = review.NewClaim("1", "injured", 5, 5, quote)
    with pytest.raises(review.ReviewError, match="2 reports have the id '1'"):
        review.add_claim(conn, new)
    key = conn.execute("SELECT key FROM reports WHERE text = ?", (quote,)).fetchone()[0]
    assert key.endswith("b.jsonl#id=1")
    review.add_claim(conn, review.NewClaim(key, "injured", 5, 5, quote), by="ana")
    review.add_claim(conn, review.NewClaim(f"{two[1]}#1", "missing", 2, 2, quote), by="ana")  # its compare name
    assert [r[0] for r in conn.execute("SELECT DISTINCT report_id FROM claims WHERE origin = 'analyst'")] == [3]
    listed = CliRunner().invoke(casebook_app, ["review", "list", "--db", str(tmp_path / "case.db"), "-f", "jsonl",
                                               "--report", key])  # fmt: skip
    rows = [json.loads(line) for line in listed.stdout.splitlines()]
    assert {(r["report"], r["report_key"]) for r in rows} == {("1", key)} and len(rows) == 3


def test_compare_keeps_both_files_claims(tmp_path: Path, two: tuple[str, str]) -> None:
    comparison, errors = api.compare(list(two))
    assert not errors and len(comparison.reports) == 4
    lows = sorted(c.low for cs in comparison.claims.values() for c in cs if c.low is not None)
    assert lows == [4, 9, 12, 30]
    assert {c.doc for cs in comparison.claims.values() for c in cs} == {"1", "2"}  # doc stays as given
    out = CliRunner().invoke(app, ["compare", *two, "--format", "jsonl"])
    rows = [json.loads(line) for line in out.stdout.splitlines()]
    assert sorted(r["low"] for r in rows if r["type"] == "claim") == [4, 9, 12, 30]
    assert [r["doc"] for r in rows if r["type"] == "report"] == ["1", "2", "1", "2"]
    events = [r for r in rows if r["type"] == "event"]
    assert len({ref for e in events for ref in e["reports"]}) == 4  # each report its own key in the events


def test_compare_reads_one_file_named_twice_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "a.txt").write_text("Gunmen killed 7 villagers in Quessa on Sunday, police said.\n")
    monkeypatch.chdir(tmp_path)
    comparison, _ = api.compare(["a.txt", "./a.txt"])
    assert [r.id for r in comparison.reports] == ["a.txt"]


def test_report_keys_scope_every_kind_of_id_by_its_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tollcheck.model import Report, report_key

    monkeypatch.chdir(tmp_path)
    real = str(tmp_path.resolve())

    def key(doc: str, file: str | None, **origin: object) -> str:
        return report_key(Report(id=doc, text="x", origin={"file": file, **origin} if file else {}))

    assert key("a.txt", "a.txt") == key("./a.txt", "./a.txt") == key(f"{real}/a.txt", f"{real}/a.txt")
    assert key("a.txt#part-2", "a.txt", part=2) == f"{real}/a.txt#part-2"
    assert key("c.warc#4096", "c.warc", record_offset=4096) == f"{real}/c.warc#4096"
    assert key("t.csv#17", "t.csv", line=3) == f"{real}/t.csv#17"
    assert key("1", "a.jsonl", line=1) == f"{real}/a.jsonl#id=1" != key("1", "b.jsonl", line=1)
    assert key("a.jsonl#1", "a.jsonl", line=1) == f"{real}/a.jsonl#1"  # a line without an id
    assert key("1", "-", line=1) == "<stdin>#id=1"
    assert key("made-up", None) == "made-up"
    assert report_key(Report(id="1", text="x", origin={"file": "a.jsonl", "key": "/k#id=1@5"})) == "/k#id=1@5"


def test_results_stored_without_add_never_overwrite_in_one_batch(tmp_path: Path) -> None:
    from tollcheck.api import extract_reports
    from tollcheck.casebook import add_results
    from tollcheck.model import Report

    def results():  # type: ignore[no-untyped-def]
        reports = [Report(id=r["id"], text=r["text"], origin={"file": "same.jsonl"}) for r in (FIRST[0], SECOND[0])]
        return extract_reports(reports)

    conn = open_casebook(tmp_path / "case.db")
    assert add_results(conn, results()).added == 2
    again = add_results(conn, results())
    assert (again.added, again.revised, again.unchanged) == (0, 0, 2)
    assert texts(conn) == [FIRST[0]["text"], SECOND[0]["text"]]
