"""One report per JSON line: parsing a line into a Report, or a one-line IngestError."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from tollcheck.ingest.decoding import FALLBACK_ENCODING, decode_line
from tollcheck.ingest.lines import Line, cut_note
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
SALVAGE_TRIM = 8  # characters a cut line may lose at its end to close as JSON
SALVAGE_CLOSERS = ('"}', '"}}', '"]}')  # a cut string ends the record, or an object or list in it


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
    return record_report(path, lineno, record, encoding)


def record_report(path: str, lineno: int, record: dict[str, Any], encoding: str = "utf-8") -> Report | IngestError:
    """The Report of one parsed JSON object, or an IngestError naming the line."""
    source = f"{path}:{lineno}"
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


def _salvage(line: str) -> dict[str, Any] | None:
    """A line cut inside its text (or a later string): close the string and the object; None if that fails."""
    for trim in range(SALVAGE_TRIM + 1):  # a cut may fall inside an escape ("\\u20") or a key
        for closer in SALVAGE_CLOSERS:
            try:
                record = json.loads(line[: len(line) - trim] + closer)
            except (ValueError, RecursionError):
                continue
            return record if isinstance(record, dict) and isinstance(record.get(TEXT_FIELD), str) else None
    return None


def cut_record(path: str, lineno: int, line: str, dropped: int, encoding: str) -> Report | IngestError:
    """A line longer than the record bound, cut to it: its report with what was kept, or an error."""
    source = f"{path}:{lineno}"
    record = _salvage(line.rstrip())
    if record is None:
        return IngestError(source, f"line {lineno}: {cut_note(dropped)}, and what is left is not a JSON record")
    found = record_report(path, lineno, record, encoding)
    if isinstance(found, Report):
        found.metadata["cut"] = {"line": lineno, "dropped": dropped}
    return found


def iter_jsonl(path: str, lines: Iterable[Line[bytes] | Line[str]]) -> Iterator[Report | IngestError]:
    """Parse lines lazily (numbered from 1), skipping blank lines; a line cut to the bound is salvaged."""
    seen_content = False
    for item in lines:
        raw, lineno = item.text, item.number
        if isinstance(raw, bytes):
            line, encoding = decode_line(raw, first=lineno == 1, cut=item.dropped > 0)
        else:
            line, encoding = (raw[1:] if lineno == 1 and raw.startswith("\ufeff") else raw), "utf-8"
        if not line.strip():
            continue
        seen_content = True
        if item.dropped:
            yield cut_record(path, lineno, line, item.dropped, encoding)
        else:
            yield parse_record(path, lineno, line, encoding)
    if not seen_content:
        yield IngestError(path, "empty file" if path != "-" else "empty input")
