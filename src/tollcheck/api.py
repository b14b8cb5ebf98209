"""The library functions the CLI commands wrap, one per command, each a composition of the stages.

ingest -> clean -> extract -> tally, streamed report by report: memory does not grow with the corpus.
"""

from __future__ import annotations

import dataclasses
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
from tollcheck.model import Claim, CleanReport, Comparison, IngestError, Report, ReportTotals, report_key
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


def scoped_id(report: Report, used: set[str] | dict[str, object]) -> str:
    """The report's id if no other report in `used` has it, else the id scoped by its file as given
    ("b.jsonl#1"), numbered when even that is taken: two sources' reports never share a key."""
    if report.id not in used:
        return report.id
    file = str(report.origin.get("file") or "")
    base = f"{file}#{report.id}" if file and not report.id.startswith(file) else report.id
    where = report.origin.get("line") or report.origin.get("record_offset")
    candidate, n = base, 1
    while candidate in used:
        n += 1
        candidate = f"{base}@{where}" if n == 2 and where is not None else f"{base}~{n}"
    return candidate


def compare_results(
    results: Iterable[ReportResult | IngestError], aliases: dict[str, str] | None = None
) -> tuple[Comparison, list[IngestError]]:
    """Group the claims of extracted reports into events and reconcile each event's figures.

    Reports are keyed by source (`report_key`): a file read twice under two spellings counts once, and
    two files whose reports share an id (JSONL ids both starting at "1") are both kept, the later one
    under an id scoped by its file (`scoped_id`; `doc` in the claim and report lines stays as given)."""
    reports: list[Report] = []
    claims: dict[str, list[Claim]] = {}
    totals: dict[str, ReportTotals] = {}
    errors: list[IngestError] = []
    seen: dict[str, int] = {}  # source key -> hash of the text read under it
    with kept_out_of_gc() as keep:
        for item in results:
            if isinstance(item, IngestError):
                errors.append(item)
                continue
            key = report_key(item.report)
            if seen.get(key) == hash(item.report.text):
                continue  # the same report of the same file, named twice
            seen.setdefault(key, hash(item.report.text))
            if item.report.id in claims:
                item.report = dataclasses.replace(item.report, id=scoped_id(item.report, claims))
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


class AliasError(ValueError):
    """A place-alias file that cannot be read."""


def compare(
    paths: Sequence[str],
    aliases: str | None = None,
    stdin: TextIO | None = None,
    options: ReadOptions | None = None,
    each: Callable[[Iterator[ReportResult | IngestError]], Iterable[ReportResult | IngestError]] | None = None,
) -> tuple[Comparison, list[IngestError]]:
    """`tollcheck compare`: extract every report, group claims into events, reconcile each event. `each`
    sees the stream of results on its way (the CLI's progress bar and messages)."""
    try:
        table = load_aliases(aliases) if aliases else None
    except (OSError, ValueError) as e:
        raise AliasError(f"{aliases}: {e}") from None
    results = extract(paths, stdin=stdin, options=options)
    return compare_results(each(results) if each else results, table)
