"""`tollcheck extract` and `tollcheck compare`: each opens its inputs, calls the library function of the
same name in `tollcheck.api`, and turns its errors into one-line messages on standard error. The engine is
imported when a command runs, never for `--help` or an argument error."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Annotated

import typer

from tollcheck.cli.options import (
    PATHS_HELP,
    DateColumn,
    Format,
    Glob,
    IdColumn,
    Published,
    Quiet,
    TextColumn,
    _err,
    _output,
    _read_options,
)
from tollcheck.ingest.progress import Progress, progress_wanted
from tollcheck.model import IngestError

if TYPE_CHECKING:
    from tollcheck.api import ReportResult
    from tollcheck.model import Comparison


def _reported(items: Iterable[ReportResult | IngestError], bar: Progress) -> Iterator[ReportResult | IngestError]:
    """Each result, with its errors and warnings said on standard error as it passes."""
    from tollcheck.ingest import warnings_of

    for item in bar.track(items):
        if isinstance(item, IngestError):
            bar.say(f"error: {item}".replace("\n", " "))
        else:
            for warning in warnings_of(item.report):
                bar.say(f"warning: {warning}".replace("\n", " "))
        yield item


def _explain(item: ReportResult) -> str:
    from tollcheck.extract.explain import explain as explain_report

    lines = explain_report(item.cleaned)
    lines += [f"total {k}: best {f.best} ({f.rule})" for k, f in item.totals.totals.items()]
    return "\n".join(lines) + "\n\n"


def extract(
    paths: Annotated[list[str], typer.Argument(help=PATHS_HELP)],
    fmt: Annotated[
        Format,
        typer.Option(
            "--format", "-f", help="table (readable), jsonl (the output contract) or csv (one row per claim)."
        ),
    ] = Format.table,
    text_column: TextColumn = None,
    id_column: IdColumn = None,
    date_column: DateColumn = None,
    glob: Glob = None,
    published: Published = None,
    quiet: Quiet = False,
    explain: Annotated[
        bool,
        typer.Option(
            "--explain",
            help="Also print each report's candidate figures: the rule that read each, why it was kept or culled, "
            "and the rule of each total (to standard error with --format jsonl or csv).",
        ),
    ] = False,
) -> None:
    """Extract every casualty claim of each report, and each report's own totals.

    JSONL output has one `claim` line per claim and one `report` line per report; progress, warnings and
    errors go to standard error. The exit status is 1 when any input could not be read.
    """
    from tollcheck import api
    from tollcheck.render import claim_row, make_writer, report_row

    options = _read_options(text_column, id_column, date_column, glob, published)
    writer = make_writer(fmt.value, sys.stdout)
    failures = 0
    explained: list[str] = []
    try:
        with _output(), Progress(progress_wanted(quiet=quiet)) as bar:
            for item in _reported(api.extract(paths, options=options), bar):
                if isinstance(item, IngestError):
                    failures += 1
                    continue
                for i, claim in enumerate(item.claims):
                    writer.write(claim_row(claim, i))
                writer.write(report_row(item.totals))
                if explain and fmt == Format.table:  # printed after the tables, which are written at the end
                    explained.append(_explain(item))
                elif explain:  # standard output carries the rows only
                    sys.stderr.write(_explain(item))
            writer.close()
            sys.stdout.write("".join(explained))
    except KeyboardInterrupt:
        _err("interrupted")
        raise typer.Exit(130) from None
    if failures:
        _err(f"{failures} input(s) could not be read")
        raise typer.Exit(1)


def compare(
    paths: Annotated[list[str] | None, typer.Argument(help=PATHS_HELP + " Not needed with --db.")] = None,
    fmt: Annotated[
        Format,
        typer.Option(
            "--format",
            "-f",
            help="table (one panel per event), jsonl (claims with their event, reports, events) or csv.",
        ),
    ] = Format.table,
    html: Annotated[
        str | None,
        typer.Option(
            "--html",
            help="Also write a self-contained HTML report to this file (over 200 reports: an index, and one "
            "page per event in report_files/ for report.html).",
        ),
    ] = None,
    aliases: Annotated[
        str | None,
        typer.Option("--aliases", help="A file of place aliases: JSON {variant: name} or 'variant,name' lines."),
    ] = None,
    text_column: TextColumn = None,
    id_column: IdColumn = None,
    date_column: DateColumn = None,
    glob: Glob = None,
    published: Published = None,
    quiet: Quiet = False,
    db: Annotated[
        str | None,
        typer.Option(
            "--db", help="Compare the reports stored in a casebook (see `tollcheck add`), corrections applied."
        ),
    ] = None,
) -> None:
    """Group the claims of all reports into events and reconcile each event's figures.

    Each event gets a low / best / high per category with the rule that chose best, the sources behind
    each figure, a grade (single source, corroborated, contested), conflicts and consistency warnings.
    """
    from tollcheck import api
    from tollcheck.render import claim_row, make_writer, report_row

    options = _read_options(text_column, id_column, date_column, glob, published)
    if db:
        comparison, errors = _from_casebook(db), []
    elif not paths:
        _err("error: give the reports to compare (files, directories, -), or --db CASEBOOK")
        raise typer.Exit(2)
    else:
        try:
            with Progress(progress_wanted(quiet=quiet)) as bar:
                comparison, errors = api.compare(
                    paths, aliases, options=options, each=lambda results: _reported(results, bar)
                )
        except api.AliasError as e:  # an unreadable alias file
            _err(f"error: {e}")
            raise typer.Exit(2) from None
    with _output():
        if fmt is Format.table:
            from tollcheck.render.panels import print_comparison

            print_comparison(comparison, sys.stdout)
        else:
            writer = make_writer(fmt.value, sys.stdout)
            for report in comparison.reports:
                for i, claim in enumerate(comparison.claims[report.id]):
                    writer.write(claim_row(claim, i, with_event=True))
                writer.write(report_row(comparison.totals[report.id], _copy_of(comparison.copies, report.id)))
            for event in comparison.events:
                writer.write(event.to_dict())
            writer.close()
    if html:
        from tollcheck.render.site import folder_for, write_html

        try:
            written = write_html(comparison, html)
        except OSError as e:
            _err(f"error: {html}: cannot write the HTML report ({e.strerror})")
            raise typer.Exit(1) from None
        more = f" and {len(written) - 1} pages in {folder_for(html)}{os.sep}" if len(written) > 1 else ""
        _err(f"wrote {html}{more}")
    if errors:
        _err(f"{len(errors)} input(s) could not be read")
        raise typer.Exit(1)


def _from_casebook(db: str) -> Comparison:
    import sqlite3

    from tollcheck.casebook import comparison_from_db

    try:
        return comparison_from_db(db)
    except FileNotFoundError:
        _err(f"error: {db}: no such casebook")
    except (ValueError, sqlite3.DatabaseError) as e:
        _err(f"error: {db}: {e}")
    raise typer.Exit(2)


def _copy_of(copies: dict[str, str], doc: str) -> dict[str, str] | None:
    return {"copy_of": copies[doc]} if doc in copies else None


def register(main: typer.Typer) -> None:
    """Put `extract` and `compare` on the main app."""
    main.command()(extract)
    main.command()(compare)
