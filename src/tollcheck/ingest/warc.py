"""Web-archive captures (WARC, WARC.gz) with warcio: each HTML response record is a report.

A record's id is `f"{path}#{offset}"` (its byte offset in the archive, compressed or not), its url the
record's target URI, `metadata["captured"]` its WARC-Date; the publication date comes from the page's
own metadata. Other records (requests, metadata, images, redirects, error pages) are skipped. A
truncated or damaged archive gives one error at the record where it breaks (a record cut inside its
headers too: bytes left after the last whole record); the records before it are kept.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any, BinaryIO

from tollcheck.ingest.common import Item, one_line
from tollcheck.ingest.html import html_report
from tollcheck.ingest.limits import MAX_HTML_BYTES
from tollcheck.ingest.sniff import HTML_START
from tollcheck.ingest.streams import CountingReader
from tollcheck.model import IngestError

RECORD_TYPES = ("response", "resource")
HTML_TYPES = ("text/html", "application/xhtml+xml")
OK_STATUS = range(200, 300)


def _status(record: Any) -> int | None:
    headers = record.http_headers
    if headers is None or not headers.get_statuscode():
        return None
    try:
        return int(headers.get_statuscode())
    except ValueError:
        return None


def _content_type(record: Any) -> str:
    if record.http_headers is not None:
        return (record.http_headers.get_header("Content-Type") or "").lower()
    return (record.rec_headers.get_header("Content-Type") or "").lower()


def _is_page(record: Any) -> bool:
    if record.rec_type not in RECORD_TYPES:
        return False
    if record.rec_type == "response" and record.http_headers is not None:
        status = _status(record)
        if status is not None and status not in OK_STATUS:
            return False
    kind = _content_type(record)
    return not kind or any(t in kind for t in HTML_TYPES)


def iter_warc(path: str, stream: BinaryIO) -> Iterator[Item]:
    """One Report (or IngestError) per HTML page captured in the archive, in archive order."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    pages = 0
    offset: int | None = None
    counted = CountingReader(stream)
    try:
        records = ArchiveIterator(io.BufferedReader(counted, buffer_size=1 << 16))
        for record in records:
            if not _is_page(record):
                continue
            body = record.content_stream().read(MAX_HTML_BYTES + 1)  # a larger page is an error; the rest skipped
            offset = records.get_record_offset()
            source = f"{path}#{offset}"
            missing = getattr(record.raw_stream, "limit", 0) or 0
            if missing > 0:
                short = f"the record ends {missing:,} bytes short; the archive stops here"
                yield IngestError(source, f"truncated WARC: {short}")
                return
            if not HTML_START.match(body[:4096]) and b"<" not in body[:4096]:
                continue  # declared HTML but not markup (an empty body, a redirect stub)
            uri = record.rec_headers.get_header("WARC-Target-URI")
            extra: dict[str, Any] = {"format": "warc", "record_offset": offset}
            captured = record.rec_headers.get_header("WARC-Date")
            if captured:
                extra["captured"] = captured
            item = html_report(source, body, file=path, url=uri, extra=extra)
            if isinstance(item, IngestError):
                yield item
                continue
            item.origin.update({"record_offset": offset, "format": "warc"})
            pages += 1
            yield item
        end = records.offset  # where the last whole record ends
        while counted.read(1 << 20):
            pass
        if counted.position > end:
            cut = f"{counted.position - end:,} bytes after the last whole record are a record cut short"
            yield IngestError(f"{path}#{end}", f"truncated WARC after {pages} page(s): {cut} (in its headers)")
    except ArchiveLoadFailed as exc:
        where = f"{path}#{offset}" if offset is not None else path
        yield IngestError(where, f"damaged or truncated WARC after {pages} page(s) ({one_line(exc, 100)})")
        return
    except (EOFError, OSError, ValueError) as exc:  # zlib.error is not an OSError: caught below
        where = f"{path}#{offset}" if offset is not None else path
        yield IngestError(where, f"truncated WARC after {pages} page(s) ({type(exc).__name__}: {one_line(exc, 100)})")
        return
    except Exception as exc:  # noqa: BLE001  (zlib.error and warcio's own parse errors)
        where = f"{path}#{offset}" if offset is not None else path
        yield IngestError(where, f"damaged WARC after {pages} page(s) ({type(exc).__name__}: {one_line(exc, 100)})")
        return
