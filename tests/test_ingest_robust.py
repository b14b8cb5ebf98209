"""Issue 12, input items: nothing an input holds crashes, hangs or silently loses reports.

Each test makes its own files (all reports invented); large ones are generated here and kept small by
lowering the bounds of `ingest.limits` / `ingest.large` where the size itself is not the point.
"""

from __future__ import annotations

import gzip
import json
import os
import threading
import time
import tracemalloc
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from tollcheck import api
from tollcheck.cli import app
from tollcheck.extract.pipeline import MAX_CHARS
from tollcheck.ingest import ReadOptions, large, limits, read_reports, warnings_of
from tollcheck.model import IngestError, Report

GOOD = "Gunmen killed 12 villagers in Marrow on Friday, police said.\n"
OTHER = "Rebels abducted 7 teachers in Sollen on Monday as the governor said."
PAGE = (
    "<!DOCTYPE html><html><head><title>Marrow attack</title></head><body><nav><a href='/'>Home</a></nav>"
    "{open}<p>" + GOOD.strip() + " The village had been quiet for months, residents said.</p>{close}"
    "<footer>Contact us</footer></body></html>"
)


def items(paths: list[str], **options: Any) -> list[Report | IngestError]:
    return list(read_reports(paths, options=ReadOptions(**options)))


def reports(found: list[Report | IngestError]) -> list[Report]:
    return [f for f in found if isinstance(f, Report)]


def errors(found: list[Report | IngestError]) -> list[IngestError]:
    return [f for f in found if isinstance(f, IngestError)]


def warned(report: Report) -> list[str]:
    return [str(w) for w in warnings_of(report)]


def paragraphs(chars: int) -> str:
    """Distinct paragraphs (pages drop repeated ones) of about ``chars`` characters in all."""
    out: list[str] = []
    size = k = 0
    while size < chars:
        k += 1
        out.append(f"Update {k}. " + (GOOD.strip() + " " + OTHER + " ") * 4 + "\n\n")
        size += len(out[-1])
    return "".join(out)[:chars]


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


# --- item 4: links, pipes and other files that are not regular ------------------------------------


def finishes(target: Any, seconds: float = 20) -> list[Any]:
    out: list[Any] = []
    worker = threading.Thread(target=lambda: out.append(target()), daemon=True)
    worker.start()
    worker.join(seconds)
    assert not worker.is_alive(), "reading hung"
    return out[0]


