"""Consistency checks a reader must see; reported as warnings, never silently fixed.

- subgroups named in one report summing above the total they belong to;
- missing above captured (abducted) for one event;
- a total falling in a later report with no correction noted in its text.
"""

from __future__ import annotations

import re

from tollcheck.model import Claim, Event

CORRECTION = re.compile(
    r"\b(revis\w*|correct\w*|lower\w*|down from|counted twice|double[- ]counted|error|mistak\w*|downgrad\w*|"
    r"reduc\w*|adjust\w*)\b",
    re.I,
)


def subgroup_warnings(doc: str, claims: list[Claim]) -> list[str]:
    """'106 women, 63 children and 70 elderly' must not exceed the total they are part of."""
    out = []
    parts: dict[int, list[Claim]] = {}
    for c in claims:
        if "subgroup" in c.flags and c.subgroup_of is not None and c.counted and c.value is not None:
            parts.setdefault(c.subgroup_of, []).append(c)
    for parent, subs in parts.items():
        total = claims[parent]
        if total.value is None or total.high is None:
            continue
        groups = {c.group for c in subs}
        if len(groups) == len(subs) and sum(c.value or 0 for c in subs) > total.high:  # disjoint groups only
            listed = " + ".join(f"{c.value:,} {c.group}" for c in subs)
            out.append(f"{doc}: subgroups ({listed}) sum above the total of {total.value:,} {total.group}")
    return out


def event_warnings(event: Event, claims_of: dict[str, list[Claim]]) -> list[str]:
    out: list[str] = []
    missing, captured = event.totals.get("missing"), event.totals.get("abducted")
    if missing and captured and missing.low is not None and captured.high is not None and missing.low > captured.high:
        out.append(f"missing ({missing.low:,}) above captured ({captured.high:,})")
    for category, fig in event.totals.items():
        dated = [s for s in fig.by_report if s.best is not None and s.published and "partial" not in s.flags]
        for earlier, later in zip(dated, dated[1:], strict=False):
            if later.published == earlier.published:
                continue
            if later.best is not None and earlier.best is not None and later.best < earlier.best:
                quotes = " ".join(claims_of_quote(claims_of, cid) for cid in later.claims)
                if not CORRECTION.search(quotes):
                    out.append(
                        f"{category}: the total fell from {earlier.best:,} ({earlier.report}, {earlier.published}) "
                        f"to {later.best:,} ({later.report}, {later.published}) with no correction noted"
                    )
    return out


def claims_of_quote(claims_of: dict[str, list[Claim]], cid: str) -> str:
    doc, _, index = cid.rpartition("#c")
    return claims_of[doc][int(index)].quote
