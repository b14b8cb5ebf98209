"""Real inputs: saved web pages, PDFs, web archives, spreadsheet exports, gzip, sniffing and metadata.

Every page, document and place here is invented; each test writes its own files into tmp_path.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tollcheck.api import extract_reports
from tollcheck.cli import app
from tollcheck.ingest import ReadOptions, page_of, read_reports
from tollcheck.model import IngestError, Report

HEADLINE = "Shelling kills 14 in Korvath market"
PARAGRAPHS = (
    "KORVATH - At least 14 civilians were killed and 27 wounded when shells struck the covered market in "
    "Korvath on Saturday morning, the regional health office said.",
    "Witnesses said the first shell landed near the bread stalls shortly after 9 am, when the market was "
    "crowded with shoppers.",
    "The local council said three children were among the dead. Rescue workers were still searching the "
    "rubble on Saturday evening.",
)
PLAIN = HEADLINE + "\n\n" + "\n\n".join(PARAGRAPHS) + "\n"

PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>{headline} | The Tessaly Observer</title>
<meta property="og:title" content="{headline}">
<meta property="og:site_name" content="The Tessaly Observer">
<meta name="author" content="Mira Delacourt">
<meta property="article:published_time" content="{published}T09:30:00Z">
<meta property="article:modified_time" content="2024-05-19T18:00:00Z">
<link rel="canonical" href="https://observer.example/world/{slug}">
<script>window.dataLayer=[];function gtag(){{dataLayer.push(arguments)}}</script>
<style>.loader{{display:none}}</style>
</head><body>
<header><nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li>
<li><a href="/sport">Sport</a></li><li><a href="/opinion">Opinion</a></li></ul></nav></header>
<div class="loader"><div class="spinner">Loading...</div></div>
<div id="app-loading" class="skeleton"></div>
<main><article>
<h1>{headline}</h1>
<p class="byline">By Mira Delacourt</p>
<p>{p0}</p>
<figure><img src="/img/market.jpg" alt=""><figcaption>Relatives mourn the 30 killed in Dravo last year.
Photo: Observer staff</figcaption></figure>
<p>{p1}</p>
<p>{p2}</p>
</article>
<aside><h2>Related stories</h2><ul><li><a href="/a">Bomb kills 9 in Dravo</a></li>
<li><a href="/b">Aid convoy reaches Ostrel after 12 days</a></li></ul></aside>
</main>
<footer><p>&copy; 2024 The Tessaly Observer. All rights reserved.</p>
<a href="/privacy">Privacy</a> <a href="/terms">Terms</a></footer>
<script src="/js/app.js"></script><script>loadAds(); var killed = 500;</script>
</body></html>
"""


def page(headline: str = HEADLINE, paragraphs: tuple[str, ...] = PARAGRAPHS, published: str = "2024-05-12") -> str:
    p0, p1, p2 = paragraphs
    return PAGE.format(headline=headline, p0=p0, p1=p1, p2=p2, published=published, slug="korvath")


def items(paths: list[str], **options: str) -> list[Report | IngestError]:
    return list(read_reports(paths, options=ReadOptions(**options)))


def only_report(found: list[Report | IngestError]) -> Report:
    assert len(found) == 1 and isinstance(found[0], Report), found
    return found[0]


def claim_keys(report: Report) -> list[tuple]:
    [result] = list(extract_reports([report]))
    assert not isinstance(result, IngestError), result
    return [
        (c.category, c.low, c.high, c.qualifier, c.group, c.source, c.place, c.date, c.quote) for c in result.claims
    ]


def lines_of(out: str) -> list[dict]:
    return [json.loads(line) for line in out.splitlines() if line.strip()]


# --- HTML ---------------------------------------------------------------------------------------


def test_news_page_gives_the_claims_of_its_plain_text_and_its_metadata(tmp_path: Path) -> None:
    path = tmp_path / "korvath.html"
    path.write_text(page(), encoding="utf-8")
    report = only_report(items([str(path)]))
    assert report.id == str(path)
    assert report.title == HEADLINE
    assert report.outlet == "The Tessaly Observer"
    assert report.author == "Mira Delacourt"
    assert report.published == "2024-05-12"
    assert report.url == "https://observer.example/world/korvath"
    assert report.metadata["published_from"] == "the page's metadata"
    assert report.metadata["updated"] == "2024-05-19"  # kept apart from the publication date
    for noise in ("Loading", "Related", "Dravo", "Privacy", "Photo", "loadAds", "Home"):
        assert noise not in report.text
    plain = Report(id="plain", text=PLAIN, published="2024-05-12")
    expected = claim_keys(plain)
    assert expected and any(k[0] == "killed" and k[1] == 14 for k in expected)
    assert claim_keys(report) == expected


