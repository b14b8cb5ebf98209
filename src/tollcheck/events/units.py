"""One report's claims split into the incidents it speaks of: its main event, other incidents, periods.

- A claim dated with a span longer than `PERIOD_DAYS` ("the 1991-1994 war") is about a named period.
- The report's main event is at its main place (the place its claims name most, the headline's place
  first) and on its main date (the date its main-place claims give most, else a phrase such as
  "Friday's massacre", else its publication week unless it is follow-up coverage).
- A claim is about another incident when its date lies away from the main date, or when its own
  sentence names another place than the main one (not one inside it or around it): "200 killed in an
  attack on Askeran" in a report on Khojaly. Claims without a place or date are the main event's.
- In follow-up coverage (a trial, an arrest), dates in the week before publication are the follow-up's
  own ("a jury on Thursday convicted ..."), not the incident's: they are not used to place it.
- The claims of one sentence stay together (killed and injured of one blast are one incident), and a
  figure a report repeats for a period ("one million displaced") goes with the period each time.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from tollcheck.events.gazetteer import distance_km
from tollcheck.events.places import place_key
from tollcheck.events.resolve import Resolved
from tollcheck.model import Claim

SAME_INCIDENT_DAYS = 3  # dates this close (or overlapping) are one incident
PERIOD_DAYS = 62  # a span longer than this is a period (a war, a campaign), not an incident
NEAR_KM = 40.0  # two places this close are neighbours
NEAR_SPELLING = 85  # rapidfuzz ratio of skeletons above which a name the gazetteer lacks is a known place
WEAK_DAYS = 7  # an undated report's incident lies in the week before its publication
FROM_WEIGHT = {"report": 2, "sentence": 1, "paragraph": 1}

Span = tuple[dt.date, dt.date]


@dataclass(slots=True)
class Ref:
    cid: str
    claim: Claim
    order: int
    span: Span | None
    where: Resolved | None


@dataclass(slots=True)
class Unit:
    """Claims of one report about one incident (or period), with the evidence to match other reports."""

    doc: str
    kind: str  # main | other | period
    refs: list[Ref] = field(default_factory=list)
    where: Resolved | None = None
    span: Span | None = None  # incident dates the text gives
    weak: Span | None = None  # from the publication date only
    followup: bool = False
    named: bool = False  # its place is named in the sentence of one of its claims, not only the report's
    published: dt.date | None = None
    text: str = ""  # what its text similarity is read from


def relation(a: Resolved | None, b: Resolved | None) -> str:
    """same | contains | near | far | other | conflict | unknown: how two places stand to each other."""
    if a is None or b is None:
        return "unknown"
    if a.key == b.key:
        return "same"
    pa, pb = a.place, b.place
    if pa is None or pb is None:  # a name the gazetteer lacks: the same place only when spelled nearly alike
        named = pa or pb
        if named is None:
            return "other"  # two names the gazetteer lacks, not joined by their spelling (`places.PlaceIndex`)
        bare = b.name if pb is None else a.name
        return "same" if fuzz.ratio(place_key(bare), place_key(named.name)) >= NEAR_SPELLING else "other"
    if pa.country != pb.country:
        return "conflict"
    if "country" in (pa.kind, pb.kind):
        return "contains"
    if pa.kind != "city" or pb.kind != "city":  # an area and a place, or two areas
        if not pa.region or not pb.region:
            return "unknown"  # area codes of two schemes (GeoNames and ISO) cannot be compared
        return "contains" if pa.region == pb.region else "conflict"
    d = distance_km(pa, pb)
    if d is not None and d <= NEAR_KM:
        return "near"
    return "far" if pa.region == pb.region else "conflict"


def gap_days(a: Span, b: Span) -> int:
    """Days between two spans (0 when they overlap)."""
    if a[1] < b[0]:
        return (b[0] - a[1]).days
    if b[1] < a[0]:
        return (a[0] - b[1]).days
    return 0


def _is_period(r: Ref) -> bool:
    return bool(r.span and r.claim.date_end and (r.span[1] - r.span[0]).days > PERIOD_DAYS)


def _main_place(refs: list[Ref]) -> Resolved | None:
    weights: Counter[str] = Counter()
    first: dict[str, Resolved] = {}
    for r in refs:
        if r.where is not None:
            weights[r.where.key] += FROM_WEIGHT.get(r.claim.place_from or "", 1)
            first.setdefault(r.where.key, r.where)
    if not weights:
        return None
    return first[max(weights, key=lambda k: (weights[k], -list(first).index(k)))]


def _main_span(refs: list[Ref], where: Resolved | None) -> Span | None:
    spans = [r.span for r in refs if r.span and relation(r.where, where) in ("same", "contains", "unknown")]
    if not spans:
        return None
    by_precision = sorted(spans, key=lambda s: (s[1] - s[0]).days)
    finest = (by_precision[0][1] - by_precision[0][0]).days
    counts = Counter(s for s in spans if (s[1] - s[0]).days == finest)
    return counts.most_common(1)[0][0]


def _sentence_evidence(group: list[Ref]) -> tuple[Resolved | None, str, Span | None]:
    """The place (and where it was read) and the date a sentence's claims give."""
    named = next((r for r in group if r.where is not None and r.claim.place_from == "sentence"), None)
    placed = named or next((r for r in group if r.where is not None), None)
    span = next((r.span for r in group if r.span), None)
    if placed is None:
        return None, "", span
    return placed.where, placed.claim.place_from or "", span


