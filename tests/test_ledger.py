"""The victim ledger (tally/ledger.py): which statements merge, which add, which are a breakdown, which
stay out as another event. One test per class of phrasing; all reports are invented.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tollcheck.extract.pipeline import extract_text
from tollcheck.model import Claim, Figure
from tollcheck.tally.signals import signals_of
from tollcheck.tally.totals import tally

PUBLISHED = "2024-05-16"  # a Thursday


def totals(text: str, published: str | None = PUBLISHED) -> dict[str, Figure]:
    return tally("r", extract_text(text, published=published, doc_id="r"), published).totals


def killed(text: str, published: str | None = PUBLISHED) -> Figure:
    t = totals(text, published)
    assert "killed" in t, {k: v.to_dict() for k, v in t.items()}
    return t["killed"]


def entered(fig: Figure) -> list[str]:
    return [g["entered"] for g in fig.groups]


# --- distinct groups add -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "best", "sides"),
    [
        (
            "3 policemen died in an ambush near Tolva on Monday. Officials said 7 rebels were also killed.",
            10,
            {"security_forces": 3, "armed_groups": 7},
        ),
        (
            "Five soldiers were killed at a checkpoint in Marrow. Eleven militants died in the fighting.",
            16,
            {"security_forces": 5, "armed_groups": 11},
        ),
    ],
)
def test_another_side_adds(text: str, best: int, sides: dict[str, int]) -> None:
    fig = killed(text)
    assert fig.best == best
    assert fig.by_side == sides
    assert entered(fig) == ["total", "added"]
    assert fig.rule.startswith("the main figure plus distinct groups")


@pytest.mark.parametrize(
    "text",
    [
        "A judge was shot dead in Marrow on Monday; his driver was also killed.",
        "A trader was killed by gunmen in Pell on Monday. The trader's brother was also killed in the attack.",
    ],
)
def test_also_adds_a_second_victim(text: str) -> None:
    assert killed(text).best == 2


def test_another_adds_a_later_death() -> None:
    fig = killed("A mortar round killed 6 people in Kesh on Monday. Another 2 died of their wounds on Tuesday.")
    assert fig.best == 8
    assert entered(fig) == ["total", "added"]


def test_another_place_of_the_event_adds() -> None:
    fig = killed("Raiders killed five farmers in Oltany. In Peskov, 12 km away, they shot dead three herders.")
    assert fig.best == 8
    assert entered(fig) == ["total", "added"]


def test_another_speakers_figure_at_another_place_is_not_added() -> None:
    fig = killed("Soldiers killed 9 people in Tarnow, residents said. The army said 4 were killed in Lesk.")
    assert fig.best == 9


# --- repeats and partial mentions merge ----------------------------------------------------------


def test_headline_repeated_in_the_body_merges() -> None:
    head = "Two killed in Brant shooting"
    text = f"{head}\n\n{head}Two men were killed in a shooting in Brant on Sunday."
    fig = killed(text)
    assert fig.best == 2
    assert entered(fig)[0] == "total" and set(entered(fig)[1:]) == {"merged"}


def test_others_relative_to_the_dead_do_not_add_to_the_injured() -> None:
    t = totals("Four people were killed and 11 others were wounded in Dask. Police said 11 people were hurt.")
    assert t["killed"].best == 4
    assert t["injured"].best == 11


def test_a_named_victim_is_one_of_those_counted() -> None:
    fig = killed(
        "Three people were killed in a shooting in Dellor on Friday. Mara Fenn was also killed in the shooting."
    )
    assert fig.best == 3


def test_a_larger_figure_becomes_the_total() -> None:
    fig = killed("Two soldiers were killed in Vorna on Monday. At least 10 people died in the attack, officials said.")
    assert fig.best == 10
    assert entered(fig) == ["merged", "total"]


# --- breakdowns attach to their total ------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "best"),
    [
        ("Eight people, five miners and three drivers, were killed in the blast in Ossa.", 8),
        ("Seven people (four soldiers and three civilians) were killed in the blast in Ossa.", 7),
    ],
)
def test_a_listed_breakdown_does_not_add(text: str, best: int) -> None:
    fig = killed(text)
    assert fig.best == best


def test_a_breakdown_fills_by_side() -> None:
    q = "Seven people, four soldiers and three civilians, were killed in Ossa."
    common = {"doc": "d", "category": "killed", "quote": q, "sentence_end": len(q), "statement": 1}
    claims = [
        Claim(low=7, high=7, value=7, start=0, end=12, **common),  # type: ignore[arg-type]
        Claim(low=4, high=4, value=4, side="security_forces", start=14, end=27, **common),  # type: ignore[arg-type]
        Claim(low=3, high=3, value=3, side="civilians", start=32, end=47, **common),  # type: ignore[arg-type]
    ]
    fig = tally("d", claims).totals["killed"]
    assert fig.best == 7
    assert fig.by_side == {"security_forces": 4, "civilians": 3}
    assert fig.groups[0]["parts"] == [1, 2]


def test_later_statements_that_sum_to_the_total_are_its_breakdown() -> None:
    fig = killed(
        "At least 12 people died in two raids on Verl. A chief and six others died in the first raid. "
        "Five others were killed in the second."
    )
    assert fig.best == 12
    assert "breakdown" in entered(fig)


# --- other events stay out -----------------------------------------------------------------------


def test_an_earlier_event_in_a_clause_stays_out() -> None:
    fig = killed("Six people were killed in Varn on Thursday, three days after 14 died in a bus bombing in Sello.")
    assert fig.best == 6
    assert "background" in entered(fig)


def test_a_report_about_a_protest_over_a_death_has_no_death_toll() -> None:
    t = totals("Students in Harl protested on Monday over the killing of a teacher by soldiers last month.")
    assert "killed" not in t


@pytest.mark.parametrize(
    "text",
    [
        "Nearly 400 people died in police shootings across the country last year, a report says.",
        "More than 90 people were shot dead in the province so far this year, according to data from the police.",
    ],
)
def test_a_statistic_is_not_a_toll(text: str) -> None:
    assert "killed" not in totals(text)


def test_a_statistic_after_the_lede_stays_out() -> None:
    fig = killed("Gunmen killed 4 people in Osk on Friday. Nine officers have been shot dead this year.")
    assert fig.best == 4


def test_the_only_statement_is_the_toll_even_after_an_earlier_event() -> None:
    fig = killed("A farmer was buried in Tolna on Monday, days after he was abducted and killed by bandits.")
    assert fig.best == 1


def test_the_ledes_year_is_the_main_events() -> None:
    claims = [
        Claim(doc="d", category="killed", low=1, high=1, value=1, date="2014-12-15", date_from="sentence", statement=1),
        Claim(
            doc="d", category="detained", low=1, high=1, value=1, date="2015-12-13", date_from="sentence", statement=2
        ),
        Claim(
            doc="d", category="detained", low=2, high=2, value=2, date="2015-12-13", date_from="sentence", statement=3
        ),
    ]
    t = tally("d", claims, "2015-12-14")
    assert t.totals["killed"].best == 1
    assert "detained" not in t.totals


# --- the ledger on the report line --------------------------------------------------------------


def test_report_line_carries_the_ledger() -> None:
    claims = extract_text(
        "4 policemen died in an ambush near Kelbor. Local officials said 9 insurgents were also killed.",
        published=PUBLISHED,
        doc_id="r",
    )
    row = json.loads(json.dumps(tally("r", claims).to_dict()))
    k = row["totals"]["killed"]
    assert k["best"] == 13
    assert [(g["count"], g["entered"]) for g in k["groups"]] == [(4, "total"), (9, "added")]
    assert {"claims", "parts", "count", "low", "high", "sides", "place", "source", "entered", "why"} <= set(
        k["groups"][0]
    )
    assert "4 + 9" in k["rule"]


def test_signals_read_around_the_figure() -> None:
    text = "Local officials said 9 insurgents were also killed."
    c = Claim(doc="d", category="killed", low=9, high=9, value=9, quote=text, start=21, end=33, sentence_end=len(text))
    assert signals_of(c).adds
    c2 = Claim(doc="d", category="killed", low=9, high=9, value=9, quote=text.replace("also ", ""), start=21, end=33)
    c2.sentence_end = len(c2.quote)
    assert not signals_of(c2).adds


def one_victim_each(first: str, second: str, spans: tuple[int, int]) -> list[Claim]:
    """Two sentences, each with one victim; `spans` = the end of the first description, the second's length."""
    at = len(first) + 1
    a = Claim(doc="d", category="killed", low=1, high=1, value=1, quote=first, start=0, end=spans[0], statement=1)
    b = Claim(
        doc="d", category="killed", low=1, high=1, value=1, quote=second, start=at, end=at + spans[1], statement=2
    )
    a.sentence_end, b.sentence_start, b.sentence_end = len(first), at, at + len(second)
    return [a, b]


