"""Group the claims of all reports into events.

1. Each report's claims are split into the incidents it speaks of (`units.split_report`): its main
   event (claims without place or date join it), other incidents it names by place or date, periods.
2. Place strings resolve to gazetteer places with the report as context (`resolve`), so Khojali,
   Khojaly and Xocalı are one place and Antioch is the one the report means; names the gazetteer
   lacks are compared through their transliteration skeleton (`places.PlaceIndex`, alias file too).
3. The units of all reports are joined by weighing place, date and text similarity (`cluster`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter

from tollcheck.events.cluster import cluster
from tollcheck.events.incident import is_followup, relative_incident
from tollcheck.events.places import PlaceIndex
from tollcheck.events.resolve import pattern_place, resolve_names
from tollcheck.events.units import Ref, Unit, split_report
from tollcheck.model import Claim, Event, Report, claim_id

NAME_SAMPLE = 60  # claims whose quotes are read to name an event
EVENT_NOUNS = re.compile(
    r"\b(massacre|bombings?|attacks?|air ?strikes?|shelling|shooting|blasts?|explosions?|raid|ambush|clashes|"
    r"siege|riot|killings|war|conflict|fighting|offensive|genocide|pogrom)\b",
    re.I,
)


def date_span(date: str | None, date_end: str | None = None) -> tuple[dt.date, dt.date] | None:
    """The first and last day a date of any precision ("1992", "1992-02", "1992-02-26") covers."""
    if not date:
        return None
    start = _bounds(date)
    end = _bounds(date_end) if date_end else start
    if start is None or end is None:
        return None
    return start[0], max(end[1], start[0])


def _bounds(text: str) -> tuple[dt.date, dt.date] | None:
    try:
        parts = [int(p) for p in text.split("-")]
        if len(parts) == 1:
            return dt.date(parts[0], 1, 1), dt.date(parts[0], 12, 31)
        if len(parts) == 2:
            first = dt.date(parts[0], parts[1], 1)
            nxt = dt.date(parts[0] + (parts[1] == 12), parts[1] % 12 + 1, 1)
            return first, nxt - dt.timedelta(days=1)
        day = dt.date(parts[0], parts[1], parts[2])
        return day, day
    except (ValueError, TypeError):
        return None


def _published(report: Report | None) -> dt.date | None:
    if report is None or not report.published:
        return None
    try:
        return dt.date.fromisoformat(report.published[:10])
    except ValueError:
        return None


def _name(claims: list[Claim], kind: str, places: list[str], start: dt.date | None, end: dt.date | None) -> str:
    sample = claims[:NAME_SAMPLE]
    nouns = Counter(m.group(1).lower() for c in sample for m in EVENT_NOUNS.finditer(c.quote))
    place = places[0] if places else "unknown place"
    if kind == "period" and start and end:
        noun = "war" if nouns.get("war") else (nouns.most_common(1)[0][0] if nouns else "period")
        return f"{place} {noun} {start.year}–{end.year}"
    noun = next((n for n, _ in nouns.most_common() if n not in ("war", "conflict")), None)
    return f"{place} {noun}" if noun else place


def make_event(
    eid: str, refs: list[str], claims: list[Claim], kind: str = "incident", name: str | None = None
) -> Event:
    """The event over these claims (ids `refs`, in order): its places by frequency, its date span, and a
    readable name from its place and the event nouns of its quotes; each claim's `event` is set."""
    places = [p for p, _ in Counter(c.place for c in claims if c.place).most_common()]
    dated = [c for c in claims if c.date]
    if kind == "period" and any(c.date_end for c in dated):  # a period's dates are its spans' own
        dated = [c for c in dated if c.date_end]
    spans = [s for s in (date_span(c.date, c.date_end) for c in dated) if s]
    start = min((s[0] for s in spans), default=None)
    end = max((s[1] for s in spans), default=None)
    for c in claims:
        c.event = eid
    return Event(
        id=eid,
        name=name or _name(claims, kind, places, start, end),
        kind=kind,
        places=places,
        date_start=min((c.date for c in dated if c.date), default=None),
        date_end=max(((c.date_end or c.date) for c in dated if c.date), default=None),
        claims=list(refs),
        reports=list(dict.fromkeys(r.rpartition("#c")[0] for r in refs)),
    )


def _report_units(report: Report, refs: list[Ref], places: PlaceIndex) -> list[Unit]:
    text = report.text or ""
    resolved = resolve_names([r.claim.place for r in refs], text, report.title, places.key)
    for r, where in zip(refs, resolved, strict=True):
        r.where = where
        if where is None and r.claim.quote:  # a place named the way reports name villages, camps, airports
            found = pattern_place(r.claim.quote)
            r.where = resolve_names([found], text, report.title, places.key)[0] if found else None
    pub = _published(report)
    return split_report(
        report.id, refs, text, pub, is_followup(text, report.title), lambda: relative_incident(text, pub)
    )


def _geo(refs: list[Ref]) -> list[dict[str, object]]:
    """The event's gazetteer places, most named first; each claim gets its own place's entry."""
    counts: Counter[str] = Counter()
    found: dict[str, dict[str, object]] = {}
    for r in refs:
        place = r.where.place if r.where is not None else None
        if place is None:
            continue
        c = r.claim
        c.place_id, c.country, c.region, c.lat, c.lon = (
            place.id,
            place.country,
            place.region or None,
            place.lat,
            place.lon,
        )
        counts[place.id] += 1
        found.setdefault(place.id, place.to_dict())
    return [found[k] for k, _ in counts.most_common()]


def group_events(
    reports: list[Report],
    claims: dict[str, list[Claim]],
    places: PlaceIndex | None = None,
) -> list[Event]:
    """Events for all claims of all reports (each claim's `event` is set to its event's id)."""
    places = places or PlaceIndex()
    by_id = {r.id: r for r in reports}
    units: list[Unit] = []
    order = 0
    for doc, doc_claims in claims.items():
        refs = []
        for i, c in enumerate(doc_claims):
            if not c.counted:  # negated and hypothetical claims join no event: they count nothing
                continue
            refs.append(Ref(claim_id(doc, i), c, order, date_span(c.date, c.date_end), None))
            order += 1
        if refs:
            units += _report_units(by_id.get(doc) or Report(id=doc, text=""), refs, places)
    clusters = [
        (m[0].kind, sorted((r for u in m for r in u.refs), key=lambda r: r.order), joins) for m, joins in cluster(units)
    ]
    clusters.sort(key=lambda c: c[1][0].order)
    events: list[Event] = []
    names: Counter[str] = Counter()
    for n, (unit_kind, refs, joins) in enumerate(clusters, 1):
        kind = "period" if unit_kind == "period" else "incident"
        event = make_event(f"e{n}", [r.cid for r in refs], [r.claim for r in refs], kind)
        event.geo = _geo(refs)
        event.evidence = joins
        names[event.name] += 1
        if names[event.name] > 1 and event.date_start:
            event.name = f"{event.name} ({event.date_start})"
        events.append(event)
    return events
