"""`bench_add`: the throughput of `add` on the short reports `tollcheck.bench.make_short` makes, next to
the throughput of `extract` on the same reports (the goal: `add` keeps at least 70% of it)."""

from __future__ import annotations

import os
import resource
import tempfile
import time
from dataclasses import asdict
from typing import Any

from tollcheck.bench import BenchResult, _rss_mb, make_short, run


def bench_add(n: int = 10_000, compare_extract: bool = True) -> dict[str, Any]:
    """A BenchResult-like dict for `add` into a new casebook (extraction, storing and regrouping events),
    with `extract_reports_per_s` and `ratio` (add's throughput over extract's) when compare_extract."""
    from tollcheck.api import extract_reports
    from tollcheck.casebook import add_results, open_casebook
    from tollcheck.extract.pipeline import make_nlp

    make_nlp()  # start-up is not throughput
    extract = run("short reports", make_short(n), n) if compare_extract else None
    with tempfile.TemporaryDirectory() as tmp:
        db = os.path.join(tmp, "bench.db")
        conn = open_casebook(db)
        words = 0

        def counted():  # type: ignore[no-untyped-def]
            nonlocal words
            for r in make_short(n):
                words += len(r.text.split())
                yield r

        start = time.perf_counter()
        stats = add_results(conn, extract_reports(counted()))
        seconds = time.perf_counter() - start
        conn.close()
        size_mb = os.path.getsize(db) / 2**20
    rss = round(_rss_mb(), 1)
    peak = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    result = BenchResult(
        "short reports, add", stats.added, round(seconds, 3), round(stats.added / seconds, 1), round(words / seconds),
        stats.claims, rss, rss, peak,
    )  # fmt: skip
    out: dict[str, Any] = asdict(result)
    out["db_mb"] = round(size_mb, 1)
    if extract is not None:
        out["extract_reports_per_s"] = extract.reports_per_s
        out["ratio"] = round(result.reports_per_s / extract.reports_per_s, 3)
    return out