def test_a_companion_of_a_victim_is_another_person() -> None:
    claims = one_victim_each(
        "A district chief was killed in the ambush.", "His driver died in hospital on Tuesday.", (16, 10)
    )
    fig = tally("d", claims).totals["killed"]
    assert fig.best == 2
    assert entered(fig) == ["total", "added"]


def test_kin_named_by_a_parent_is_the_same_victim() -> None:
    claims = one_victim_each(
        "A teenager was shot dead in Corran on Friday.", "Her son was killed for nothing, his mother said.", (11, 7)
    )
    assert tally("d", claims).totals["killed"].best == 1


# --- properties over made-up ledgers -------------------------------------------------------------

_TEMPLATES = (
    "{n} {who} were killed in Ostrava on Monday.",
    "Officials said {n} {who} were also killed.",
    "Another {n} {who} died in hospital.",
    "{n} other {who} were killed in Brezno.",
    "Police said {n} {who} died, residents said.",
    "Students protested over the death of {n} {who}.",
    "In all, {n} {who} were killed across the country last year.",
)
_WHO = (("people", "unknown"), ("soldiers", "security_forces"), ("rebels", "armed_groups"), ("villagers", "civilians"))


@st.composite
def _ledgers(draw: st.DrawFn) -> list[Claim]:
    claims, at = [], 0
    for k in range(draw(st.integers(1, 5))):
        n = draw(st.integers(1, 60))
        who, side = draw(st.sampled_from(_WHO))
        quote = draw(st.sampled_from(_TEMPLATES)).format(n=n, who=who)
        fig = quote.index(str(n))
        claims.append(
            Claim(
                doc="d", category="killed", low=n, high=n, value=n, side=side, group=who, quote=quote,
                start=at + fig, end=at + fig + len(f"{n} {who}"), sentence_start=at, sentence_end=at + len(quote),
                statement=k + 1,
            )
        )  # fmt: skip
        at += len(quote) + 1
    return claims


