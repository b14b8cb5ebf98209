"""Saved web pages: the main text and what the page says about itself, with trafilatura.

The page's headline stands as the report's first line (as in a plain-text report) when trafilatura's
main text does not already start with it. The publication date comes from the page's own metadata
(`original_date`: a page's "modified" date is kept apart in `metadata["updated"]`); navigation, related
links, footers, scripts and figure captions stay out of the text.
"""

from __future__ import annotations

import logging
import re
from functools import lru_cache
from typing import Any

from tollcheck.ingest.common import Item, one_line
from tollcheck.ingest.deep_html import read_html
from tollcheck.ingest.limits import MAX_HTML_BYTES
from tollcheck.model import IngestError, Report

TRAFILATURA_SETTINGS = {
    "max_file_size": str(MAX_HTML_BYTES),
    "extensive_date_search": "off",  # no dates guessed from the body text: published.py reads the text itself
    "extraction_timeout": "0",  # signal-based: not usable outside the main thread
}
QUIET_LOGGERS = ("trafilatura", "htmldate", "courlan", "justext")
DATE_PARAMS = {"extensive_search": False, "original_date": True}
META_FIELDS = (
    "description",
    "hostname",
    "language",
    "categories",
    "tags",
    "pagetype",
    "image",
    "license",
    "html_fallback",
)
MODIFIED = re.compile(
    rb"""(?:(?:property|name|itemprop)\s*=\s*["'](?:article:modified_time|og:updated_time|dateModified|"""
    rb"""last-modified)["'][^>]*?content\s*=\s*["'](?P<a>[^"']{8,40})|"dateModified"\s*:\s*"(?P<b>[^"]{8,40}))""",
    re.I,
)
MODIFIED_WITHIN = 200_000  # bytes of the page searched for a "modified" date


@lru_cache(maxsize=1)
def _config() -> Any:
    from trafilatura.settings import use_config

    for name in QUIET_LOGGERS:  # "discarding data: None" and the like would reach stderr as stray lines
        logging.getLogger(name).setLevel(logging.CRITICAL)
    config = use_config()
    for key, value in TRAFILATURA_SETTINGS.items():
        config.set("DEFAULT", key, value)
    return config


def _norm(text: str) -> str:
    return " ".join(text.lower().split())


def _modified(data: bytes) -> str | None:
    from tollcheck.ingest.published import parse_date

    m = MODIFIED.search(data[:MODIFIED_WITHIN])
    if not m:
        return None
    raw = (m.group("a") or m.group("b")).decode("ascii", errors="replace")
    return parse_date(raw[:10]) if re.match(r"\d{4}-\d\d-\d\d", raw) else parse_date(raw)


def extract_html(data: Any) -> dict[str, Any] | None:
    """trafilatura's main text and metadata of a page (bytes, text or an lxml tree), as a dict; None when it
    finds no main text."""
    import trafilatura

    doc = trafilatura.bare_extraction(
        data,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        include_images=False,
        date_extraction_params=DATE_PARAMS,
        config=_config(),
    )
    if doc is None:
        return None
    found = doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)
    return found if (found.get("text") or "").strip() else None


def html_report(
    source: str, data: bytes, *, file: str | None = None, url: str | None = None, extra: dict[str, Any] | None = None
) -> Item:
    """A Report for one page (``source`` is its id), or an IngestError saying why there is none."""
    if len(data) > MAX_HTML_BYTES:
        size = f"{len(data) / 1e6:,.0f} MB; at most {MAX_HTML_BYTES / 1e6:.0f}"
        return IngestError(source, f"HTML page too large ({size})")
    try:
        found = read_html(data, extract_html)
    except Exception as exc:  # noqa: BLE001  (a broken page is one error, the batch goes on)
        return IngestError(source, f"HTML page could not be read ({type(exc).__name__}: {one_line(exc, 100)})")
    if found is None:
        return IngestError(source, "no main text in the HTML page (only scripts, navigation or markup?)")
    text: str = found["text"].strip()
    title = (found.get("title") or "").strip() or None
    if title and not _norm(text).startswith(_norm(title)):
        text = f"{title}\n\n{text}"
    metadata: dict[str, Any] = {"format": "html"}
    for key in META_FIELDS:
        value = found.get(key)
        if value:
            metadata[key] = value
    if extra:
        metadata.update(extra)
    published = found.get("date") or None
    if published:
        metadata["published_from"] = "the page's metadata"
    updated = _modified(data)
    if updated and updated != published:
        metadata["updated"] = updated
    return Report(
        id=source,
        text=text,
        title=title,
        outlet=(found.get("sitename") or "").strip() or None,
        author=(found.get("author") or "").strip() or None,
        published=published,
        url=url or found.get("url") or None,
        origin={"file": file or source, "format": "html"},
        metadata=metadata,
    )
