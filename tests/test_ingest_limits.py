"""Issue 12, items 3 and 9: no text longer than spaCy takes reaches extraction, whatever reader it came
from, and what one record may hold is bounded (a cut is said; a gzip bomb is stopped).

Files are made by the tests (all reports invented); large ones are generated here and kept small by
lowering the bounds of `ingest.limits` / `ingest.large` where the size itself is not the point.
"""

from __future__ import annotations

import gzip
import json
import tracemalloc
from pathlib import Path
from typing import Any

import pytest
from test_ingest_robust import GOOD, OTHER, PAGE, errors, finishes, items, paragraphs, reports, warned

from tollcheck import api
from tollcheck.extract.pipeline import MAX_CHARS
from tollcheck.ingest import ReadOptions, large, limits
from tollcheck.model import IngestError, Report


@pytest.fixture
def small_parts(monkeypatch: pytest.MonkeyPatch) -> None:
    """Reports longer than 4,000 characters are read in parts of at most 1,500 (extraction stays quick)."""
    monkeypatch.setattr(large, "LARGE_TEXT_BYTES", 4000)
    monkeypatch.setattr(large, "PART_CHARS", 1500)


# --- item 3: a text over spaCy's limit is read in parts, whatever reader it came from -----------------


def test_a_jsonl_line_over_five_million_characters_is_read_in_parts(tmp_path: Path) -> None:
    text = paragraphs(5_100_000)
    path = tmp_path / "dump.jsonl"
    path.write_text(json.dumps({"id": "long", "text": text}) + "\n" + json.dumps({"id": "next", "text": GOOD}) + "\n")
    found = items([str(path)])
    assert not errors(found)
    parts = [r for r in reports(found) if r.id.startswith("long#part-")]
    assert len(parts) >= len(text) // large.PART_CHARS
    assert all(len(p.text) <= large.PART_CHARS < MAX_CHARS for p in parts)
    assert "".join(p.text for p in parts).strip() == text.strip()
    assert [p.origin["char_start"] for p in parts[1:]] == [p.origin["char_end"] for p in parts[:-1]]
    assert reports(found)[-1].id == "next"
    [warning] = warned(parts[0])
    assert "long text (5,100,000 characters)" in warning and "long#part-N" in warning and f"{path}:1" in warning


@pytest.mark.usefixtures("small_parts")
def test_every_reader_cuts_a_long_report_and_later_inputs_are_read(tmp_path: Path) -> None:
    text = paragraphs(9000)
    (tmp_path / "a.jsonl").write_text(json.dumps({"id": "j", "text": text}) + "\n")
    (tmp_path / "b.csv").write_text("id,text\n1," + json.dumps(text) + "\n")
    (tmp_path / "c.html").write_text(
        PAGE.replace("<p>", "<p>" + text.replace("\n\n", "</p><p>")).format(open="<article>", close="</article>")
    )
    (tmp_path / "d.txt").write_text(GOOD)
    found = list(api.extract([str(tmp_path)], options=ReadOptions(text_column="text", id_column="id")))
    assert not errors(found)  # type: ignore[arg-type]
    ids = [r.report.id for r in found]  # type: ignore[union-attr]
    for whole in ("j", f"{tmp_path / 'b.csv'}#1", str(tmp_path / "c.html")):
        mine = [i for i in ids if i.startswith(whole + "#part-")]
        assert len(mine) >= 6, (whole, ids)
    assert ids[-1] == str(tmp_path / "d.txt")
    assert all(len(r.report.text) <= 1500 for r in found)  # type: ignore[union-attr]
    assert all(r.claims for r in found)  # type: ignore[union-attr]


@pytest.mark.usefixtures("small_parts")
def test_a_long_pdf_keeps_its_pages_in_each_part(tmp_path: Path) -> None:
    fpdf = pytest.importorskip("fpdf")
    pdf = fpdf.FPDF()
    pdf.set_font("helvetica", size=9)
    for k in range(6):
        pdf.add_page()
        pdf.multi_cell(0, 5, f"Page {k + 1}. " + (GOOD.strip() + " ") * 20)
    path = tmp_path / "bulletin.pdf"
    path.write_bytes(bytes(pdf.output()))
    parts = reports(items([str(path)]))
    assert len(parts) >= 3
    for part in parts:
        assert part.origin["pages"] and all(0 <= s < e <= len(part.text) for _, s, e in part.origin["pages"])
    assert parts[0].origin["pages"][0][0] == 1 and parts[-1].origin["pages"][-1][0] == 6


# --- item 9: what one record may hold is bounded, and a cut is said --------------------------------


@pytest.fixture
def small_records(monkeypatch: pytest.MonkeyPatch) -> int:
    bound = 1 << 20
    monkeypatch.setattr(limits, "MAX_RECORD_BYTES", bound)
    monkeypatch.setattr(limits, "READ_CHUNK", 1 << 16)
    return bound