@given(_ledgers())
@settings(max_examples=150, deadline=None)
def test_the_total_is_bounded_by_its_groups(claims: list[Claim]) -> None:
    t = tally("d", claims)
    if "killed" not in t.totals:  # every statement is about another event: a protest, a statistic
        assert all("protested" in c.quote or "last year" in c.quote for c in claims)
        return
    fig = t.totals["killed"]
    counted = [g for g in fig.groups if g["entered"] != "background"]
    assert fig.best is not None
    assert max(g["count"] for g in counted) <= fig.best <= sum(g["count"] for g in counted)
    assert sum(fig.by_side.values()) == fig.best
    assert fig.low is not None and fig.low <= fig.best
    assert {g["entered"] for g in counted} <= {"total", "added", "merged", "breakdown"}
    assert [g["entered"] for g in counted].count("total") == 1
    assert sorted(fig.claims) == sorted(i for g in counted if g["entered"] in ("total", "added") for i in g["claims"])


def test_patients_still_in_hospital_are_part_of_the_wounded() -> None:
    t = totals("A bomb killed 5 people and wounded 20 in Tarvo on Monday. In Lesk, 12 people remain in hospital.")
    fig = t["injured"]
    assert (fig.low, fig.best, fig.high) == (20, 20, 20)
    assert entered(fig) == ["total", "merged"]


def test_a_trial_over_a_death_in_an_earlier_year_has_no_death_toll() -> None:
    t = totals("A jury in Harl on Monday convicted a man of killing his neighbour in 2019, prosecutors said.")
    assert "killed" not in t


def test_a_charge_over_this_weeks_killing_keeps_the_death() -> None:
    assert killed("A man was charged with murder after a woman was shot dead in Corran on Sunday.").best == 1
