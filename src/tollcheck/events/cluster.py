"""Units of all reports joined into events: place, date and text similarity as evidence, weighed together.

Evidence for two groups of units being one incident (`link`):
- text: the average cosine of their units' TF-IDF vectors (`tfidf`, over the reports' words; a unit about another
  incident than its report's is read from its own sentences);
- place: the same place (`PLACE_SAME`), one inside the other or neighbours (`PLACE_NEAR`), far apart in
  one area (`PLACE_FAR`, against) or two names the gazetteer lacks (`PLACE_OTHER`, against); two
  countries, or two areas of one country, never meet;
- date: dates the texts give that meet (`DATE_MEET`) or a report published in the week after a dated
  incident (`DATE_WEAK`); text dates more than `SAME_INCIDENT_DAYS` apart never meet; an undated report
  far from the other's dates counts against (`DATE_FAR`).
Groups join, best-evidenced pair first, while the evidence reaches `JOIN`. Candidate pairs are each
unit's nearest neighbours by text (`NEIGHBOURS`) and units at one place near in date, so the work
grows with the number of units, not with their pairs. Units of one report never join each other.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np

from tollcheck.events.resolve import Resolved
from tollcheck.events.tfidf import Tfidf, scale_rows, tfidf
from tollcheck.events.units import SAME_INCIDENT_DAYS, Span, Unit, gap_days, relation

JOIN = 0.2
JOIN_DATELESS = 0.4  # a group with no date at all joins a dated one on strong evidence only
PLACE_SAME, PLACE_NEAR, PLACE_FAR, PLACE_OTHER, PLACE_CONFLICT = 0.16, 0.1, -0.12, -0.3, -0.3
WEAK_PLACE = 0.2  # against-evidence of places read only from the report (not a claim's sentence) counts a fifth
FIGURE_SAME = 0.1  # both give one figure (of 3 or more) for one category
MIN_FIGURE = 3
DATE_MEET, DATE_WEAK, DATE_FAR = 0.12, 0.08, -0.15
WEAK_FAR_DAYS = 60  # an undated report this far from the other's dates is likely another incident
NEIGHBOURS = 8
RELATION_CACHE = 200_000
DENSE_CELLS = 20_000_000  # units x terms under which the TF-IDF matrix is multiplied as a dense array
MIN_TERMS = 12  # content words a text needs for its similarity to count in full
MIN_COSINE = 0.02
CHUNK = 512
THREADS = 4  # at most, for the nearest-neighbour search
BUCKET_WINDOW = 5  # at one place, each unit is compared with this many next units in date order


@dataclass(slots=True)
class Group:
    units: list[Unit]
    docs: set[str]
    vector: dict[int, float]  # the sum of its units' TF-IDF rows, by term
    kind: str
    spans: list[Span] = field(default_factory=list)
    weaks: list[Span] = field(default_factory=list)
    figures: set[tuple[str, int]] = field(default_factory=set)
    joins: list[dict[str, object]] = field(default_factory=list)  # why each part joined: see `explain`
    where: Resolved | None = None  # the place and naming of its first unit, which stays first as it grows
    named: bool = False

    @property
    def dated(self) -> bool:
        return bool(self.spans or self.weaks)


def vectors(units: list[Unit]) -> Tfidf | None:
    """TF-IDF rows, one per unit (None when no unit has any text), L2-normalised and then shrunk for
    texts of fewer than `MIN_TERMS` distinct content words: a few shared words are weak evidence."""
    texts = [u.text for u in units]
    if not any(t.strip() for t in texts):
        return None
    matrix = tfidf(texts)
    if matrix is None:  # only stop words
        return None
    shrink = np.minimum(1.0, np.diff(matrix.indptr) / MIN_TERMS)
    return scale_rows(matrix, np.sqrt(shrink))


def _span_score(a: Group, b: Group) -> float | None:
    """Date evidence between two groups; None when their dates rule out one incident."""
    if a.spans and b.spans:
        if _min_gap(a.spans, b.spans) > SAME_INCIDENT_DAYS:
            return None
        return DATE_MEET
    dated, undated = (a, b) if a.spans else (b, a)
    if dated.spans and undated.weaks:
        gap = _min_gap(dated.spans, undated.weaks)
        return DATE_WEAK if gap <= SAME_INCIDENT_DAYS else (DATE_FAR if gap > WEAK_FAR_DAYS else 0.0)
    if a.weaks and b.weaks:
        gap = _min_gap(a.weaks, b.weaks)
        return DATE_WEAK / 2 if gap <= SAME_INCIDENT_DAYS else (DATE_FAR if gap > WEAK_FAR_DAYS else 0.0)
    return 0.0


def _min_gap(xs: list[Span], ys: list[Span]) -> int:
    if len(xs) == len(ys) == 1:  # most groups hold one span: no generator
        return gap_days(xs[0], ys[0])
    return min(gap_days(x, y) for x in xs for y in ys)


PLACE_SCORE = {
    "same": PLACE_SAME,
    "contains": PLACE_NEAR,
    "near": PLACE_NEAR,
    "far": PLACE_FAR,
    "other": PLACE_OTHER,
    "conflict": PLACE_CONFLICT,
    "unknown": 0.0,
}


def threshold(a: Group, b: Group) -> float:
    """JOIN, or JOIN_DATELESS when one group has no date at all and the other is not at its very place."""
    if a.dated != b.dated and relation(a.where, b.where) not in ("same", "near"):
        return JOIN_DATELESS
    return JOIN


def link(a: Group, b: Group, text: float | None = None) -> float | None:
    """The evidence that two groups are one incident (None: they cannot be); `text` when known."""
    if a.kind != b.kind or not a.docs.isdisjoint(b.docs):
        return None
    date = _span_score(a, b)
    if date is None:
        return None
    rel = _relation(a.where, b.where)
    if text is None:
        text = _text(a, b)
    figure = FIGURE_SAME if a.figures & b.figures else 0.0
    place = PLACE_SCORE[rel]
    if place < 0 and not (a.named and b.named):
        place *= WEAK_PLACE
    return text + place + date + figure


def explain(a: Group, b: Group, score: float) -> dict[str, object]:
    """What joined group `b` to group `a`: place relation, dates, text similarity, a shared figure."""
    date = _span_score(a, b)
    dates = "meet" if date == DATE_MEET else "near publication" if date and date > 0 else "none"
    return {
        "reports": sorted(b.docs),
        "place": _relation(a.where, b.where),
        "alias": bool(a.where and b.where and a.where.key == b.where.key and a.where.name != b.where.name),
        "dates": dates,
        "similarity": round(_text(a, b), 2),
        "same_figure": bool(a.figures & b.figures),
        "score": round(score, 2),
    }


_RELATIONS: dict[tuple[str, str], str] = {}


def _relation(a: Resolved | None, b: Resolved | None) -> str:
    """`units.relation`, remembered by the places' keys (each pair of places is weighed once)."""
    if a is None or b is None:
        return "unknown"
    key = (a.key, b.key)
    if key not in _RELATIONS:
        if len(_RELATIONS) > RELATION_CACHE:
            _RELATIONS.clear()
        _RELATIONS[key] = relation(a, b)
    return _RELATIONS[key]


