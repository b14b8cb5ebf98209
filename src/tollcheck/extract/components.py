"""spaCy pipeline components: each a small factory plus a class whose __call__ is match, then annotate.

- `tollcheck_lines`: a line break ends a sentence (headlines, datelines, captions have no full stop);
- `tollcheck_cues`: casualty cues from `data/cues.tsv` (by lemma and pattern, `cuematch.py`) -> doc._.tc_cues;
- `tollcheck_claims`: in each sentence holding a cue, figures, culls, mentions, links and context
  -> doc._.tc_sentences (one `SentenceReading` per such sentence, stored as plain data: `serial.py`).
Results travel on `Doc._` extensions registered in `extensions.py`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from spacy.attrs import IDX, IS_SPACE, LENGTH, ORTH, SENT_START
from spacy.language import Language
from spacy.pipeline import Sentencizer
from spacy.tokens import Doc

from tollcheck.extract import context
from tollcheck.extract.cuematch import CueHit, CuePatterns
from tollcheck.extract.culls import cull
from tollcheck.extract.dates import first_full_date
from tollcheck.extract.extensions import register_extensions
from tollcheck.extract.link import CueMatch, Link, link
from tollcheck.extract.mentions import find_mentions
from tollcheck.extract.numbers import read_figure
from tollcheck.extract.sentence import Sent
from tollcheck.extract.serial import reading_data, reading_parts
from tollcheck.extract.tables import Tables, load_tables

INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u200e\u200f\u2060\ufeff\u00ad\u202a\u202b\u202c"))
TOKENS_KEY = "tc_tokens"  # the DocTokens the cue matcher read, handed to the claim reader
THOUSANDS_SPACES = ("\u00a0", "\u202f", "\u2009")
LEDE_SENTENCES = 4  # the headline and first sentences, where a report names its event's place and date
DATELINE_WORDS = frozenset("published updated posted modified copyright".split())  # a page's dates, not the event's


@dataclass(slots=True)
class SentenceReading:
    sent: Sent
    links: list[Link]
    speaker: str | None
    places: list[tuple[int, str]]
    paragraph: int
    flags_at: dict[int, list[str]] = field(default_factory=dict)


def readings_of(doc: Doc) -> list[SentenceReading]:
    """The sentence readings stored on the Doc (as plain data) by `tollcheck_claims`."""
    return [SentenceReading(*reading_parts(d)) for d in doc._.tc_sentences or []]


def doc_text(doc: Doc) -> str:
    """The text the Doc was made from (kept by `make_doc`); `Doc.text` rebuilds it token by token."""
    text = doc.user_data.get("tc_text")
    return text if isinstance(text, str) else doc.text


def make_doc(nlp: Language, text: str) -> Doc:
    doc = nlp.make_doc(text)
    doc.user_data["tc_text"] = text
    return doc


class LineBreaks:
    """Sentence starts the sentencizer cannot see: after a line break, and inside an overlong sentence.

    - The token after a whitespace token holding a line break starts a sentence (headlines, captions).
    - A stretch of more than `MAX_SENT_TOKENS` tokens with no line break and no sentence-ending mark
      (scraped tables, text without full stops) is cut there, after a comma when one is near: the rules
      read each sentence as a whole, so one endless sentence would cost time with the square of its length.
    The flags are read and written as attribute arrays: setting `Token.is_sent_start` one token at a
    time makes spaCy check the whole Doc for a parse on every call, which is quadratic in a long report.
    """

    MAX_SENT_TOKENS = 1000

    def __init__(self, nlp: Language) -> None:
        strings = nlp.vocab.strings
        self.enders = np.array(sorted(strings.add(c) for c in Sentencizer.default_punct_chars), dtype=np.uint64)
        self.commas = np.array(sorted(strings.add(c) for c in ",;:"), dtype=np.uint64)

    def __call__(self, doc: Doc) -> Doc:
        if len(doc) < 2:
            return doc
        text = doc_text(doc)
        arr = doc.to_array([ORTH, IDX, LENGTH, IS_SPACE, SENT_START])  # one C pass: no Token objects
        starts = arr[:, 4].copy()
        if "\n" in text:
            for i in arr[:-1, 3].nonzero()[0].tolist():  # Python only looks at whitespace tokens
                at = int(arr[i, 1])
                if text.find("\n", at, at + int(arr[i, 2])) >= 0:
                    starts[i + 1] = 1
        self._cut_long(arr[:, 0], arr[:, 3], starts)
        if not np.array_equal(starts, arr[:, 4]):
            doc.from_array([SENT_START], starts.reshape(-1, 1))
        return doc

    def _cut_long(self, orth: np.ndarray, space: np.ndarray, starts: np.ndarray) -> None:
        limit = self.MAX_SENT_TOKENS
        n = len(orth)
        if n <= limit:
            return
        after_ender = np.isin(orth, self.enders).nonzero()[0] + 1
        bounds = np.union1d(np.union1d([0, n], after_ender), (starts == 1).nonzero()[0]).tolist()
        commas = np.isin(orth, self.commas)
        for begin, end in zip(bounds, bounds[1:], strict=False):
            while end - begin > limit:
                cut = begin + limit
                near = commas[begin + limit // 2 : cut].nonzero()[0]
                if len(near):
                    cut = begin + limit // 2 + int(near[-1]) + 1
                while cut < end - 1 and space[cut]:
                    cut += 1
                starts[cut] = 1
                begin = cut


@Language.factory("tollcheck_lines")
def make_lines(nlp: Language, name: str) -> LineBreaks:
    return LineBreaks(nlp)


class CueMatcher:
    """Cues by lemma and pattern (`cuematch.CuePatterns`); the hits travel as plain tuples
    `(start, end, row)` (row: the cue's index in `tables.cues`), so the Doc stays serialisable."""

    def __init__(self, nlp: Language, tables: Tables) -> None:
        register_extensions()
        self.tables = tables
        self.patterns = CuePatterns(tables.cues)

    def match(self, doc: Doc) -> list[CueHit]:
        tokens = doc.user_data.pop(TOKENS_KEY, None) or DocTokens.of(doc)
        doc.user_data[TOKENS_KEY] = tokens  # read once more by tollcheck_claims, which takes it off the Doc
        return self.patterns.find(tokens.lower)

    def set_annotations(self, doc: Doc, hits: list[CueHit]) -> None:
        doc._.tc_cues = [(h.start, h.end, h.index) for h in hits]

    def __call__(self, doc: Doc) -> Doc:
        self.set_annotations(doc, self.match(doc))
        return doc


@Language.factory("tollcheck_cues")
def make_cues(nlp: Language, name: str) -> CueMatcher:
    return CueMatcher(nlp, load_tables())


@dataclass(slots=True)
class DocTokens:
    """Each token's text, lowercase, offset and whitespace flag, read from the Doc in one pass."""

    text: list[str]
    lower: list[str]
    idx: list[int]
    space: list[bool]

    starts: list[int]  # token index where each sentence starts

    @classmethod
    def of(cls, doc: Doc) -> DocTokens:
        """From attribute arrays (one C pass): no Token objects are made, which is most of the cost."""
        if not len(doc):
            return cls([], [], [], [], [])
        idx, length, space, start = doc.to_array([IDX, LENGTH, IS_SPACE, SENT_START]).T.tolist()
        text = doc_text(doc)
        words = [text[i : i + n] for i, n in zip(idx, length, strict=True)]
        if text.isascii():  # lowercased once: same offsets, and no invisible characters to take out
            low = text.lower()
            lower = [low[i : i + n] for i, n in zip(idx, length, strict=True)]
        else:
            lower = [_plain(w) for w in words]
        starts = [0] + [i for i, s in enumerate(start) if s == 1 and i]
        return cls(words, lower, idx, [bool(s) for s in space], starts)

    def sentences(self) -> list[tuple[int, int]]:
        ends = self.starts[1:] + [len(self.text)]
        return list(zip(self.starts, ends, strict=True))


def _plain(word: str) -> str:
    """Lowercase, without the invisible characters a page may put inside a figure ("1\u200b275")."""
    low = word.lower()
    return low if low.isascii() else low.translate(INVISIBLE)


def _thousands(tokens: DocTokens, i: int, j: int) -> bool:
    """'1 275', '4\u00a0000': a group of three digits after a space or no-break space continues the figure."""
    a, b = tokens.lower[i], tokens.lower[j]
    if not (a.isdigit() and len(a) <= 3 and b.isdigit() and len(b) == 3 and a[0] != "0"):
        return False
    gap = tokens.idx[j] - tokens.idx[i] - len(tokens.text[i])
    between = "".join(tokens.text[i + 1 : j])
    return gap == 1 and (j == i + 1 or between in THOUSANDS_SPACES)


def _joined(tokens: DocTokens, keep: list[int]) -> tuple[list[str], list[str], list[int], dict[int, int]]:
    """The view's tokens with figures written with spaces between their thousands joined."""
    toks: list[str] = []
    texts: list[str] = []
    idx: list[int] = []
    offset: dict[int, int] = {}
    last_kept = -1
    for i in keep:
        if toks and tokens.lower[i].isdigit() and toks[-1].isdigit() and _thousands(tokens, last_kept, i):
            toks[-1] += tokens.lower[i]
            texts[-1] += ("".join(tokens.text[last_kept + 1 : i]) or " ") + tokens.text[i]
        else:
            toks.append(tokens.lower[i])
            texts.append(tokens.text[i])
            idx.append(tokens.idx[i])
        offset[i] = len(toks) - 1
        last_kept = i
    return toks, texts, idx, offset


def make_sent(tokens: DocTokens, start: int, end: int, index: int) -> tuple[Sent, dict[int, int]]:
    """The view of tokens start..end without whitespace, and the map from doc token index to view index.
    A figure written with spaces between its thousands ("1 275") is one token of the view."""
    keep = [i for i in range(start, end) if not tokens.space[i]] or [start]
    lower = tokens.lower
    if not any(lower[i].isdigit() and lower[j].isdigit() for i, j in zip(keep, keep[1:], strict=False)):
        toks, texts, idx = [lower[i] for i in keep], [tokens.text[i] for i in keep], [tokens.idx[i] for i in keep]
        offset = {i: n for n, i in enumerate(keep)}
    else:
        toks, texts, idx, offset = _joined(tokens, keep)
    last = end - 1
    sent = Sent(toks, texts, idx, tokens.idx[start], tokens.idx[last] + len(tokens.text[last]), index)
    return sent, offset


def read_figures(sent: Sent, tables: Tables, starters: frozenset[str]) -> None:
    toks = sent.toks
    k = 0
    while k < len(toks):
        t = toks[k]
        if t in starters or t[:1].isdigit():
            fig = read_figure(toks, k, tables)
            if fig is not None:
                sent.figures.append(fig)
                k = fig.end
                continue
        k += 1
    cull(sent, tables)


def _nominal(sent: Sent, c: CueMatch) -> bool:
    """'two of the wounded died', 'among the dead': a participle used as a noun is not the statement's verb."""
    return (
        c.cue.role in ("verb", "intrans")
        and c.start >= 2
        and sent.toks[c.start - 2 : c.start] in (["of", "the"], ["among", "the"])
        and (c.end == len(sent.toks) or sent.toks[c.end] not in ("by", "in", "at", "and"))
    )


class ClaimReader:
    def __init__(self, tables: Tables) -> None:
        register_extensions()
        self.tables = tables
        first_words = {p[0] for p in tables.hedges} | {p[0] for p in tables.vague} | set(tables.number_words)
        self.starters = frozenset(first_words | {"a", "an", "between", "half"})

    def match(self, doc: Doc) -> list[SentenceReading]:
        tables = self.tables
        cue_starts = {start: (start, end, tables.cues[row]) for start, end, row in doc._.tc_cues}
        readings = []
        paragraph = 0
        lede_date: str | None = None
        tokens = doc.user_data.pop(TOKENS_KEY, None) or DocTokens.of(doc)
        for index, (start, end) in enumerate(tokens.sentences()):
            if start and tokens.space[start - 1] and "\n" in tokens.text[start - 1]:
                paragraph += 1
            here = [cue_starts[k] for k in range(start, end) if k in cue_starts]
            sent, offset = make_sent(tokens, start, end, index)
            if not here:  # context only: the places it names, for the claims after it in its paragraph
                found = context.places(sent, tables)
                if found or index < LEDE_SENTENCES:
                    readings.append(SentenceReading(sent, [], None, found, paragraph))
                if index < LEDE_SENTENCES and lede_date is None and not DATELINE_WORDS.intersection(sent.toks):
                    lede_date = first_full_date(sent.toks)
                continue
            cues = [CueMatch(offset[s], offset[e - 1] + 1, cue) for s, e, cue in here if s in offset]
            cues = [c for c in cues if not _nominal(sent, c)]
            read_figures(sent, tables, self.starters)
            fig_ends = {f.end for f in sent.figures}
            # a one-word cue right after a figure may be an adjective of its noun ("85 injured people")
            cue_tokens = {
                k for c in cues if not (c.end - c.start == 1 and c.start in fig_ends) for k in range(c.start, c.end)
            }
            mentions = find_mentions(sent, cue_tokens, tables)
            links = link(sent, cues, mentions, tables)
            reading = SentenceReading(
                sent, links, context.speaker(sent, tables) if links else None, context.places(sent, tables), paragraph
            )
            for ln in links:
                first = ln.mentions[0].start if ln.mentions else None
                reading.flags_at[ln.cue.start] = context.flags(sent, ln.cue.start, tables, first)
            readings.append(reading)
            if index < LEDE_SENTENCES and lede_date is None and not DATELINE_WORDS.intersection(sent.toks):
                lede_date = first_full_date(sent.toks)
        doc._.tc_lede_date = lede_date
        return readings

    def set_annotations(self, doc: Doc, readings: list[SentenceReading]) -> None:
        doc._.tc_sentences = [reading_data(r) for r in readings]  # plain data: the Doc stays serialisable

    def __call__(self, doc: Doc) -> Doc:
        try:
            self.set_annotations(doc, self.match(doc))
        except Exception as e:  # noqa: BLE001  (a rule failing on one report must not cost the batch)
            doc._.tc_sentences = []
            doc._.tc_error = f"{type(e).__name__}: {e}"
        finally:
            doc.user_data.pop(TOKENS_KEY, None)  # the Doc keeps plain data only
        return doc


@Language.factory("tollcheck_claims")
def make_claims(nlp: Language, name: str) -> ClaimReader:
    return ClaimReader(load_tables())
