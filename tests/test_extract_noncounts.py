"""Numbers that are not counts of victims must never become claims, and reports in which nobody died
must not total any deaths. Every sentence carries a casualty cue, so a careless rule would fire.

All texts are invented.
"""

from __future__ import annotations

import pytest

from tollcheck.extract.pipeline import extract_text
from tollcheck.tally.totals import tally

# (text, numbers that must not appear as a figure, the real count the sentence gives or None)
NONCOUNTS = [
    # ages
    ("A 21-year-old man was killed in Brask.", {21}, 1),
    ("Three people, including a 21-year-old student, were killed in Brask.", {21}, 3),
    ("A woman aged 60 was killed in Brask.", {60}, 1),
    ("The victim, 34 years old, was shot dead in Brask.", {34}, 1),
    # ordinals and unit names
    ("A soldier of the 366th Regiment was killed in Brask.", {366}, 1),
    ("Troops of the 366th Regiment killed 4 rebels.", {366}, 4),
    ("On the 31st anniversary of the massacre, survivors said 80 people were killed.", {31}, 80),
    ("On the 31st anniversary of the massacre, mourners gathered in Brask.", {31}, None),
    # years and dates
    ("A farmer was killed in Brask in 1992.", {1992}, 1),
    ("Twelve people were killed in the fighting in 2019.", {2019}, 12),
    ("Four people were killed in Brask on February 26.", {26}, 4),
    # durations
    ("A farmer was killed during the 44-day war.", {44}, 1),
    ("The 44-day war killed 5,000 soldiers.", {44}, 5000),
    ("Rebels who have fought for 30 years killed a farmer.", {30}, 1),
    ("A farmer was killed three years ago in Brask.", {3}, 1),
    ("The war that lasted 12 years killed 9,000 people.", {12}, 9000),
    ("Gunmen killed 4 people in Brask 34 years after the first massacre.", {34}, 4),
    # distances and areas
    ("A farmer was killed six miles from Brask.", {6}, 1),
    ("Gunmen killed 7 people 85 km north of Brask.", {85}, 7),
    ("The fighting that killed a farmer spread over 1,700 square miles.", {1700}, 1),
    # populations
    ("Gunmen killed 7 people in Brask, which has a population of 170,000.", {170_000}, 7),
    ("A farmer was killed in Brask, a town with a population of 170,000.", {170_000}, 1),
    ("Gunmen killed 7 people in Brask, a town of about 7,000.", {7000}, 7),
    # percentages
    ("A farmer was killed in Brask, where 40 percent of homes are empty.", {40}, 1),
    ("A farmer was killed in Brask, where 40% of homes are empty.", {40}, 1),
    ("The war has killed 20,000 people and displaced 40 percent of the population.", {40}, 20_000),
    # money
    ("A farmer was killed in Brask; the government offered $5 million in aid.", {5, 5_000_000}, 1),
    ("Rebels seeking a $5 million ransom kidnapped 3 engineers.", {5, 5_000_000}, 3),
    # page furniture and times
    ("Rebels killed 2 people.\nRoute 6", {6}, 2),
    ("Gunmen killed 7 people at 10:40 am in Brask.", {10, 40}, 7),
    ("A farmer was killed at 10:40 am in Brask.", {10, 40}, 1),
    # counts of things
    ("Mortar fire killed 3 people and destroyed 300 houses.", {300}, 3),
    ("Militants burned 12 vehicles and killed a farmer.", {12}, 1),
    # attackers with no victims, and family sizes
    ("Five gunmen attacked the village of Brask and killed a farmer.", {5}, 1),
    ("Five gunmen attacked the village of Brask, but no one was hurt.", {5}, None),
    ("A father of six was among 4 people killed in Brask.", {6}, 4),
    ("The killed farmer was a father of six.", {6}, None),
]


def _numbers(claim) -> set[int]:
    return {n for n in (claim.low, claim.high, claim.value) if n is not None}


@pytest.mark.parametrize(("text", "forbidden", "real"), NONCOUNTS)
def test_number_is_not_a_count(text: str, forbidden: set[int], real: int | None) -> None:
    claims = extract_text(text)
    for c in claims:
        assert not (_numbers(c) & forbidden), (c.category, c.low, c.high, c.value)
    lows = [c.low for c in claims if c.counted]
    if real is None:
        assert lows == []
    else:
        assert real in lows


def test_approximate_population_is_not_a_range_either() -> None:
    claims = extract_text("Gunmen killed 7 people in Brask, a town of about 7,000.")
    assert all((c.high or 0) < 1000 for c in claims)


# --- whole reports in which nobody died ------------------------------------------------------------

NO_DEATHS = [
    "Thousands of protesters marched through central Valdris on Sunday demanding the release of 14 "
    "jailed activists. The march ended peacefully.",
    "Army engineers defused a 40-kilogram bomb found under a bridge near Ostmark on Tuesday. No one was "
    "hurt and traffic resumed after three hours.",
    "Police in Carrow arrested 12 men suspected of planning an attack on a market, officials said. Nobody was harmed.",
    "A car bomb exploded outside a police station in Tellin late on Friday. No casualties were reported, "
    "the provincial governor said.",
    "The trial of six men accused of a 2017 bombing opened in the capital, Merrow, on Monday. The men "
    "deny the charges.",
    "A fire swept through a warehouse in the port of Dunmere overnight. Firefighters brought the blaze "
    "under control and no injuries were reported.",
    "Rebel commanders and government envoys met for a third round of talks in Sorvik on Thursday. Both "
    "sides said they hoped to agree a ceasefire within 30 days.",
    "A rocket landed in an empty field outside Amberlow on Saturday, causing no casualties, the army said.",
    "About 500 students staged a sit-in at the university in Kelham to protest a rise in fees. The "
    "protest passed without incident.",
    "Troops carried out a search operation in the hills above Rask, seizing 20 rifles and 3,000 rounds "
    "of ammunition. No one was injured.",
    "A court in Brevik sentenced a former militia leader to 25 years in prison for his role in attacks in the 1990s.",
    "Election officials in Halloway counted ballots from 1,200 polling stations on Wednesday. Observers "
    "said the vote was calm.",
    "Gunmen fired shots into the air outside a bank in Pellam before fleeing in a stolen car. There were "
    "no injuries, police said.",
    "A grenade thrown at a checkpoint in Morsk failed to explode, officials said. No one was killed.",
    "The government announced a $40 million fund to rebuild schools damaged during the conflict in Yarrowmere.",
    "Police detained 30 protesters in Yell after a march turned rowdy. No one was seriously hurt.",
    "A fire destroyed 40 shops in the market of Tenby on Sunday; no injuries were reported.",
]


@pytest.mark.parametrize("text", NO_DEATHS)
def test_nobody_died(text: str) -> None:
    claims = extract_text(text, published="2024-06-10")
    totals = tally("r", claims).totals
    killed = totals.get("killed")
    assert killed is None or killed.best in (0, None)
    for category in ("killed", "injured", "casualties"):
        fig = totals.get(category)
        assert fig is None or not fig.low, (category, fig)


@pytest.mark.parametrize(
    ("text", "n"),
    [
        (
            "Police in Carrow arrested 12 men suspected of planning an attack on a market, officials said. "
            "Nobody was harmed.",
            12,
        ),
        ("Police detained 30 protesters in Yell after a march turned rowdy. No one was seriously hurt.", 30),
    ],
)
def test_arrest_only_reports_total_the_arrests(text: str, n: int) -> None:
    totals = tally("r", extract_text(text)).totals
    assert set(totals) == {"detained"}
    assert totals["detained"].best == n
