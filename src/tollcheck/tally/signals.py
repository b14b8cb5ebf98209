"""What the words around a claim's figure say about how it relates to the report's other statements.

The phrases are data (`data/signals.tsv`): `adds` ("another 3", "9 insurgents were also killed"), `other`
("two other civilians", weaker: often "other than the dead"), `background` ("two days after 25 died"),
`statistic` ("600 died in police shootings last year") and `incident` (superlatives that make a period
part of the event's own description: "the deadliest attack this year").

Only the claim's own quote is read, around the figure's span: the module works on `Claim` values.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from tollcheck.model import Claim

ADDS_WINDOW = 5  # words before the figure in which an `adds` phrase must end ("in addition, police said 4")
BACKGROUND_WINDOW = 8  # the same for a `background` phrase ("two days after 25 people")
# words that end the figure's clause: an `after` phrase past them belongs to another statement
CLAUSE_ENDS = frozenset({";", "and", "but", "while", "whereas", "when", "after", "before", "as"})
_TOKEN = re.compile(r"\w+(?:[-'’]\w+)*|[^\w\s]")


@dataclass(frozen=True, slots=True)
class Signals:
    adds: bool = False  # marked as distinct from the groups counted ("another 3", "also killed")
    other: bool = False  # "N other(s)": distinct from someone, maybe only from another category's victims
    background: bool = False  # the occasion or cause of the report's event ("protested over the death of")
    earlier: bool = False  # an event before the report's own ("two days after 25 died")
    period: bool = False  # a count over a period ("last year")
    scope: bool = False  # ... or a country, or from a study ("across the country", "a study")
    named: bool = False  # the victim is named ("Ke'Arre Stewart was also killed"), not described


@dataclass(frozen=True, slots=True)
class _Table:
    phrases: dict[tuple[str, str], tuple[tuple[str, ...], ...]]  # (kind, where) -> phrases as words
    determiners: frozenset[str]  # words that open a description, not a name ("the", "two")


@cache
def _table() -> _Table:
    text = resources.files("tollcheck.tally").joinpath("data").joinpath("signals.tsv").read_text(encoding="utf-8")
    out: dict[tuple[str, str], list[tuple[str, ...]]] = {}
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) != 3 or parts[1] not in ("before", "after", "next", "sentence"):
            raise ValueError(f"signals.tsv:{n}: expected 'kind<TAB>before|after|next|sentence<TAB>phrase'")
        out.setdefault((parts[0], parts[1]), []).append(tuple(_words(parts[2])))
    determiners = frozenset(p[0] for p in out.pop(("determiner", "before"), []))
    return _Table({k: tuple(v) for k, v in out.items()}, determiners)


def _words(text: str) -> list[str]:
    return [t.lower() for t in _TOKEN.findall(text)]


def _spans(text: str) -> list[tuple[str, int, int]]:
    return [(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)]


def _has(words: list[str], phrases: tuple[tuple[str, ...], ...]) -> bool:
    return any(words[i : i + len(p)] == list(p) for p in phrases for i in range(len(words) - len(p) + 1))


def _ends_with_near(words: list[str], phrases: tuple[tuple[str, ...], ...], window: int) -> bool:
    """A phrase ending within the last `window` words."""
    return _has(words[-window:], phrases)


def _clause_after(words: list[str]) -> list[str]:
    for i, w in enumerate(words):
        if w in CLAUSE_ENDS:
            return words[:i]
    return words


def figure_words(c: Claim) -> tuple[list[str], list[str], list[str]]:
    """The words of the claim's quote before its figure, in its span (figure and victims), and after."""
    q = c.quote
    start = max(0, c.start - c.sentence_start)
    end = max(start, c.end - c.sentence_start)
    if c.sentence_end <= c.sentence_start or end > len(q):
        start, end = 0, 0  # no usable span: the whole quote counts as after the figure
    spans = _spans(q)
    before = [w.lower() for w, s, _ in spans if s < start]
    span = [w for w, s, _ in spans if start <= s < end]
    after = [w.lower() for w, s, _ in spans if s >= end]
    return before, span, after


def _is_name(span: list[str]) -> bool:
    """'Ke'Arre Stewart', 'Mr. Madaki': capitalised words only, not 'The suspect' or 'Two men'."""
    words = [w for w in span if w[:1].isalpha()]
    if not words or words[0].lower() in _table().determiners:
        return False
    return all(w[:1].isupper() for w in words)


def signals_of(c: Claim) -> Signals:
    t = _table().phrases
    before, raw_span, after = figure_words(c)
    span = [w.lower() for w in raw_span]
    clause = _clause_after(after)
    lead = before + span[:1]  # "another 3 people": the word may open the figure's own span
    nxt = span[1:] + clause[:2]  # "3 more", "two other civilians"
    words = before + span + after
    period = _has(after, t.get(("period", "after"), ())) and not _has(words, t.get(("incident", "sentence"), ()))
    cause = _ends_with_near(lead, t.get(("cause", "before"), ()), BACKGROUND_WINDOW)
    return Signals(
        adds=_ends_with_near(lead, t.get(("adds", "before"), ()), ADDS_WINDOW)
        or _has(clause, t.get(("adds", "after"), ()))
        or _has(nxt, t.get(("adds", "next"), ())),
        other="additive" in c.flags or _has(nxt, t.get(("other", "next"), ())),
        background=_ends_with_near(lead, t.get(("background", "before"), ()), BACKGROUND_WINDOW)
        or (cause and _has(before, t.get(("protest", "before"), ()))),
        earlier=_ends_with_near(lead, t.get(("earlier", "before"), ()), BACKGROUND_WINDOW)
        or _has(clause, t.get(("earlier", "after"), ())),
        period=period,
        scope=_has(words, t.get(("scope", "sentence"), ())),
        named=_is_name(raw_span),
    )
