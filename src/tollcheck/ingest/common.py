"""What every reader shares: the read options, the item type, warnings, and one-line file errors."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

from tollcheck.ingest.language import language_note
from tollcheck.ingest.lines import cut_note
from tollcheck.model import IngestError, Report

Item = Report | IngestError
STDIN_NAME = "-"
UTF8_NAMES = ("utf-8", "utf_8", "ascii")


@dataclass(slots=True, frozen=True)
class ReadOptions:
    """How to read inputs: table columns, the files a directory walk takes, a publication date for all."""

    text_column: str | None = None  # CSV/TSV: the column holding the report's text (default "text")
    id_column: str | None = None  # CSV/TSV: the column holding the row's id (default: its line number)
    date_column: str | None = None  # CSV/TSV: the column holding the publication date
    glob: str | None = None  # directory walks take the files matching this (default: every supported suffix)
    published: str | None = None  # ISO date that overrides every report's publication date


DEFAULT_OPTIONS = ReadOptions()


@dataclass(slots=True)
class IngestWarning:
    """A report that was read, but not as plainly as it might seem: printed as `warning: ...`, not a failure."""

    source: str
    message: str
    severity: ClassVar[str] = "warning"

    def __str__(self) -> str:
        return f"{self.source}: {self.message}"


def warnings_of(report: Report) -> list[IngestWarning]:
    """The warnings a report carries in its metadata: a decoding guessed, a large file read in parts."""
    meta: dict[str, Any] = report.metadata
    out: list[IngestWarning] = []
    source = str(report.origin.get("file", report.id))
    if "line" in report.origin:
        source = f"{source}:{report.origin['line']}"
    encoding = meta.get("encoding")
    if encoding and encoding.lower().replace("-", "_") not in UTF8_NAMES:
        out.append(IngestWarning(source, f"not UTF-8: decoded as {encoding}"))
    if meta.get("part") == 1:
        size = meta.get("file_bytes")
        chars = meta.get("text_chars")
        how = f"large input ({size / 1e6:,.0f} MB)" if size else "large input"
        how = f"long text ({chars:,} characters)" if chars and not size else how
        whole = report.id.rsplit("#part-", 1)[0]
        out.append(
            IngestWarning(
                source,
                f"{how}: read in parts of at most {meta.get('part_chars', 0):,} characters split at paragraph "
                f"breaks (ids {whole}#part-N)",
            )
        )
    if meta.get("part", 1) == 1:  # said once for a report read in parts
        out.extend(IngestWarning(source, note(meta[key])) for key, note in REPORT_NOTES if meta.get(key))
    return out


REPORT_NOTES: tuple[tuple[str, Callable[[Any], str]], ...] = (  # metadata key -> what its warning says
    ("cut", lambda cut: f"line {cut['line']}: {cut_note(cut['dropped'])}"),
    ("html_fallback", lambda how: f"page read by a fallback: {how}"),
    ("language_guess", language_note),
    ("published_unread", lambda given: f"publication date {given!r} is not a date tollcheck can read: undated"),
)


def open_error(path: str, exc: OSError) -> IngestError:
    """One line for a file that could not be opened or read."""
    if isinstance(exc, PermissionError):
        return IngestError(path, "file not readable (permission denied)")
    return IngestError(path, f"cannot read file ({exc.strerror or exc.__class__.__name__})")


def empty_error(path: str) -> IngestError:
    return IngestError(path, "empty file" if path != STDIN_NAME else "empty input")


def one_line(message: object, limit: int = 160) -> str:
    """An exception's message on one short line."""
    text = " ".join(str(message).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
