"""Reconcile: per event and category, a low / best / high with its sources, grade, conflicts and warnings."""

from __future__ import annotations

from tollcheck.model import CATEGORIES, Claim, Event, Report
from tollcheck.reconcile.checks import event_warnings, subgroup_warnings
from tollcheck.reconcile.figures import reconcile_category

__all__ = ["reconcile", "reconcile_category", "subgroup_warnings"]


def reconcile(
    event: Event, claims: dict[str, list[Claim]], reports: dict[str, Report], copies: dict[str, str]
) -> Event:
    """Fill the event's totals and warnings from its claims (the event is returned for chaining)."""
    by_doc: dict[str, list[int]] = {}
    by_cat: dict[str, dict[str, list[int]]] = {}
    for cid in event.claims:
        doc, _, index = cid.rpartition("#c")
        i = int(index)
        by_doc.setdefault(doc, []).append(i)
        by_cat.setdefault(claims[doc][i].category, {}).setdefault(doc, []).append(i)
    present = set(by_cat)
    for category in [c for c in CATEGORIES if c in present] + sorted(present - set(CATEGORIES)):
        fig = reconcile_category(category, by_cat[category], claims, reports, copies)
        if fig is not None:
            event.totals[category] = fig
    event.warnings = event_warnings(event, claims)
    for doc, indices in by_doc.items():
        subset = set(indices)
        event.warnings += [w for w in subgroup_warnings(doc, claims[doc]) if _about(w, claims[doc], subset)]
    return event


def _about(warning: str, claims: list[Claim], indices: set[int]) -> bool:
    return any(f"{claims[i].value:,} {claims[i].group}" in warning for i in indices if claims[i].value is not None)
