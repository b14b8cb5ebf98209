"""Options shared by the commands that read reports (extract, compare, add), and one-line errors."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from tollcheck.ingest import ReadOptions
from tollcheck.render.safe import terminal


def _err(message: str) -> None:
    """One line on standard error; names and ids in it come from the input: no escape sequence passes."""
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
    iso = None
    if published:
        from tollcheck.ingest.published import parse_date

        iso = parse_date(published)
        if iso is None:
            _err(f"error: --published: not a date: {published!r}")
            raise typer.Exit(2)
    return ReadOptions(text_column, id_column, date_column, glob, iso)
