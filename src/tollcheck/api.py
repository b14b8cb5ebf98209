"""The library functions the CLI commands wrap, one per command, each a composition of the stages.

ingest -> clean -> extract -> tally, streamed report by report: memory does not grow with the corpus.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TextIO

from tollcheck.clean import clean
from tollcheck.events import PlaceIndex, find_copies, group_events, load_aliases
from tollcheck.extract.pipeline import extract_checked
from tollcheck.ingest import ReadOptions, read_reports
from tollcheck.ingest.published import date_report
from tollcheck.model import Claim, CleanReport, Comparison, IngestError, Report, ReportTotals
from tollcheck.reconcile import reconcile
from tollcheck.tally import tally


@dataclass(slots=True)
class ReportResult:
    report: Report
    cleaned: CleanReport
    claims: list[Claim]
    totals: ReportTotals


def _cleaned(items: Iterable[Report | IngestError], errors: list[IngestError]) -> Iterator[CleanReport]:
    for item in items:
        if isinstance(item, IngestError):
            errors.append(item)
            continue
        yield clean(date_report(item))


def extract_reports(reports: Iterable[Report | IngestError]) -> Iterator[ReportResult | IngestError]:
    """Claims and totals of each report, in order; ingest errors are passed through in place."""
    errors: list[IngestError] = []
    for cr, claims, error in extract_checked(_cleaned(reports, errors)):
        while errors:
            yield errors.pop(0)
        if error:
            yield IngestError(cr.report.id, f"could not extract claims ({error}); please report this as a bug")
            continue
        yield ReportResult(cr.report, cr, claims, tally(cr.report.id, claims, cr.report.published))
    yield from errors


def extract(
    paths: Sequence[str], stdin: TextIO | None = None, options: ReadOptions | None = None
) -> Iterator[ReportResult | IngestError]:
    """`tollcheck extract`: read the paths (files, directories, pages, PDFs, WARCs, tables, `-`) and
    extract every claim."""
    return extract_reports(read_reports(paths, stdin=stdin, options=options))


def compare_results(
    results: Iterable[ReportResult | IngestError], aliases: dict[str, str] | None = None
) -> tuple[Comparison, list[IngestError]]:
    """Group the claims of extracted reports into events and reconcile each event's figures."""
    reports: list[Report] = []
    claims: dict[str, list[Claim]] = {}
    totals: dict[str, ReportTotals] = {}
    errors: list[IngestError] = []
    with kept_out_of_gc() as keep:
        for item in results:
            if isinstance(item, IngestError):
                errors.append(item)
                continue
            reports.append(item.report)
            claims[item.report.id] = item.claims
            totals[item.report.id] = item.totals
            keep()
        copies = find_copies(reports)
        events = group_events(reports, claims, PlaceIndex(aliases))
        by_id = {r.id: r for r in reports}
        for event in events:
            reconcile(event, claims, by_id, copies)
    return Comparison(reports, claims, totals, events, copies), errors


@contextmanager
def kept_out_of_gc(every: int = 500) -> Iterator[Callable[[], None]]:
    """While a corpus is gathered in memory, move what is kept out of the cyclic collector's sight.

    Python's collector rescans every live object on each full collection, so holding all claims of a
    corpus makes it slower the more is held (half of `compare`'s own time). `keep()` freezes what is
    alive every `every` calls (`gc.freeze`); it is unfrozen when the block ends. Garbage without cycles
    is still freed at once, and new objects are still collected.
    """
    count = 0

    def keep() -> None:
        nonlocal count
        count += 1
        if count % every == 0:
            gc.freeze()

    try:
        yield keep
    finally:
        gc.unfreeze()


def compare(
    paths: Sequence[str], aliases: str | None = None, stdin: TextIO | None = None, options: ReadOptions | None = None
) -> tuple[Comparison, list[IngestError]]:
    """`tollcheck compare`: extract every report, group claims into events, reconcile each event."""
    return compare_results(extract(paths, stdin=stdin, options=options), load_aliases(aliases) if aliases else None)
