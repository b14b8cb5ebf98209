"""A report's own totals: which of its claims add up, which repeat, which supersede, which stay out.

All reports are invented.
"""

from __future__ import annotations

import pytest

from tollcheck.extract.pipeline import extract_text
from tollcheck.model import Claim, Figure, ReportTotals
from tollcheck.tally.totals import tally

PUBLISHED = "2024-03-14"  # a Thursday


def totals_of(text: str, published: str | None = PUBLISHED) -> ReportTotals:
    return tally("report-1", extract_text(text, published=published, doc_id="report-1"))


def killed(text: str, published: str | None = PUBLISHED) -> Figure:
    t = totals_of(text, published)
    assert "killed" in t.totals, t.to_dict()
    return t.totals["killed"]


def test_report_row_shape() -> None:
    t = totals_of("Gunmen killed 12 villagers in Marrow on Friday, police said.")
    d = t.to_dict()
    assert d["type"] == "report" and d["doc"] == "report-1"
    assert set(d["totals"]) == {"killed"}
    assert {"low", "best", "high", "claims", "rule"} <= set(d["totals"]["killed"])


def test_disjoint_parts_add_up() -> None:
    fig = killed("A roadside bomb killed 3 soldiers and 2 civilians near Ferro on Monday.")
    assert (fig.low, fig.best, fig.high) == (5, 5, 5)
    assert fig.by_side == {"security_forces": 3, "civilians": 2}
    assert len(fig.claims) == 2


def test_list_of_groups_adds_up() -> None:
    fig = killed("Gunmen killed 14 women, 9 children and 3 elderly men in Fenwick.")
    assert fig.best == 26
    assert fig.by_side == {"civilians": 26}


def test_named_person_and_relatives_add_up() -> None:
    assert killed("Marta Selk and her two sons were killed in Ulm.").best == 3


def test_subgroup_does_not_add() -> None:
    fig = killed("Forty people, including 12 children, were killed in an airstrike in Lanna, officials said.")
    assert (fig.low, fig.best, fig.high) == (40, 40, 40)
    assert fig.by_side == {"civilians": 12, "unknown": 28}


def test_subgroup_names_the_side_of_part_of_the_total() -> None:
    fig = killed("The raid killed seven people, including two soldiers, in Vesk.")
    assert fig.best == 7
    assert fig.by_side.get("security_forces") == 2
    assert fig.by_side.get("unknown") == 5


@pytest.mark.parametrize(
    "text",
    [
        "Gunmen killed 9 villagers in Osk on Sunday. Police said 9 villagers were killed.",
        "Nine villagers were killed in Osk on Sunday. A local chief said nine villagers had been killed in the raid.",
    ],
)
def test_repeated_mention_is_not_doubled(text: str) -> None:
    claims = extract_text(text, published=PUBLISHED)
    assert len([c for c in claims if c.counted and c.category == "killed"]) == 2  # both mentions are claims
    fig = tally("r", claims).totals["killed"]
    assert (fig.low, fig.best, fig.high) == (9, 9, 9)
    assert len(fig.claims) == 1


def test_later_partial_mention_does_not_add() -> None:
    fig = killed("Gunmen killed 9 villagers in Osk. A local chief said nine villagers were killed and 4 wounded.")
    assert fig.best == 9


@pytest.mark.parametrize(
    "text",
    [
        "A suicide bomber killed 31 people at a mosque in Tiber on Friday. The death toll later rose to 40, "
        "the health ministry said.",
        "At least 31 people were killed in Tiber on Friday. By Saturday the toll had risen to 40.",
    ],
)
def test_rising_toll_supersedes(text: str) -> None:
    claims = extract_text(text, published=PUBLISHED)
    assert any("superseding" in c.flags and c.low == 40 for c in claims)
    fig = tally("r", claims).totals["killed"]
    assert fig.best == 40
    assert [claims[i].low for i in fig.claims] == [40]
    assert fig.low is not None and fig.low <= 40
    assert fig.high in (40, None)


def test_superseding_wins_even_when_smaller() -> None:
    # a revised figure replaces the earlier one, even downwards
    fig = killed("Officials first said 50 people were killed in Tiber. The death toll was later revised to 38.")
    assert fig.best == 38


