"""What the commands share: the options of the commands that read reports (extract, compare, add), the
output formats, one-line errors, and standard output that may be a closed pipe or a full disk."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from tollcheck.ingest import ReadOptions


class Format(StrEnum):
    table = "table"
    jsonl = "jsonl"
    csv = "csv"


def _err(message: str) -> None:
    """One line on standard error; names and ids in it come from the input: no escape sequence passes."""
    from tollcheck.render.safe import terminal  # escape sequences in paths and ids shown, never obeyed

    sys.stderr.write(terminal(message.replace("\n", " ")) + "\n")


PATHS_HELP = "Report files (text, HTML, PDF, WARC, JSONL, CSV/TSV, .gz of each), directories, or - for standard input."
TextColumn = Annotated[str | None, typer.Option(help="CSV/TSV: the column holding the report's text (default: text).")]
IdColumn = Annotated[str | None, typer.Option(help="CSV/TSV: the column holding each row's id (default: line number).")]
DateColumn = Annotated[str | None, typer.Option(help="CSV/TSV: the column holding the publication date.")]
Glob = Annotated[
    str | None, typer.Option("--glob", help="Directories: read the files matching this pattern (default: all formats).")
]
Published = Annotated[
    str | None, typer.Option("--published", help="Publication date for every report (overrides the inputs').")
]
Quiet = Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar on standard error.")]


def _read_options(
    text_column: str | None, id_column: str | None, date_column: str | None, glob: str | None, published: str | None
) -> ReadOptions:
    from tollcheck.ingest import ReadOptions

    iso = None
    if published:
        from tollcheck.ingest.published import parse_date

        iso = parse_date(published)
        if iso is None:
            _err(f"error: --published: not a date: {published!r}")
            raise typer.Exit(2)
    return ReadOptions(text_column, id_column, date_column, glob, iso)


@contextmanager
def _output() -> Iterator[None]:
    """Writing to standard output: a closed pipe ends quietly, a full disk or another write error is one line."""
    try:
        yield
        sys.stdout.flush()
    except BrokenPipeError:
        _silence_stdout()
        raise typer.Exit(0) from None
    except OSError as e:
        _silence_stdout()
        _err(f"error: cannot write the output ({e.strerror or e})")
        raise typer.Exit(1) from None


def _silence_stdout() -> None:
    """Point standard output at the null device, so the interpreter's last flush cannot fail again."""

    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        os.close(null)
    except (OSError, ValueError):
        pass
