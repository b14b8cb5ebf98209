"""Tests for tollcheck.clean: the three repairs, the offset map and its round-trip property."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tollcheck.clean import clean
from tollcheck.clean.offsets import apply_edits, map_offset
from tollcheck.clean.repairs import split_token
from tollcheck.model import CleanReport, Report


def _clean(text: str) -> CleanReport:
    return clean(Report(id="t", text=text))


def _kinds(cr: CleanReport) -> list[str]:
    return [r.kind for r in cr.repairs]


def _check_round_trip(original: str, cr: CleanReport) -> None:
    """Every cleaned token outside a repair maps back to the identical original characters;
    every repair's cleaned stretch maps back to exactly the repair's original span."""
    repaired = [(r.start, r.end) for r in cr.repairs]
    for m in re.finditer(r"\S+", cr.text):
        s, e = m.span()
        os_, oe = cr.to_original(s), cr.to_original(e)
        assert 0 <= os_ <= oe <= len(original)
        if any(os_ < end and start < oe for start, end in repaired):
            continue
        assert original[os_:oe] == cr.text[s:e], (m.group(), original[os_:oe])


# ---------------------------------------------------------------- digit groups


@pytest.mark.parametrize(
    ("text", "fixed"),
    [
        ("Officials counted 1, 700 bodies.", "Officials counted 1,700 bodies."),
        ("Some 170, 000 people fled the valley.", "Some 170,000 people fled the valley."),
        ("The town is 2, 000 years old.", "The town is 2,000 years old."),
        ("A total of 1, 250, 000 were displaced.", "A total of 1,250,000 were displaced."),
        ("About 1,250, 000 were displaced.", "About 1,250,000 were displaced."),
        ("Between 3, 000 and 4, 500 died", "Between 3,000 and 4,500 died"),
    ],
)
def test_digit_group_repaired(text: str, fixed: str) -> None:
    cr = _clean(text)
    assert cr.text == fixed
    assert set(_kinds(cr)) == {"digit_group"}
    for r in cr.repairs:
        assert text[r.start : r.end] == r.before
        assert r.after == r.before.replace(", ", ",")
    _check_round_trip(text, cr)


@pytest.mark.parametrize(
    "text",
    [
        "Victims were found in rooms 1, 2 and 3.",
        "In 1992, 300 people were killed in the district.",
        "By 12000, 400 more had fled.",
        "On May 5, 200 people died in the camp.",
        "On Sept. 12, 450 families left the town.",
        "The ratio was 3, 1000 times the norm.",
        "Counts of 5, 100, 20 and 7 were given.",
        "Counts of 100, 200, 300 and 400 were given.",
        "Rates of 2.5, 300 were cited.",
        "The figure was 1,700.",
    ],
)
def test_digit_group_not_repaired(text: str) -> None:
    cr = _clean(text)
    assert cr.text == text
    assert cr.repairs == []


def test_digit_group_minimal_edit_keeps_offsets() -> None:
    text = "Police said 1, 700 died."
    cr = _clean(text)
    s = cr.text.index("1,700")
    assert (cr.to_original(s), cr.to_original(s + 5)) == (12, 18)
    d = cr.text.index("died")
    assert text[cr.to_original(d) : cr.to_original(d + 4)] == "died"


# ---------------------------------------------------------------- run-together words


@pytest.mark.parametrize(
    ("token", "fixed"),
    [
        ("atleast", "at least"),
        ("Atleast", "At least"),
        ("morethan", "more than"),
        ("overthree", "over three"),
        ("nearlytwo", "nearly two"),
        ("aboutfifty", "about fifty"),
        ("epidemicwill", "epidemic will"),
        ("peoplewere", "people were"),
        ("soldierswere", "soldiers were"),
        ("werekilled", "were killed"),
    ],
)
def test_run_together_split(token: str, fixed: str) -> None:
    assert split_token(token) == fixed


@pytest.mark.parametrize(
    "token",
    [
        "however",
        "therefore",
        "overwhelming",
        "attendance",
        "somewhere",
        "became",
        "another",
        "nowhere",
        "atlas",
        "Kathmandu",
        "Overton",
        "Somerset",
        "someone",
        "atone",
        "tenable",
        "overwrite",
        "takeover",
        "gruesome",
        "townspeople",
        "forgotten",
        "goodwill",
        "overestimated",
        "killings",
    ],
)
def test_run_together_no_split(token: str) -> None:
    assert split_token(token) is None


def test_run_together_in_text() -> None:
    text = "Medics said atleast forty died and the epidemicwill spread overthree districts."
    cr = _clean(text)
    assert cr.text == "Medics said at least forty died and the epidemic will spread over three districts."
    assert _kinds(cr) == ["run_together"] * 3
    first = cr.repairs[0]
    assert (first.start, first.end, first.before, first.after) == (12, 19, "atleast", "at least")
    s = cr.text.index("at least")
    assert text[cr.to_original(s) : cr.to_original(s + 8)] == "atleast"
    assert text[cr.to_original(s) : cr.to_original(s + 2)] == "at"
    _check_round_trip(text, cr)


def test_run_together_leaves_names_and_words() -> None:
    text = "However, aid reached Kathmandu somewhere near the atlas office; attendance fell."
    assert _clean(text).repairs == []


# ---------------------------------------------------------------- boilerplate


@pytest.mark.parametrize(
    "line",
    [
        "Loading...",
        "READ MORE: Survivors describe the night of the raid",
        "Read more: Aid convoys blocked",
        "Also read: The valley after the floods",
        "Also read How the toll was counted",
        "RELATED: Army denies shelling market",
        "AA Archive",
        "Photo: Jane Roe",
        "(Photo by John Doe/AFP via Getty Images)",
        "Getty Images",
        "AFP",
        "Reuters/Jane Roe",
        "Share this article",
        "Subscribe to our newsletter",
        "Follow us on Twitter",
        "Click here to read the full statement",
        "Get the latest updates as we post them — right on your browser",
        "Allow notifications",
        "Turn on notifications",
        "Advertisement",
        "   Advertisement   ",
    ],
)
def test_boilerplate_line_removed(line: str) -> None:
    text = f"Gunmen attacked the village at dawn.\n{line}\nAt least 40 people were killed."
    cr = _clean(text)
    assert cr.text == "Gunmen attacked the village at dawn.\nAt least 40 people were killed."
    assert _kinds(cr) == ["boilerplate"]
    r = cr.repairs[0]
    assert text[r.start : r.end] == r.before == line + "\n"
    assert r.after == ""
    _check_round_trip(text, cr)
    s = cr.text.index("At least")
    assert cr.to_original(s) == text.index("At least")


@pytest.mark.parametrize(
    "text",
    [
        "Those who read more: the report lists 40 dead.",
        "Readers can read more about the 40 dead in the annex.",
        "Reuters reported that 40 people were killed.",
        "AFP said 40 people were killed.",
        "The agency said subscribe was not an option.",
        "Advertisement boards were burned in the attack.",
        "Source: Ministry of Health",
    ],
)
def test_boilerplate_real_sentences_stay(text: str) -> None:
    cr = _clean(text + "\nThe toll rose to 41.")
    assert cr.repairs == []


def test_boilerplate_tail_only_at_end() -> None:
    body = "Rebels shelled the bridge.\nFour civilians died.\n"
    cr = _clean(body + "Route 6\n")
    assert cr.text == body
    assert cr.repairs[0].before == "Route 6\n"
    mid = "Rebels shelled the bridge.\nRoute 6\nFour civilians died.\n"
    assert _clean(mid).repairs == []
    assert _clean("Route 6").repairs == []


def test_boilerplate_tail_after_other_furniture() -> None:
    text = "Four civilians died.\nRoute 6\nAdvertisement\n"
    cr = _clean(text)
    assert cr.text == "Four civilians died.\n"
    assert _kinds(cr) == ["boilerplate", "boilerplate"]


def test_boilerplate_first_line_and_crlf() -> None:
    text = "Loading...\r\nTroops opened fire, killing 1, 200 protesters.\r\n"
    cr = _clean(text)
    assert cr.text == "Troops opened fire, killing 1,200 protesters.\r\n"
    assert cr.to_original(0) == text.index("Troops")
    _check_round_trip(text, cr)


def test_repairs_inside_boilerplate_are_not_made_twice() -> None:
    text = "Twelve died.\nREAD MORE: atleast 1, 700 fled\nMore later."
    cr = _clean(text)
    assert _kinds(cr) == ["boilerplate"]
    assert cr.text == "Twelve died.\nMore later."


# ---------------------------------------------------------------- offsets


def test_map_offset_identity_and_clamp() -> None:
    assert map_offset([], 5) == 5
    assert map_offset([], -3) == 0
    new, anchors = apply_edits("abcdef", [(2, 4, "XYZW")])
    assert new == "abXYZWef"
    assert [map_offset(anchors, i) for i in range(len(new) + 2)] == [0, 1, 2, 3, 4, 4, 4, 5, 6, 6]
    new, anchors = apply_edits("abcdef", [(1, 5, "")])
    assert new == "af"
    assert [map_offset(anchors, i) for i in range(3)] == [0, 5, 6]


def test_apply_edits_rejects_overlap() -> None:
    with pytest.raises(ValueError):
        apply_edits("abcdef", [(1, 3, ""), (2, 4, "")])


def test_no_repairs_identity_map() -> None:
    text = "Nine people were wounded in the market, police said."
    cr = _clean(text)
    assert cr.text == text and cr.repairs == []
    assert all(cr.to_original(i) == i for i in range(len(text) + 1))


def test_mixed_document_round_trip() -> None:
    text = (
        "Loading...\n"
        "Witnesses said atleast 2, 300 villagers fled overthree days.\n"
        "Photo: Local Council\n"
        "The epidemicwill kill more, officials warned; in 1992, 300 died.\n"
        "Share this article\n"
        "Route 9\n"
    )
    cr = _clean(text)
    assert cr.text == (
        "Witnesses said at least 2,300 villagers fled over three days.\n"
        "The epidemic will kill more, officials warned; in 1992, 300 died.\n"
    )
    assert sorted(set(_kinds(cr))) == ["boilerplate", "digit_group", "run_together"]
    for r in cr.repairs:
        assert text[r.start : r.end] == r.before
    _check_round_trip(text, cr)
    # applying the logged repairs to the original gives the cleaned text
    rebuilt, _ = apply_edits(text, [(r.start, r.end, r.after) for r in cr.repairs])
    assert rebuilt == cr.text


_PIECES = list("ab o,\n 1270.:\r") + ["atleast", "overthree", "Loading...", "Route 6", ", 000", "May "]
_NOISY = st.lists(st.sampled_from(_PIECES), max_size=60).map("".join)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=200), _NOISY))
def test_clean_total_and_monotonic(text: str) -> None:
    cr = _clean(text)
    values = [cr.to_original(i) for i in range(-2, len(cr.text) + 3)]
    assert all(0 <= v <= len(text) for v in values)
    assert values == sorted(values)
    assert cr.to_original(len(cr.text)) == len(text)
    rebuilt, _ = apply_edits(text, [(r.start, r.end, r.after) for r in cr.repairs])
    assert rebuilt == cr.text
    _check_round_trip(text, cr)
