"""The extraction stage: cleaned reports in, `Claim`s out (plain dataclasses; nothing later imports spaCy).

`make_nlp()` builds the blank English pipeline with the rule components; `extract(cleaned)` runs it
over a stream of `CleanReport`s and yields `(CleanReport, [Claim])` pairs.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from tollcheck.extract import components  # noqa: F401  (registers the factories)
from tollcheck.extract.components import LEDE_SENTENCES, SentenceReading, make_doc, readings_of
from tollcheck.extract.context import place_near
from tollcheck.extract.dates import resolve_date
from tollcheck.extract.link import Link
from tollcheck.extract.mentions import Mention
from tollcheck.extract.tables import load_tables
from tollcheck.model import Claim, CleanReport

MAX_QUOTE = 600
SUBGROUP_SENTENCE_START = (
    ("among",),
    ("the", "dead", "included"),
    ("the", "victims", "included"),
    ("of", "the", "dead"),
    ("of", "those", "killed"),
    ("they", "included"),
    ("most", "of", "the"),
)
BATCH = 64
MAX_CHARS = 5_000_000  # longer plain-text files are read in parts by ingest


@lru_cache(maxsize=1)
def make_nlp() -> Language:
    nlp = spacy.blank("en")
    nlp.max_length = MAX_CHARS  # a blank pipeline has no model memory to protect: long PDFs and pages are fine
    nlp.add_pipe("tollcheck_lines")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("tollcheck_cues")
    nlp.add_pipe("tollcheck_claims")
    return nlp


def _quote(cr: CleanReport, reading: SentenceReading, fig_start: int, fig_end: int) -> tuple[str, int, int]:
    start, end = cr.to_original(reading.sent.start_char), cr.to_original(reading.sent.end_char)
    text = cr.report.text
    if end - start > MAX_QUOTE:
        start = max(start, fig_start - MAX_QUOTE // 2)
        end = min(end, start + MAX_QUOTE - 2)
    raw = text[start:end]
    lead = len(raw) - len(raw.lstrip())
    return raw.strip(), start + lead, start + lead + len(raw.strip())


def _main_place(readings: list[SentenceReading]) -> str | None:
    """The place of the headline and lede (first sentences), else the place most named."""
    for r in readings:
        if r.sent.index < LEDE_SENTENCES and r.places:
            return r.places[0][1]
    known = {p for r in readings for _, p in r.places}
    if readings and readings[0].sent.index == 0:  # "Varenko buries its dead": a known place in the headline
        head = readings[0].sent
        found = next((t for k, t in enumerate(head.texts) if head.is_title(k) and t in known), None)
        if found:
            return found
    counts = Counter(p for r in readings for _, p in r.places)
    return counts.most_common(1)[0][0] if counts else None


def _starts_subgroup(reading: SentenceReading) -> bool:
    toks = reading.sent.toks
    return any(tuple(toks[: len(p)]) == p for p in SUBGROUP_SENTENCE_START)


class _Builder:
    """Turns one document's readings into claims, numbering statements and linking subgroups."""

    def __init__(self, cr: CleanReport, readings: list[SentenceReading], lede_date: str | None = None) -> None:
        self.cr = cr
        self.readings = readings
        self.claims: list[Claim] = []
        self.statement = 0
        self.main_place = _main_place(readings)
        self.last_place: dict[int, str] = {}
        self.last_date: dict[int, tuple[str, str | None]] = {}
        self.lede_date = lede_date
        self.tables = load_tables()

    def place_for(self, reading: SentenceReading, k: int) -> tuple[str | None, str | None]:
        """The claim's place and where it was read: its sentence, else its paragraph, else the report."""
        here = place_near(reading.places, k)
        if here:
            self.last_place[reading.paragraph] = here
            return here, "sentence"
        if reading.paragraph in self.last_place:
            return self.last_place[reading.paragraph], "paragraph"
        return self.main_place, "report" if self.main_place else None

    def claim(self, reading: SentenceReading, ln: Link, m: Mention | None, flags: list[str]) -> Claim:
        sent = reading.sent
        if m is None:
            s, e = sent.char_span(ln.cue.start, ln.cue.end)
        else:
            s, e = sent.char_span(m.start, m.end)
        start, end = self.cr.to_original(s), self.cr.to_original(e)
        quote, q_start, q_end = _quote(self.cr, reading, start, end)
        low = high = value = None
        qualifier = "none"
        if m is not None and "hypothetical" not in flags and not ln.negated:
            low, high = m.low, m.high
            value = 1 if m.fig is None else m.fig.value
            qualifier = "exact" if m.fig is None else m.fig.qualifier
        date, date_end = resolve_date(sent, self.cr.report.published, self.tables, m.start if m else ln.cue.start)
        date_from = "sentence" if date else None
        if date:
            self.last_date[reading.paragraph] = (date, date_end)
        elif reading.paragraph in self.last_date:  # "Around one million others were forced out" after "the war"
            (date, date_end), date_from = self.last_date[reading.paragraph], "paragraph"
        place, place_from = self.place_for(reading, m.start if m else ln.cue.start)
        if date is None and self.lede_date and (place_from != "sentence" or place == self.main_place):
            date, date_from = self.lede_date, "report"  # nothing points elsewhere: the report's own event
        return Claim(
            doc=self.cr.report.id,
            category=ln.cue.cue.category,
            low=low,
            high=high,
            qualifier=qualifier,
            value=value,
            group=m.group if m else "people",
            unit=m.unit if m else "people",
            side=m.side if m else "unknown",
            source=reading.speaker,
            place=place,
            place_from=place_from,
            date=date,
            date_end=date_end,
            date_from=date_from,
            quote=quote,
            start=start,
            end=end,
            sentence_start=q_start,
            sentence_end=q_end,
            flags=list(flags),
            statement=self.statement,
            rule=(m.rule if m is not None else "") or ln.rule,
        )

    def build(self) -> list[Claim]:
        words = self.tables.words
        for reading in self.readings:
            if not reading.links:  # a sentence read for context: the place it names holds for its paragraph
                if reading.places:
                    self.last_place[reading.paragraph] = reading.places[-1][1]
                continue
            in_subgroup_sentence = _starts_subgroup(reading)
            for ln in reading.links:
                # "the toll rose to 40", "bringing the death toll to 18": a rise word just before the figure
                first = ln.mentions[0].start if ln.mentions else ln.cue.start
                window = reading.sent.toks[max(0, min(first, ln.cue.start) - 6) : first]
                superseding = not words["supersede"].isdisjoint(window)
                self.statement += 1
                flags = list(reading.flags_at.get(ln.cue.start, [])) + list(ln.cue.cue.flags)
                if ln.negated:
                    flags.append("negated")
                if superseding:
                    flags.append("superseding")
                if not ln.mentions:
                    self.claims.append(self.claim(reading, ln, None, flags))
                    continue
                parents: dict[int, int] = {}
                first = ln.mentions[0].start
                # "her five sons and one grandson": one family's dead, not an estimate of the toll
                partial = first > 0 and reading.sent.toks[first - 1] in words["possessive"]
                for m in ln.mentions:
                    extra = ["subgroup"] if in_subgroup_sentence or m.subgroup else []
                    extra += ["partial"] if partial else []
                    extra += ["additive"] if m.additive else []
                    parents[id(m)] = len(self.claims)
                    self.claims.append(self.claim(reading, ln, m, flags + extra))
                parent_claim = parents[id(ln.mentions[0])]
                for s in ln.subgroups:
                    c = self.claim(reading, ln, s, [*flags, "subgroup"])
                    c.subgroup_of = parent_claim
                    self.claims.append(c)
        return _outcomes(self.claims, self.cr.text, words["survival"])


