"""Cases the engine once got wrong, each pinned with the reading it must give."""

from __future__ import annotations

import pytest

from tollcheck.extract.pipeline import extract_text
from tollcheck.tally import tally

PUB = "2024-05-08"


def counted(text: str, published: str | None = PUB):
    return [c for c in extract_text(text, published) if c.counted]


def killed_best(text: str, published: str | None = PUB) -> int | None:
    fig = tally("t", extract_text(text, published), published).totals.get("killed")
    return fig.best if fig else None


@pytest.mark.parametrize(
    "text", ["Shelling in Varn kills dozens\nAt least 40 people were killed, police said.", "The blast killed hundreds"]
)
def test_a_vague_amount_ending_a_line_is_read(text: str) -> None:
    claims = counted(text)
    assert claims and all(c.high is None or c.high >= 99 for c in claims)


@pytest.mark.parametrize(
    ("text", "best"),
    [
        ("A soldier died in the blast.", 1),
        ("Four members of one family were killed.", 4),
        ("Two men aged 60 and 62 were killed in Brask.", 2),
        ("A bomb killed 12 people in Hallam. Three more died in hospital.", 15),
        ("The attack killed 3 soldiers and 2 civilians, while 4 of the gunmen were shot dead by police.", 9),
        ("Two people died and another was injured when a grenade hit a cafe in Marsk.", 2),
    ],
)
def test_totals(text: str, best: int) -> None:
    assert killed_best(text) == best


def test_among_the_dead_is_a_subgroup() -> None:
    claims = counted("Gunmen killed 20 people in Brisk. Among the dead were five children.")
    five = [c for c in claims if c.low == 5]
    assert five and five[0].group == "children" and "subgroup" in five[0].flags
    assert killed_best("Gunmen killed 20 people in Brisk. Among the dead were five children.") == 20


def test_an_older_event_in_the_same_report_stays_out_without_a_publication_date() -> None:
    text = (
        "A bomb killed 6 people in Quorra on Tuesday. "
        "It was the first attack in the city since a 2019 bombing that killed 30."
    )
    assert killed_best(text, published=None) == 6


def test_a_claim_takes_the_date_nearest_to_it() -> None:
    text = (
        "A bomb killed 6 people in Quorra on Tuesday, the first attack in the city since a 2019 bombing that killed 30."
    )
    six, thirty = sorted(counted(text), key=lambda c: c.low)
    assert six.date == "2024-05-07" and thirty.date == "2019"


@pytest.mark.parametrize(
    ("text", "source"),
    [
        ("An estimated 5,000 people fled Varn.", None),
        ("Gunmen killed 9 villagers in Osk. Later police said 9 were killed.", "police"),
    ],
)
def test_speakers(text: str, source: str | None) -> None:
    assert counted(text)[-1].source == source


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Tomas Aldvik, a local teacher, was killed in Orrin.", "Tomas Aldvik, a local teacher"),
        ("A woman aged 60 was killed in Orrin.", "A woman aged 60"),
    ],
)
def test_a_single_victims_span_covers_the_victim(text: str, words: str) -> None:
    (c,) = counted(text)
    assert text[c.start : c.end] == words


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("Fighters killed 11 people on Feb. 26 in Kessaro.", "2024-02-26"),
        ("Fighters killed 11 people on 3 May in Kessaro.", "2024-05-03"),
    ],
)
def test_day_and_month_without_a_year(text: str, date: str) -> None:
    assert counted(text)[0].date == date


def test_a_place_whose_name_begins_with_new() -> None:
    assert counted("Six people were killed in New Kessaro.")[0].place == "New Kessaro"


def test_nobody_is_not_one_victim() -> None:
    assert counted("A rocket hit an empty school in Izmara overnight and nobody was hurt, the mayor said.") == []


@pytest.mark.parametrize(
    "text",
    [
        "The deal was killed by the committee on Monday.",
        "The economy was hurt by the blockade.",
        "Lawmakers killed 3 bills and passed 2 others.",
    ],
)
def test_things_are_not_victims(text: str) -> None:
    assert counted(text) == []


def test_the_month_may_is_not_the_modal() -> None:
    (c,) = counted("The toll of the May 2 attack in Pellinor rose to 23, police said.")
    assert (c.low, c.high) == (23, 23)


def test_a_dateline_with_a_date_does_not_hide_the_figure() -> None:
    (c,) = counted("PELLINOR, May 2, 2024 - At least 12 people were killed in Pellinor on Thursday, police said.")
    assert (c.low, c.high, c.date) == (12, None, "2024-05-02")


@pytest.mark.parametrize(
    ("text", "category", "n", "group"),
    [
        ("Three journalists were among the dead, the press union said.", "killed", 3, "journalists"),
        ("Six children were among the 22 wounded, the hospital director said.", "injured", 6, "children"),
    ],
)
def test_among_the_victims_is_a_subgroup(text: str, category: str, n: int, group: str) -> None:
    part = [c for c in counted(text) if c.low == n]
    assert part and part[0].category == category and part[0].group == group and "subgroup" in part[0].flags
