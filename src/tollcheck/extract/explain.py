"""`tollcheck extract FILE --explain`: every figure the rules considered in a report, the rule that read
it and why it was kept or culled.

For each sentence that holds a casualty cue: each cue with the victims it counts and the rule that
attached them (the claim's `rule`), each figure no cue counts, and each figure culled as not a count
of people (with the cull's name: age, year, address, share ...).
"""

from __future__ import annotations

from spacy.language import Language

from tollcheck.extract.components import SentenceReading, make_doc, readings_of
from tollcheck.extract.link import Link
from tollcheck.extract.mentions import Mention
from tollcheck.extract.pipeline import make_nlp
from tollcheck.extract.sentence import Sent
from tollcheck.model import CleanReport

MAX_QUOTE = 110


def _range(m: Mention) -> str:
    lo, hi = m.low, m.high
    if lo == hi:
        return str(lo)
    return f"{'' if lo is None else lo}..{'' if hi is None else hi}"


def _words(sent: Sent, start: int, end: int) -> str:
    return sent.text_of(start, max(end, start + 1))


def _link_lines(sent: Sent, ln: Link) -> list[str]:
    cue = ln.cue.cue
    head = f"  cue {_words(sent, ln.cue.start, ln.cue.end)!r} ({cue.category}, {cue.role})"
    if not ln.mentions:
        return [f"{head}: no figure" + (", negated" if ln.negated else "") + (f" [{ln.rule}]" if ln.rule else "")]
    out = [head + (": negated, kept without a figure" if ln.negated else ":")]
    for m in ln.mentions:
        out.append(f"    kept {_range(m)} {_words(sent, m.start, m.end)!r} [{m.rule or ln.rule}]")
    for m in ln.subgroups:
        out.append(f"    part {_range(m)} {_words(sent, m.start, m.end)!r} [{m.rule}]")
    return out


def reading_lines(r: SentenceReading) -> list[str]:
    """The explanation of one sentence's candidates (empty for a sentence without a cue)."""
    if not r.links and not r.sent.figures:
        return []
    sent = r.sent
    quote = sent.text_of(0, len(sent.toks))
    lines = [f"sentence {sent.index}: {quote[:MAX_QUOTE]}{'...' if len(quote) > MAX_QUOTE else ''}"]
    for ln in r.links:
        lines += _link_lines(sent, ln)
    used = {m.fig.start for ln in r.links for m in ln.mentions + ln.subgroups if m.fig is not None}
    for f in sent.figures:
        if f.start not in used:
            lines.append(f"  unused {_words(sent, f.start, f.end)!r}: no cue counts it")
    for f, reason in sent.culled:
        lines.append(f"  culled {_words(sent, f.start, f.end)!r}: {reason}")
    return lines


def explain(cr: CleanReport, nlp: Language | None = None) -> list[str]:
    """The candidates of one cleaned report, as readable lines."""
    nlp = nlp or make_nlp()
    doc = nlp(make_doc(nlp, cr.text))
    if doc._.tc_error:
        return [f"the rules failed on this report: {doc._.tc_error}"]
    lines = [f"report {cr.report.id}"]
    for r in readings_of(doc):
        lines += reading_lines(r)
    return lines
