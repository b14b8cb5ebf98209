"""Place names compared through spelling variants and transliteration.

`place_key(name)` reduces a place name to a skeleton that spelling variants share: Khojali, Khojaly,
Khodjaly and Xocalı all become "hojali"; Agdam and Aghdam "agdam". The rewrite rules are data
(`data/translit.tsv`), applied in order. `PlaceIndex` then merges skeletons that are still near
(rapidfuzz ratio) and applies the analyst's alias file, without comparing all pairs: a new skeleton
is compared only with the known skeletons sharing its first letter.
"""

from __future__ import annotations

import csv
import json
import re
import unicodedata
from functools import lru_cache
from importlib import resources
from pathlib import Path

from rapidfuzz import fuzz, process

GENERIC = re.compile(
    r"\b(city|town|village|district|province|region|state|county|area|camp|municipality|governorate|"
    r"neighbourhood|neighborhood|the|of|al|el)\b"
)
MIN_SIMILARITY = 88  # rapidfuzz ratio above which two skeletons name one place
MIN_FUZZY_LENGTH = 5  # shorter skeletons must match exactly


@lru_cache(maxsize=1)
def _rules() -> tuple[tuple[str, str], ...]:
    text = resources.files("tollcheck.events").joinpath("data").joinpath("translit.tsv").read_text(encoding="utf-8")
    rows = []
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            a, _, b = line.partition("\t")
            rows.append((a, b.strip()))
    return tuple(rows)


@lru_cache(maxsize=65536)
def place_key(name: str) -> str:
    """The transliteration skeleton of a place name ('' when nothing is left)."""
    s = name.lower()
    for a, b in _rules():
        s = s.replace(a, b)
    s = unicodedata.normalize("NFKD", s)
    s = "".join(ch for ch in s if not unicodedata.combining(ch))
    s = GENERIC.sub(" ", s)
    s = re.sub(r"[^a-z]", "", s)
    for a, b in (
        ("dzh", "j"),
        ("dj", "j"),
        ("zh", "j"),
        ("kh", "h"),
        ("x", "h"),
        ("gh", "g"),
        ("ph", "f"),
        ("ou", "u"),
        ("oo", "u"),
        ("ee", "i"),
        ("y", "i"),
        ("q", "k"),
        ("w", "v"),
    ):
        s = s.replace(a, b)
    s = re.sub(r"c(?!h)", "j", s)  # Azerbaijani and Turkish c is the English j (Xocalı, Cizre)
    return re.sub(r"(.)\1+", r"\1", s)


def load_aliases(path: str | Path) -> dict[str, str]:
    """An alias file: JSON {"variant": "canonical"} or lines "variant<TAB or comma>canonical"."""
    text = Path(path).read_text(encoding="utf-8")
    if text.lstrip().startswith("{"):
        data = json.loads(text)
        pairs = [(str(k), str(v)) for k, v in data.items()]
    else:
        dialect = "excel-tab" if "\t" in text else "excel"
        pairs = [
            (row[0], row[1])
            for row in csv.reader(text.splitlines(), dialect=dialect)
            if len(row) >= 2 and not row[0].startswith("#")
        ]
    return {place_key(a): place_key(b) for a, b in pairs if place_key(a) and place_key(b)}


class PlaceIndex:
    """Resolves place names to canonical keys, merging near spellings as they arrive."""

    def __init__(self, aliases: dict[str, str] | None = None) -> None:
        self.aliases = aliases or {}
        self.by_initial: dict[str, list[str]] = {}
        self.resolved: dict[str, str] = {}

    def key(self, name: str | None) -> str:
        if not name:
            return ""
        skeleton = place_key(name)
        skeleton = self.aliases.get(skeleton, skeleton)
        if not skeleton:
            return ""
        if skeleton in self.resolved:
            return self.resolved[skeleton]
        known = self.by_initial.setdefault(skeleton[0], [])
        found = skeleton
        if len(skeleton) >= MIN_FUZZY_LENGTH and known:
            best = process.extractOne(skeleton, known, scorer=fuzz.ratio, score_cutoff=MIN_SIMILARITY)
            if best is not None:
                found = best[0]
        if found == skeleton:
            known.append(skeleton)
        self.resolved[skeleton] = found
        return found
