"""Place strings of claims resolved to gazetteer places, with the report as context.

- A place string is cleaned first: weekdays and months glued to a name are cut ("Vancouver Friday"),
  and strings that are never places (`data/not_places.tsv`: "Breaking News", "Sky", channels) or that
  the report uses as a person ("Mr Nichols", "Nichols, 37,", "Brian Nichols") are rejected.
- The report's context is the countries and regions it names (title-case words matching a country or
  a first-level area of the gazetteer by its name) and the areas of the places it names that mean one
  thing only; among the entries a name may mean, the one in a context country (and region) wins, else
  the exact name, else the most populous. A small place far from the context is not taken on its
  name alone: "Palmer" with no context is left a name.
- A name the gazetteer lacks ("Banstead High Street", "Wasilla Bible Church") is tried through its
  leading words, which usually name the town; else it stays a name, found in its sentence by the
  patterns reports use (`data/place_patterns.tsv`: "the village of X", "X camp", "near X").
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources

from tollcheck.events import gazetteer as gz
from tollcheck.events.gazetteer import Place
from tollcheck.events.places import place_key

KNOWN_POPULATION = 15000  # a place this large is taken on its name alone
EXACT_POPULATION = 1000  # ... or this large when it is the only entry spelled exactly so
CONTEXT_CHARS = 4000  # the report's start read for countries and regions
MONTHS = frozenset(
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec".split()
)
WEEKDAYS = frozenset("monday tuesday wednesday thursday friday saturday sunday".split())
AGE = re.compile(r", \d{1,3},")
CAP_WORD = re.compile(r"\b[A-Z][\w'’-]*")


@cache
def _table(name: str) -> tuple[str, ...]:
    text = resources.files("tollcheck.events").joinpath("data", name).read_text(encoding="utf-8")
    return tuple(line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#"))


@lru_cache(maxsize=1)
def _not_places() -> frozenset[str]:
    return frozenset(_table("not_places.tsv"))


@lru_cache(maxsize=1)
def _patterns() -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p) for p in _table("place_patterns.tsv"))


def clean_name(name: str | None) -> str | None:
    """The place string without glued weekdays, months and 's; None when it is no place at all."""
    if not name:
        return None
    words = name.replace("’", "'").split()
    while words and (words[-1].lower().strip(".,") in WEEKDAYS | MONTHS or words[-1].isdigit()):
        words.pop()
    while words and words[0].lower().strip(".,") in WEEKDAYS | MONTHS | {"the"}:
        words.pop(0)
    text = " ".join(words).strip(" ,.-")
    if text.endswith("'s"):
        text = text[:-2]
    if len(text) < 2 or text.lower() in _not_places() or not text[0].isupper():
        return None
    return text


DEMONYM_ENDINGS = ("ian", "an", "ese", "ish", "i", "n")


@lru_cache(maxsize=65536)
def is_demonym(name: str) -> bool:
    """'Somali', 'Italian', 'American': a people's name, read as a place by mistake."""
    if " " in name or not name.endswith(DEMONYM_ENDINGS):
        return False
    if any(p.kind in ("country", "region") and _exact(p, name) for p in gz.lookup(name)):
        return False  # "Oman", "Bhutan" are countries themselves
    lower = name.lower()
    for ending in DEMONYM_ENDINGS:  # Italian: "ital" covers most of "italy"; Kazan is not Kazakhstan's
        stem = lower[: -len(ending)]
        if lower.endswith(ending) and len(stem) >= 3:
            if any(w.startswith(stem) and len(stem) >= 0.6 * len(w) for w in _country_words()):
                return True
    return False


@lru_cache(maxsize=1)
def _country_words() -> frozenset[str]:
    import pycountry

    names = (getattr(c, a, None) for c in pycountry.countries for a in ("name", "common_name"))
    return frozenset(n.split()[0].lower().strip(",") for n in names if n)


@dataclass(slots=True)
class People:
    """How a report uses its single title-case words, read in one pass: after a title ("Mr Nichols"), with
    an age ("Nichols, 37,"), after a first name ("Brian Nichols"), and how often in all."""

    titled: set[str] = field(default_factory=set)
    before: dict[str, list[str]] = field(default_factory=dict)
    seen: dict[str, int] = field(default_factory=dict)

    @classmethod
    def read(cls, text: str) -> People:
        titles = frozenset(_table("person_titles.tsv"))
        out = cls()
        prev, prev_end = "", -2
        for m in CAP_WORD.finditer(text):
            word = m.group(0)
            out.seen[word] = out.seen.get(word, 0) + 1
            adjacent = m.start() in (prev_end + 1, prev_end + 2) and text[prev_end : m.start()].strip(". ") == ""
            if (adjacent and prev.rstrip(".").lower() in titles) or AGE.match(text, m.end()):
                out.titled.add(word)
            elif adjacent and prev[1:].isalpha() and prev[1:].islower() and prev_end == m.start() - 1:
                out.before.setdefault(word, []).append(prev)
            prev, prev_end = word, m.end()
        return out

    def person(self, name: str) -> bool:
        if " " in name:
            return False
        if name in self.titled:
            return True
        before = self.before.get(name, [])
        return bool(before) and len(before) * 3 >= self.seen.get(name, 0) and all(not gz.lookup(b) for b in before)


def is_person(name: str, text: str) -> bool:
    """The report uses the name as a person's: after a title, with an age, or after a first name."""
    return name in text and People.read(text).person(name)


@dataclass(slots=True)
class Context:
    """Countries and regions a report names; regions as (country, region code)."""

    countries: set[str] = field(default_factory=set)
    regions: set[tuple[str, str]] = field(default_factory=set)

    def add(self, p: Place) -> None:
        self.countries.add(p.country)
        if p.region and p.kind != "country":
            self.regions.add((p.country, p.region))


