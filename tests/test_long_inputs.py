"""Long inputs: the per-text algorithms do work in proportion to the text, not to its square.

The texts are generated here. Nothing is timed (speed figures come from `tollcheck bench --long`); the
tests count work, or use inputs that took minutes before the fix (20,000 closing brackets: 100 s), and
check that the results on ordinary text are those of the straightforward method.
"""

from __future__ import annotations

import io
import json
import random

import pytest

from tollcheck.api import extract_reports
from tollcheck.clean import clean
from tollcheck.clean import repairs as repairs_mod
from tollcheck.clean.repairs import LONG_RUN, PUNCT_RUN, SPLIT_MAX, long_runs, split_token
from tollcheck.extract.components import LineBreaks, make_doc
from tollcheck.extract.pipeline import make_nlp
from tollcheck.model import Claim, Report

LEAD = "Police said 12 people were killed in Varenko on Monday."


def _claims(text: str) -> list[Claim]:
    (result,) = list(extract_reports([Report(id="t", text=text, published="2024-03-18")]))
    return list(result.claims)  # type: ignore[union-attr]


def _line_starts_one_by_one(text: str) -> list[bool]:
    """The straightforward marking: the token after a whitespace token holding a line break starts a sentence."""
    nlp = make_nlp()
    doc = make_doc(nlp, text)
    for i, tok in enumerate(doc[:-1]):
        if tok.is_space and "\n" in tok.text:
            doc[i + 1].is_sent_start = True
    return [bool(t.is_sent_start) for t in doc]


def _line_starts(text: str) -> list[bool]:
    nlp = make_nlp()
    doc = nlp.get_pipe("tollcheck_lines")(make_doc(nlp, text))
    return [bool(t.is_sent_start) for t in doc]


def _lines(rnd: random.Random, n: int) -> str:
    words = "the market bomb killed 12 people Varenko , . police said \n \n\n   \r\n".split(" ")
    return " ".join(rnd.choice(words) for _ in range(n))


@pytest.mark.parametrize("seed", range(5))
def test_line_starts_as_marked_one_token_at_a_time(seed: int) -> None:
    text = _lines(random.Random(seed), 400)
    assert _line_starts(text) == _line_starts_one_by_one(text)


def test_many_lines_all_start_sentences() -> None:
    text = "\n".join(f"Line {i} of the page" for i in range(20_000))
    starts = _line_starts(text)
    assert sum(starts) == 20_000  # the first token and one after each line break


def test_an_endless_sentence_is_cut_into_bounded_ones() -> None:
    limit = LineBreaks.MAX_SENT_TOKENS
    clause = "villagers said the soldiers came at night and burned the houses, "
    text = LEAD + " " + clause * (3 * limit // 12) + "and 7 people were wounded."
    nlp = make_nlp()
    doc = nlp(make_doc(nlp, text))
    lengths = [len(s) for s in doc.sents]
    assert max(lengths) <= limit
    assert len(lengths) > 3
    # the cut falls after a comma when there is one in the last half of the stretch
    assert all(s[0].text != "," and doc[s.start - 1].text in (",", " ", ".") for s in list(doc.sents)[1:])
    claims = _claims(text)
    assert [c.value for c in claims] == [12, 7]


def test_ordinary_sentences_are_not_cut() -> None:
    text = LEAD + " " + " ".join(["The long march went on, and on"] * 60) + "."
    nlp = make_nlp()
    doc = nlp(make_doc(nlp, text))
    assert len(list(doc.sents)) == 2


def test_split_token_tries_a_bounded_number_of_cuts(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = 0
    valid = repairs_mod._valid_split

    def counted(left: str, right: str) -> bool:
        nonlocal calls
        calls += 1
        return valid(left, right)

    monkeypatch.setattr(repairs_mod, "_valid_split", counted)
    assert split_token.__wrapped__("q" * 400_000) is None
    assert calls == 0  # longer than any glue word plus any known word: no cut can be valid
    assert split_token.__wrapped__("atleast") == "at least"
    assert split_token.__wrapped__("epidemicwill") == "epidemic will"
    assert split_token.__wrapped__("z" * SPLIT_MAX) is None
    assert calls < 2 * SPLIT_MAX  # only the first and last few cuts, not every one


def test_one_huge_token_is_cut_and_offsets_stay_true() -> None:
    token = "abcdefghij" * 40_000
    text = f"{LEAD} {token} Another 3 were wounded."
    cr = clean(Report(id="t", text=text))
    assert {r.kind for r in cr.repairs} == {"long_run"}
    assert max(len(w) for w in cr.text.split()) <= LONG_RUN
    assert cr.text.replace(" ", "") == text.replace(" ", "")
    claims = _claims(text)
    assert [c.value for c in claims] == [12, 3]
    assert text[claims[1].start : claims[1].end] == "3"


@pytest.mark.parametrize("mark", [")", "'", "!", "("])
def test_runs_of_punctuation_are_cut(mark: str) -> None:
    # 30,000 of one mark took minutes to tokenize (the tokenizer strips them one at a time)
    text = f"{LEAD} x{mark * 30_000} Another 3 were wounded."
    fixes = long_runs(text)
    assert fixes and all(f.repair.kind == "long_run" for f in fixes)
    cleaned = clean(Report(id="t", text=text)).text
    assert max(len(w) for w in cleaned.split()) <= PUNCT_RUN + 1
    claims = _claims(text)
    assert [c.value for c in claims] == [12, 3]
    assert text[claims[1].start : claims[1].end] == "3"


def test_ordinary_words_and_links_are_left_alone() -> None:
    text = "See https://example.org/news/2024/03/18/market-bomb-in-varenko-kills-12 ... -- and Mr. O'Brien!!"
    assert long_runs(text) == []


def test_long_benchmark_pieces(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from tollcheck.bench import _parts, huge_cell_csv, long_text, print_long, run_long
    from tollcheck.ingest import read_reports

    text = long_text(30_000)
    assert 29_000 <= len(text) <= 30_000 and "\n\n" in text and "\n" not in long_text(30_000, lines=False)
    parts = list(_parts(Report(id="t", text=text), 7_000))
    assert "".join(p.text for p in parts) == text and all(len(p.text) <= 7_000 for p in parts)
    assert all(p.text[-1].isspace() for p in parts[:-1])  # cut at whitespace
    path = str(tmp_path / "cell.csv")
    huge_cell_csv(path, 2_000_000)
    result = run_long("cell", lambda: read_reports([path]), 2_000_000)
    from tollcheck.ingest.limits import LARGE_TEXT_CHARS, PART_CHARS

    expected_parts = 1 if 2_000_000 <= LARGE_TEXT_CHARS else -(-2_000_000 // PART_CHARS)  # ingest's own parts
    assert result.parts in (expected_parts, expected_parts + 1) and result.claims == 2 and result.peak_rss_mb > 0
    out = io.StringIO()
    print_long([result], "table", out)
    assert "cell" in out.getvalue() and "2,000,000" in out.getvalue()
    out = io.StringIO()
    print_long([result], "jsonl", out)
    assert json.loads(out.getvalue())["chars"] == 2_000_000
