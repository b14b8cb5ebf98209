"""What the words around a claim's figure say about how it relates to the report's other statements.

The phrases are data (`data/signals.tsv`), each with a kind and where it must stand relative to the figure:
`adds` ("another 3", "9 insurgents were also killed"), `other` ("two other civilians", weaker: often "other
than the dead"), `background` and `cause` after a `protest` word ("protested over the death of"), `earlier`
("two days after 25 died"), `period` with `scope` ("600 died in police shootings across the country last
year") and `incident` (superlatives that make a period part of the event's own description: "the deadliest
attack this year"), and `determiner` (words that open a description of victims, not a name).

Only the claim's own quote is read, in one pass over its words: the module works on `Claim` values.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

from tollcheck.model import Claim

ADDS_WINDOW = 5  # words before the figure in which an `adds` phrase must end ("in addition, police said 4")
BACKGROUND_WINDOW = 8  # the same for `background`, `cause` and `earlier` phrases ("two days after 25 people")
NEXT_WORDS = 2  # a `next` phrase stands in the figure's span or the two words after it ("3 more", "14 others")
# words that end the figure's clause: an `after` phrase past them belongs to another statement
CLAUSE_ENDS = frozenset({";", "and", "but", "while", "whereas", "when", "after", "before", "as"})
WHERE = ("start", "before", "after", "next", "sentence")
_TOKEN = re.compile(r"\w+(?:[-'’]\w+)*|[^\w\s]")
_WORD = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class Signals:
    adds: bool = False  # marked as distinct from the groups counted ("another 3", "also killed")
    other: bool = False  # "N other(s)": distinct from someone, maybe only from another category's victims
    background: bool = False  # the occasion or cause of the report's event ("protested over the death of")
    earlier: bool = False  # an event before the report's own ("two days after 25 died")
    period: bool = False  # a count over a period ("last year")
    scope: bool = False  # ... or a country, or from a study ("across the country", "a study")
    named: bool = False  # the victim is named ("Ke'Arre Stewart was also killed"), not described
    companion: bool = False  # described through another victim ("his passenger", "one of his aides")
    trial: bool = False  # a court case in the sentence ("accused of killing ... is about to go to the jury")


@dataclass(frozen=True, slots=True)
class _Table:
    by_first: dict[str, tuple[tuple[str, str, tuple[str, ...]], ...]]  # first word -> (kind, where, phrase)
    determiners: frozenset[str]  # words that open a description, not a name ("the", "two")
    keys: frozenset[str]  # the longest word of each phrase that raises a signal: a quote without one has none


@cache
def _table() -> _Table:
    text = resources.files("tollcheck.tally").joinpath("data").joinpath("signals.tsv").read_text(encoding="utf-8")
    by_first: dict[str, list[tuple[str, str, tuple[str, ...]]]] = {}
    determiners: set[str] = set()
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) != 3 or parts[1] not in WHERE:
            raise ValueError(f"signals.tsv:{n}: expected 'kind<TAB>start|before|after|next|sentence<TAB>phrase'")
        words = tuple(_TOKEN.findall(parts[2].lower()))
        if parts[0] == "determiner":
            determiners.add(words[0])
        else:
            by_first.setdefault(words[0], []).append((parts[0], parts[1], words))
    keys = frozenset(
        max(phrase, key=len)
        for v in by_first.values()
        for kind, _, phrase in v
        if kind not in ("incident", "scope", "possessive", "trial")
    )
    return _Table({w: tuple(v) for w, v in by_first.items()}, frozenset(determiners), keys)


def _span_of(c: Claim) -> tuple[int, int]:
    """The figure's span within the quote; (0, 0) when the claim has none usable."""
    start = max(0, c.start - c.sentence_start)
    end = max(start, c.end - c.sentence_start)
    if c.sentence_end <= c.sentence_start or end > len(c.quote):
        return 0, 0  # the whole quote counts as after the figure
    return start, end


def _is_name(span: list[str], determiners: frozenset[str]) -> bool:
    """'Ke'Arre Stewart', 'Mr. Madaki': capitalised words only, not 'The suspect' or 'Two men'."""
    words = [w for w in span if w[:1].isalpha()]
    if not words or words[0].lower() in determiners:
        return False
    return all(w[:1].isupper() for w in words)


def signals_of(c: Claim) -> Signals:
    return _signals(c.quote, *_span_of(c), "additive" in c.flags)


@lru_cache(maxsize=4096)
def _signals(quote: str, start: int, end: int, additive: bool) -> Signals:
    table = _table()
    if not additive and table.keys.isdisjoint(_WORD.findall(quote.lower())):  # the common case, read fast
        return Signals(named=_is_name(_TOKEN.findall(quote[start:end]), table.determiners))
    tokens = list(_TOKEN.finditer(quote))
    words = [m.group().lower() for m in tokens]
    starts = [m.start() for m in tokens]
    fig, after = bisect_left(starts, start), bisect_left(starts, end)  # the figure's words: [fig, after)
    named = _is_name([m.group() for m in tokens[fig:after]], table.determiners)
    found: list[tuple[str, str, int, int]] = []
    for i, w in enumerate(words):
        for kind, where, phrase in table.by_first.get(w, ()):
            if tuple(words[i : i + len(phrase)]) == phrase:
                found.append((kind, where, i, i + len(phrase)))
    if not found:
        return Signals(other=additive, named=named)
    clause = next((j for j in range(after, len(words)) if words[j] in CLAUSE_ENDS), len(words))
    lead = fig + 1 if after > fig else fig  # "another 3 people": the word may open the figure's own span
    bounds = {
        "before": (lead - BACKGROUND_WINDOW, lead),
        "after": (after, clause),
        "next": (lead, min(after + NEXT_WORDS, clause)),
        "start": (fig, after),
        "sentence": (0, len(words)),
    }
    hits: set[str] = set()
    for kind, where, i, j in found:
        lo, hi = bounds[where]
        if kind == "adds" and where == "before":
            lo = lead - ADDS_WINDOW
        elif kind == "period":
            hi = len(words)  # "... died in police shootings across the country last year"
        elif kind == "protest":
            lo, hi = 0, fig
        if lo <= i and j <= hi and (where != "start" or i == fig):
            hits.add(kind)
    return Signals(
        adds="adds" in hits,
        other=additive or "other" in hits,
        background="background" in hits or {"cause", "protest"} <= hits,
        earlier="earlier" in hits,
        period="period" in hits and "incident" not in hits,
        scope="scope" in hits,
        named=named,
        companion="partitive" in hits or {"possessive", "companion"} <= hits,
        trial="trial" in hits,
    )
