"""Issue 12, items 4, 5, 6 and 15: no input hangs, none is rejected for a wrong reason, a loss is said,
and a report in a language not read yet is said (items 3 and 9: test_ingest_limits.py).

Each test makes its own files (all reports invented).
"""

from __future__ import annotations

import json
import os
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from tollcheck.cli import app
from tollcheck.ingest import ReadOptions, limits, read_reports, warnings_of
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


@pytest.mark.skipif(not os.path.isdir("/dev/fd"), reason="no /dev/fd")
def test_a_shell_pipe_is_waited_for_like_standard_input(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "FIFO_WAIT_SECONDS", 0.1)
    read_end, write_end = os.pipe()  # what `extract <(command)` is given, as /dev/fd/N

    def write() -> None:
        time.sleep(0.5)
        os.write(write_end, GOOD.encode())
        os.close(write_end)

    threading.Thread(target=write, daemon=True).start()
    try:
        [report] = finishes(lambda: items([f"/dev/fd/{read_end}"]))
    finally:
        os.close(read_end)
    assert isinstance(report, Report) and report.text == GOOD


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
