"""The output contract's rows (see README, "Output"): one `claim` row per claim, one `report` row per report."""

from __future__ import annotations

from typing import Any

from tollcheck.model import Claim, ReportTotals

CLAIM_FIELDS = (
    "type",
    "doc",
    "category",
    "low",
    "high",
    "qualifier",
    "value",
    "group",
    "unit",
    "side",
    "source",
    "place",
    "place_from",
    "place_id",
    "country",
    "region",
    "lat",
    "lon",
    "date",
    "date_end",
    "date_from",
    "quote",
    "start",
    "end",
    "flags",
    "subgroup_of",
    "statement",
    "rule",
    "event",
)


def claim_row(claim: Claim, index: int, with_event: bool = False) -> dict[str, Any]:
    d = claim.to_dict()
    row = {k: d.get(k) for k in CLAIM_FIELDS}
    row["type"] = "claim"
    row["index"] = index
    if claim.event is None and not with_event:
        row.pop("event")
    return row


def report_row(totals: ReportTotals, extra: dict[str, Any] | None = None) -> dict[str, Any]:
    row = totals.to_dict()
    if extra:
        row.update(extra)
    return row
