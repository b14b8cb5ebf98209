"""Cleaning: repair scanning (OCR) and scraping noise, keeping a map back to the original text.

`clean(report)` runs every repair on the ORIGINAL text, drops any fix overlapping an earlier one
(boilerplate lines win: their digits and words go with them), applies the rest, and returns a
`CleanReport` whose `anchors` map cleaned offsets back to original ones (see `clean.offsets`).
"""

from __future__ import annotations

from collections.abc import Callable

from tollcheck.clean.offsets import Edit, apply_edits, map_offset
from tollcheck.clean.repairs import Fix, boilerplate, digit_groups, long_runs, run_together
from tollcheck.model import CleanReport, Report

__all__ = ["REPAIRS", "clean", "clean_text", "map_offset"]

# In order of precedence where two fixes overlap.
REPAIRS: tuple[Callable[[str], list[Fix]], ...] = (boilerplate, digit_groups, run_together, long_runs)


def clean_text(text: str) -> tuple[str, list[Fix], list[tuple[int, int]]]:
    """Repair `text`; return the cleaned text, the fixes made and the offset anchors."""
    ranked = sorted(
        ((fix.repair.start, rank, fix) for rank, repair in enumerate(REPAIRS) for fix in repair(text)),
        key=lambda item: (item[0], item[1]),
    )
    kept: list[Fix] = []
    edits: list[Edit] = []
    reach = 0
    for start, _, fix in ranked:
        if start < reach:
            continue
        kept.append(fix)
        edits.extend(fix.edits)
        reach = fix.repair.end
    cleaned, anchors = apply_edits(text, edits)
    return cleaned, kept, anchors


def clean(report: Report) -> CleanReport:
    """Clean one report's text; every repair is logged with offsets in the original text."""
    cleaned, fixes, anchors = clean_text(report.text)
    return CleanReport(report=report, text=cleaned, repairs=[f.repair for f in fixes], anchors=anchors)
