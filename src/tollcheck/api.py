"""The library functions the CLI commands wrap, one per command, each a composition of the stages.

ingest -> clean -> extract -> tally, streamed report by report: memory does not grow with the corpus.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TextIO

from tollcheck.clean import clean
from tollcheck.extract.pipeline import extract_checked
from tollcheck.ingest import read_reports
from tollcheck.ingest.published import date_report
from tollcheck.model import Claim, CleanReport, IngestError, Report, ReportTotals
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


def extract(paths: Sequence[str], stdin: TextIO | None = None) -> Iterator[ReportResult | IngestError]:
    """`tollcheck extract`: read the paths (files, directories, JSONL, `-`) and extract every claim."""
    return extract_reports(read_reports(paths, stdin=stdin))