def _text(a: Group, b: Group) -> float:
    text = 0.0
    if a.vector and b.vector:  # average cosine over the pairs of their units: the dot of their sums
        small, large = (a.vector, b.vector) if len(a.vector) <= len(b.vector) else (b.vector, a.vector)
        text = sum(w * large.get(t, 0.0) for t, w in small.items()) / (len(a.units) * len(b.units))
    return text


def _neighbours(matrix: Tfidf, n: int) -> Iterator[tuple[list[int], list[int], list[float]]]:
    """Each unit's `NEIGHBOURS` most similar units by text, as (lower ids, higher ids, cosines), chunk by
    chunk in order; chunks are worked in threads (numpy's products and partitions run outside the GIL)."""
    k = min(NEIGHBOURS, n - 1)
    if k <= 0:
        return
    # a small vocabulary makes the product dense: plain arrays (BLAS) are then much faster than sparse ones
    dense = matrix.dense(np.float32) if n * matrix.shape[1] <= DENSE_CELLS else None
    sparse = matrix.csr() if dense is None else None

    def chunk(lo: int) -> tuple[list[int], list[int], list[float]]:
        if dense is not None:
            sims = dense[lo : lo + CHUNK] @ dense.T
        else:
            sims = (sparse[lo : lo + CHUNK] @ sparse.T).toarray()  # type: ignore[index]
        rows = np.arange(sims.shape[0])
        sims[rows, rows + lo] = 0.0
        top = np.argpartition(-sims, k, axis=1)[:, : k + 1]
        vals = sims[rows[:, None], top]
        r, j = np.nonzero(vals >= MIN_COSINE)
        a, b = r + lo, top[r, j]
        return np.minimum(a, b).tolist(), np.maximum(a, b).tolist(), vals[r, j].tolist()

    with ThreadPoolExecutor(max_workers=min(THREADS, os.cpu_count() or 1)) as pool:
        yield from pool.map(chunk, range(0, n, CHUNK))


