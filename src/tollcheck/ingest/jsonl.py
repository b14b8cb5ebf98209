"""One report per JSON line: parsing a line into a Report, or a one-line IngestError."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from tollcheck.ingest.decoding import FALLBACK_ENCODING, decode_line
from tollcheck.model import IngestError, Report

TEXT_FIELD = "text"
ID_FIELD = "id"
REPORT_FIELDS = ("title", "outlet", "author", "published", "url")  # copied onto the Report
TEXT_ALIASES = ("body", "content", "article", "full_text", "fulltext", "story")  # hinted at, never used
JSON_TYPE_NAMES = (
    (bool, "a boolean"),  # before int: bool is a subclass of int
    (int, "a number"),
    (float, "a number"),
    (str, "a string"),
    (list, "an array"),
    (dict, "an object"),
    (type(None), "null"),
)
SCALAR_TYPES = (str, int, float, bool)


def json_type_name(value: Any) -> str:
    for kind, name in JSON_TYPE_NAMES:
        if isinstance(value, kind):
            return name
    return type(value).__name__


def _field_value(value: Any) -> str | None:
    if value is None or isinstance(value, str):
        return value
    return str(value)


def parse_record(path: str, lineno: int, line: str, encoding: str = "utf-8") -> Report | IngestError:
    """Turn one non-blank JSONL line into a Report, or an IngestError naming the line."""
    source = f"{path}:{lineno}"
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        return IngestError(source, f"line {lineno}: not JSON ({exc.msg} at column {exc.colno})")
    except RecursionError:
        return IngestError(source, f"line {lineno}: not JSON (nested too deeply)")
    if not isinstance(record, dict):
        return IngestError(source, f"line {lineno}: not a JSON object (got {json_type_name(record)})")
    if TEXT_FIELD not in record:
        found = [alias for alias in TEXT_ALIASES if alias in record]
        hint = f' (found "{found[0]}"; rename it to "text")' if found else ""
        return IngestError(source, f'line {lineno}: no "text" field{hint}')
    text = record.pop(TEXT_FIELD)
    if not isinstance(text, str):
        return IngestError(source, f'line {lineno}: "text" is {json_type_name(text)}, not a string')
    if not text.strip():
        return IngestError(source, f"line {lineno}: empty text")

    raw_id = record.pop(ID_FIELD, None)
    report_id = f"{path}#{lineno}" if raw_id is None or raw_id == "" else str(raw_id)
    fields: dict[str, str | None] = {}
    for name in REPORT_FIELDS:
        value = record.get(name)
        if value is None or isinstance(value, SCALAR_TYPES):
            fields[name] = _field_value(record.pop(name, None))
        # lists/objects stay in the record and so land in metadata
    metadata: dict[str, Any] = dict(record)
    if encoding == FALLBACK_ENCODING:
        metadata["encoding"] = FALLBACK_ENCODING
    return Report(
        id=report_id,
        text=text,
        origin={"file": path, "line": lineno},
        metadata=metadata,
        **fields,
    )


def iter_jsonl(path: str, lines: Iterable[bytes | str]) -> Iterator[Report | IngestError]:
    """Parse lines lazily, numbering from 1 and skipping blank lines."""
    seen_content = False
    for lineno, raw in enumerate(lines, start=1):
        if isinstance(raw, bytes):
            line, encoding = decode_line(raw, first=lineno == 1)
        else:
            line, encoding = (raw[1:] if lineno == 1 and raw.startswith("\ufeff") else raw), "utf-8"
        if not line.strip():
            continue
        seen_content = True
        yield parse_record(path, lineno, line, encoding)
    if not seen_content:
        yield IngestError(path, "empty file" if path != "-" else "empty input")