def test_a_huge_jsonl_line_in_a_small_gzip_is_cut_in_bounded_memory(tmp_path: Path, small_records: int) -> None:
    path = tmp_path / "dump.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as out:
        out.write(json.dumps({"id": "first", "text": GOOD}) + "\n")
        out.write('{"id": "huge", "text": "' + (GOOD.strip() + " ") * ((16 << 20) // len(GOOD)) + '"}\n')
        out.write(json.dumps({"id": "last", "text": OTHER}) + "\n")
    assert path.stat().st_size < 1 << 20
    tracemalloc.start()
    found = items([str(path)])
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 8 * small_records, f"peak {peak / 2**20:.0f} MB"
    assert not errors(found)
    ids = [r.id for r in reports(found)]
    assert ids == ["first", "huge", "last"]
    cut = reports(found)[1]
    assert len(cut.text) <= small_records and cut.text.startswith(GOOD.strip())
    assert cut.metadata["cut"]["line"] == 2
    assert any(f"{path}:2: line 2: longer than 1 MiB: only its first 1 MiB read" in w for w in warned(cut))


def test_a_cut_jsonl_line_that_cannot_be_closed_is_an_error_naming_it(tmp_path: Path, small_records: int) -> None:
    path = tmp_path / "dump.jsonl"
    path.write_text('{"id": "x", "values": [' + "1, " * small_records + '1], "text": "late"}\n' + json.dumps(
        {"id": "next", "text": GOOD}) + "\n")  # fmt: skip
    found = items([str(path)])
    [error] = errors(found)
    assert error.source == f"{path}:1" and "longer than 1 MiB" in error.message and "not a JSON record" in error.message
    assert [r.id for r in reports(found)] == ["next"]


def test_a_csv_cell_over_the_bound_is_cut_and_the_rows_after_it_read(tmp_path: Path, small_records: int) -> None:
    path = tmp_path / "export.csv"
    with open(path, "w", encoding="utf-8") as out:
        out.write('id,text\n1,"' + paragraphs(3 * small_records).replace('"', "") + '"\n')
        out.write(f"2,{OTHER}\n")
    found = items([str(path)], id_column="id")
    assert not errors(found)
    first = [r for r in reports(found) if r.id.startswith(f"{path}#1")]
    assert sum(len(r.text) for r in first) <= small_records
    assert any("line 2: longer than 1 MiB" in w for w in warned(first[0]))
    assert reports(found)[-1].id == f"{path}#2" and reports(found)[-1].text == OTHER


def test_the_record_bound_is_one_named_setting() -> None:
    assert limits.MAX_RECORD_BYTES >= 1 << 24 and limits.PART_CHARS < MAX_CHARS


@pytest.mark.parametrize(
    ("cut", "kept"),
    [
        ('{"id": 1, "text": "Gunmen kil', {"id": 1, "text": "Gunmen kil"}),
        ('{"text": "Gunmen", "meta": {"desk": "wor', {"text": "Gunmen", "meta": {"desk": "wor"}}),
        ('{"text": "Gunmen", "tags": ["wor', {"text": "Gunmen", "tags": ["wor"]}),
        ('{"text": "Gunmen \\u00', {"text": "Gunmen "}),
        ('{"id": 12', None),  # no text kept: not a record
    ],
)
def test_a_cut_line_is_closed_where_it_can_be(cut: str, kept: dict[str, Any] | None) -> None:
    from tollcheck.ingest.jsonl import _salvage

    assert _salvage(cut) == kept


def test_a_gzip_bomb_is_stopped_and_the_reports_before_it_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "GZIP_RATIO_AFTER", 1 << 20)
    path = tmp_path / "dump.jsonl.gz"
    with gzip.open(path, "wb") as out:
        out.write((json.dumps({"id": "first", "text": GOOD}) + "\n").encode())
        for _ in range(16):
            out.write(b"\n" * (1 << 20))
        out.write((json.dumps({"id": "after", "text": GOOD}) + "\n").encode())
    found = finishes(lambda: items([str(path), str(path).replace(".jsonl.gz", ".txt")]))
    assert isinstance(found[0], Report) and found[0].id == "first"
    error = found[1]
    assert isinstance(error, IngestError) and error.source == str(path)
    assert error.message.startswith("gzip file expands over 500 times (a gzip bomb?): stopped after")
    assert len(found) == 3  # and the next input is still read (here: said missing)


def test_ordinary_gzip_text_is_not_taken_for_a_bomb(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "GZIP_RATIO_AFTER", 1 << 16)
    path = tmp_path / "dump.txt.gz"
    path.write_bytes(gzip.compress(paragraphs(3_000_000).encode()))
    found = items([str(path)])
    assert not errors(found) and sum(len(r.text) for r in reports(found)) >= 2_900_000
