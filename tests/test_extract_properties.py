"""Properties of extraction that hold for any input: it never raises, quotes and spans point into the
original text, ranges are ordered; and numbers, in digits or in words, parse to their value."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tollcheck.extract.pipeline import MAX_QUOTE, extract_text
from tollcheck.model import CATEGORIES, QUALIFIERS

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

VOCAB = [
    "killed",
    "were killed",
    "shot dead",
    "wounded",
    "injured",
    "died",
    "missing",
    "abducted",
    "fled",
    "arrested",
    "casualties",
    "the death toll rose to",
    "another",
    "including",
    "among the dead",
    "no one was",
    "could kill",
    "reportedly",
    "at least",
    "atleast",
    "more than",
    "nearly",
    "about",
    "up to",
    "between",
    "and",
    "or",
    "to",
    "-",
    "dozens",
    "hundreds of",
    "tens of thousands",
    "a dozen",
    "half a million",
    "one",
    "two",
    "twenty-five",
    "hundred",
    "thousand",
    "million",
    "0",
    "7",
    "12",
    "1,700",
    "1, 700",
    "2019",
    "10:40",
    "3.5",
    "%",
    "$",
    "people",
    "children",
    "soldiers",
    "families",
    "gunmen",
    "in",
    "the town of",
    "Kessaro",
    "on Saturday",
    "February 26,",
    "police said",
    "said",
    "according to",
    '"',
    "'",
    ",",
    ".",
    ";",
    ":",
    "(",
    ")",
    "\n",
    "\n\n",
    "Loading...",
    "READ MORE:",
    " ",
    "\t",
    "\u00a0",
    "é",
    "—",
]

vocab_text = st.lists(st.sampled_from(VOCAB), max_size=60).map(" ".join)
joined_text = st.lists(st.sampled_from(VOCAB), max_size=60).map("".join)
any_text = st.one_of(st.text(max_size=400), vocab_text, joined_text)


def check_invariants(text: str) -> None:
    claims = extract_text(text, published="2024-05-08")
    for c in claims:
        assert c.category in CATEGORIES
        assert c.qualifier in QUALIFIERS or c.qualifier in ("nearly", "less_than")
        assert c.quote in text
        assert len(c.quote) <= MAX_QUOTE <= 600
        assert 0 <= c.start <= c.end <= len(text)
        assert 0 <= c.sentence_start <= c.sentence_end <= len(text)
        assert text[c.sentence_start : c.sentence_end] == c.quote
        if c.low is not None and c.high is not None:
            assert c.low <= c.high
        if c.low is not None:
            assert c.low >= 0
        assert c.group == c.group.lower()
        if c.subgroup_of is not None:
            assert 0 <= c.subgroup_of < len(claims)
        if not c.counted:
            assert not ({"negated", "hypothetical"} & set(c.flags)) or (c.low is None and c.high is None)


@SETTINGS
@given(any_text)
def test_extract_never_raises_and_keeps_invariants(text: str) -> None:
    check_invariants(text)


@SETTINGS
@given(vocab_text, vocab_text)
def test_invariants_hold_around_a_real_claim(before: str, after: str) -> None:
    check_invariants(f"{before}. Gunmen killed 14 villagers in Kessaro on Saturday, police said. {after}")


@SETTINGS
@given(vocab_text, vocab_text)
def test_a_plain_claim_survives_any_neighbouring_paragraphs(before: str, after: str) -> None:
    text = f"{before}\n\nGunmen killed 14 villagers in Kessaro on Saturday, police said.\n\n{after}"
    claims = extract_text(text, published="2024-05-08")
    assert any(c.counted and c.category == "killed" and (c.low, c.group) == (14, "villagers") for c in claims)


ODD_INPUTS = [
    "",
    " ",
    "\n\n\n",
    ".",
    "0",
    "killed",
    "1,",
    ",700 killed",
    "\x00killed 5",
    "🙂 5 killed 🙂",
    "killed " * 500,
    "DOZENS",
    "Rebels killed dozens of",
    "Floods displace thousands\n\nBody.",
    "5 " * 500 + "people were killed.",
    "at least at least at least 4 killed",
]


def test_invariants_on_odd_inputs() -> None:
    for text in ODD_INPUTS:
        check_invariants(text)


@SETTINGS
@given(st.integers(min_value=0, max_value=10**7))
def test_digits_with_thousands_commas(n: int) -> None:
    text = f"At least {n:,} people were killed."
    claims = [c for c in extract_text(text) if c.counted]
    assert len(claims) == 1
    c = claims[0]
    assert (c.low, c.high, c.value) == (n, None, n)
    assert f"{n:,}" in text[c.start : c.end]


@SETTINGS
@given(st.integers(min_value=1, max_value=99_999))
def test_plain_digits_before_a_victim_noun(n: int) -> None:
    # a bare number before "people" is a count even when it looks like a year
    claims = [c for c in extract_text(f"Rebels killed {n} people in Kessaro.") if c.counted]
    assert [(c.low, c.high) for c in claims] == [(n, n)]


ONES = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen"
).split()
TENS = ("", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")


def words(n: int) -> str:
    """English words for 1..99, hyphenated as newspapers write them."""
    if n < 20:
        return ONES[n]
    tens, ones = divmod(n, 10)
    return TENS[tens] + (f"-{ONES[ones]}" if ones else "")


def test_words_helper() -> None:
    assert [words(n) for n in (1, 13, 20, 21, 58, 99)] == [
        "one",
        "thirteen",
        "twenty",
        "twenty-one",
        "fifty-eight",
        "ninety-nine",
    ]


@SETTINGS
@given(st.integers(min_value=1, max_value=99), st.booleans())
def test_number_words(n: int, capital: bool) -> None:
    w = words(n)
    text = f"{w.capitalize()} people were killed." if capital else f"Rebels killed {w} people."
    claims = [c for c in extract_text(text) if c.counted]
    assert [(c.low, c.high, c.value) for c in claims] == [(n, n, n)]
    c = claims[0]
    assert text[c.start : c.end].lower().startswith(w)


@SETTINGS
@given(st.integers(min_value=2, max_value=9), st.sampled_from(["hundred", "thousand", "million"]))
def test_number_words_with_scales(n: int, scale: str) -> None:
    factor = {"hundred": 100, "thousand": 1000, "million": 1_000_000}[scale]
    claims = [c for c in extract_text(f"{words(n).capitalize()} {scale} people fled Kessaro.") if c.counted]
    assert [(c.category, c.low) for c in claims] == [("displaced", n * factor)]