OUTCOME_UNKNOWN = "outcome_unknown"
WORD = re.compile(r"[a-z]+")


def _outcomes(claims: list[Claim], text: str, survival: frozenset[str]) -> list[Claim]:
    """The outcome of 'a man was shot': a death when the report says someone died (the one shot is, as a
    rule, the one who died: "was shot ... He died at the hospital"), and the wounding is not kept; a
    wound when the report speaks of survival ("in critical condition", "taken to hospital"); else not
    said, and not kept either."""
    died = any(c.category == "killed" and c.counted for c in claims)
    if not died and survival.intersection(WORD.findall(text.lower())):
        for c in claims:  # the outcome is known: a wound
            c.flags = [f for f in c.flags if f != OUTCOME_UNKNOWN]
        return claims
    gone = {i for i, c in enumerate(claims) if OUTCOME_UNKNOWN in c.flags}
    if not gone:
        return claims
    new_index = {i: n for n, i in enumerate(i for i in range(len(claims)) if i not in gone)}
    kept = [c for i, c in enumerate(claims) if i not in gone]
    for c in kept:
        if c.subgroup_of is not None:
            c.subgroup_of = new_index.get(c.subgroup_of)
    return kept


def claims_of(doc: Doc, cr: CleanReport) -> list[Claim]:
    return _Builder(cr, readings_of(doc), doc._.tc_lede_date).build()


def extract_checked(
    cleaned: Iterable[CleanReport], nlp: Language | None = None
) -> Iterator[tuple[CleanReport, list[Claim], str | None]]:
    """Run the pipeline over a stream of cleaned reports, in order, in small batches; the third value is
    the error that stopped a report's extraction (its claims are then empty), else None."""
    nlp = nlp or make_nlp()
    pairs = ((make_doc(nlp, cr.text), cr) for cr in cleaned)
    for doc, cr in nlp.pipe(pairs, as_tuples=True, batch_size=BATCH):
        if doc._.tc_error:
            yield cr, [], doc._.tc_error
            continue
        try:
            yield cr, claims_of(doc, cr), None
        except Exception as e:  # noqa: BLE001  (one report's failure is reported, the batch goes on)
            yield cr, [], f"{type(e).__name__}: {e}"


def extract(cleaned: Iterable[CleanReport], nlp: Language | None = None) -> Iterator[tuple[CleanReport, list[Claim]]]:
    """Run the extraction pipeline over a stream of cleaned reports, in order, in small batches."""
    for cr, claims, _ in extract_checked(cleaned, nlp):
        yield cr, claims


def extract_text(text: str, published: str | None = None, doc_id: str = "text") -> list[Claim]:
    """Claims of one text: the convenience entry point for tests and notebooks."""
    from tollcheck.clean import clean
    from tollcheck.model import Report

    cr = clean(Report(id=doc_id, text=text, published=published))
    return next(extract([cr]))[1]
