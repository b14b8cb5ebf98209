"""Group the claims of all reports into events.

Rules, in order:
1. A claim's place is compared through its transliteration skeleton (`places.PlaceIndex`), so
   Khojali, Khojaly and Xocalı are one place; an alias file can join more.
2. A claim dated with a span longer than two months ("the 1991-1994 war") is about a named period:
   periods are events of their own, kept apart from the incidents inside them.
3. Dated claims at one place form one incident while their dates overlap or lie within
   `SAME_INCIDENT_DAYS` of each other; two bombings in one city years apart stay two events.
4. An undated claim joins the incident at its place that its report was published after (the
   nearest), else the incident with most claims; a place with no dated incident gets one.
Claims are bucketed by place, then swept by date: the work is close to linear in the number of
claims (no comparison of all pairs of reports).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field

from tollcheck.events.places import PlaceIndex
from tollcheck.model import Claim, Event, Report, claim_id

SAME_INCIDENT_DAYS = 3  # dates this close (or overlapping) are one incident
PERIOD_DAYS = 62  # a span longer than this is a period (a war, a campaign), not an incident
UNDATED_REACH_DAYS = 400  # how long before its publication an undated report's incident may lie
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


@dataclass(slots=True)
class _Ref:
    cid: str
    claim: Claim
    order: int
    span: tuple[dt.date, dt.date] | None
    published: dt.date | None


@dataclass(slots=True)
class _Cluster:
    kind: str
    refs: list[_Ref] = field(default_factory=list)
    start: dt.date | None = None
    end: dt.date | None = None

    def add(self, ref: _Ref) -> None:
        self.refs.append(ref)
        if ref.span:
            self.start = min(self.start, ref.span[0]) if self.start else ref.span[0]
            self.end = max(self.end, ref.span[1]) if self.end else ref.span[1]


def _published(report: Report | None) -> dt.date | None:
    if report is None or not report.published:
        return None
    try:
        return dt.date.fromisoformat(report.published[:10])
    except ValueError:
        return None


def _cluster_place(refs: list[_Ref]) -> list[_Cluster]:
    periods: dict[tuple[int, int], _Cluster] = {}
    dated = sorted((r for r in refs if r.span), key=lambda r: r.span[0])  # type: ignore[index]
    incidents: list[_Cluster] = []
    for r in dated:
        assert r.span is not None
        if (r.span[1] - r.span[0]).days > PERIOD_DAYS and r.claim.date_end:
            periods.setdefault((r.span[0].year, r.span[1].year), _Cluster("period")).add(r)
            continue
        last = incidents[-1] if incidents else None
        if last and last.end and r.span[0] <= last.end + dt.timedelta(days=SAME_INCIDENT_DAYS):
            last.add(r)
        else:
            incidents.append(_Cluster("incident"))
            incidents[-1].add(r)
    for r in (r for r in refs if not r.span):
        target = _incident_for(r, incidents)
        if target is None:
            incidents.append(_Cluster("incident"))
            target = incidents[-1]
        target.add(r)
    return incidents + list(periods.values())


def _incident_for(r: _Ref, incidents: list[_Cluster]) -> _Cluster | None:
    if not incidents:
        return None
    if r.published:
        before = [c for c in incidents if c.start and c.start <= r.published]
        near = [c for c in before if (r.published - c.start).days <= UNDATED_REACH_DAYS]  # type: ignore[operator]
        if near:
            return max(near, key=lambda c: c.start)  # type: ignore[arg-type, return-value]
    return max(incidents, key=lambda c: len(c.refs))


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
    spans = [s for s in (date_span(c.date, c.date_end) for c in claims) if s]
    start = min((s[0] for s in spans), default=None)
    end = max((s[1] for s in spans), default=None)
    dated = [c for c in claims if c.date]
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


def group_events(
    reports: list[Report],
    claims: dict[str, list[Claim]],
    places: PlaceIndex | None = None,
) -> list[Event]:
    """Events for all claims of all reports (each claim's `event` is set to its event's id)."""
    places = places or PlaceIndex()
    by_id = {r.id: r for r in reports}
    buckets: dict[str, list[_Ref]] = {}
    order = 0
    for doc, doc_claims in claims.items():
        pub = _published(by_id.get(doc))
        for i, c in enumerate(doc_claims):
            if not c.counted:  # negated and hypothetical claims join no event: they count nothing
                continue
            ref = _Ref(claim_id(doc, i), c, order, date_span(c.date, c.date_end), pub)
            # a claim with no place at all stays with its own report's place-less claims
            key = places.key(c.place) or f"@{doc}"
            buckets.setdefault(key, []).append(ref)
            order += 1
    clusters = [cl for refs in buckets.values() for cl in _cluster_place(refs)]
    clusters.sort(key=lambda cl: min(r.order for r in cl.refs))
    events: list[Event] = []
    names: Counter[str] = Counter()
    for n, cl in enumerate(clusters, 1):
        cl.refs.sort(key=lambda r: r.order)
        event = make_event(f"e{n}", [r.cid for r in cl.refs], [r.claim for r in cl.refs], cl.kind)
        names[event.name] += 1
        if names[event.name] > 1 and cl.start:
            event.name = f"{event.name} ({cl.start.isoformat()})"
        events.append(event)
    return events
