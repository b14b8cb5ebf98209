"""Which format an input is in: by its content where that is telling, else by its suffix.

Magic bytes (`%PDF-`, gzip, `WARC/1.`) beat the suffix; HTML markup at the top beats `.txt`; a file
without a known suffix is JSONL when its first line is a JSON object and CSV/TSV when its header names
the text column. `head` is the input's first bytes, read without consuming the stream (see `Rewound`).
"""

from __future__ import annotations

import io
import json
import re
from typing import BinaryIO

from tollcheck.ingest.common import ReadOptions
from tollcheck.ingest.decoding import looks_binary, utf16_encoding

HEAD_BYTES = 1 << 16
PDF_MAGIC = b"%PDF-"
PDF_MAGIC_WITHIN = 1024  # the PDF header may follow some junk bytes
GZIP_MAGIC = b"\x1f\x8b"
WARC_MAGIC = (b"WARC/1.", b"WARC/0.")
HTML_START = re.compile(
    rb"^(?:\xef\xbb\xbf)?\s*(?:<!--.*?-->\s*|<\?xml[^>]*>\s*)*<(?:!doctype\s+html|html[\s>])", re.I | re.S
)

# suffix -> format; checked in order, longest first where one suffix ends another
SUFFIX_FORMATS: tuple[tuple[str, str], ...] = (
    (".warc.gz", "warc"),
    (".arc.gz", "warc"),
    (".warc", "warc"),
    (".html", "html"),
    (".htm", "html"),
    (".xhtml", "html"),
    (".pdf", "pdf"),
    (".jsonl", "jsonl"),
    (".ndjson", "jsonl"),
    (".csv", "csv"),
    (".tsv", "tsv"),
    (".tab", "tsv"),
    (".txt", "text"),
    (".text", "text"),
    (".md", "text"),
)
TABLE_FORMATS = ("csv", "tsv")
TABLE_DELIMITERS = {"csv": ",", "tsv": "\t"}
SNIFF_DELIMITERS = (",", "\t", ";")
DEFAULT_TEXT_COLUMN = "text"
GZIP_SUFFIX = ".gz"


def suffix_format(name: str) -> str | None:
    lower = name.lower()
    for suffix, fmt in SUFFIX_FORMATS:
        if lower.endswith(suffix):
            return fmt
    return None


def supported_suffixes(options: ReadOptions) -> tuple[str, ...]:
    """The suffixes a directory walk takes: tables only when a text column is named; `.gz` of each."""
    plain = tuple(s for s, fmt in SUFFIX_FORMATS if options.text_column or fmt not in TABLE_FORMATS)
    return plain + tuple(s + GZIP_SUFFIX for s in plain if not s.endswith(GZIP_SUFFIX))


def _first_line(head: bytes) -> str:
    for raw in head.splitlines():
        if raw.strip():
            return raw.decode("utf-8", errors="replace").lstrip("\ufeff")
    return ""


def _is_json_object_line(line: str) -> bool:
    if not line.lstrip().startswith("{"):
        return False
    try:
        return isinstance(json.loads(line), dict)
    except (ValueError, RecursionError):
        return False


def table_delimiter(header: str, column: str) -> str | None:
    """The delimiter under which ``header`` names ``column``, else None."""
    for delim in SNIFF_DELIMITERS:
        names = [name.strip().strip('"').strip() for name in header.rstrip("\r\n").split(delim)]
        if column in names:
            return delim
    return None


def sniff(name: str, head: bytes, options: ReadOptions) -> str:
    """One of: empty, pdf, gzip, warc, utf-16 (any of the others, in UTF-16), binary, html, jsonl, csv, tsv, text."""
    if not head.strip():
        return "empty"
    if PDF_MAGIC in head[:PDF_MAGIC_WITHIN]:
        return "pdf"
    if head.startswith(GZIP_MAGIC):
        return "gzip"
    if head.startswith(WARC_MAGIC):
        return "warc"
    if utf16_encoding(head):
        return "utf-16"
    if looks_binary(head):
        return "binary"
    by_suffix = suffix_format(name)
    if HTML_START.match(head):
        return "html"
    if by_suffix == "html":
        return "html" if b"<" in head else "text"
    if by_suffix in ("jsonl", "csv", "tsv"):
        return by_suffix
    first = _first_line(head)
    if _is_json_object_line(first) and (by_suffix is None or '"text"' in first):
        return "jsonl"
    if options.text_column and table_delimiter(first, options.text_column):
        return "tsv" if table_delimiter(first, options.text_column) == "\t" else "csv"
    return "text"


class _Chain(io.RawIOBase):
    """A raw stream that serves ``head`` and then the rest of ``stream``, one read at a time."""

    def __init__(self, head: bytes, stream: BinaryIO) -> None:
        self._head = memoryview(head)
        self._stream = stream

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        if self._head:
            n = min(len(buffer), len(self._head))
            buffer[:n] = self._head[:n]
            self._head = self._head[n:]
            return n
        read1 = getattr(self._stream, "read1", None)
        data = read1(len(buffer)) if read1 else self._stream.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def read_head(stream: BinaryIO, size: int = HEAD_BYTES) -> tuple[bytes, io.BufferedReader]:
    """The first bytes of ``stream`` (one read where the stream is a pipe) and a stream that starts over."""
    read1 = getattr(stream, "read1", None)
    head = read1(size) if read1 else stream.read(size)
    if read1 and head and len(head) < size and b"\n" not in head:
        head += stream.read1(size - len(head))
    return head, io.BufferedReader(_Chain(head, stream), buffer_size=1 << 16)
