"""When was a report published? From its metadata, else from its first lines.

`date_report(report)` fills `published` from a line near the top ("Published 8 March 2025",
"Posted on ...", a dateline "KABUL, March 3, 2024 -") when the input gave none, and keeps the page's
"Last updated" date apart in `metadata["updated"]`: a 1992 dispatch republished in 2016 must not be
dated 2016. `metadata["published_from"]` says which was used and why.
"""

from __future__ import annotations

import dataclasses
import re
from functools import lru_cache

from tollcheck.model import Report

HEAD_CHARS = 600  # the part of a report where a dateline or a "Published" line stands
PUBLISHED = re.compile(r"(?im)^\W*(?:published|posted|first published|date)(?:\s+on)?\s*:?\s*(?P<date>[^|\n]{6,40})")
UPDATED = re.compile(
    r"(?im)(?:last\s+updated|updated|modified)(?:\s+on)?\s*:?\s*(?P<date>[0-9][0-9/.\-]{5,9}[0-9]|[^|\n]{6,30}?\d{4})"
)
MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?"
DATELINE = re.compile(r"(?m)^[A-Z][A-Za-z .'-]{1,40},\s+(?P<date>" + MONTH + r"\s+\d{1,2},?\s+\d{4})")


@lru_cache(maxsize=2048)
def parse_date(text: str) -> str | None:
    """An ISO date (YYYY-MM-DD) for a date written out, or None."""
    import dateparser

    parsed = dateparser.parse(
        text.strip(" .,-–—"), settings={"REQUIRE_PARTS": ["year"], "PREFER_DAY_OF_MONTH": "first"}, languages=["en"]
    )
    return parsed.date().isoformat() if parsed else None


def _first(pattern: re.Pattern[str], head: str) -> str | None:
    for m in pattern.finditer(head):
        found = parse_date(m.group("date"))
        if found:
            return found
    return None


ISO = re.compile(r"(?P<date>\d{4}(?:-\d{2}(?:-\d{2})?)?)(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?")


def iso_date(given: str) -> str | None:
    """A date as given by an input (`published` of a JSONL line, a CSV column, page metadata) as one ISO
    value with its precision (YYYY, YYYY-MM or YYYY-MM-DD): "March 9, 2025" and "2025-03-09T08:00:00Z"
    both become 2025-03-09, so dates compare and sort as dates; None when it is not a date."""
    m = ISO.fullmatch(given.strip())
    if m:
        return m.group("date")
    return parse_date(given) if any(c.isdigit() for c in given) else None


def date_report(report: Report) -> Report:
    """The report with `published` (and `metadata["updated"]`) read from its text when not given; a date
    given by the input is read once, here, into ISO form (kept as given in `metadata["published_as_given"]`)."""
    if report.published:
        if "published_from" in report.metadata:
            return report
        meta = {**report.metadata, "published_from": "input metadata"}
        iso = iso_date(str(report.published))
        if iso == report.published:
            return dataclasses.replace(report, metadata=meta)
        meta["published_as_given"] = report.published
        if iso is None:
            meta["published_unread"] = report.published
            meta["published_from"] = "unknown: the input's date could not be read"
        return dataclasses.replace(report, published=iso, metadata=meta)
    head = report.text[:HEAD_CHARS]
    meta = dict(report.metadata)
    updated = _first(UPDATED, head)
    if updated:
        meta["updated"] = updated
    published = _first(PUBLISHED, head)
    how = "a 'Published' line in the text"
    if published is None:
        published = _first(DATELINE, head)
        how = "the dateline"
    if published is None:
        meta["published_from"] = "unknown: no date in the input or its first lines" + (
            " (the 'updated' date is not a publication date)" if updated else ""
        )
        return dataclasses.replace(report, metadata=meta)
    meta["published_from"] = how
    outlet = report.outlet or _outlet(head)
    return dataclasses.replace(report, published=published, outlet=outlet, metadata=meta)


OUTLET = re.compile(r"(?im)^\W*(?:published|posted)\b[^|\n]*\|\s*(?P<outlet>[^|\n]{2,60}?)\s*$")


def _outlet(head: str) -> str | None:
    """'Published 8 March 2025 | Meridian Wire': the outlet named after the date on that line."""
    m = OUTLET.search(head)
    return m.group("outlet") if m else None
