"""TF-IDF rows of short texts with numpy alone: what scikit-learn's `TfidfVectorizer(sublinear_tf=True)`
computes (smoothed idf, 1 + log tf, rows of unit length, columns in alphabetical order), to the same floats,
without importing scikit-learn and scipy (about 1.5 s, more than grouping thousands of reports takes).

scipy is imported only when a product is too large for a dense array (`Tfidf.csr`)."""

from __future__ import annotations

import itertools
import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from scipy import sparse

TOKEN = re.compile(r"(?u)\b[^\W\d_]{3,}\b")


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    """The English stop words and the words every casualty report uses (data/*.tsv)."""
    words: set[str] = set()
    for name in ("english_stopwords.tsv", "text_stopwords.tsv"):
        text = resources.files("tollcheck.events").joinpath("data", name).read_text(encoding="utf-8")
        words |= {w.strip() for w in text.splitlines() if w.strip() and not w.startswith("#")}
    return frozenset(words)


@dataclass(slots=True)
class Tfidf:
    """A matrix in CSR form: row i holds `data[indptr[i]:indptr[i+1]]` at columns `indices[...]`, in the
    order of the terms' first use in the texts (the order scikit-learn leaves, which sums see)."""

    indptr: np.ndarray
    indices: np.ndarray
    data: np.ndarray
    terms: int

    @property
    def shape(self) -> tuple[int, int]:
        return len(self.indptr) - 1, self.terms

    def rows(self) -> list[dict[int, float]]:
        """Each row as {column: value}, in the row's order."""
        bounds, cols, vals = self.indptr.tolist(), self.indices.tolist(), self.data.tolist()
        return [dict(zip(cols[lo:hi], vals[lo:hi], strict=True)) for lo, hi in itertools.pairwise(bounds)]

    def dense(self, dtype: type = np.float32) -> np.ndarray:
        out = np.zeros(self.shape, dtype=dtype)
        rows = np.repeat(np.arange(self.shape[0]), np.diff(self.indptr))
        out[rows, self.indices] = self.data
        return out

    def csr(self) -> sparse.csr_matrix:
        from scipy import sparse  # only for products too large to hold densely

        return sparse.csr_matrix((self.data, self.indices, self.indptr), shape=self.shape)


def tfidf(texts: list[str]) -> Tfidf | None:
    """Sublinear TF-IDF rows of the texts, L2-normalised (None when no text has a term)."""
    stop = stop_words()
    counts = [Counter(w for w in TOKEN.findall(t.lower()) if w not in stop) for t in texts]
    seen: dict[str, int] = {}  # terms by first use, the order of each row's columns
    for c in counts:
        for t in c:
            seen.setdefault(t, len(seen))
    if not seen:
        return None
    vocabulary = sorted(seen)
    column = {t: j for j, t in enumerate(vocabulary)}
    indptr = np.zeros(len(texts) + 1, dtype=np.int64)
    indices: list[int] = []
    values: list[int] = []
    for i, c in enumerate(counts):
        ordered = sorted(c, key=seen.__getitem__)
        indices += [column[t] for t in ordered]
        values += [c[t] for t in ordered]
        indptr[i + 1] = len(indices)
    cols_arr = np.asarray(indices, dtype=np.int64)
    data = np.asarray(values, dtype=np.float64)
    df = np.bincount(cols_arr, minlength=len(vocabulary)).astype(np.float64) + 1.0
    idf = np.full_like(df, len(texts) + 1.0)
    idf /= df
    np.log(idf, out=idf)
    idf += 1.0
    np.log(data, out=data)
    data += 1.0
    data *= idf[cols_arr]
    _normalise_rows(data, indptr)
    return Tfidf(indptr, cols_arr, data, len(vocabulary))


def _normalise_rows(data: np.ndarray, indptr: np.ndarray) -> None:
    """Each row divided by its L2 norm, the squares summed in order (as scikit-learn does, to the same floats)."""
    values = data.tolist()
    bounds = indptr.tolist()
    norms = np.ones(len(bounds) - 1)
    for i in range(len(bounds) - 1):
        total = 0.0
        for x in values[bounds[i] : bounds[i + 1]]:
            total += x * x
        if total:
            norms[i] = math.sqrt(total)
    data /= np.repeat(norms, np.diff(indptr))


def scale_rows(m: Tfidf, factors: np.ndarray) -> Tfidf:
    """Row i multiplied by `factors[i]`, each row's columns in reverse order: the order a sparse product
    with a diagonal matrix left them in before, which sums over a row follow (so they keep their floats)."""
    rows = np.repeat(np.arange(m.shape[0]), np.diff(m.indptr))
    flipped = m.indptr[rows] + m.indptr[rows + 1] - 1 - np.arange(len(m.indices))
    return Tfidf(m.indptr, m.indices[flipped], m.data[flipped] * factors[rows][flipped], m.terms)
