"""The word lists and patterns the rules read, loaded from the TSV files in `data/`.

Each table is read once and shared read-only; components receive the `Tables` value when they are
made, so tests can build components over tables of their own.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources


def _rows(name: str) -> list[list[str]]:
    text = resources.files("tollcheck.extract").joinpath("data").joinpath(name).read_text(encoding="utf-8")
    rows = []
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        rows.append([c.strip() for c in line.split("\t")])
    return rows


@dataclass(frozen=True, slots=True)
class Cue:
    phrase: str
    category: str
    role: str  # verb | intrans | noun | toll
    flags: tuple[str, ...] = ()  # given to every claim read with this cue ("partial")


@dataclass(frozen=True, slots=True)
class Group:
    label: str
    side: str


@dataclass(frozen=True)
class Tables:
    cues: tuple[Cue, ...]
    hedges: dict[tuple[str, ...], str]  # token sequence -> qualifier
    number_words: dict[str, tuple[int, str]]  # word -> (value, unit|scale)
    vague: dict[tuple[str, ...], tuple[int, int | None]]
    groups: dict[tuple[str, ...], Group]
    units: dict[str, str]  # word after a figure -> the kind of non-count it makes
    words: dict[str, frozenset[str]]  # small closed word classes, see words.tsv
    max_hedge: int = 3  # the longest hedge, in words


@lru_cache(maxsize=1)
def load_tables() -> Tables:
    cues = tuple(
        Cue(row[0], row[1], row[2], tuple(row[3].split(",")) if len(row) > 3 else ()) for row in _rows("cues.tsv")
    )
    hedges = {tuple(p.split()): q for p, q in _rows("hedges.tsv")}
    number_words = {w: (int(v), k) for w, v, k in _rows("numbers.tsv")}
    vague: dict[tuple[str, ...], tuple[int, int | None]] = {}
    for row in _rows("vague.tsv"):
        vague[tuple(row[0].split())] = (int(row[1]), int(row[2]) if len(row) > 2 and row[2] else None)
    groups = {tuple(n.split()): Group(g, s) for n, g, s in _rows("groups.tsv")}
    units = {w: k for w, k in _rows("units.tsv")}
    words: dict[str, set[str]] = {}
    for cls, word in _rows("words.tsv"):
        words.setdefault(cls, set()).add(word)
    return Tables(
        cues,
        hedges,
        number_words,
        vague,
        groups,
        units,
        {k: frozenset(v) for k, v in words.items()},
        max(len(k) for k in hedges),
    )
