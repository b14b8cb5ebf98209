"""Casualty cues by lemma and pattern: one row of `data/cues.tsv` covers every inflection.

Each word of a cue phrase is matched by its lemma (`lemmas.lemma`: "shot dead" also reads "shooting
dead", "shoots dead"); a word written `=form` must appear in that form ("=missing", since the lemma of
"missing" is "miss"); `*` is a gap of one to `MAX_GAP` words where the victims stand ("hacked * to
death" reads "hacked four farmers to death", "claimed * =lives" reads "has claimed 14 lives"). A cue's
span is the words before its gap (the verb the victims follow); the words after the gap are taken too,
so "death" in "to death" is not read again as a cue of its own.
"""

from __future__ import annotations

from dataclasses import dataclass

from tollcheck.extract.lemmas import lemma
from tollcheck.extract.tables import Cue

GAP = "*"
MAX_CACHED = 200_000  # lemmas of words seen, kept for speed
EXACT = "="
MAX_GAP = 6  # words between a cue's verb and the rest of it ("hacked an elderly Hindu priest to death")
# a gap never crosses a clause mark or an auxiliary ("a shooting have left nine people dead")
GAP_STOP = frozenset(
    '. ; : ! ? ( ) \u201c \u201d " was were is are has have had been be will would who which that'.split()
)
GAP_NOT_FIRST = frozenset(", and or".split())  # "hacked and burnt 8 herders to death": the second verb heads it


@dataclass(frozen=True, slots=True)
class CueHit:
    """Token span of the cue's head (start..end), of the words after its gap (tail..stop), and the cue's
    row index in the table."""

    start: int
    end: int
    tail: int  # where the words after the gap start (== end without a gap)
    stop: int
    index: int


def pattern_of(phrase: str) -> tuple[str, ...]:
    """The match keys of a phrase: lemmas, `=form` words kept as forms, and `*` gaps."""
    out = []
    for w in phrase.split():
        out.append(w if w == GAP or w.startswith(EXACT) else lemma(w))
    return tuple(out)


def _token_matches(key: str, low: str, lem: str) -> bool:
    # "shootings" -> "shooting" -> "shoot": the table lemmatizes a plural noun to its -ing form
    return low == key[1:] if key.startswith(EXACT) else (lem == key or lemma(lem) == key)


def _priority(h: CueHit) -> tuple[int, bool, int]:
    """Most pattern words first, then a hit without a gap, then the later start (the shorter gap)."""
    return h.end - h.start + h.stop - h.tail, h.tail == h.end, h.start


class CuePatterns:
    """The cue table compiled for matching over one sentence's lowercase words at a time."""

    def __init__(self, cues: tuple[Cue, ...]) -> None:
        self.by_first: dict[str, tuple[tuple[int, tuple[str, ...]], ...]] = {}
        seen: set[tuple[str, ...]] = set()
        for i, cue in enumerate(cues):
            pat = pattern_of(cue.phrase)
            if pat in seen or not pat or pat[0] == GAP:
                continue  # two forms of one lemma: the first row holds it
            seen.add(pat)
            self.by_first[pat[0]] = (*self.by_first.get(pat[0], ()), (i, pat))
        self.exact_first = frozenset(k[1:] for k in self.by_first if k.startswith(EXACT))
        self.lemmas: dict[str, str] = {}  # the lemma of each word seen, for this matcher's life

    def _match_at(self, pat: tuple[str, ...], lows: list[str], lems: list[str], k: int) -> tuple[int, int, int] | None:
        """(head end, tail start, stop) of the pattern matched from token k, or None."""
        j, head_end = k, None
        for n, key in enumerate(pat):
            if key == GAP:
                head_end = j
                rest = pat[n + 1 :]
                if j < len(lows) and lows[j] in GAP_NOT_FIRST:
                    return None
                for g in range(1, MAX_GAP + 1):
                    gap_word = lows[j + g - 1] if j + g - 1 < len(lows) else ""
                    if not gap_word or gap_word in GAP_STOP or not gap_word.strip() or lems[j + g - 1] in self.by_first:
                        return None
                    end = self._match_rest(rest, lows, lems, j + g)
                    if end is not None:
                        return head_end, j + g, end
                return None
            if j >= len(lows) or not _token_matches(key, lows[j], lems[j]):
                return None
            j += 1
        return j, j, j

    def _match_rest(self, rest: tuple[str, ...], lows: list[str], lems: list[str], k: int) -> int | None:
        for n, key in enumerate(rest):
            if k + n >= len(lows) or not _token_matches(key, lows[k + n], lems[k + n]):
                return None
        return k + len(rest)

    def find(self, lows: list[str]) -> list[CueHit]:
        """Non-overlapping cue hits in the words, longest first, in text order."""
        cache = self.lemmas
        if len(cache) > MAX_CACHED:
            cache.clear()  # memory stays flat over any corpus
        for w in set(lows).difference(cache):  # each new word lemmatized once
            cache[w] = lemma(w)
        lems = [cache[w] for w in lows]
        by_first, exact_first = self.by_first, self.exact_first
        # a cue's first word by its own lemma ("shootings" is no "shoot"), or as written ("=missing")
        starts = [(k, by_first[lem]) for k, lem in enumerate(lems) if lem in by_first]
        starts += [(k, by_first[EXACT + w]) for k, w in enumerate(lows) if w in exact_first]
        hits = []
        for k, candidates in starts:
            for index, pat in candidates:
                if len(pat) > 1 and pat[1] != GAP:  # most patterns fail on their second word: check it first
                    if k + 1 >= len(lows) or not _token_matches(pat[1], lows[k + 1], lems[k + 1]):
                        continue
                found = self._match_at(pat, lows, lems, k)
                if found is not None:
                    hits.append(CueHit(k, *found, index))
        taken: set[int] = set()
        out = []
        for h in sorted(hits, key=_priority, reverse=True):
            words = {*range(h.start, h.end), *range(h.tail, h.stop)}
            if taken.isdisjoint(words):
                taken.update(words)
                out.append(h)
        return sorted(out, key=lambda h: h.start)
