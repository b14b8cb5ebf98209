"""The `tollcheck` command: each command opens its inputs, calls the library function of the same
name, and turns its errors into one-line messages on standard error."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer

from tollcheck import api
from tollcheck.cli_casebook import register as register_casebook
from tollcheck.cli_options import (
    PATHS_HELP,
    DateColumn,
    Glob,
    IdColumn,
    Published,
    Quiet,
    TextColumn,
    _err,
    _read_options,
)
from tollcheck.ingest import warnings_of
from tollcheck.ingest.progress import Progress, progress_wanted
from tollcheck.model import Comparison, IngestError

if TYPE_CHECKING:
    from tollcheck.api import ReportResult

app = typer.Typer(
    help="tollcheck reads reports of violence and pulls out every casualty claim: what happened to how many "
    "of whom, who says so, where, when, and in which sentence.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


class Format(StrEnum):
    table = "table"
    jsonl = "jsonl"
    csv = "csv"


def _reported(items: Iterable[ReportResult | IngestError], bar: Progress) -> Iterator[ReportResult | IngestError]:
    """Each result, with its errors and warnings said on standard error as it passes."""
    for item in bar.track(items):
        if isinstance(item, IngestError):
            bar.say(f"error: {item}".replace("\n", " "))
        else:
            for warning in warnings_of(item.report):
                bar.say(f"warning: {warning}".replace("\n", " "))
        yield item


@app.command()
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
) -> None:
    """Extract every casualty claim of each report, and each report's own totals.

    JSONL output has one `claim` line per claim and one `report` line per report; progress, warnings and
    errors go to standard error. The exit status is 1 when any input could not be read.
    """
    from tollcheck.render import claim_row, make_writer, report_row

    options = _read_options(text_column, id_column, date_column, glob, published)
    writer = make_writer(fmt.value, sys.stdout)
    failures = 0
    try:
        with Progress(progress_wanted(quiet=quiet)) as bar:
            for item in _reported(api.extract(paths, options=options), bar):
                if isinstance(item, IngestError):
                    failures += 1
                    continue
                for i, claim in enumerate(item.claims):
                    writer.write(claim_row(claim, i))
                writer.write(report_row(item.totals))
    except BrokenPipeError:  # `tollcheck extract ... | head`
        sys.stderr.close()
        raise typer.Exit(0) from None
    except KeyboardInterrupt:
        _err("interrupted")
        raise typer.Exit(130) from None
    writer.close()
    if failures:
        _err(f"{failures} input(s) could not be read")
        raise typer.Exit(1)


@app.command()
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
    from tollcheck.events import load_aliases
    from tollcheck.render import claim_row, make_writer, report_row

    options = _read_options(text_column, id_column, date_column, glob, published)
    try:
        alias_table = load_aliases(aliases) if aliases else None
    except (OSError, ValueError) as e:  # an unreadable alias file
        _err(f"error: {aliases}: {e}")
        raise typer.Exit(2) from None
    if db:
        comparison, errors = _from_casebook(db), []
    elif not paths:
        _err("error: give the reports to compare (files, directories, -), or --db CASEBOOK")
        raise typer.Exit(2)
    else:
        with Progress(progress_wanted(quiet=quiet)) as bar:
            results = _reported(api.extract(paths, options=options), bar)
            comparison, errors = api.compare_results(results, alias_table)
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


@app.command()
def bench(
    short: Annotated[int, typer.Option(help="How many short reports (a news lead each) to make and extract.")] = 10_000,
    articles: Annotated[
        int, typer.Option(help="How many full-length articles (about 5 KB) to make and extract.")
    ] = 1_000,
    fmt: Annotated[
        Format, typer.Option("--format", "-f", help="table or jsonl (one line of figures per run).")
    ] = Format.table,
    pages: Annotated[int, typer.Option(help="How many generated news pages (.html) to read.")] = 300,
    warc_records: Annotated[int, typer.Option(help="How many generated pages to read from one WARC.gz.")] = 300,
    add_reports: Annotated[
        int, typer.Option("--add", help="How many short reports to `add` into a new casebook (0 to skip).")
    ] = 10_000,
    long: Annotated[
        bool, typer.Option("--long", help="Only time long texts: 1, 2, 5 MB reports and a 50 MB CSV cell.")
    ] = False,
) -> None:
    """Measure extraction speed on reports the benchmark makes itself: reports/s, words/s, peak memory;
    and ingestion speed on web pages and WARC records it makes itself: pages/s, records/s."""
    from tollcheck.bench import bench as run_bench
    from tollcheck.bench import bench_long, print_long, print_results
    from tollcheck.bench_ingest import bench_ingest

    if long:
        print_long(bench_long(), fmt.value, sys.stdout)
        return

    results = run_bench(short=short, articles=articles) + bench_ingest(pages=pages, warc_records=warc_records)
    if add_reports:
        from tollcheck.bench import BenchResult
        from tollcheck.casebook.bench import bench_add

        row = bench_add(n=add_reports, compare_extract=False)
        results.append(BenchResult(**{k: row[k] for k in BenchResult.__slots__}))
    print_results(results, fmt.value, sys.stdout)
    if fmt is Format.table:
        for r in results:
            if r.name.endswith("(ingest)"):
                unit = "pages" if r.name.startswith("HTML") else "records"
                sys.stdout.write(f"{r.name}: {r.reports_per_s:,.0f} {unit}/s\n")


register_casebook(app)


def main() -> None:  # pragma: no cover
    app()
