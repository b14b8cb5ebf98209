"""A cheap guess of a report's language, so a report in a language not read yet is not silently empty.

Extraction reads English only. A report whose words are mostly other languages' function words (see
data/function_words.tsv: the share of a text's words that are a language's common function words is
high for that language, about 0.3 to 0.5 for news prose, and low for the others) gets
`metadata["language_guess"]` and a warning. No model: a word count over the first characters.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

READ_LANGUAGE = "en"
SAMPLE_CHARS = 5000  # the guess looks at this many leading characters
MIN_WORDS = 25  # fewer words than this: no guess
MIN_READ_SHARE = 0.12  # at least this share of English function words: English, no warning
MIN_OTHER_SHARE = 0.15  # a language is guessed when its function words are at least this share...
OTHER_OVER_READ = 2.0  # ...and this many times the English share
WORD = re.compile(r"[^\W\d_]+")


@lru_cache(maxsize=1)
def function_words() -> dict[str, tuple[str, frozenset[str]]]:
    """code -> (name, words) from data/function_words.tsv."""
    raw = resources.files("tollcheck.ingest").joinpath("data", "function_words.tsv").read_text(encoding="utf-8")
    table: dict[str, tuple[str, frozenset[str]]] = {}
    for line in raw.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        code, name, words = line.split("\t")
        table[code] = (name, frozenset(words.split()))
    return table


def guess_language(text: str) -> str | None:
    """The code of the language ``text`` seems to be in when that is not English, else None."""
    words = WORD.findall(text[:SAMPLE_CHARS].lower())
    if len(words) < MIN_WORDS:
        return None
    table = function_words()
    shares = {code: sum(w in vocab for w in words) / len(words) for code, (_, vocab) in table.items()}
    read = shares.pop(READ_LANGUAGE, 0.0)
    if read >= MIN_READ_SHARE or not shares:
        return None
    code, share = max(shares.items(), key=lambda kv: kv[1])
    return code if share >= MIN_OTHER_SHARE and share >= OTHER_OVER_READ * read else None


def language_note(code: str) -> str:
    name = function_words().get(code, (code, frozenset()))[0]
    return f"the report seems to be in {name}, which is not read yet (only English): its claims may be missing"
