"""Ingest: read report files (text, HTML, PDF, WARC, JSONL, CSV/TSV, gzip of each), directories and
standard input into Report values, with a one-line IngestError for every input that cannot be read.

What one input, record or report may hold is bounded in `limits` (the one place to change them): a
longer report is read in parts, a longer line or row is cut, a gzip bomb is stopped, and each says so
in a warning (`warnings_of`) or an error. Nothing an input is or holds stops the batch or blocks it.
"""

from tollcheck.ingest.common import IngestWarning, ReadOptions, warnings_of
from tollcheck.ingest.pdf import page_of
from tollcheck.ingest.readers import DIRECTORY_SUFFIXES, JSONL_SUFFIXES, TEXT_SUFFIXES, read_reports

__all__ = [
    "DIRECTORY_SUFFIXES",
    "JSONL_SUFFIXES",
    "TEXT_SUFFIXES",
    "IngestWarning",
    "ReadOptions",
    "page_of",
    "read_reports",
    "warnings_of",
]
