"""A light view of one sentence for the rules: lowercased tokens, their texts and character offsets.

Built once per sentence from a spaCy `Span`; the rules read plain lists, which keeps them fast and
lets tests build a `Sent` from any token list.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tollcheck.extract.numbers import Figure


@dataclass(slots=True)
class Sent:
    toks: list[str]  # lowercased
    texts: list[str]
    idx: list[int]  # character offset of each token in the document
    start_char: int
    end_char: int
    index: int = 0  # position of the sentence in the document
    figures: list[Figure] = field(default_factory=list)
    culled: list[tuple[Figure, str]] = field(default_factory=list)
    cache: dict[tuple[str, ...], list] = field(default_factory=dict)  # per-sentence results (dates)

    def __len__(self) -> int:
        return len(self.toks)

    def char_span(self, start: int, end: int) -> tuple[int, int]:
        """Character span (document offsets) of tokens start..end."""
        end = max(end, start + 1)
        return self.idx[start], self.idx[end - 1] + len(self.texts[end - 1])

    def text_of(self, start: int, end: int) -> str:
        out = []
        for k in range(start, end):
            out.append(self.texts[k])
            if k + 1 < end and self.idx[k] + len(self.texts[k]) < self.idx[k + 1]:
                out.append(" ")
        return "".join(out)

    def is_title(self, k: int) -> bool:
        t = self.texts[k]
        return t[:1].isupper() and t[1:2].islower() if len(t) > 1 else t.isupper()

    def figure_at(self, k: int) -> Figure | None:
        for f in self.figures:
            if f.start <= k < f.end:
                return f
        return None
