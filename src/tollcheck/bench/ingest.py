"""The ingestion benchmark behind `tollcheck bench --pages N --warc-records N`.

It writes its own news pages, with the markup real ones carry (navigation, a loader, a byline, a
figure with its caption, related links, a footer, scripts and JSON-LD), to a temporary directory, as
single `.html` files and as the response records of one WARC.gz, and times reading them through
`read_reports` (main-text extraction included, claim extraction not): pages/s and records/s.
"""

from __future__ import annotations

import io
import random
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from tollcheck.bench import LEADS, PLACES, BenchResult, _fill, _rss_mb

OUTLETS = ("The Tessaly Observer", "Karvenia Daily Herald", "Northern Courier", "Radio Lumen", "Dolmar Today")
NAV = ("Home", "World", "Politics", "Business", "Sport", "Culture", "Opinion", "Video", "Podcasts")
RELATED = (
    "Ceasefire talks stall in {p}",
    "Aid convoy reaches {p} after 12 days",
    "Opinion: what the {p} talks mean",
    "Photos: a week in {p}",
)
PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>{title} | {outlet}</title>
<meta property="og:title" content="{title}"><meta property="og:site_name" content="{outlet}">
<meta name="author" content="{author}">
<meta property="article:published_time" content="2024-05-{day:02d}T08:15:00Z">
<link rel="canonical" href="https://news.example/{slug}">
<script>window.dataLayer=window.dataLayer||[];function gtag(){{dataLayer.push(arguments)}}
gtag('js',new Date());</script>
<script type="application/ld+json">{{"@type":"NewsArticle","headline":"{title}",
"datePublished":"2024-05-{day:02d}"}}</script>
<style>.loader{{display:none}} nav li{{display:inline}}</style>
</head><body>
<header><a class="logo" href="/">{outlet}</a><nav><ul>{nav}</ul></nav>
<form class="search"><input name="q" placeholder="Search"></form></header>
<div class="loader"><div class="spinner">Loading...</div></div>
<div class="cookie-banner">We use cookies to improve your experience. <button>Accept</button></div>
<main><article>
<h1>{title}</h1>
<p class="byline">By {author} | <time datetime="2024-05-{day:02d}">{day} May 2024</time></p>
{first}
<figure><img src="/img/{slug}.jpg" alt=""><figcaption>{caption}</figcaption></figure>
{rest}
</article>
<aside class="related"><h2>Related stories</h2><ul>{related}</ul></aside>
<div class="share">Share this story: <a href="#">Facebook</a> <a href="#">X</a> <a href="#">Email</a></div>
</main>
<footer><p>&copy; 2024 {outlet}. All rights reserved.</p><ul><li><a href="/about">About us</a></li>
<li><a href="/privacy">Privacy policy</a></li><li><a href="/terms">Terms of use</a></li></ul></footer>
<script src="/static/app.js"></script><script>loadAds('{slug}');trackPageView();</script>
</body></html>
"""


def make_page(i: int, rnd: random.Random) -> str:
    place = rnd.choice(PLACES)
    paragraphs = [_fill(rnd.choice(LEADS), rnd) for _ in range(rnd.randint(4, 8))]
    return PAGE.format(
        title=f"Attack in {place} leaves many dead",
        outlet=rnd.choice(OUTLETS),
        author=f"Reporter {i % 37}",
        day=1 + i % 28,
        slug=f"world/story-{i}",
        nav="".join(f'<li><a href="/{n.lower()}">{n}</a></li>' for n in NAV),
        first=f"<p>{paragraphs[0]}</p>",
        caption=f"Mourners gather in {place} on Sunday. Photo: {rnd.choice(OUTLETS)}",
        rest="\n".join(f"<p>{p}</p>" for p in paragraphs[1:]),
        related="".join(
            f'<li><a href="/r{k}">{r.format(p=rnd.choice(PLACES))}</a></li>' for k, r in enumerate(RELATED)
        ),
    )


def make_pages(n: int, seed: int = 3) -> Iterator[str]:
    rnd = random.Random(seed)
    for i in range(n):
        yield make_page(i, rnd)


def write_warc(path: Path, pages: Iterator[str]) -> int:
    """Write the pages as response records of one WARC.gz, with a request record before each."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    n = 0
    with open(path, "wb") as out:
        writer = WARCWriter(out, gzip=True)
        for n, page in enumerate(pages, start=1):
            url = f"https://news.example/world/story-{n}"
            http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            body = io.BytesIO(page.encode("utf-8"))
            headers = {"WARC-Date": "2024-05-20T10:00:00Z"}
            writer.write_record(
                writer.create_warc_record(url, "response", payload=body, http_headers=http, warc_headers_dict=headers)
            )
            request = StatusAndHeaders("GET /world/story HTTP/1.1", [("Host", "news.example")], is_http_request=True)
            writer.write_record(writer.create_warc_record(url, "request", http_headers=request))
    return n


def _timed(name: str, paths: list[str], n: int) -> BenchResult:
    from tollcheck.ingest import read_reports

    words = done = 0
    start = time.perf_counter()
    for item in read_reports(paths):
        if hasattr(item, "text"):
            done += 1
            words += len(item.text.split())
    seconds = max(time.perf_counter() - start, 1e-9)
    rss = round(_rss_mb(), 1)
    return BenchResult(
        name, done, round(seconds, 3), round(done / seconds, 1), round(words / seconds), 0, rss, rss, rss
    )


def bench_ingest(pages: int = 300, warc_records: int = 300) -> list[BenchResult]:
    """pages/s reading single HTML files and records/s reading a WARC.gz, main-text extraction included."""
    from tollcheck.ingest.html import extract_html

    extract_html("<html><body><p>warm up trafilatura and lxml once.</p></body></html>")
    out: list[BenchResult] = []
    with tempfile.TemporaryDirectory(prefix="tollcheck-bench-") as tmp:
        root = Path(tmp)
        if pages:
            page_dir = root / "pages"
            page_dir.mkdir()
            for i, page in enumerate(make_pages(pages)):
                (page_dir / f"page-{i:05d}.html").write_text(page, encoding="utf-8")
            out.append(_timed("HTML pages (ingest)", [str(page_dir)], pages))
        if warc_records:
            warc = root / "capture.warc.gz"
            write_warc(warc, make_pages(warc_records, seed=4))
            out.append(_timed("WARC records (ingest)", [str(warc)], warc_records))
    return out
