"""Sentence readings as plain data (lists, strings, numbers), so everything stored on a spaCy `Doc` is
serialisable: `doc.to_bytes()`, `DocBin` and `nlp.pipe(n_process=2)` work.

`reading_data(r)` turns a `SentenceReading` into nested lists; `reading_of(d)` rebuilds it.
"""

from __future__ import annotations

from typing import Any

from tollcheck.extract.link import CueMatch, Link
from tollcheck.extract.mentions import Mention
from tollcheck.extract.numbers import Figure
from tollcheck.extract.sentence import Sent
from tollcheck.extract.tables import Cue

Data = list[Any]


def _fig(f: Figure) -> Data:
    return [f.start, f.end, f.low, f.high, f.value, f.qualifier, f.core_start]


def _fig_of(d: Data) -> Figure:
    return Figure(*d)


def _mention(m: Mention) -> Data:
    return [
        None if m.fig is None else _fig(m.fig),
        m.start, m.end, m.group, m.side, m.unit, m.subgroup, m.parent, m.additive, m.claimed, m.category, m.rule,
    ]  # fmt: skip


def _mention_of(d: Data) -> Mention:
    return Mention(None if d[0] is None else _fig_of(d[0]), *d[1:])


def _link(ln: Link) -> Data:
    cue = ln.cue.cue
    return [
        [ln.cue.start, ln.cue.end, cue.phrase, cue.category, cue.role, list(cue.flags)],
        [_mention(m) for m in ln.mentions],
        [_mention(m) for m in ln.subgroups],
        ln.negated,
        ln.rule,
    ]


def _link_of(d: Data) -> Link:
    start, end, phrase, category, role, flags = d[0]
    cue = CueMatch(start, end, Cue(phrase, category, role, tuple(flags)))
    return Link(cue, [_mention_of(m) for m in d[1]], [_mention_of(m) for m in d[2]], d[3], d[4])


def _sent(s: Sent) -> Data:
    return [
        s.toks, s.texts, s.idx, s.start_char, s.end_char, s.index,
        [_fig(f) for f in s.figures], [[_fig(f), reason] for f, reason in s.culled],
    ]  # fmt: skip


def _sent_of(d: Data) -> Sent:
    sent = Sent(list(d[0]), list(d[1]), list(d[2]), d[3], d[4], d[5])
    sent.figures = [_fig_of(f) for f in d[6]]
    sent.culled = [(_fig_of(f), reason) for f, reason in d[7]]
    return sent


def reading_data(r: Any) -> Data:
    """A `components.SentenceReading` as nested lists of plain values."""
    return [
        _sent(r.sent),
        [_link(ln) for ln in r.links],
        r.speaker,
        [[k, p] for k, p in r.places],
        r.paragraph,
        [[k, list(v)] for k, v in r.flags_at.items()],
    ]


def reading_parts(d: Data) -> tuple[Sent, list[Link], str | None, list[tuple[int, str]], int, dict[int, list[str]]]:
    """The fields of a `SentenceReading` rebuilt from `reading_data`'s lists."""
    return (
        _sent_of(d[0]),
        [_link_of(x) for x in d[1]],
        d[2],
        [(k, p) for k, p in d[3]],
        d[4],
        {k: list(v) for k, v in d[5]},
    )
