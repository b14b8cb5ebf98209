"""The bad-input corpus behind `tollcheck bench --bad-inputs`: every kind of input that once crashed,
hung, lost reports or was rejected for a wrong reason, made here and run through the real `extract`.

Each kind is a small generator writing its files into a temporary directory (the reports are invented;
the good ones say `MARK`). The runner extracts them with `api.extract`, as `tollcheck extract` does,
and prints per kind: the outcome (read, read with a warning, rejected with its message, skipped), the
time, the good reports lost (a good report is one whose text holds `MARK`; parts of one count once)
and the tracebacks (an exception escaping `extract`). Every kind must end with 0 lost and 0
tracebacks. The large kinds (`large=True`) show that time and memory stay linear in the input's size.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

GOOD = "Gunmen killed 12 villagers in Marrow on Friday, police said."
MARK = "Gunmen killed 12 villagers in Marrow"  # a report holding this is a good one
OTHER = "Rebels abducted 7 teachers in Sollen on Monday as the governor said."
KIND_SECONDS = 600.0  # a kind still running after this is reported as hung
PAGE = (
    "<!DOCTYPE html><html><head><title>Marrow attack</title></head><body><nav><a href='/'>Home</a></nav>"
    "{open}<p>" + GOOD + " The village had been quiet for months, residents said.</p>{close}"
    "<footer>Contact us</footer></body></html>"
)
Maker = Callable[[Path, bool], tuple[list[str], int]]  # (directory, large) -> (paths to extract, good reports)


def _write(path: Path, data: str | bytes) -> str:
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return str(path)


def _prose(chars: int) -> str:
    """Distinct paragraphs of invented news prose, about ``chars`` characters, the first holding GOOD."""
    out, size, k = [], 0, 0
    while size < chars:
        k += 1
        out.append(f"Update {k}. {GOOD if k == 1 else OTHER} Residents said the road was closed for {k} hours.\n\n")
        size += len(out[-1])
    return "".join(out)


def _pdf(text: str | None) -> bytes:
    """A one-page PDF with ``text`` in its text layer, or only a drawing (a scan has no text layer)."""
    content = f"BT /F1 11 Tf 72 720 Td ({text}) Tj ET" if text else "0.5 g 72 72 400 600 re f"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        "/Resources << /Font << /F1 5 0 R >> >> >>",
        f"<< /Length {len(content)} >>\nstream\n{content}\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = io.BytesIO(), []
    out.write(b"%PDF-1.4\n")
    for n, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{n} 0 obj\n{body}\nendobj\n".encode("latin-1"))
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    out.write("".join(f"{o:010d} 00000 n \n" for o in offsets).encode())
    out.write(f"trailer << /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


def _aes_pdf(text: str) -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(_pdf(text))))
    writer.encrypt(user_password="", owner_password="owner", algorithm="AES-256")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _warc(pages: int) -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    out = io.BytesIO()
    writer = WARCWriter(out, gzip=False)
    for k in range(pages):
        http = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        body = io.BytesIO(PAGE.format(open=f"<article><h1>Story {k}</h1>", close="</article>").encode())
        url = f"https://times.example/{k}"
        writer.write_record(writer.create_warc_record(url, "response", payload=body, http_headers=http))
    return out.getvalue()


# --- the kinds: each writes its files and says how many good reports they hold ----------------------


def binary_file(d: Path, large: bool) -> tuple[list[str], int]:
    return [_write(d / "photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8)], 0


def empty_file(d: Path, large: bool) -> tuple[list[str], int]:
    return [_write(d / "empty.txt", b"")], 0


def truncated_gzip(d: Path, large: bool) -> tuple[list[str], int]:
    lines = "".join(json.dumps({"id": f"r{i}", "text": GOOD + f" Update {i}. " + OTHER * 30}) + "\n" for i in range(60))
    data = gzip.compress(lines.encode())
    return [_write(d / "cut.jsonl.gz", data[: len(data) // 2])], 1  # at least the first line is whole


def broken_json_line(d: Path, large: bool) -> tuple[list[str], int]:
    text = json.dumps({"id": "a", "text": GOOD}) + "\n{not json\n" + json.dumps({"id": "b", "text": GOOD}) + "\n"
    return [_write(d / "lines.jsonl", text)], 2


def missing_text_field(d: Path, large: bool) -> tuple[list[str], int]:
    text = json.dumps({"id": "a", "body": OTHER}) + "\n" + json.dumps({"id": "b", "text": GOOD}) + "\n"
    return [_write(d / "lines.jsonl", text)], 1


def csv_without_the_column(d: Path, large: bool) -> tuple[list[str], int]:
    return [_write(d / "export.csv", f"id,story\n1,{OTHER}\n")], 0


def html_only_scripts(d: Path, large: bool) -> tuple[list[str], int]:
    page = "<!DOCTYPE html><html><head><script src='/a.js'></script></head><body><script>run()</script></body></html>"
    return [_write(d / "app.html", page)], 0


def scanned_pdf(d: Path, large: bool) -> tuple[list[str], int]:
    return [_write(d / "scan.pdf", _pdf(None))], 0


def gzip_bomb(d: Path, large: bool) -> tuple[list[str], int]:
    size = (1 << 30) if large else (16 << 20)  # blank lines: a thousand times smaller compressed (large: stopped)
    with gzip.open(d / "bomb.txt.gz", "wb") as out:
        for _ in range(size >> 20):
            out.write(b"\n" * (1 << 20))
    return [str(d / "bomb.txt.gz")], 0


def billion_laughs(d: Path, large: bool) -> tuple[list[str], int]:
    entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{k} "{("&lol" + (str(k - 1) if k > 1 else "") + ";") * 10}">' for k in range(1, 10)
    )
    xml = f'<?xml version="1.0"?><!DOCTYPE lolz [{entities}]><lolz><p>{GOOD}</p>&lol9;</lolz>'
    page = f"<!DOCTYPE html [{entities}]><html><body><article><p>{GOOD} &lol9;</p></article></body></html>"
    return [_write(d / "lolz.xml", xml), _write(d / "lolz.html", page)], 2


def five_mb_text(d: Path, large: bool) -> tuple[list[str], int]:
    return [_write(d / "one-report.txt", _prose(5_000_000 if large else 200_000))], 1


def fifty_mb_csv_cell(d: Path, large: bool) -> tuple[list[str], int]:
    cell = _prose(50_000_000 if large else 2_000_000).replace('"', "")
    return [_write(d / "export.csv", f'id,text\n1,"{cell}"\n2,"{GOOD}"\n')], 2


def over_spacy_limit(d: Path, large: bool) -> tuple[list[str], int]:
    record = {"id": "long", "text": _prose(5_100_000)}
    return [_write(d / "long.jsonl", json.dumps(record) + "\n" + json.dumps({"id": "next", "text": GOOD}) + "\n")], 2


def symlink_loop(d: Path, large: bool) -> tuple[list[str], int]:
    _write(d / "a.txt", GOOD)
    os.symlink("loop.txt", d / "loop.txt")
    _write(d / "z.txt", GOOD)
    return [str(d)], 2


def named_pipe(d: Path, large: bool) -> tuple[list[str], int]:
    _write(d / "a.txt", GOOD)
    os.mkfifo(d / "feed.txt")
    return [str(d), str(d / "feed.txt")], 1


def one_nul_byte(d: Path, large: bool) -> tuple[list[str], int]:
    return [_write(d / "export.txt", GOOD.replace(" in ", " in\x00 ", 1).encode())], 1


def utf16_without_bom(d: Path, large: bool) -> tuple[list[str], int]:
    return [_write(d / "export.txt", GOOD.encode("utf-16-le")), _write(d / "page.html", PAGE.format(
        open="<article>", close="</article>").encode("utf-16-be"))], 2  # fmt: skip


def deep_html(d: Path, large: bool) -> tuple[list[str], int]:
    depth = 100_000 if large else 3000
    return [_write(d / "deep.html", PAGE.format(open="<div>" * depth, close="</div>" * depth))], 1


def unclosed_tags(d: Path, large: bool) -> tuple[list[str], int]:
    n = 2_000_000 if large else 100_000
    page = PAGE.format(open="<div>" * 300, close="<a" * n + "<script>x" * (n // 4) + "<" * n)
    return [_write(d / "hostile.html", page)], 1


def aes_pdf(d: Path, large: bool) -> tuple[list[str], int]:
    return [_write(d / "bulletin.pdf", _aes_pdf(GOOD))], 1


def warc_cut_in_headers(d: Path, large: bool) -> tuple[list[str], int]:
    data = _warc(3)
    last = data.rfind(b"WARC/1.")
    return [_write(d / "capture.warc", data[: last + 200])], 2


def csv_unbalanced_quote(d: Path, large: bool) -> tuple[list[str], int]:
    return [_write(d / "export.csv", f'id,text\n1,"{GOOD}\n2,{GOOD}\n3,{GOOD}\n')], 3


def huge_jsonl_line(d: Path, large: bool) -> tuple[list[str], int]:
    """A line past the record bound (cut, with a warning); large: a 1 GB line in a 1 MB .jsonl.gz (a bomb)."""
    from tollcheck.ingest import limits

    size = (1 << 30) if large else limits.MAX_RECORD_BYTES + (16 << 20)
    path = d / ("dump.jsonl.gz" if large else "dump.jsonl")
    with gzip.open(path, "wb") if large else open(path, "wb") as out:
        out.write(json.dumps({"id": "first", "text": GOOD}).encode() + b"\n")
        out.write(b'{"id": "huge", "text": "' + GOOD.encode() + b'", "blob": "')
        for _ in range(size >> 20):
            out.write(b"x" * (1 << 20))
        out.write(b'"}\n' + json.dumps({"id": "last", "text": GOOD}).encode() + b"\n")
    return [str(path)], 1 if large else 3  # the bomb is stopped before the line ends


def other_languages(d: Path, large: bool) -> tuple[list[str], int]:
    french = (
        "Selon la police, au moins douze villageois ont été tués vendredi dans une attaque contre le marché de "
        "Marrow. Les hommes armés sont arrivés dans la nuit et ont ouvert le feu sur les habitants qui dormaient."
    )
    spanish = (
        "Según la policía, al menos doce aldeanos fueron asesinados el viernes en un ataque contra el mercado de "
        "Marrow. Los hombres armados llegaron por la noche y abrieron fuego contra los habitantes que dormían."
    )
    return [_write(d / "fr.txt", french), _write(d / "es.txt", spanish)], 0


@dataclass(frozen=True, slots=True)
class Kind:
    name: str
    make: Maker
    large: bool = False  # only run with large=True: it is about size, and takes a while
    text_column: str | None = None


KINDS: tuple[Kind, ...] = (
    Kind("binary file", binary_file),
    Kind("empty file", empty_file),
    Kind("truncated gzip", truncated_gzip),
    Kind("broken JSON line", broken_json_line),
    Kind("missing text field", missing_text_field),
    Kind("CSV without the column", csv_without_the_column, text_column="text"),
    Kind("HTML with only scripts", html_only_scripts),
    Kind("scanned PDF (no text layer)", scanned_pdf),
    Kind("gzip bomb (blank lines)", gzip_bomb),
    Kind("billion laughs (XML, HTML)", billion_laughs),
    Kind("5 MB one-report text", five_mb_text, large=True),
    Kind("50 MB CSV, one huge cell", fifty_mb_csv_cell, large=True, text_column="text"),
    Kind("JSONL line over 5M characters", over_spacy_limit, large=True),
    Kind("self-referencing symlink", symlink_loop),
    Kind("named pipe (dir, command line)", named_pipe),
    Kind("one NUL byte", one_nul_byte),
    Kind("UTF-16 without a BOM", utf16_without_bom),
    Kind("HTML nested deeply", deep_html),
    Kind("HTML unclosed tags, deep", unclosed_tags),
    Kind("AES PDF, empty password", aes_pdf),
    Kind("WARC cut in last headers", warc_cut_in_headers),
    Kind("CSV unbalanced quote", csv_unbalanced_quote, text_column="text"),
    Kind("huge JSONL line", huge_jsonl_line),
    Kind("French and Spanish reports", other_languages),
)


@dataclass(slots=True)
class Outcome:
    kind: str
    outcome: str = "skipped"  # read | read, warned | rejected | skipped | hung
    message: str = ""  # the first error (or warning) said
    seconds: float = 0.0
    reports: int = 0
    errors: int = 0
    warnings: int = 0
    good_lost: int = 0
    tracebacks: int = 0
    details: list[str] = field(default_factory=list)


def _base_id(report_id: str) -> str:
    return report_id.rsplit("#part-", 1)[0]


def run_kind(kind: Kind, root: Path, large: bool = False, extract: bool = True) -> Outcome:
    """Make ``kind``'s files under ``root`` and extract them as `tollcheck extract` does (``extract=False``:
    only read them, as `read_reports` does, to time ingestion alone)."""
    from tollcheck import api
    from tollcheck.ingest import ReadOptions, read_reports, warnings_of
    from tollcheck.model import IngestError, Report

    result = Outcome(kind.name)
    paths, good = kind.make(root, large)
    found: set[str] = set()

    def work() -> None:
        options = ReadOptions(text_column=kind.text_column)
        try:
            items = api.extract(paths, options=options) if extract else read_reports(paths, options=options)
            for item in items:
                if isinstance(item, IngestError):
                    result.errors += 1
                    result.details.append(f"error: {item}")
                    continue
                report = item if isinstance(item, Report) else item.report
                result.reports += 1
                said = [str(w) for w in warnings_of(report)]
                result.warnings += len(said)
                result.details.extend(f"warning: {w}" for w in said)
                if MARK in report.text:
                    found.add(_base_id(report.id))
        except Exception:  # noqa: BLE001  (counted: the corpus is there to show there are none)
            result.tracebacks += 1
            result.details.append(traceback.format_exc(limit=3).replace("\n", " | "))

    start = time.perf_counter()
    worker = threading.Thread(target=work, daemon=True)
    worker.start()
    worker.join(KIND_SECONDS)
    result.seconds = round(time.perf_counter() - start, 2)
    result.good_lost = max(good - len(found), 0)
    if worker.is_alive():
        result.outcome, result.message = "hung", f"still running after {KIND_SECONDS:.0f} s"
        return result
    if result.errors:
        result.outcome = "rejected" if not result.reports else "read, rejected in part"
    elif result.reports:
        result.outcome = "read, warned" if result.warnings else "read"
    firsts = [d for d in result.details if d.startswith("error")] or result.details
    result.message = firsts[0].replace(str(root) + os.sep, "") if firsts else ""
    return result


def bad_inputs_report(
    out: TextIO | None = None, large: bool = True, kinds: tuple[Kind, ...] = KINDS, extract: bool = True
) -> list[Outcome]:
    """Run every bad-input kind (the large ones too when ``large``) through `extract` (or, ``extract=False``,
    through ingestion alone) and print one line per kind."""
    from tollcheck.bench import _rss_mb

    out = out or sys.stdout
    results: list[Outcome] = []
    out.write(f"{'kind':32} {'outcome':24} {'s':>7} {'lost':>4} {'tb':>3} {'RSS MB':>7}  first message\n")
    with tempfile.TemporaryDirectory(prefix="tollcheck-bad-") as tmp:
        for n, kind in enumerate(kinds):
            if kind.large and not large:
                continue
            root = Path(tmp) / f"kind-{n:02d}"
            root.mkdir()
            r = run_kind(kind, root, large, extract)
            results.append(r)
            message = r.message if len(r.message) <= 110 else r.message[:109] + "…"
            out.write(
                f"{r.kind:32} {r.outcome:24} {r.seconds:7.2f} {r.good_lost:4d} {r.tracebacks:3d} "
                f"{_rss_mb():7.0f}  {message}\n"
            )
    lost, tracebacks = sum(r.good_lost for r in results), sum(r.tracebacks for r in results)
    hung = sum(r.outcome == "hung" for r in results)
    out.write(f"{len(results)} kinds: {lost} good reports lost, {tracebacks} tracebacks, {hung} hung\n")
    return results
