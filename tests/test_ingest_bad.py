"""Bad inputs: each gets one line naming the file (and record or line), every good report is still read.

All reports are invented; each test makes its own files in tmp_path.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import tracemalloc
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from tollcheck.cli import app
from tollcheck.ingest import ReadOptions, large, read_reports, warnings_of
from tollcheck.model import IngestError, Report

GOOD_A = "Gunmen killed 12 villagers in Marrow on Friday, police said.\n"
GOOD_B = "At least 30 people were wounded when shells hit the market in Eastbrook, doctors said.\n"
GOOD_C = "Rebels abducted 7 teachers in Sollen on Monday, the governor said."
SCRIPTS_ONLY = (
    "<!DOCTYPE html><html><head><script src='/app.js'></script></head><body>"
    "<script>window.__STATE__ = {\"story\": 42};</script><script>render(document.body)</script></body></html>"
)
PAGE = (
    "<!DOCTYPE html><html><head><title>Marrow attack</title><meta property='og:site_name' content='Marrow Times'>"
    "</head><body><nav><a href='/'>Home</a></nav><article><h1>Marrow attack</h1><p>"
    + GOOD_A.strip()
    + " The village had been quiet for months.</p></article><footer>Contact us</footer></body></html>"
)


def items(paths: list[str], **options: Any) -> list[Report | IngestError]:
    return list(read_reports(paths, options=ReadOptions(**options)))


def the_error(found: list[Report | IngestError]) -> IngestError:
    errors = [f for f in found if isinstance(f, IngestError)]
    assert len(errors) == 1, found
    assert "\n" not in str(errors[0]) and "Traceback" not in str(errors[0])
    return errors[0]


def write_warc(path: Path, pages: int) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with open(path, "wb") as out:
        writer = WARCWriter(out, gzip=path.name.endswith(".gz"))
        for k in range(pages):
            http = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
            body = io.BytesIO(PAGE.replace("Marrow attack", f"Marrow attack {k}").encode())
            writer.write_record(writer.create_warc_record(f"https://times.example/{k}", "response", payload=body,
                                                          http_headers=http))  # fmt: skip


def test_scripts_only_page(tmp_path: Path) -> None:
    path = tmp_path / "app.html"
    path.write_text(SCRIPTS_ONLY, encoding="utf-8")
    error = the_error(items([str(path)]))
    assert error.source == str(path) and "no main text" in error.message


def test_scanned_pdf_has_no_text_layer(tmp_path: Path) -> None:
    fpdf = pytest.importorskip("fpdf")
    pdf = fpdf.FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 120, 160, style="F")  # a page that is only a picture
    path = tmp_path / "scan.pdf"
    path.write_bytes(bytes(pdf.output()))
    error = the_error(items([str(path)]))
    assert error.message.startswith("no text layer (a scanned PDF?); run OCR first")


def test_damaged_pdf(tmp_path: Path) -> None:
    path = tmp_path / "broken.pdf"
    path.write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\ntrailer garbage")
    error = the_error(items([str(path)]))
    assert error.source == str(path)


def test_truncated_gzip_keeps_the_lines_before_the_cut(tmp_path: Path) -> None:
    lines = "".join(json.dumps({"id": f"r{i}", "text": GOOD_A * 50}) + "\n" for i in range(200))
    data = gzip.compress(lines.encode())
    path = tmp_path / "corpus.jsonl.gz"
    path.write_bytes(data[: len(data) // 2])
    found = items([str(path)])
    error = the_error(found)
    assert error.source == str(path) and error.message.startswith("truncated gzip file")
    assert sum(isinstance(f, Report) for f in found) > 0


@pytest.mark.parametrize("name", ["capture.warc.gz", "capture.warc"])
def test_truncated_warc_keeps_the_records_before_the_cut(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    write_warc(path, 3)
    data = path.read_bytes()
    path.write_bytes(data[:-200])
    found = items([str(path)])
    error = the_error(found)
    assert error.source.startswith(str(path)) and "truncated" in error.message
    assert sum(isinstance(f, Report) for f in found) == 2


def test_csv_without_the_named_column(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text("id,headline,story\n1,Marrow,x\n", encoding="utf-8")
    error = the_error(items([str(path)], text_column="body"))
    assert error.source == str(path) and "no column 'body'" in error.message and "headline" in error.message


def test_cyrillic_file_is_decoded_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "report.txt"
    text = "Полиция сообщила, что 12 человек погибли в результате взрыва на рынке в городе Варенко."
    path.write_bytes(text.encode("cp1251"))
    [report] = items([str(path)])
    assert isinstance(report, Report) and report.text == text
    [warning] = warnings_of(report)
    assert str(warning) == f"{path}: not UTF-8: decoded as cp1251"


def test_huge_text_file_is_streamed_in_bounded_parts(tmp_path: Path) -> None:
    path = tmp_path / "dump.txt"
    paragraph = (GOOD_A.strip() + " " + GOOD_B.strip() + " ") * 6 + "\n\n"
    block = (paragraph * (1_048_576 // len(paragraph) + 1)).encode()[:1_048_576]
    with open(path, "wb") as out:
        for _ in range(200):
            out.write(block)
    size = path.stat().st_size
    assert size >= 200 * 2**20
    tracemalloc.start()
    parts = total = 0
    first: Report | None = None
    for item in read_reports([str(path)]):
        assert isinstance(item, Report), item
        parts += 1
        total += len(item.text)
        assert len(item.text) <= large.PART_CHARS
        if first is None:
            first = item
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 40 * 2**20, f"peak {peak / 2**20:.0f} MB"
    assert total == size
    assert first is not None and first.id == f"{path}#part-1" and parts >= size // large.PART_CHARS
    [warning] = warnings_of(first)
    assert "large input (210 MB)" in str(warning) and "#part-N" in str(warning)


def test_one_run_over_every_bad_input(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(large, "LARGE_TEXT_BYTES", 4000)  # a "huge" file that extraction can go through quickly
    monkeypatch.setattr(large, "PART_CHARS", 1500)
    root = tmp_path / "corpus"
    root.mkdir()
    (root / "good.txt").write_text(GOOD_A, encoding="utf-8")
    (root / "page.html").write_text(PAGE, encoding="utf-8")
    (root / "export.csv").write_text(f'id,body\nk1,"{GOOD_C}"\n', encoding="utf-8")
    (root / "lines.jsonl").write_text(
        json.dumps({"id": "wire-1", "text": GOOD_B}) + "\n{not json\n" + json.dumps({"body": GOOD_A}) + "\n",
        encoding="utf-8",
    )
    (root / "binary.txt").write_bytes(b"\x00\x01\x02\xff\xfe\x00binary\x00data")
    (root / "empty.txt").write_bytes(b"")
    (root / "scripts.html").write_text(SCRIPTS_ONLY, encoding="utf-8")
    gz = gzip.compress((GOOD_A * 400).encode())
    (root / "cut.txt.gz").write_bytes(gz[: len(gz) // 2])
    write_warc(root / "cut.warc.gz", 2)
    warc = (root / "cut.warc.gz").read_bytes()
    (root / "cut.warc.gz").write_bytes(warc[:-150])
    (root / "nocolumn.csv").write_text("id,story\n1,Nothing here\n", encoding="utf-8")
    (root / "legacy.txt").write_bytes("Le maire a déclaré que 5 personnes ont été tuées à Westport.".encode("cp1252"))
    (root / "huge.txt").write_text((GOOD_A + "\n") * 120, encoding="utf-8")
    locked = root / "locked"
    locked.mkdir()
    (locked / "secret.txt").write_text(GOOD_A, encoding="utf-8")
    real_scandir = os.scandir

    def scandir(path: Any = ".") -> Any:
        if os.fspath(path) == str(locked):
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    missing = str(tmp_path / "nowhere.txt")
    options = ["--text-column", "body", "--id-column", "id", "-f", "jsonl"]
    result = CliRunner().invoke(app, ["extract", str(root), missing, *options])
    assert result.exit_code == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit)
    rows = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    claimed = {r["doc"] for r in rows if r["type"] == "claim"}
    good = {str(root / "good.txt"), str(root / "page.html"), f"{root / 'export.csv'}#k1", "wire-1"}
    assert good <= claimed
    assert f"{root / 'huge.txt'}#part-1" in claimed and f"{root / 'legacy.txt'}" in {r["doc"] for r in rows}
    err = [line for line in result.stderr.splitlines() if line.strip()]
    errors = [line for line in err if line.startswith("error: ")]
    bad = {
        "binary.txt": "binary file",
        "empty.txt": "empty file",
        "scripts.html": "no main text",
        "cut.txt.gz": "truncated gzip",
        "cut.warc.gz": "truncated",
        "nocolumn.csv": "no column 'body'",
        "locked": "permission denied",
    }
    for name, words in bad.items():
        mine = [line for line in errors if f"{root / name}:" in line or f"{root / name}#" in line]
        assert len(mine) == 1 and words in mine[0], (name, errors)
    jsonl_errors = [line for line in errors if str(root / "lines.jsonl") in line]
    lines = root / "lines.jsonl"
    assert [line.split(": ", 2)[1] for line in jsonl_errors] == [f"{lines}:2", f"{lines}:3"]
    assert len([line for line in errors if missing in line]) == 1
    assert len(errors) == len(bad) + 3
    warnings = [line for line in err if line.startswith("warning: ")]
    assert len(warnings) == 2
    assert any("legacy.txt" in w and "cp1252" in w for w in warnings)
    assert any("huge.txt" in w and "parts" in w for w in warnings)
    assert err[-1] == f"{len(errors)} input(s) could not be read"
