"""PDFs (NGO reports, bulletins): the text layer, page by page, with each page's character span kept.

A PDF is one report. `origin["pages"]` holds `(page_no, start, end)` for every page with text, so a
claim's character offset maps back to its page (`page_of`). A PDF without a text layer (a scan) is an
error that says so. The PDF's creation date is kept in `metadata["pdf_created"]` and used as the
publication date only when neither the input nor the text's first lines give one.
"""

from __future__ import annotations

import dataclasses
import io
import logging
import re
from typing import Any

from tollcheck.ingest.common import Item, one_line
from tollcheck.ingest.limits import MAX_PDF_BYTES
from tollcheck.model import IngestError, Report

PAGE_SEPARATOR = "\n\n"
PDF_FIELDS = (("/Title", "title"), ("/Author", "author"))
PDF_DATE = re.compile(r"D:(\d{4})(\d{2})?(\d{2})?")
MIN_TEXT_CHARS = 20  # less than this on all pages together: no text layer


def _pdf_date(value: object) -> str | None:
    m = PDF_DATE.match(str(value or ""))
    if not m:
        return None
    year, month, day = m.group(1), m.group(2) or "01", m.group(3) or "01"
    return f"{year}-{month}-{day}"


def page_of(report: Report, offset: int) -> int | None:
    """The page (from 1) of the character ``offset`` in a PDF report's text; None outside any page."""
    for page_no, start, end in report.origin.get("pages", ()):
        if start <= offset < end:
            return int(page_no)
    return None


def _info(reader: Any) -> dict[str, Any]:
    try:
        return dict(reader.metadata or {})
    except Exception:  # noqa: BLE001  (a broken info dictionary loses the metadata, not the text)
        return {}


def pdf_report(source: str, data: bytes) -> Item:
    """One Report for the whole PDF, or an IngestError (damaged, encrypted, no text layer)."""
    from pypdf import PdfReader
    from pypdf.errors import DependencyError

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # pypdf logs every odd object it meets
    if len(data) > MAX_PDF_BYTES:
        return IngestError(source, f"PDF too large (over {MAX_PDF_BYTES / 2**20:,.0f} MiB): not read")
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            return IngestError(source, "encrypted PDF (needs a password)")
        texts = [page.extract_text() or "" for page in reader.pages]
    except DependencyError:
        return IngestError(source, "AES-encrypted PDF: reading it needs pypdf[crypto] (the cryptography package)")
    except Exception as exc:  # noqa: BLE001  (pypdf raises many kinds on damaged files)
        return IngestError(source, f"not a readable PDF ({type(exc).__name__}: {one_line(exc, 100)})")
    if sum(len(t.strip()) for t in texts) < MIN_TEXT_CHARS:
        return IngestError(source, f"no text layer (a scanned PDF?); run OCR first ({len(texts)} page(s))")
    parts: list[str] = []
    pages: list[tuple[int, int, int]] = []
    position = 0
    for page_no, page_text in enumerate(texts, start=1):
        page_text = page_text.strip()
        if not page_text:
            continue
        if parts:
            parts.append(PAGE_SEPARATOR)
            position += len(PAGE_SEPARATOR)
        parts.append(page_text)
        pages.append((page_no, position, position + len(page_text)))
        position += len(page_text)
    info = _info(reader)
    fields = {name: str(info[key]).strip() for key, name in PDF_FIELDS if info.get(key) and str(info[key]).strip()}
    metadata: dict[str, Any] = {"format": "pdf", "page_count": len(texts)}
    created = _pdf_date(info.get("/CreationDate"))
    if created:
        metadata["pdf_created"] = created
    report = Report(
        id=source, text="".join(parts), origin={"file": source, "format": "pdf", "pages": pages}, metadata=metadata
    )
    report = dataclasses.replace(report, **fields)
    return _dated(report)


def _dated(report: Report) -> Report:
    """Date from the text's first lines, else the PDF's creation date."""
    from tollcheck.ingest.published import date_report

    report = date_report(report)
    created = report.metadata.get("pdf_created")
    if report.published or not created:
        return report
    meta = {**report.metadata, "published_from": "the PDF's creation date (no date in its first lines)"}
    return dataclasses.replace(report, published=created, metadata=meta)