def test_html_is_recognised_by_content_under_a_wrong_suffix(tmp_path: Path) -> None:
    path = tmp_path / "saved-page.txt"
    path.write_text(page(), encoding="utf-8")
    report = only_report(items([str(path)]))
    assert report.title == HEADLINE and "<" not in report.text


def test_headline_outside_the_article_is_put_first(tmp_path: Path) -> None:
    html = (
        "<html><head><title>Rebels seize Sollen school</title></head><body><div class='top'><h2>Rebels seize "
        "Sollen school</h2></div><article><p>Rebels abducted 7 teachers in Sollen on Monday, the governor said. "
        "The school has been closed since.</p></article></body></html>"
    )
    path = tmp_path / "sollen.htm"
    path.write_text(html, encoding="utf-8")
    report = only_report(items([str(path)]))
    assert report.text.startswith("Rebels seize Sollen school")
    assert report.metadata.get("published_from") is None  # the text stage dates it, or says it cannot


def test_html_from_standard_input() -> None:
    report = only_report(list(read_reports(["-"], stdin=io.BytesIO(page().encode("utf-8")))))
    assert report.id == "-" and report.title == HEADLINE


# --- PDF ----------------------------------------------------------------------------------------


def make_pdf(path: Path, pages: list[str], title: str = "Ostrel Watch bulletin") -> bytes:
    fpdf = pytest.importorskip("fpdf")
    import datetime

    pdf = fpdf.FPDF()
    pdf.set_title(title)
    pdf.set_author("Ostrel Watch")
    pdf.set_creation_date(datetime.datetime(2024, 5, 14, tzinfo=datetime.UTC))
    pdf.set_font("helvetica", size=11)
    for text in pages:
        pdf.add_page()
        pdf.multi_cell(0, 7, text)
    data = bytes(pdf.output())
    path.write_bytes(data)
    return data


PDF_PAGES = [
    "Ostrel Watch bulletin no. 12\n\nAt least 14 civilians were killed in Korvath on Saturday, the health office said.",
    "Rebels abducted 7 teachers in Sollen on Monday, the governor said.",
]


def test_pdf_text_layer_page_by_page(tmp_path: Path) -> None:
    path = tmp_path / "bulletin.pdf"
    make_pdf(path, PDF_PAGES)
    report = only_report(items([str(path)]))
    assert report.id == str(path)
    assert report.title == "Ostrel Watch bulletin" and report.author == "Ostrel Watch"
    assert report.metadata["page_count"] == 2
    pages = report.origin["pages"]
    assert [p[0] for p in pages] == [1, 2]
    assert "Korvath" in report.text[pages[0][1] : pages[0][2]]
    assert "Sollen" in report.text[pages[1][1] : pages[1][2]]
    assert page_of(report, report.text.index("Korvath")) == 1
    assert page_of(report, report.text.index("Sollen")) == 2
    assert page_of(report, len(report.text) + 5) is None
    assert report.published == "2024-05-14"  # no date in its first lines: the PDF's creation date
    assert "creation date" in report.metadata["published_from"]


def test_pdf_without_suffix_is_recognised_and_extracted(tmp_path: Path) -> None:
    path = tmp_path / "download"
    make_pdf(path, PDF_PAGES)
    runner = CliRunner()
    result = runner.invoke(app, ["extract", str(path), "-f", "jsonl"])
    assert result.exit_code == 0, result.stderr
    rows = lines_of(result.stdout)
    claims = [r for r in rows if r["type"] == "claim"]
    assert {(c["category"], c["low"]) for c in claims} >= {("killed", 14), ("abducted", 7)}
    assert all(c["doc"] == str(path) for c in claims)


# --- WARC ---------------------------------------------------------------------------------------


