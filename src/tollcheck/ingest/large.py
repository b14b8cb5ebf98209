"""Plain-text inputs: one report, or, for a very large file, reports of bounded size read in pieces.

A text of at most `LARGE_TEXT_BYTES` is one report (decoded whole, with the usual fallbacks). A
larger one (a 200 MB dump) is streamed: decoded incrementally in the encoding its first bytes tell,
and cut at paragraph breaks into reports of at most `PART_CHARS` characters, ids `f"{path}#part-N"`;
memory stays bounded by the part size. The first part carries the warning (see `warnings_of`).

Every other reader's report (a JSONL line, a page, a table cell, a PDF) longer than `LARGE_TEXT_BYTES`
characters is cut the same way by `bounded_report`, which `read_reports` applies to every report:
no text longer than spaCy takes ever reaches extraction.
"""

from __future__ import annotations

import codecs
import dataclasses
import re
from collections.abc import Iterator
from typing import Any, BinaryIO

from tollcheck.ingest.common import Item, empty_error
from tollcheck.ingest.decoding import UndecodableError, decode_bytes, stream_encoding
from tollcheck.ingest.limits import LARGE_TEXT_CHARS, READ_CHUNK
from tollcheck.ingest.limits import PART_CHARS as DEFAULT_PART_CHARS
from tollcheck.model import IngestError, Report

LARGE_TEXT_BYTES = LARGE_TEXT_CHARS  # above this a text (bytes) or a report (characters) is read in parts
PART_CHARS = DEFAULT_PART_CHARS  # at most this many characters in one part
READ_BYTES = READ_CHUNK
BREAKS = tuple(  # the last paragraph break, else line break, else space, of a window (one pass from its end)
    re.compile(r"(?s:.*)" + brk) for brk in (r"\n[ \t\r\f\v]*\n", r"\n", r"[ \t]")
)
MIN_PART_SHARE = 4  # a cut is taken only past 1/MIN_PART_SHARE of the part


def text_report(path: str, data: bytes) -> Item:
    """Decode ``data`` into a single Report with byte-range origin, or say why not."""
    if not data.strip():
        return empty_error(path)
    try:
        text, encoding = decode_bytes(data)
    except UndecodableError as exc:
        return IngestError(path, str(exc))
    if not text.strip():
        return empty_error(path)
    metadata = {"encoding": encoding} if encoding not in ("utf-8", "ascii") else {}
    return Report(id=path, text=text, origin={"file": path, "start": 0, "end": len(data)}, metadata=metadata)


def _cut(buffer: str, limit: int) -> int:
    """Where to end a part of at most ``limit`` characters: after a paragraph break, else a line, else a space."""
    for pattern in BREAKS:
        m = pattern.match(buffer, limit // MIN_PART_SHARE, limit)
        if m is not None:
            return m.end()
    return limit


def read_text(
    path: str, stream: BinaryIO, *, file_bytes: int | None = None, part_chars: int | None = None
) -> Iterator[Item]:
    """A text input: one Report, or parts of a large one; ``stream`` is read in pieces."""
    limit = part_chars or PART_CHARS
    head = stream.read(LARGE_TEXT_BYTES + 1)
    if len(head) <= LARGE_TEXT_BYTES:
        yield text_report(path, head)
        return
    try:
        encoding = stream_encoding(head[: 1 << 16], at_end=False)
    except UndecodableError as exc:
        yield IngestError(path, str(exc))
        return
    decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
    buffer = decoder.decode(head)
    part, position, done = 0, 0, False
    while True:
        while len(buffer) < limit and not done:
            data = stream.read(READ_BYTES)
            done = not data
            buffer += decoder.decode(data, final=done)
        if not buffer:
            break
        end = _cut(buffer, limit) if len(buffer) > limit else len(buffer)
        piece, buffer = buffer[:end], buffer[end:]
        if piece.strip():
            part += 1
            meta: dict[str, object] = {"part": part, "part_chars": limit}
            if encoding not in ("utf-8", "utf-8-sig", "ascii"):
                meta["encoding"] = encoding
            if part == 1 and file_bytes:
                meta["file_bytes"] = file_bytes
            origin = {"file": path, "part": part, "char_start": position, "char_end": position + end}
            yield Report(id=f"{path}#part-{part}", text=piece, origin=origin, metadata=meta)
        position += end
    if part == 0:
        yield empty_error(path)


def _pages_within(pages: list[Any], start: int, end: int) -> list[tuple[int, int, int]]:
    """A PDF's page spans that fall in ``[start, end)``, shifted to the part's own offsets."""
    return [(p, max(s, start) - start, min(e, end) - start) for p, s, e in pages if s < end and e > start]


def bounded_report(report: Report) -> Iterator[Report]:
    """``report`` itself, or, when its text is longer than `LARGE_TEXT_BYTES` characters, its parts of
    at most `PART_CHARS` characters cut at paragraph breaks (ids ``f"{id}#part-N"``)."""
    text = report.text
    if len(text) <= LARGE_TEXT_BYTES or "part" in report.metadata:
        yield report
        return
    limit = PART_CHARS
    position = part = 0
    while position < len(text):
        window = text[position : position + limit + 1]
        end = position + (_cut(window, limit) if len(window) > limit else len(window))
        piece = text[position:end]
        if piece.strip():
            part += 1
            origin = {**report.origin, "part": part, "char_start": position, "char_end": end}
            if "pages" in report.origin:
                origin["pages"] = _pages_within(report.origin["pages"], position, end)
            meta = {**report.metadata, "part": part, "part_chars": limit}
            if part == 1:
                meta["text_chars"] = len(text)
            yield dataclasses.replace(report, id=f"{report.id}#part-{part}", text=piece, origin=origin, metadata=meta)
        position = end
