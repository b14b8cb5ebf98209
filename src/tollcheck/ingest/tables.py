"""Spreadsheet exports (CSV, TSV): one report per row, read lazily.

The text is in the column `--text-column` names (default `text`); `--id-column` and `--date-column`
name the row's id and publication date. A row's id is `f"{path}#{row id}"`, else `f"{path}#{line}"`
(the line the row starts on, the header being line 1). Columns named like a Report field (title,
outlet, author, url, published) fill it; every other column is kept as metadata.
"""

from __future__ import annotations

import csv
import io
import sys
from collections.abc import Iterator
from typing import Any, BinaryIO

from tollcheck.ingest import limits
from tollcheck.ingest.common import Item, ReadOptions, empty_error, one_line
from tollcheck.ingest.decoding import FALLBACK_ENCODING
from tollcheck.ingest.rows import table_rows
from tollcheck.ingest.sniff import DEFAULT_TEXT_COLUMN, TABLE_DELIMITERS, table_delimiter
from tollcheck.model import IngestError, Report

REPORT_FIELDS = ("title", "outlet", "author", "url", "published")
FIELD_ALIASES = {"source": "outlet", "publication": "outlet", "site": "outlet", "link": "url", "date": "published"}
SHOWN_COLUMNS = 8


def _iso(value: str) -> str:
    from tollcheck.ingest.published import parse_date

    value = value.strip()
    if len(value) >= 10 and value[4] == "-" and value[7] == "-":
        return value[:10]
    return parse_date(value) or value


def _row_report(
    path: str, line: int, row: dict[str, str], options: ReadOptions, text_column: str, encoding: str
) -> Item:
    text = row.pop(text_column, None) or ""
    if not text.strip():
        return IngestError(f"{path}:{line}", f"line {line}: empty text in column {text_column!r}")
    row_id = (row.pop(options.id_column, None) or "").strip() if options.id_column else ""
    fields: dict[str, str | None] = {}
    metadata: dict[str, Any] = {"format": "table"}
    if options.date_column and row.get(options.date_column, "").strip():
        fields["published"] = _iso(row.pop(options.date_column))
        metadata["published_from"] = f"the {options.date_column!r} column"
    for name, value in row.items():
        if name is None or value is None or value == "":
            continue
        key = name.strip().lower()
        key = FIELD_ALIASES.get(key, key)
        if key in REPORT_FIELDS and key not in fields:
            fields[key] = _iso(value) if key == "published" else value.strip()
        else:
            metadata[name] = value
    if "published" in fields and "published_from" not in metadata:
        metadata["published_from"] = "input metadata"
    if encoding not in ("utf-8", "utf-8-sig"):
        metadata["encoding"] = FALLBACK_ENCODING if encoding == FALLBACK_ENCODING else encoding
    return Report(
        id=f"{path}#{row_id or line}",
        text=text,
        origin={"file": path, "line": line},
        metadata=metadata,
        **fields,
    )


def iter_table(path: str, stream: BinaryIO, fmt: str, options: ReadOptions, encoding: str) -> Iterator[Item]:
    """One Report (or IngestError) per row; a missing text column is one error for the file."""
    csv.field_size_limit(min(sys.maxsize, limits.MAX_RECORD_BYTES + 1))  # a cell may hold an article; rows are bounded
    text_column = options.text_column or DEFAULT_TEXT_COLUMN
    handle = io.TextIOWrapper(stream, encoding=encoding, errors="replace", newline="")
    header_line = handle.readline(limits.MAX_RECORD_BYTES)
    if not header_line.strip():
        yield empty_error(path)
        return
    delimiter = table_delimiter(header_line, text_column) or TABLE_DELIMITERS.get(fmt, ",")
    header = next(csv.reader([header_line], delimiter=delimiter))
    names = [name.strip() for name in header]
    if text_column not in names:
        shown = ", ".join(names[:SHOWN_COLUMNS]) + (", ..." if len(names) > SHOWN_COLUMNS else "")
        hint = "" if options.text_column else " (name it with --text-column)"
        yield IngestError(path, f"no column {text_column!r}{hint}; the columns are: {shown}")
        return
    seen = False
    for raw in table_rows(handle, delimiter):
        source = f"{path}:{raw.line}"
        if raw.broken:
            yield IngestError(source, f"line {raw.line}: malformed {fmt.upper()}: {raw.broken}")
        try:
            cells = next(csv.reader([raw.text], delimiter=delimiter, strict=False), [])
        except csv.Error as exc:
            yield IngestError(source, f"line {raw.line}: malformed {fmt.upper()} ({one_line(exc, 80)})")
            continue
        if not any(cell.strip() for cell in cells):
            continue
        seen = True
        row = dict(zip(names, cells, strict=False))
        item = _row_report(path, raw.line, row, options, text_column, encoding)
        if raw.dropped and isinstance(item, Report):
            item.metadata["cut"] = {"line": raw.line, "dropped": raw.dropped}
        yield item
    if not seen:
        yield IngestError(path, "no rows under the header")
