"""Render: claims and totals as JSON lines, CSV rows or a Rich table; one row writer serves them all."""

from tollcheck.render.rows import CLAIM_FIELDS, claim_row, report_row
from tollcheck.render.writers import RowWriter, make_writer

__all__ = ["CLAIM_FIELDS", "RowWriter", "claim_row", "make_writer", "report_row"]
