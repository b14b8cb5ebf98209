"""`tollcheck_sentences` marks the sentence starts spaCy's sentencizer marks, after `tollcheck_lines`."""

from __future__ import annotations

import random

import pytest
import spacy

from tollcheck.extract.components import make_doc

WORDS = "the . ! ? ... , \" ' ) ( market bomb killed 12 people - ; : \n \n\n  \r\n । 。 Mr. U.S. ?!".split(" ")


def _starts(pipes: tuple[str, ...], text: str) -> list[int]:
    nlp = spacy.blank("en")
    for name in pipes:
        nlp.add_pipe(name)
    doc = nlp(make_doc(nlp, text))
    return [0 if t.is_sent_start is None else 1 if t.is_sent_start else -1 for t in doc]


def _texts() -> list[str]:
    rnd = random.Random(7)
    generated = [" ".join(rnd.choice(WORDS) for _ in range(rnd.randrange(1, 50))) for _ in range(300)]
    fixed = ["", " ", ".", "\n", ". a", "a .", "...", '"Hi." he said', "Two died. Three were hurt!\nPolice said"]
    return fixed + generated


@pytest.mark.parametrize("lines", [(), ("tollcheck_lines",)])
def test_sentence_starts_match_spacys_sentencizer(lines: tuple[str, ...]) -> None:
    for text in _texts():
        assert _starts((*lines, "tollcheck_sentences"), text) == _starts((*lines, "sentencizer"), text), repr(text)


def test_a_full_stop_and_a_line_break_start_sentences() -> None:
    starts = _starts(("tollcheck_lines", "tollcheck_sentences"), "Two died. Three were hurt\nPolice said so")
    assert [i for i, s in enumerate(starts) if s == 1] == [0, 3, 7]  # "\n" is token 6