def test_a_self_referencing_link_skips_only_itself(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(GOOD)
    os.symlink("loop.txt", tmp_path / "loop.txt")
    os.symlink("sub", tmp_path / "sub")  # a directory-looking loop too
    (tmp_path / "z.txt").write_text(OTHER)
    found = items([str(tmp_path)])
    assert [r.id for r in reports(found)] == [str(tmp_path / "a.txt"), str(tmp_path / "z.txt")]
    [error] = errors(found)
    assert error.source == str(tmp_path / "loop.txt") and "symbolic link loop" in error.message
    [error] = errors(items([str(tmp_path / "loop.txt")]))
    assert "symbolic link loop" in error.message


def test_a_named_pipe_in_a_directory_or_on_the_command_line_does_not_hang(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(limits, "FIFO_WAIT_SECONDS", 0.3)
    (tmp_path / "a.txt").write_text(GOOD)
    pipe = tmp_path / "feed.txt"
    os.mkfifo(pipe)
    found = finishes(lambda: items([str(tmp_path)]))
    assert [r.id for r in reports(found)] == [str(tmp_path / "a.txt")]
    [error] = errors(found)
    assert error.source == str(pipe) and error.message == "not a regular file (a named pipe): skipped"
    error, report = finishes(lambda: items([str(pipe), str(tmp_path / "a.txt")]))
    assert isinstance(error, IngestError) and isinstance(report, Report)
    assert error.message == "named pipe: nothing was written to it within 0.3 s: skipped"


def test_a_pipe_whose_writer_comes_late_is_waited_for(tmp_path: Path) -> None:
    pipe = tmp_path / "stream.jsonl"
    os.mkfifo(pipe)

    def write() -> None:
        time.sleep(0.3)
        with open(pipe, "w", encoding="utf-8") as out:
            out.write(json.dumps({"id": "late", "text": GOOD}) + "\n")

    threading.Thread(target=write, daemon=True).start()
    [report] = finishes(lambda: items([str(pipe)]))
    assert isinstance(report, Report) and report.id == "late"


def test_a_pipe_with_a_writer_is_read(tmp_path: Path) -> None:
    pipe = tmp_path / "stream.txt"
    os.mkfifo(pipe)
    read_end = os.open(pipe, os.O_RDONLY | os.O_NONBLOCK)  # lets the writer open without blocking
    writer = open(pipe, "w")  # noqa: SIM115
    writer.write(GOOD)
    writer.close()
    try:
        [report] = finishes(lambda: items([str(pipe)]))
    finally:
        os.close(read_end)
    assert isinstance(report, Report) and report.text == GOOD


# --- item 5: good reports once rejected for the wrong reason --------------------------------------


def test_one_nul_byte_in_the_first_kilobytes_is_not_a_binary_file(tmp_path: Path) -> None:
    path = tmp_path / "export.txt"
    path.write_bytes(b"Gunmen killed 12 villagers\x00 in Marrow on Friday, police said.\n")
    [report] = items([str(path)])
    assert isinstance(report, Report) and report.text.startswith("Gunmen killed 12 villagers in Marrow")


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
@pytest.mark.parametrize("name", ["report.txt", "lines.jsonl", "rows.csv", "page.html"])
def test_utf16_without_a_bom_is_read_in_every_format(tmp_path: Path, encoding: str, name: str) -> None:
    contents = {
        "report.txt": GOOD,
        "lines.jsonl": json.dumps({"id": "r1", "text": GOOD}) + "\n",
        "rows.csv": f'id,text\n1,"{GOOD.strip()}"\n',
        "page.html": PAGE.format(open="<article>", close="</article>"),
    }
    path = tmp_path / name
    path.write_bytes(contents[name].encode(encoding))
    [report] = items([str(path)])
    assert isinstance(report, Report) and GOOD.strip() in report.text
    assert report.metadata["encoding"] == encoding


@pytest.mark.parametrize(("depth", "how"), [(300, "lxml huge_tree"), (3000, "container tags removed")])
def test_html_nested_deeper_than_the_parser_goes_is_read(tmp_path: Path, depth: int, how: str) -> None:
    path = tmp_path / "deep.html"
    path.write_text(PAGE.format(open="<div>" * depth, close="</div>" * depth))
    [report] = items([str(path)])
    assert isinstance(report, Report) and GOOD.strip() in report.text and "Contact us" not in report.text
    assert any(how in w and f"nested {depth + 2} levels deep" in w for w in warned(report))


def test_html_nested_too_deeply_in_kept_tags_falls_back_to_plain_text(tmp_path: Path) -> None:
    path = tmp_path / "deep.html"
    path.write_text(PAGE.format(open="<article>" * 3000, close="</article>" * 3000))
    [report] = items([str(path)])
    assert isinstance(report, Report) and GOOD.strip() in report.text
    assert any("plain text" in w for w in warned(report))


def test_scripts_only_page_is_still_no_main_text_even_when_deep(tmp_path: Path) -> None:
    path = tmp_path / "app.html"
    path.write_text("<html><body>" + "<div>" * 400 + "<script>render(42)</script>" + "</div>" * 400 + "</body></html>")
    [error] = items([str(path)])
    assert isinstance(error, IngestError) and "no main text" in error.message


@pytest.mark.parametrize("method", ["AES_128", "AES_256"])
def test_aes_encrypted_pdf_with_an_empty_password_is_read(tmp_path: Path, method: str) -> None:
    fpdf = pytest.importorskip("fpdf")
    from fpdf.enums import EncryptionMethod

    pdf = fpdf.FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=11)
    pdf.multi_cell(0, 6, GOOD.strip() + " The village had been quiet for months.")
    pdf.set_encryption(owner_password="owner", user_password="", encryption_method=getattr(EncryptionMethod, method))
    path = tmp_path / "bulletin.pdf"
    path.write_bytes(bytes(pdf.output()))
    [report] = items([str(path)])
    assert isinstance(report, Report) and "Gunmen killed 12 villagers" in report.text


def test_pypdf_crypto_is_declared() -> None:
    pyproject = Path(__file__).resolve().parents[1] / "pyproject.toml"
    assert '"pypdf[crypto]' in pyproject.read_text(encoding="utf-8")


# --- item 6: a cut WARC and a runaway CSV quote are said, and every report that can be is kept ----------


def write_warc(path: Path, pages: int) -> None:
    import io

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with open(path, "wb") as out:
        writer = WARCWriter(out, gzip=path.name.endswith(".gz"))
        for k in range(pages):
            http = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
            body = io.BytesIO(PAGE.format(open=f"<article><h1>Story {k}</h1>", close="</article>").encode())
            record = writer.create_warc_record(
                f"https://times.example/{k}", "response", payload=body, http_headers=http
            )
            writer.write_record(record)


@pytest.mark.parametrize("name", ["capture.warc", "capture.warc.gz"])
def test_a_warc_cut_inside_its_last_records_headers_is_an_error(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    write_warc(path, 3)
    data = path.read_bytes()
    last = data.rfind(b"\x1f\x8b\x08") if name.endswith(".gz") else data.rfind(b"WARC/1.")
    path.write_bytes(data[: last + (60 if name.endswith(".gz") else 200)])
    found = items([str(path)])
    assert len(reports(found)) == 2
    [error] = errors(found)
    assert error.source == f"{path}#{last}" and "truncated WARC after 2 page(s)" in error.message
    result = CliRunner().invoke(app, ["extract", str(path), "-f", "jsonl", "-q"])
    assert result.exit_code == 1 and "truncated WARC" in result.stderr


@pytest.mark.parametrize(
    "rows",
    [
        f'1,"{GOOD.strip()}\n2,{OTHER}\n3,Shells hit Eastbrook; 4 people were wounded.\n',  # never closed
        f'1,"{GOOD.strip()}\n2,"{OTHER}"\n3,"Shells hit Eastbrook; 4 people were wounded."\n',  # closed in text
    ],
)
def test_a_csv_quote_that_swallows_the_rows_after_it_is_said_and_every_row_kept(tmp_path: Path, rows: str) -> None:
    path = tmp_path / "export.csv"
    path.write_text("id,text\n" + rows)
    found = items([str(path)], id_column="id")
    [error] = errors(found)
    assert error.source == f"{path}:2" and "malformed CSV" in error.message and "quote" in error.message
    texts = {r.id: r.text.strip() for r in reports(found)}
    assert texts == {
        f"{path}#1": GOOD.strip(),
        f"{path}#2": OTHER,
        f"{path}#3": "Shells hit Eastbrook; 4 people were wounded.",
    }
    result = CliRunner().invoke(app, ["extract", str(path), "--id-column", "id", "-f", "jsonl", "-q"])
    assert result.exit_code == 1 and "malformed CSV" in result.stderr


def test_well_quoted_multiline_cells_are_not_mistaken_for_runaway_quotes(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text(f'id,text\n1,"{GOOD}second line, with ""quotes"""\n2,{OTHER}\n')
    found = items([str(path)], id_column="id")
    assert not errors(found)
    assert [r.text for r in reports(found)] == [GOOD + 'second line, with "quotes"', OTHER]


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


# --- item 15: a report in a language not read yet is said -------------------------------------------

FRENCH = (
    "Selon la police, au moins douze villageois ont été tués vendredi dans une attaque contre le marché de "
    "Marrow. Les hommes armés sont arrivés dans la nuit et ont ouvert le feu sur les habitants qui dormaient. "
    "Le gouverneur a déclaré que les blessés ont été transportés vers l'hôpital de la ville voisine."
)
SPANISH = (
    "Según la policía, al menos doce aldeanos fueron asesinados el viernes en un ataque contra el mercado de "
    "Marrow. Los hombres armados llegaron por la noche y abrieron fuego contra los habitantes que dormían. "
    "El gobernador dijo que los heridos fueron trasladados al hospital de la ciudad vecina."
)
ENGLISH = (
    "At least twelve villagers were killed on Friday in an attack on the market in Marrow, police said. The "
    "gunmen arrived at night and opened fire on residents who were asleep. The governor said that the wounded "
    "had been taken to the hospital in the next town."
)


@pytest.mark.parametrize(("text", "name"), [(FRENCH, "French"), (SPANISH, "Spanish")])
def test_a_report_in_french_or_spanish_is_said_not_read_yet(tmp_path: Path, text: str, name: str) -> None:
    path = tmp_path / "report.txt"
    path.write_text(text)
    [report] = items([str(path)])
    assert isinstance(report, Report)
    assert [w for w in warned(report) if "not read yet" in w] == [
        f"{path}: the report seems to be in {name}, which is not read yet (only English): its claims may be missing"
    ]
    result = CliRunner().invoke(app, ["extract", str(path), "-f", "jsonl", "-q"])
    assert result.exit_code == 0 and f"in {name}, which is not read yet" in result.stderr


@pytest.mark.parametrize("text", [ENGLISH, "Le maire a parlé.", ENGLISH + " " + FRENCH[:80]])
def test_english_and_short_reports_get_no_language_warning(tmp_path: Path, text: str) -> None:
    path = tmp_path / "report.txt"
    path.write_text(text)
    [report] = items([str(path)])
    assert isinstance(report, Report) and "language_guess" not in report.metadata


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
