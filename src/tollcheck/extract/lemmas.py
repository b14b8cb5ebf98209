"""Lemmas of lowercase words, from spaCy's lookup lemmatizer tables (`spacy-lookups-data`).

No trained model: the English `lemma_lookup` table maps a form to its lemma ("shot" -> "shoot",
"fatalities" -> "fatality"). The cue table is written in forms; each of its words is turned into a
lemma here, and so is each word of a report, so one row covers every inflection. The table is keyed
by lowercase, so a headline's "Killed" and a lede's "killed" meet.
"""

from __future__ import annotations

from functools import lru_cache

from spacy.lookups import Table, load_lookups

LANG = "en"


@lru_cache(maxsize=1)
def lemma_table() -> Table:
    """The lookup table (keyed by the string's hash; `get` takes the string)."""
    return load_lookups(LANG, ["lemma_lookup"]).get_table("lemma_lookup")


@lru_cache(maxsize=65536)
def lemma(word: str) -> str:
    """The lemma of a lowercase word; the word itself when the table does not know it."""
    found = lemma_table().get(word)
    return found if isinstance(found, str) else word
