"""The stream of extracted reports on its way into the casebook: counted and warned about as it passes, and
cut into batches of one transaction each."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING

from tollcheck.model import IngestError

if TYPE_CHECKING:
    from tollcheck.api import ReportResult
    from tollcheck.casebook.store import RunStats


def counted(
    items: Iterable[ReportResult | IngestError],
    count: Callable[[object], None] | None,
    on_warning: Callable[[str], None] | None = None,
) -> Iterator[ReportResult | IngestError]:
    """The results as they pass: each counted, and the warnings of each report said (as `extract` says them:
    a guessed encoding, a text read in parts, a language not read yet, an unreadable date)."""
    from tollcheck.ingest import warnings_of

    for item in items:
        if count is not None:
            count(item)
        if on_warning is not None and not isinstance(item, IngestError):
            for warning in warnings_of(item.report):
                on_warning(str(warning))
        yield item


def batches(
    results: Iterable[ReportResult | IngestError],
    batch: int,
    stats: RunStats,
    on_error: Callable[[IngestError], None] | None,
) -> Iterator[list[ReportResult]]:
    """Extracted reports in lists of `batch` (one transaction each); errors are counted and passed on."""
    pending: list[ReportResult] = []
    for item in results:
        if isinstance(item, IngestError):
            stats.failed += 1
            if on_error:
                on_error(item)
            continue
        pending.append(item)
        if len(pending) >= batch:
            yield pending
            pending = []
    if pending:
        yield pending
