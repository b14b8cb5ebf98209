"""The `tollcheck` command: each command opens its inputs, calls the library function of the same
name, and turns its errors into one-line messages on standard error."""

from __future__ import annotations

import os
import sys
from enum import StrEnum
from typing import Annotated

import typer

from tollcheck import api
from tollcheck.model import IngestError

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


def _err(message: str) -> None:
    sys.stderr.write(message.replace("\n", " ") + "\n")


@app.command()
def extract(
    paths: Annotated[
        list[str], typer.Argument(help="Report files (.txt), directories, JSONL corpora, or - for standard input.")
    ],
    fmt: Annotated[
        Format,
        typer.Option(
            "--format", "-f", help="table (readable), jsonl (the output contract) or csv (one row per claim)."
        ),
    ] = Format.table,
) -> None:
    """Extract every casualty claim of each report, and each report's own totals.

    JSONL output has one `claim` line per claim and one `report` line per report; progress, warnings and
    errors go to standard error. The exit status is 1 when any input could not be read.
    """
    from tollcheck.render import claim_row, make_writer, report_row

    writer = make_writer(fmt.value, sys.stdout)
    failures = 0
    try:
        for item in api.extract(paths):
            if isinstance(item, IngestError):
                failures += 1
                _err(f"error: {item}")
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
    paths: Annotated[
        list[str], typer.Argument(help="Report files, directories, JSONL corpora, or - for standard input.")
    ],
    fmt: Annotated[
        Format,
        typer.Option(
            "--format",
            "-f",
            help="table (one panel per event), jsonl (claims with their event, reports, events) or csv.",
        ),
    ] = Format.table,
    html: Annotated[
        str | None, typer.Option("--html", help="Also write a self-contained HTML report to this file.")
    ] = None,
    aliases: Annotated[
        str | None,
        typer.Option("--aliases", help="A file of place aliases: JSON {variant: name} or 'variant,name' lines."),
    ] = None,
) -> None:
    """Group the claims of all reports into events and reconcile each event's figures.

    Each event gets a low / best / high per category with the rule that chose best, the sources behind
    each figure, a grade (single source, corroborated, contested), conflicts and consistency warnings.
    """
    from tollcheck.render import claim_row, make_writer, report_row

    try:
        comparison, errors = api.compare(paths, aliases=aliases)
    except (OSError, ValueError) as e:  # an unreadable alias file
        _err(f"error: {aliases}: {e}")
        raise typer.Exit(2) from None
    for e in errors:
        _err(f"error: {e}")
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
        from tollcheck.render.html import render_html

        try:
            os.makedirs(os.path.dirname(os.path.abspath(html)), exist_ok=True)
            with open(html, "w", encoding="utf-8") as fh:
                fh.write(render_html(comparison))
        except OSError as e:
            _err(f"error: {html}: cannot write the HTML report ({e.strerror})")
            raise typer.Exit(1) from None
        _err(f"wrote {html}")
    if errors:
        _err(f"{len(errors)} input(s) could not be read")
        raise typer.Exit(1)


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
) -> None:
    """Measure extraction speed on reports the benchmark makes itself: reports/s, words/s, peak memory."""
    from tollcheck.bench import bench as run_bench
    from tollcheck.bench import print_results

    results = run_bench(short=short, articles=articles)
    print_results(results, fmt.value, sys.stdout)


def main() -> None:  # pragma: no cover
    app()
