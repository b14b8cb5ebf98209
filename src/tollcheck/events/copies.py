"""Reports that are copies of one story count once.

A copy is a report whose text repeats another's: exactly, once whitespace and case are folded (the
same page captured twice), or nearly (a syndicated wire story under another outlet's headline, with a
line added or cut): the Jaccard similarity of their 5-word shingles, estimated by MinHash, is at least
`THRESHOLD`. Candidates come from locality-sensitive hashing (banded MinHash signatures), so the work
grows with the number of reports, not with the number of pairs. Texts shorter than `MIN_WORDS` are
only compared exactly: a few shared words make short leads look alike.

A near copy that gives other figures ("12 killed" in one, "15 killed" in the other) is a revision,
not a copy: it is kept as a report of its own. The original of a group of copies is its earliest
published report (input order among equals); each copy keeps its own outlet and date.

MinHash is computed here with numpy (crc32 word hashes combined into shingle hashes, 128 random
multiply-shift hash functions) rather than with datasketch, whose import alone (about 0.8 s, scipy)
and per-text overhead would exceed the budget: `compare` must stay within a fifth of `extract`'s time
on 10,000 short reports.
"""

from __future__ import annotations

import hashlib
import re
import zlib
from collections.abc import Sequence

import numpy as np

from tollcheck.model import Report

SHINGLE_WORDS = 5
NUM_PERM = 128
BANDS, ROWS = 16, 8  # BANDS * ROWS == NUM_PERM; candidates from about 0.7 similarity, verified at THRESHOLD
THRESHOLD = 0.8
MIN_WORDS = 40
SEED = 1
SHIFT = np.uint64(32)
SHINGLE_MULTIPLIER = np.uint64(0x100000001B3)  # FNV prime: mixes the word hashes of one shingle (mod 2**64)
WORD = re.compile(r"\w+")
YEAR = re.compile(r"(?:19|20)\d\d")
NUMBER_WORDS = frozenset(
    "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen "
    "eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred hundreds thousand thousands "
    "dozen dozens scores million".split()
)

_rng = np.random.RandomState(SEED)
_A = _rng.randint(1, (1 << 63) - 1, size=NUM_PERM, dtype=np.uint64) | np.uint64(1)  # odd multipliers
_B = _rng.randint(0, (1 << 63) - 1, size=NUM_PERM, dtype=np.uint64)


def text_hash(text: str) -> str:
    return hashlib.sha256(" ".join(text.lower().split()).encode("utf-8")).hexdigest()


def figures(words: Sequence[str]) -> frozenset[str]:
    """The numbers a text gives (digits and number words, years left out): copies give the same ones."""
    return frozenset(
        w.replace(",", "")
        for w in words
        if (w[0].isdigit() and not (len(w) == 4 and YEAR.fullmatch(w))) or w in NUMBER_WORDS
    )


def signature(words: Sequence[str]) -> np.ndarray:
    """MinHash signature (NUM_PERM uint64 values) of the text's SHINGLE_WORDS-word shingles.

    A shingle's hash combines its words' crc32 values (one hash per word, not per shingle), vectorised.
    """
    word_hashes = np.fromiter((zlib.crc32(w.encode("utf-8")) for w in words), dtype=np.uint64, count=len(words))
    n = max(len(words) - SHINGLE_WORDS + 1, 1)
    hashes = np.zeros(n, dtype=np.uint64)
    for k in range(min(SHINGLE_WORDS, len(words))):
        hashes = hashes * SHINGLE_MULTIPLIER + word_hashes[k : k + n]
    return ((np.outer(hashes, _A) + _B) >> SHIFT).min(axis=0)  # multiply-shift: (a*h + b mod 2**64) >> 32


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    """Estimated Jaccard similarity of two signatures."""
    return float(np.count_nonzero(a == b)) / NUM_PERM


def _bands(sig: np.ndarray) -> list[tuple[int, bytes]]:
    return [(band, sig[band * ROWS : (band + 1) * ROWS].tobytes()) for band in range(BANDS)]


class CopyIndex:
    """Originals seen so far, by exact text and by LSH band; `add` says what a new report is a copy of."""

    def __init__(self) -> None:
        self.exact: dict[str, str] = {}
        self.buckets: dict[tuple[int, bytes], list[str]] = {}
        self.signatures: dict[str, tuple[np.ndarray, frozenset[str]]] = {}

    def add(self, doc: str, text: str) -> str | None:
        """The original ``doc`` is a copy of, or None (it is then an original itself)."""
        key = text_hash(text)
        if key in self.exact:
            return self.exact[key]
        self.exact[key] = doc
        if text.count(" ") + text.count("\n") < MIN_WORDS - 1:  # cheap: surely under MIN_WORDS words
            return None
        words = WORD.findall(text.lower())
        if len(words) < MIN_WORDS:
            return None
        sig, figs = signature(words), figures(words)
        keys = _bands(sig)
        best, best_sim = None, THRESHOLD
        seen: set[str] = set()
        for k in keys:
            for other in self.buckets.get(k, ()):
                if other in seen:
                    continue
                seen.add(other)
                other_sig, other_figs = self.signatures[other]
                sim = similarity(sig, other_sig)
                if sim >= best_sim and other_figs == figs:
                    best, best_sim = other, sim
        if best is not None:
            self.exact[key] = best
            return best
        self.signatures[doc] = (sig, figs)
        for k in keys:
            self.buckets.setdefault(k, []).append(doc)
        return None


def find_copies(reports: list[Report]) -> dict[str, str]:
    """{copy's id: its original's id} for every report that repeats another, exactly or nearly."""
    order = sorted(range(len(reports)), key=lambda i: (reports[i].published or "9999", i))
    index = CopyIndex()
    copies: dict[str, str] = {}
    for i in order:
        r = reports[i]
        original = index.add(r.id, r.text)
        if original is not None and original != r.id:
            copies[r.id] = original
    return copies
