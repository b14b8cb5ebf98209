"""The bad-input corpus (`tollcheck.bench.bad`), small kinds: each ends as it should, through the real
`extract`, with no traceback, no hang and no good report lost."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from tollcheck.bench import bad as bench_bad
from tollcheck.ingest import limits

EXPECTED = {  # kind -> (outcome, words of its first message)
    "binary file": ("rejected", "binary file (contains NUL bytes)"),
    "empty file": ("rejected", "empty file"),
    "truncated gzip": ("read, rejected in part", "truncated gzip file"),
    "broken JSON line": ("read, rejected in part", "lines.jsonl:2: line 2: not JSON"),
    "missing text field": ("read, rejected in part", 'no "text" field (found "body"'),
    "CSV without the column": ("rejected", "no column 'text'"),
    "HTML with only scripts": ("rejected", "no main text"),
    "scanned PDF (no text layer)": ("rejected", "no text layer"),
    "gzip bomb (blank lines)": ("rejected", "empty file"),
    "billion laughs (XML, HTML)": ("read", ""),
    "self-referencing symlink": ("read, rejected in part", "symbolic link loop"),
    "named pipe (dir, command line)": ("read, rejected in part", "not a regular file (a named pipe)"),
    "one NUL byte": ("read", ""),
    "UTF-16 without a BOM": ("read, warned", "decoded as utf-16-le"),
    "HTML nested deeply": ("read, warned", "page read by a fallback"),
    "HTML unclosed tags, deep": ("read, warned", "page read by a fallback"),
    "AES PDF, empty password": ("read", ""),
    "WARC cut in last headers": ("read, rejected in part", "truncated WARC after 2 page(s)"),
    "CSV unbalanced quote": ("read, rejected in part", "a quote opened on this line is never closed"),
    "huge JSONL line": ("read, warned", "dump.jsonl:2: line 2: longer than 1 MiB"),
    "French and Spanish reports": ("read, warned", "seems to be in French, which is not read yet"),
}


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bench_bad.Outcome]:
    patch = pytest.MonkeyPatch()
    patch.setattr(limits, "MAX_RECORD_BYTES", 1 << 20)  # the huge-line kind stays small
    patch.setattr(limits, "FIFO_WAIT_SECONDS", 0.2)  # the pipe without a writer is given up quickly
    try:
        root = tmp_path_factory.mktemp("bad")
        out: dict[str, bench_bad.Outcome] = {}
        for n, kind in enumerate(k for k in bench_bad.KINDS if not k.large):
            where = Path(root) / f"k{n}"
            where.mkdir()
            out[kind.name] = bench_bad.run_kind(kind, where)
        return out
    finally:
        patch.undo()


def test_every_small_kind_is_in_the_table(outcomes: dict[str, bench_bad.Outcome]) -> None:
    assert set(outcomes) == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_kind_ends_as_it_should(outcomes: dict[str, bench_bad.Outcome], name: str) -> None:
    result = outcomes[name]
    outcome, words = EXPECTED[name]
    assert (result.tracebacks, result.good_lost) == (0, 0), result.details
    assert result.outcome == outcome, result.details
    assert words in result.message, result.message
    assert all("\n" not in d and "Traceback" not in d for d in result.details)


def test_the_report_prints_one_line_per_kind_and_the_totals() -> None:
    few = tuple(k for k in bench_bad.KINDS if k.name in ("empty file", "one NUL byte", "5 MB one-report text"))
    out = io.StringIO()
    results = bench_bad.bad_inputs_report(out, large=False, kinds=few)
    lines = out.getvalue().splitlines()
    assert [r.kind for r in results] == ["empty file", "one NUL byte"]  # the large kind is left out
    assert lines[0].split()[:2] == ["kind", "outcome"] and len(lines) == 4
    assert lines[1].startswith("empty file") and "rejected" in lines[1] and "empty.txt: empty file" in lines[1]
    assert lines[-1] == "2 kinds: 0 good reports lost, 0 tracebacks, 0 hung"


def test_ingestion_alone_can_be_timed_with_the_same_outcomes() -> None:
    few = tuple(k for k in bench_bad.KINDS if k.name in ("CSV unbalanced quote", "UTF-16 without a BOM"))
    results = bench_bad.bad_inputs_report(io.StringIO(), large=False, kinds=few, extract=False)
    assert [(r.outcome, r.good_lost, r.tracebacks) for r in results] == [
        ("read, warned", 0, 0),
        ("read, rejected in part", 0, 0),
    ]
