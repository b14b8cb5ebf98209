"""Ingest: read report files (text, HTML, PDF, WARC, JSONL, CSV/TSV, gzip of each), directories and
standard input into Report values, with a one-line IngestError for every input that cannot be read."""

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