def write_warc(path: Path, pages: list[tuple[str, str, int]], gz: bool = True) -> list[int]:
    """Pages as (url, html, status) response records, with a request and a metadata record; returns nothing."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with open(path, "wb") as out:
        writer = WARCWriter(out, gzip=gz)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "tollcheck tests"}))
        for k, (url, html, status) in enumerate(pages):
            http = StatusAndHeaders(f"{status} X", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            date = {"WARC-Date": f"2024-05-2{k}T10:00:00Z"}
            record = writer.create_warc_record(
                url, "response", payload=io.BytesIO(html.encode("utf-8")), http_headers=http, warc_headers_dict=date
            )
            writer.write_record(record)
            request = StatusAndHeaders("GET / HTTP/1.1", [("Host", "observer.example")], is_http_request=True)
            writer.write_record(writer.create_warc_record(url, "request", http_headers=request))
        css = StatusAndHeaders("200 OK", [("Content-Type", "text/css")], protocol="HTTP/1.1")
        writer.write_record(
            writer.create_warc_record(
                "https://observer.example/s.css", "response", payload=io.BytesIO(b"body{}"), http_headers=css
            )
        )
    return []


SOLLEN = (
    "Rebels seize teachers in Sollen",
    (
        "SOLLEN - Rebels abducted 7 teachers from a school in Sollen on Monday, the provincial governor said.",
        "Parents gathered outside the school gates as soldiers searched the surrounding hills.",
        "No ransom demand had been made by Monday night, officials said.",
    ),
)


@pytest.mark.parametrize("gz", [True, False])
def test_warc_pages_are_reports_with_url_capture_date_and_offset(tmp_path: Path, gz: bool) -> None:
    path = tmp_path / ("capture.warc.gz" if gz else "capture.warc")
    write_warc(
        path,
        [
            ("https://observer.example/world/korvath", page(), 200),
            ("https://observer.example/missing", page(), 404),
            ("https://observer.example/world/sollen", page(SOLLEN[0], SOLLEN[1], "2024-05-13"), 200),
        ],
        gz=gz,
    )
    found = items([str(path)])
    assert all(isinstance(r, Report) for r in found), found
    first, second = found
    assert first.id.startswith(f"{path}#") and second.id.startswith(f"{path}#")
    assert int(first.id.rsplit("#", 1)[1]) < int(second.id.rsplit("#", 1)[1])
    assert first.url == "https://observer.example/world/korvath"
    assert second.url == "https://observer.example/world/sollen"
    assert first.metadata["captured"] == "2024-05-20T10:00:00Z"
    assert second.metadata["captured"] == "2024-05-22T10:00:00Z"
    assert (first.published, second.published) == ("2024-05-12", "2024-05-13")  # the pages' own dates
    assert first.title == HEADLINE and second.title == SOLLEN[0]
    # the record's offset points at the record
    with open(path, "rb") as fh:
        fh.seek(int(second.id.rsplit("#", 1)[1]))
        head = fh.read(2)
    assert head == (b"\x1f\x8b" if gz else b"WA")


def test_warc_round_trips_through_extract(tmp_path: Path) -> None:
    path = tmp_path / "capture.warc.gz"
    write_warc(
        path,
        [
            ("https://observer.example/world/korvath", page(), 200),
            ("https://observer.example/world/sollen", page(SOLLEN[0], SOLLEN[1], "2024-05-13"), 200),
        ],
    )
    result = CliRunner().invoke(app, ["extract", str(path), "-f", "jsonl"])
    assert result.exit_code == 0, result.stderr
    rows = lines_of(result.stdout)
    docs = [r["doc"] for r in rows if r["type"] == "report"]
    assert len(docs) == 2 and all(d.startswith(f"{path}#") for d in docs)
    claims = {(r["doc"], r["category"], r["low"]) for r in rows if r["type"] == "claim"}
    assert (docs[0], "killed", 14) in claims and (docs[1], "abducted", 7) in claims


# --- CSV / TSV / JSONL / gzip --------------------------------------------------------------------

EXPORT = [
    {"story_id": "A-1", "headline": "Korvath market shelled", "body": PARAGRAPHS[0], "pubdate": "12 May 2024",
     "outlet": "Tessaly Observer", "section": "World"},
    {"story_id": "A-2", "headline": "Teachers seized", "body": SOLLEN[1][0], "pubdate": "2024-05-13",
     "outlet": "Sollen Post", "section": "Region"},
]  # fmt: skip


def write_table(path: Path, rows: list[dict], delimiter: str = ",") -> None:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]), delimiter=delimiter)
        writer.writeheader()
        writer.writerows(rows)


def test_csv_export_round_trips_through_extract_with_metadata(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    write_table(path, EXPORT)
    options = ["--text-column", "body", "--id-column", "story_id", "--date-column", "pubdate"]
    found = items([str(path)], text_column="body", id_column="story_id", date_column="pubdate")
    first, second = found
    assert isinstance(first, Report) and isinstance(second, Report)
    assert (first.id, second.id) == (f"{path}#A-1", f"{path}#A-2")
    assert first.outlet == "Tessaly Observer" and first.published == "2024-05-12"
    assert first.metadata["headline"] == "Korvath market shelled" and first.metadata["section"] == "World"
    assert first.metadata["published_from"] == "the 'pubdate' column"
    assert first.origin == {"file": str(path), "line": 2}
    result = CliRunner().invoke(app, ["extract", str(path), *options, "-f", "jsonl"])
    assert result.exit_code == 0, result.stderr
    claims = {(r["doc"], r["category"], r["low"]) for r in lines_of(result.stdout) if r["type"] == "claim"}
    assert {(f"{path}#A-1", "killed", 14), (f"{path}#A-2", "abducted", 7)} <= claims


def test_tsv_without_id_column_uses_line_numbers_and_multiline_cells(tmp_path: Path) -> None:
    path = tmp_path / "export.tsv"
    rows = [{"text": PARAGRAPHS[0] + "\n\n" + PARAGRAPHS[1], "outlet": "A"}, {"text": SOLLEN[1][0], "outlet": "B"}]
    write_table(path, rows, delimiter="\t")
    first, second = items([str(path)])
    assert isinstance(first, Report) and isinstance(second, Report)
    assert first.id == f"{path}#2" and second.id == f"{path}#5"  # the first row spans three lines


def test_table_without_suffix_is_sniffed_by_its_header(tmp_path: Path) -> None:
    path = tmp_path / "export"
    write_table(path, EXPORT)
    found = items([str(path)], text_column="body")
    assert [type(f).__name__ for f in found] == ["Report", "Report"]
    assert found[0].id == f"{path}#2"


def test_gzip_of_jsonl_csv_and_text(tmp_path: Path) -> None:
    jsonl = tmp_path / "wire.jsonl.gz"
    jsonl.write_bytes(gzip.compress((json.dumps({"id": "w1", "text": PLAIN}) + "\n").encode()))
    text = tmp_path / "story.txt.gz"
    text.write_bytes(gzip.compress(PLAIN.encode()))
    table = tmp_path / "export.csv.gz"
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(EXPORT[0]))
    writer.writeheader()
    writer.writerows(EXPORT)
    table.write_bytes(gzip.compress(buf.getvalue().encode()))
    found = items([str(jsonl), str(text), str(table)], text_column="body")
    assert [r.id for r in found if isinstance(r, Report)] == ["w1", str(text), f"{table}#2", f"{table}#3"]
    assert found[1].text == PLAIN


def test_jsonl_without_suffix_is_sniffed(tmp_path: Path) -> None:
    path = tmp_path / "dump"
    path.write_text(json.dumps({"id": "x1", "text": PLAIN}) + "\n" + json.dumps({"text": PLAIN}) + "\n")
    assert [r.id for r in items([str(path)])] == ["x1", f"{path}#2"]


# --- directories, glob, --published ------------------------------------------------------------


def test_directory_takes_every_supported_format_and_glob_chooses(tmp_path: Path) -> None:
    root = tmp_path / "inbox"
    (root / "pages").mkdir(parents=True)
    (root / "pages" / "korvath.html").write_text(page(), encoding="utf-8")
    (root / "a.txt").write_text(PLAIN, encoding="utf-8")
    make_pdf(root / "bulletin.pdf", PDF_PAGES)
    write_warc(root / "capture.warc.gz", [("https://observer.example/k", page(), 200)])
    write_table(root / "export.csv", EXPORT)
    (root / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    found = items([str(root)])
    assert all(isinstance(f, Report) for f in found), found
    names = [Path(f.origin["file"]).name for f in found]
    assert names == ["a.txt", "bulletin.pdf", "capture.warc.gz", "korvath.html"]  # no CSV without --text-column
    with_tables = items([str(root)], text_column="body")
    assert sum(1 for f in with_tables if Path(f.origin["file"]).name == "export.csv") == 2
    only_html = items([str(root)], glob="*.html")
    assert [Path(f.id).name for f in only_html] == ["korvath.html"]


def test_published_option_overrides_every_report(tmp_path: Path) -> None:
    path = tmp_path / "korvath.html"
    path.write_text(page(), encoding="utf-8")
    report = only_report(items([str(path)], published="2024-06-01"))
    assert report.published == "2024-06-01"
    assert report.metadata["published_from"] == "the --published option"
    assert report.metadata["published_in_input"] == "2024-05-12"
    result = CliRunner().invoke(app, ["extract", str(path), "--published", "1 June 2024", "-f", "jsonl"])
    assert result.exit_code == 0, result.stderr
    bad = CliRunner().invoke(app, ["extract", str(path), "--published", "someday"])
    assert bad.exit_code == 2 and "--published" in bad.stderr