def _exact(p: Place, name: str) -> bool:
    return p.name.lower() == name.lower()


def report_context(text: str, title: str | None = None) -> Context:
    """The countries, first-level areas and US counties named in the report's title and start."""
    ctx = Context()
    head = f"{title or ''}\n{text[:CONTEXT_CHARS]}"
    for m in _names_in(head):
        areas = _areas(m)
        if len({p.country for p in areas}) == 1:  # "Georgia" (a country and a US state) settles nothing
            ctx.countries.add(areas[0].country)
            if len({p.region for p in areas}) == 1:  # "Fulton County" (in eight states) names no one state
                ctx.add(areas[0])
    return ctx


@lru_cache(maxsize=65536)
def _areas(name: str) -> tuple[Place, ...]:
    """The countries, first-level areas and US counties spelled exactly so."""
    return tuple(p for p in gz.lookup(name) if p.kind in ("country", "region", "county") and _exact(p, name))


def _names_in(head: str) -> set[str]:
    """Each title-case word and each pair of them ("Turkey's Hatay province": Turkey, Hatay, Turkey Hatay)."""
    out: set[str] = set()
    last_end, last = -2, ""
    for m in CAP_WORD.finditer(head):
        word = m.group(0)
        if word.endswith(("'s", "’s")):
            word = word[:-2]
        out.add(word)
        if m.start() == last_end + 1 and head[last_end] == " ":
            out.add(f"{last} {word}")
        last_end, last = m.end(), word
    return out


def _dominant(cands: list[Place]) -> Place | None:
    """The one area the candidates mean, or a candidate ten times as populous as any other."""
    if len({(p.country, p.region) for p in cands}) == 1:
        return cands[0]
    ranked = sorted(cands, key=lambda p: -p.population)
    top, second = ranked[0].population, ranked[1].population
    if all(p.kind == "city" for p in ranked) and top >= max(KNOWN_POPULATION, 10 * second):
        return ranked[0]
    return None


def _score(p: Place, name: str, ctx: Context) -> float:
    s = math.log10(p.population + 10) / 2
    if _exact(p, name):
        s += 1.5
    if p.kind in ("country", "region", "county") and _exact(p, name):
        s += 2.0 if p.kind != "country" else 3.0
    if p.country in ctx.countries:
        s += 4.0
    if (p.country, p.region) in ctx.regions:
        s += 2.0
    return s


def _spelled(p: Place, name: str) -> bool:
    """The entry's own name, spelled another way (Xocali for Khojaly), not one of its alternate names."""
    return _exact(p, name) or place_key(p.name) == place_key(name)


def _acceptable(p: Place, name: str, ctx: Context) -> bool:
    if p.kind != "city":
        return _spelled(p, name) or p.kind == "country"
    if p.country in ctx.countries or p.population >= KNOWN_POPULATION:
        return True
    return _spelled(p, name) and p.population >= EXACT_POPULATION


def choose(name: str, ctx: Context) -> Place | None:
    """The entry a name means in this context, or None when no entry is likely enough."""
    candidates = [p for p in gz.lookup(name) if _acceptable(p, name, ctx)]
    if not candidates:
        return None
    best = max(candidates, key=lambda p: _score(p, name, ctx))
    if best.kind in ("region", "county"):  # a district named after its town (Xocalı, Khojaly): the town
        town = [p for p in candidates if p.kind == "city" and p.country == best.country
                and (not best.region or p.region == best.region)]  # fmt: skip
        if town:
            return max(town, key=lambda p: _score(p, name, ctx))
    return best


def resolve(name: str, ctx: Context) -> Place | None:
    """The name's place, else the place its leading words name ("Banstead High Street")."""
    found = choose(name, ctx)
    if found is not None:
        return found
    words = name.split()
    if len(words) < 2 or words[-1].lower() not in set(_table("facility_words.tsv")):
        return None
    for k in range(len(words) - 1, 0, -1):
        head = " ".join(words[:k])
        found = choose(head, ctx)
        if found is not None and found.kind == "city":
            return found
    return None


def pattern_place(sentence: str) -> str | None:
    """A place named in the sentence the way reports name villages, camps and airports."""
    for pattern in _patterns():
        for m in pattern.finditer(sentence):
            name = clean_name(m.group("place"))
            if name:
                return name
    return None


@dataclass(slots=True)
class Resolved:
    """A claim's place: the name as cleaned, its gazetteer entry (or None), and a key to compare by."""

    name: str
    place: Place | None
    key: str  # the gazetteer id, else "~" + the place index's key of the name


def resolve_names(names: list[str | None], text: str, title: str | None, keyer) -> list[Resolved | None]:  # type: ignore[no-untyped-def]
    """Resolve a report's place strings (one per claim, None where a claim has none) in two passes:
    names meaning one thing first, their areas then settle the ambiguous ones."""
    ctx = report_context(text, title)
    cleaned = [clean_name(n) for n in names]
    usage = People.read(text)
    people = {n for n in set(filter(None, cleaned)) if is_demonym(n) or usage.person(n)}  # each name once
    cleaned = [n if n and n not in people else None for n in cleaned]
    for n in dict.fromkeys(filter(None, cleaned)):  # first pass, in text order: names of one area add it
        cands = [p for p in gz.lookup(n) if _acceptable(p, n, ctx)]
        one = _dominant(cands) if cands else None
        if one is not None:
            ctx.add(one)
    cache: dict[str, Resolved] = {}
    out: list[Resolved | None] = []
    for n in cleaned:
        if n is None:
            out.append(None)
            continue
        if n not in cache:
            place = resolve(n, ctx)
            cache[n] = Resolved(n, place, place.id if place else "~" + keyer(n))
        out.append(cache[n])
    return out