def _elsewhere(where: Resolved | None, read_from: str, main: Resolved | None) -> bool:
    rel = relation(where, main)
    if rel == "conflict":
        return read_from in ("sentence", "paragraph")
    return rel in ("near", "far", "other") and read_from == "sentence"


def split_report(
    doc: str,
    refs: list[Ref],
    text: str,
    published: dt.date | None,
    followup: bool,
    relative: Callable[[], Span | None] = lambda: None,
) -> list[Unit]:
    """The report's units: its main event first, then other incidents and periods it speaks of;
    `relative` reads an incident date from the text when the claims give none."""
    periods: dict[tuple[int, int], Unit] = {}
    rest: list[Ref] = []
    for r in refs:
        if _is_period(r):
            assert r.span is not None
            periods.setdefault((r.span[0].year, r.span[1].year), Unit(doc, "period", where=r.where)).refs.append(r)
        else:
            rest.append(r)
    if followup and published:  # "a jury on Thursday convicted ...": the follow-up's day, not the incident's
        for r in rest:
            if r.span and r.span[0] >= published - dt.timedelta(days=WEAK_DAYS):
                r.span = None
    where = _main_place(rest)
    span = _main_span(rest, where) or relative()
    weak = (published - dt.timedelta(days=WEAK_DAYS), published) if published and not followup and not span else None
    main = Unit(doc, "main", where=where, span=span, weak=weak, followup=followup, published=published, text=text)
    others: list[Unit] = []
    sentences: dict[int, list[Ref]] = {}
    for r in rest:
        sentences.setdefault(r.claim.sentence_start, []).append(r)
    for group in sentences.values():
        g_where, read_from, g_span = _sentence_evidence(group)
        away = bool(g_span and span and gap_days(g_span, span) > SAME_INCIDENT_DAYS)
        if not away and not _elsewhere(g_where, read_from, where):
            main.refs.extend(group)
            continue
        target = next(
            (u for u in others if relation(u.where, g_where) in ("same", "unknown") and _dates_meet(u.span, g_span)),
            None,
        )
        if target is None:
            target = Unit(doc, "other", where=g_where or where, span=g_span, published=published)
            others.append(target)
        target.refs.extend(group)
        if g_span and target.span:
            target.span = (min(target.span[0], g_span[0]), max(target.span[1], g_span[1]))
    units = [u for u in (main, *others) if u.refs]
    for u in units:
        u.named = any(r.claim.place_from == "sentence" and r.where is not None and r.where.key == u.where.key
                      for r in u.refs if u.where is not None)  # fmt: skip
    _repeated_figures_follow_periods(units, list(periods.values()))
    for u in [*units, *periods.values()]:
        if u.kind != "main":
            u.text = " ".join(r.claim.quote for r in u.refs)
    return [u for u in units if u.refs] + list(periods.values())


def _dates_meet(a: Span | None, b: Span | None) -> bool:
    return a is None or b is None or gap_days(a, b) <= SAME_INCIDENT_DAYS


def _repeated_figures_follow_periods(units: list[Unit], periods: list[Unit]) -> None:
    """'One million displaced', said again without its dates, is the period's figure each time."""
    figures = {(r.claim.category, r.claim.value): p for p in periods for r in p.refs if r.claim.value}
    if not figures:
        return
    for u in units:
        moved = [r for r in u.refs if (r.claim.category, r.claim.value) in figures]
        for r in moved:
            figures[(r.claim.category, r.claim.value)].refs.append(r)
        if moved:
            u.refs = [r for r in u.refs if (r.claim.category, r.claim.value) not in figures]