@pytest.mark.parametrize(
    "text",
    [
        "A bomb killed 12 people in Hallam on Friday. Another 3 died in hospital on Saturday, doctors said.",
        "A bomb killed 12 people in Hallam on Friday. Another three people died in hospital on Saturday.",
    ],
)
def test_another_adds(text: str) -> None:
    claims = extract_text(text, published=PUBLISHED)
    assert any("additive" in c.flags and c.low == 3 for c in claims)
    fig = tally("r", claims).totals["killed"]
    assert (fig.best, fig.high) == (15, 15)
    assert fig.low is not None and 12 <= fig.low <= 15
    assert sorted(claims[i].low for i in fig.claims) == [3, 12]


@pytest.mark.parametrize(
    ("text", "victims", "attackers"),
    [
        ("Gunmen killed 10 villagers in Orm before troops killed 4 of the attackers, the army said.", 10, 4),
        ("Gunmen killed 10 villagers in Orm. Troops later shot dead 3 attackers.", 10, 3),
        ("Gunmen killed 10 villagers in Orm. Police said two of the assailants were also killed.", 10, 2),
    ],
)
def test_attackers_killed_add_and_are_perpetrators(text: str, victims: int, attackers: int) -> None:
    fig = killed(text)
    assert fig.best == victims + attackers
    assert fig.by_side.get("perpetrators") == attackers
    assert fig.by_side.get("civilians") == victims


def test_vague_only_has_bounds_but_no_best() -> None:
    fig = killed("Dozens of people were killed in fighting in Tarn, residents said.")
    assert fig.best is None
    assert (fig.low, fig.high) == (24, 99)


def test_at_least_keeps_an_open_high() -> None:
    t = totals_of("At least 20 people were killed and more than 30 wounded in Fenwick.")
    assert (t.totals["killed"].low, t.totals["killed"].best, t.totals["killed"].high) == (20, 20, None)
    assert (t.totals["injured"].low, t.totals["injured"].high) == (30, None)


def test_categories_are_totalled_separately() -> None:
    t = totals_of(
        "A car bomb in Drosna killed 8 people and wounded 21 others, police said. "
        "Rebels abducted 5 aid workers in the same district."
    )
    assert t.totals["killed"].best == 8
    assert t.totals["injured"].best == 21
    assert t.totals["abducted"].best == 5


def test_earlier_event_in_another_year_stays_out() -> None:
    fig = killed(
        "A bomb killed 6 people and wounded 11 in Quorra on Tuesday. It was the first attack in the "
        "city since a 2019 bombing that killed 30."
    )
    assert (fig.low, fig.best, fig.high) == (6, 6, 6)
    assert len(fig.claims) == 1


def test_negated_and_hypothetical_claims_do_not_count() -> None:
    t = totals_of(
        "Shelling killed 4 people in Brisk on Monday. No one was killed in the nearby town of Osk. "
        "Aid groups warned that a new offensive could kill thousands."
    )
    assert t.totals["killed"].best == 4
    assert t.totals["killed"].high == 4


def test_hedged_claims_still_count() -> None:
    assert killed("Six miners were feared killed in Gosk.").best == 6


def test_no_claims_no_totals() -> None:
    assert tally("empty", []).totals == {}
    assert totals_of("The council met in Sorvik on Thursday to discuss the budget.").totals == {}


def test_claims_indices_point_at_the_claims() -> None:
    text = "Gunmen killed 10 villagers in Orm. Troops later shot dead 4 attackers."
    claims = extract_text(text)
    fig = tally("r", claims).totals["killed"]
    assert sorted(claims[i].low for i in fig.claims) == [4, 10]


def test_tally_on_hand_made_claims() -> None:
    claims = [
        Claim(doc="d", category="killed", low=5, high=5, value=5, side="civilians", statement=1),
        Claim(doc="d", category="killed", low=2, high=2, value=2, side="security_forces", statement=1),
        Claim(
            doc="d",
            category="killed",
            low=1,
            high=1,
            value=1,
            side="civilians",
            statement=1,
            flags=["subgroup"],
            subgroup_of=0,
        ),
        Claim(doc="d", category="killed", low=None, high=None, value=None, statement=2, flags=["negated"]),
        Claim(doc="d", category="injured", low=3, high=None, value=3, qualifier="at_least", statement=3),
    ]
    t = tally("d", claims)
    assert t.doc == "d"
    assert (t.totals["killed"].best, t.totals["killed"].by_side) == (7, {"civilians": 5, "security_forces": 2})
    assert sorted(t.totals["killed"].claims) == [0, 1]
    assert (t.totals["injured"].low, t.totals["injured"].high) == (3, None)
