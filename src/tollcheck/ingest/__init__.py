"""Ingest: read report files, directories, JSONL and standard input into Report values."""

from tollcheck.ingest.readers import DIRECTORY_SUFFIXES, JSONL_SUFFIXES, TEXT_SUFFIXES, read_reports

__all__ = ["DIRECTORY_SUFFIXES", "JSONL_SUFFIXES", "TEXT_SUFFIXES", "read_reports"]