def _candidates(units: list[Unit], matrix: Tfidf | None) -> dict[tuple[int, int], float | None]:
    """Pairs worth weighing, with their text similarity where it is already known."""
    pairs: dict[tuple[int, int], float | None] = {}
    for lo_ids, hi_ids, vals in _neighbours(matrix, len(units)) if matrix is not None else ():
        pairs.update(zip(zip(lo_ids, hi_ids, strict=True), vals, strict=True))
    buckets: dict[str, list[int]] = {}
    for i, u in enumerate(units):  # at one place, and in one area (a town and its state, a state and its towns)
        for key in _bucket_keys(u):
            buckets.setdefault(key, []).append(i)
    for key, members in buckets.items():
        if not key:
            continue
        members.sort(key=lambda i: _when(units[i]))
        for x, i in enumerate(members):
            for j in members[x + 1 : x + 1 + (BUCKET_WINDOW if "/" not in key else BUCKET_WINDOW // 2)]:
                pairs.setdefault((min(i, j), max(i, j)), None)
    return pairs


def _bucket_keys(u: Unit) -> list[str]:
    if u.where is None:
        return []
    p = u.where.place
    if p is None:
        return [u.where.key]
    return [u.where.key, f"{p.country}/{p.region}" if p.region else p.country]


def merge_spans(spans: list[Span]) -> list[Span]:
    """Spans joined where they overlap or lie within SAME_INCIDENT_DAYS: a group keeps few of them."""
    out: list[Span] = []
    for s in sorted(spans):
        if out and (s[0] - out[-1][1]).days <= SAME_INCIDENT_DAYS:
            out[-1] = (out[-1][0], max(out[-1][1], s[1]))
        else:
            out.append(s)
    return out


def _figures(u: Unit) -> set[tuple[str, int]]:
    return {(r.claim.category, r.claim.value) for r in u.refs if r.claim.value and r.claim.value >= MIN_FIGURE}


def _when(u: Unit) -> dt.date:
    s = u.span or u.weak
    return s[0] if s else dt.date.max


def cluster(units: list[Unit]) -> list[tuple[list[Unit], list[dict[str, object]]]]:
    """The units grouped into events, each with the evidence that joined its parts."""
    matrix = vectors(units)
    rows = matrix.rows() if matrix is not None else [{} for _ in units]
    groups = [
        Group([u], {u.doc}, row, u.kind,
              [u.span] if u.span else [], [u.weak] if u.weak else [], _figures(u), where=u.where, named=u.named)
        for u, row in zip(units, rows, strict=True)
    ]  # fmt: skip
    parent = list(range(len(units)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    scored = []
    for (i, j), cos in _candidates(units, matrix).items():
        a, b = groups[i], groups[j]
        s = link(a, b, cos)
        if s is not None and s >= threshold(a, b):
            scored.append((s, i, j))
    scored.sort(key=lambda t: (-t[0], t[1], t[2]))
    apart: set[tuple[int, int, int, int]] = set()  # groups found apart, by root and size (a group only grows)
    for first, i, j in scored:
        ri, rj = find(i), find(j)
        if ri == rj:
            continue
        a, b = groups[ri], groups[rj]
        state = (ri, len(a.units), rj, len(b.units))
        if state in apart:
            continue
        s = first if len(a.units) == len(b.units) == 1 else link(a, b)
        if s is None or s < threshold(a, b):
            apart.add(state)
            continue
        if len(b.units) > len(a.units):
            ri, rj, a, b = rj, ri, b, a
        a.joins += b.joins + [explain(a, b, s)]
        parent[rj] = ri
        a.units += b.units
        a.docs |= b.docs
        a.spans = merge_spans(a.spans + b.spans)
        a.weaks = merge_spans(a.weaks + b.weaks)
        a.figures |= b.figures
        for t, w in b.vector.items():
            a.vector[t] = a.vector.get(t, 0.0) + w
    out: dict[int, list[Unit]] = {}
    for i, u in enumerate(units):
        out.setdefault(find(i), []).append(u)
    return [(members, groups[root].joins) for root, members in out.items()]
