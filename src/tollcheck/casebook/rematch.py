"""Which fresh claim is which stored claim, when a stored report is extracted again or revised.

A claim keeps its id, and so the analyst's corrections, only when the fresh claim is the same claim:
the same words in the same place. When the report's text is unchanged, the same character span and
category is the same claim. Otherwise (a revised report: a paragraph inserted on top shifts every
span; or an extractor that reads other spans) each stored claim is compared with each fresh claim of
its category on the claim's own words and context, never on how near its span lies:

| evidence | points |
| --- | --- |
| the quote (the sentence), rapidfuzz ratio: at least MATCH_QUOTE to be a candidate at all | 0-100 |
| the figure's own words (the text of its span) | FIGURE |
| the figure's place inside its sentence (a total and its subgroup in one sentence differ here) | OFFSET |
| the figure (low, high) and the victims (group) | VALUES, GROUP |
| which occurrence of this quote and category it is (a sentence repeated in the report) | OCCURRENCE |
| the quotes of the claims before and after it | NEIGHBOUR each |
| found by the last extraction (not `gone` or `detached`) | CURRENT |

Pairs are taken best first, one to one. When a stored claim's best score is shared by two fresh
claims (or a fresh claim's by two stored claims), nothing tells them apart: the stored claim is left
unmatched and reported as ambiguous, so its corrections are never moved onto a claim they were not
made on (`store.rematch` marks it `detached` for review).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from tollcheck.model import Claim

MATCH_QUOTE = 90  # quote similarity below which two claims are never the same claim
FIGURE = 40
OFFSET = 20
VALUES = 10
GROUP = 10
OCCURRENCE = 15
NEIGHBOUR = 5
CURRENT = 1  # a claim the last extraction found goes before a stale one that fits as well


@dataclass(frozen=True, slots=True)
class Side:
    """What a claim is, for matching: its words and its context."""

    category: str
    quote: str
    start: int
    end: int
    figure: str
    offset: int
    values: tuple[int | None, int | None]
    group: str
    occurrence: int
    before: str | None
    after: str | None


def sides(claims: Sequence[Claim], text: str) -> list[Side]:
    """Each claim with its figure's words (from `text`), its place in its sentence, its occurrence and neighbours."""
    seen: Counter[tuple[str, str]] = Counter()
    out: list[Side] = []
    for i, c in enumerate(claims):
        seen[(c.category, c.quote)] += 1
        out.append(
            Side(
                c.category, c.quote, c.start, c.end, text[c.start : c.end], c.start - c.sentence_start,
                (c.low, c.high), c.group, seen[(c.category, c.quote)],
                claims[i - 1].quote if i > 0 else None, claims[i + 1].quote if i + 1 < len(claims) else None,
            )
        )  # fmt: skip
    return out


def score(o: Side, n: Side) -> int:
    """How surely `n` is `o`: 0 when it cannot be (another category, a quote less than MATCH_QUOTE alike)."""
    if o.category != n.category:
        return 0
    q = 100 if o.quote == n.quote else round(fuzz.ratio(o.quote, n.quote))
    if q < MATCH_QUOTE:
        return 0
    return (
        q
        + FIGURE * (o.figure == n.figure)
        + OFFSET * (o.offset == n.offset)
        + VALUES * (o.values == n.values)
        + GROUP * (o.group == n.group)
        + OCCURRENCE * (o.occurrence == n.occurrence)
        + NEIGHBOUR * (o.before is not None and o.before == n.before)
        + NEIGHBOUR * (o.after is not None and o.after == n.after)
    )


def match(
    old: Sequence[Claim], new: Sequence[Claim], old_text: str, new_text: str, stale: Collection[int] = ()
) -> tuple[dict[int, int], set[int]]:
    """({index in new: index in old} one to one, the old indices left unmatched because two candidates tied).
    `stale`: old claims the last extraction no longer found (their spans may be of an older text)."""
    matched: dict[int, int] = {}
    if old_text == new_text:  # the same words: the same span and category is the same claim
        at: dict[tuple[int, int, str], list[int]] = {}
        for j, o in enumerate(old):
            if j not in stale:
                at.setdefault((o.start, o.end, o.category), []).append(j)
        taken: Counter[tuple[int, int, str]] = Counter(
            (c.start, c.end, c.category) for c in new if (c.start, c.end, c.category) in at
        )
        for i, c in enumerate(new):
            key = (c.start, c.end, c.category)
            if len(at.get(key, ())) == 1 and taken[key] == 1:
                matched[i] = at[key][0]
    used_old = set(matched.values())
    rest_old = [j for j in range(len(old)) if j not in used_old]
    rest_new = [i for i in range(len(new)) if i not in matched]
    if not rest_old or not rest_new:
        return matched, set()
    o_sides, n_sides = sides(old, old_text), sides(new, new_text)
    scored = [(score(o_sides[j], n_sides[i]), j, i) for j in rest_old for i in rest_new]
    pairs = [(s + CURRENT * (j not in stale), j, i) for s, j, i in scored if s > 0]
    fits_old: dict[tuple[int, int], list[int]] = {}  # (old index, score) -> the fresh claims scoring it
    fits_new: dict[tuple[int, int], list[int]] = {}  # (fresh index, score) -> the old claims scoring it
    for s, j, i in pairs:
        fits_old.setdefault((j, s), []).append(i)
        fits_new.setdefault((i, s), []).append(j)
    ambiguous: set[int] = set()
    done_new: set[int] = set()
    for s, j, i in sorted(pairs, key=lambda p: (-p[0], p[1], p[2])):
        if j in used_old or j in ambiguous or i in done_new:
            continue
        tied_new = [i2 for i2 in fits_old[(j, s)] if i2 not in done_new]
        tied_old = [j2 for j2 in fits_new[(i, s)] if j2 not in used_old and j2 not in ambiguous]
        if len(tied_new) > 1 or len(tied_old) > 1:  # nothing tells them apart: leave them for the analyst
            ambiguous.update(tied_old)
            done_new.update(tied_new)
            continue
        matched[i] = j
        used_old.add(j)
        done_new.add(i)
    return matched, ambiguous
