"""Reports that are copies of one story count once.

For now a copy is a report whose text is identical to an earlier one once whitespace and case are
folded (the same wire story saved twice, a page captured twice). Near-duplicates (syndicated copies
with a changed line) come with the ingestion work.
"""

from __future__ import annotations

import hashlib

from tollcheck.model import Report


def text_hash(text: str) -> str:
    return hashlib.sha256(" ".join(text.lower().split()).encode("utf-8")).hexdigest()


def find_copies(reports: list[Report]) -> dict[str, str]:
    """{copy's id: the first report's id} for every report whose text repeats an earlier one."""
    first: dict[str, str] = {}
    copies: dict[str, str] = {}
    for r in reports:
        h = text_hash(r.text)
        if h in first:
            copies[r.id] = first[h]
        else:
            first[h] = r.id
    return copies
