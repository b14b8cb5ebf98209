"""`tollcheck bench`: speed and memory figures on reports the benchmark makes itself."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from tollcheck.cli.options import Format


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
    bad_inputs: Annotated[
        bool,
        typer.Option(
            "--bad-inputs",
            help="Only run the bad-input corpus: each kind (made here) read, rejected with its message or skipped; "
            "time, good reports lost, tracebacks.",
        ),
    ] = False,
    start: Annotated[
        bool, typer.Option("--start", help="Only time start-up: `tollcheck --help` and one short report.")
    ] = False,
    serve: Annotated[
        bool,
        typer.Option(
            "--serve",
            help="Only run the load check of `tollcheck serve` on loopback: 20 clients for 30 s on 10,000 reports.",
        ),
    ] = False,
) -> None:
    """Measure extraction speed on reports the benchmark makes itself: reports/s, words/s, peak memory;
    and ingestion speed on web pages and WARC records it makes itself: pages/s, records/s; and start-up."""
    from tollcheck.bench import bench as run_bench
    from tollcheck.bench import bench_long, print_long, print_results
    from tollcheck.bench.ingest import bench_ingest
    from tollcheck.bench.start import bench_start, print_start

    if long:
        print_long(bench_long(), fmt.value, sys.stdout)
        return
    if bad_inputs:
        from tollcheck.bench.bad import bad_inputs_report

        outcomes = bad_inputs_report(sys.stdout)
        if any(o.tracebacks or o.good_lost or o.outcome == "hung" for o in outcomes):
            raise typer.Exit(1)
        return
    if start:
        print_start(bench_start(), sys.stdout)
        return
    if serve:
        from tollcheck.bench.serve import bench_serve

        bench_serve()
        return

    results = run_bench(short=short, articles=articles) + bench_ingest(pages=pages, warc_records=warc_records)
    if add_reports:
        from tollcheck.bench import BenchResult
        from tollcheck.bench.casebook import bench_add

        row = bench_add(n=add_reports, compare_extract=False)
        results.append(BenchResult(**{k: row[k] for k in BenchResult.__slots__}))
    print_results(results, fmt.value, sys.stdout)
    if fmt is Format.table:
        print_start(bench_start(), sys.stdout)
    if fmt is Format.table:
        for r in results:
            if r.name.endswith("(ingest)"):
                unit = "pages" if r.name.startswith("HTML") else "records"
                sys.stdout.write(f"{r.name}: {r.reports_per_s:,.0f} {unit}/s\n")


def register(app: typer.Typer) -> None:
    """Add `bench` to the `tollcheck` app."""
    app.command()(bench)
