"""Extraction rules, one rule per table row (in the manner of EpiTator's tests).

Every text here is invented: the places, people and events do not exist.
"""

from __future__ import annotations

import pytest

from tollcheck.extract.pipeline import extract_text
from tollcheck.model import CATEGORIES, Claim


def counted(text: str, published: str | None = None) -> list[Claim]:
    return [c for c in extract_text(text, published=published) if c.counted]


def one(text: str, published: str | None = None) -> Claim:
    claims = counted(text, published)
    assert len(claims) == 1, [(c.category, c.low, c.high, c.flags) for c in claims]
    return claims[0]


# --- categories and cue variants -----------------------------------------------------------------

CUES = [
    ("Soldiers shot dead 12 villagers in Ardmoy.", "killed", 12),
    ("The massacre of 30 farmers in Pellin shocked the region.", "killed", 30),
    ("Gunmen murdered 7 traders near Kessaro.", "killed", 7),
    ("Eleven fishermen lost their lives off Tovra.", "killed", 11),
    ("Rescuers recovered the bodies of 19 miners in Dalvik.", "killed", 19),
    ("Investigators found graves of 40 victims near Orrin.", "killed", 40),
    ("Fighters massacred 22 herders.", "killed", 22),
    ("Forty-two people died in Amsel.", "killed", 42),
    ("Nine protesters were wounded in clashes in Bellam.", "injured", 9),
    ("Shrapnel maimed six children in Corvo.", "injured", 6),
    ("Four bystanders were hurt when the grenade went off.", "injured", 4),
    ("Militiamen kidnapped 15 students from a school in Yarrow.", "abducted", 15),
    ("Two engineers were taken hostage near Mesk.", "abducted", 2),
    ("Rebels abducted 23 women in Tamsin.", "abducted", 23),
    ("Police arrested 40 demonstrators in Quell.", "detained", 40),
    ("Security forces detained 18 journalists in Birr.", "detained", 18),
    ("Thirty sailors are missing after the attack.", "missing", 30),
    ("Eight crew members remain unaccounted for.", "missing", 8),
    ("Nearly 2,000 residents fled the fighting in Olmo.", "displaced", None),
    ("Eight families were forced from their homes in Sarn.", "displaced", 8),
    ("The floods and fighting have displaced 12,000 people in Venner.", "displaced", 12000),
    ("The army reported 60 casualties in Hesk.", "casualties", 60),
]


@pytest.mark.parametrize(("text", "category", "n"), CUES)
def test_cue_category(text: str, category: str, n: int | None) -> None:
    c = one(text)
    assert c.category == category
    assert c.category in CATEGORIES
    if n is not None:
        assert (c.low, c.high, c.value) == (n, n, n)


# --- number forms ---------------------------------------------------------------------------------

NUMBER_FORMS = [
    ("Officials said 1,250 people were killed in Marrow.", 1250, 1250),
    ("Twenty-five villagers were killed in Dunst.", 25, 25),
    ("One hundred and twenty people were killed in Tull.", 120, 120),
    ("Three hundred people were killed in Tull.", 300, 300),
    ("One million people fled the region.", 1_000_000, 1_000_000),
    ("Half a million people have fled Cairnfield.", 500_000, 500_000),
    ("2.5 million people have been displaced.", 2_500_000, 2_500_000),
    ("A dozen soldiers were killed in Pell.", 12, 12),
    ("Dozens of people were killed in Harth.", 24, 99),
    ("Scores of people were wounded in Lisk.", 40, 99),
    ("Hundreds of families fled Ostrava Vale.", 200, 999),
    ("Thousands fled the town of Brenna.", 2000, 9999),
    ("A few thousand people fled Nerrin.", 2000, 9999),
    ("Tens of thousands of people fled Gorsk.", 20_000, 99_999),
]


@pytest.mark.parametrize(("text", "low", "high"), NUMBER_FORMS)
def test_number_form(text: str, low: int, high: int) -> None:
    c = one(text)
    assert (c.low, c.high) == (low, high)


@pytest.mark.parametrize(
    "text",
    [
        "Dozens of people were killed in Harth.",
        "Tens of thousands of people fled Gorsk.",
    ],
)
def test_vague_amount_has_no_stated_figure(text: str) -> None:
    c = one(text)
    assert c.value is None
    assert c.qualifier == "vague"


def test_two_vague_amounts_joined_by_or_make_one_range_spanning_both() -> None:
    c = one("A few thousand or a few hundred people were killed, depending on who you ask.")
    assert c.category == "killed"
    assert c.low is not None and c.high is not None
    assert c.low <= 300 and c.high >= 3000


# --- hedges become ranges -------------------------------------------------------------------------

FLOORS = [
    ("At least 17 people were killed in Varn.", 17),
    ("No fewer than 12 people were killed in Varn.", 12),
    ("More than 50 people were killed in Varn.", 50),
    ("Over 300 people were wounded in Varn.", 300),
    ("Well over 200 people were killed in Varn.", 200),
]


@pytest.mark.parametrize(("text", "n"), FLOORS)
def test_floor_hedge_is_open_above(text: str, n: int) -> None:
    c = one(text)
    assert (c.low, c.high, c.value) == (n, None, n)


@pytest.mark.parametrize(
    ("text", "n"),
    [
        ("Nearly 100 people were killed in Varn.", 100),
        ("Almost 40 people died in Varn.", 40),
        ("Close to 60 people died in Varn.", 60),
    ],
)
def test_nearly_is_just_below(text: str, n: int) -> None:
    c = one(text)
    assert c.high == n
    assert c.low is not None and c.low < n
    assert c.value == n


@pytest.mark.parametrize(
    ("text", "n"),
    [
        ("About 150 people were killed in Varn.", 150),
        ("Around 80 people were killed in Varn.", 80),
        ("Roughly 1,000 people fled Varn.", 1000),
        ("Some 400 people were killed in Varn.", 400),
        ("About 4 people were killed in Varn.", 4),
    ],
)
def test_approx_is_a_range_around_the_figure(text: str, n: int) -> None:
    c = one(text)
    assert c.low is not None and c.high is not None
    assert c.low <= n <= c.high
    assert c.low >= 0.75 * n and c.high <= 1.25 * n
    assert c.value == n and c.qualifier == "approx"


@pytest.mark.parametrize(
    ("text", "n"),
    [
        ("Up to 70 people were killed in Varn.", 70),
        ("As many as 45 people were killed in Varn.", 45),
    ],
)
def test_ceiling_hedge_is_open_below(text: str, n: int) -> None:
    c = one(text)
    assert (c.low, c.high) == (None, n)


@pytest.mark.parametrize(
    "text",
    [
        "Between 20 and 30 people were killed in Varn.",
        "Between twenty and thirty people were killed in Varn.",
        "20 to 30 people were killed in Varn.",
        "20-30 people were killed in Varn.",
    ],
)
def test_explicit_range(text: str) -> None:
    c = one(text)
    assert (c.low, c.high) == (20, 30)
    assert c.qualifier == "range"


# --- single victims, families, lists, subgroups, units ------------------------------------------

SINGLES = [
    ("A policeman was shot dead in Harrowgate.", "killed", 1),  # and on the security forces' side
    ("Gunmen killed a village chief in Ombel.", "killed", 1),
    ("Tomas Aldvik was killed in Rissa.", "killed", 1),
    ("Local teacher Tomas Aldvik was shot dead in Rissa.", "killed", 1),
    ("A soldier was killed in the blast.", "killed", 1),
    ("A journalist was arrested in Corr.", "detained", 1),
    ("A child was wounded by a stray bullet.", "injured", 1),
    ("A family of four was killed when a shell hit their home in Drem.", "killed", 4),
]


@pytest.mark.parametrize(("text", "category", "n"), SINGLES)
def test_single_victims(text: str, category: str, n: int) -> None:
    c = one(text)
    assert c.category == category
    assert (c.low, c.high) == (n, n)
    if "policeman" in text:
        assert c.side == "security_forces"


def test_list_of_groups_gives_one_claim_each() -> None:
    claims = counted("Gunmen killed 14 women, 9 children and 3 elderly men in Fenwick.")
    assert [(c.group, c.low) for c in claims] == [("women", 14), ("children", 9), ("elderly", 3)]
    assert all(c.category == "killed" and c.group == c.group.lower() for c in claims)
    assert len({c.statement for c in claims}) == 1
    assert not any("subgroup" in c.flags for c in claims)


@pytest.mark.parametrize(
    "text",
    [
        "40 people, including 12 children, were killed in Lorr.",
        "Forty people were killed in Lorr, including 12 children.",
    ],
)
def test_subgroup_points_at_its_whole(text: str) -> None:
    claims = extract_text(text)
    whole = [i for i, c in enumerate(claims) if c.low == 40]
    part = [c for c in claims if c.low == 12]
    assert len(whole) == 1 and len(part) == 1
    assert "subgroup" not in claims[whole[0]].flags
    assert "subgroup" in part[0].flags
    assert part[0].subgroup_of == whole[0]
    assert part[0].group == "children" and part[0].category == "killed"


@pytest.mark.parametrize(
    ("text", "unit"),
    [
        ("Eight families were forced from their homes in Sarn.", "families"),
        ("Investigators found mass graves containing 40 bodies near Orrin.", "bodies"),
        ("Twelve people were killed in Marrow.", "people"),
    ],
)
def test_unit(text: str, unit: str) -> None:
    assert one(text).unit == unit


# --- speakers -------------------------------------------------------------------------------------

SPEAKERS = [
    ("Twelve people were killed in Bronn, police said.", "police"),
    ("According to the Red Crescent, 30 people were wounded in Bronn.", "Red Crescent"),
    ("According to local officials, 30 people were wounded in Bronn.", "local officials"),
    ("Governor Ilse Marrant said that 19 people were killed in Bronn.", "Governor Ilse Marrant"),
    ("Police said that 19 people were killed in Bronn.", "Police"),
    ("Nineteen people, they say, were killed in Bronn.", "they"),
    ("Nineteen people, residents say, were killed in Bronn.", "residents"),
    ('"Eight of our workers were killed," said Pavel Ostrin.', "Pavel Ostrin"),
    ('"Eight workers were killed in the raid," Pavel Ostrin said.', "Pavel Ostrin"),
    ("Five soldiers were killed in Bronn, a military spokesman told reporters.", "military spokesman"),
]


@pytest.mark.parametrize(("text", "speaker"), SPEAKERS)
def test_speaker(text: str, speaker: str) -> None:
    source = one(text).source
    assert source is not None and speaker in source
    assert source in text


def test_no_speaker_when_none_is_named() -> None:
    assert one("Gunmen killed 7 traders near Kessaro.").source is None


# --- places ---------------------------------------------------------------------------------------

PLACES = [
    ("Six people were killed in Kessaro on Saturday.", "Kessaro"),
    ("Six people were killed in the town of Kessaro.", "Kessaro"),
    ("Troops killed 9 fishermen on nearby Kessaro on Sunday.", "Kessaro"),
    ("Shelling killed 4 people in the village of Upper Kessaro.", "Upper Kessaro"),
    ("Six people were killed near Kessaro.", "Kessaro"),
    ("Six people were killed in Kessaro's main square.", "Kessaro"),
]


@pytest.mark.parametrize(("text", "place"), PLACES)
def test_place(text: str, place: str) -> None:
    assert one(text).place == place


# --- dates, resolved against the publication date -----------------------------------------------

DATES = [
    ("Six people were killed in Kessaro on Saturday.", "2024-05-08", "2024-05-04"),
    ("Troops killed 9 fishermen on nearby Kessaro on Sunday.", "2024-05-08", "2024-05-05"),
    ("Fighters killed 11 people on Thursday in Kessaro.", "2024-05-08", "2024-05-02"),
    ("Fighters killed 11 people yesterday in Kessaro.", "2024-05-08", "2024-05-07"),
    ("Fighters killed 11 people on February 26, 2019 in Kessaro.", "2024-05-08", "2019-02-26"),
    ("Fighters killed 11 people on 26 February 2019 in Kessaro.", None, "2019-02-26"),
    ("Fighters killed 11 people on February 26 in Kessaro.", "2024-05-08", "2024-02-26"),
]


@pytest.mark.parametrize(("text", "published", "date"), DATES)
def test_date(text: str, published: str | None, date: str) -> None:
    assert one(text, published).date == date


def test_no_date_without_a_date_in_the_text() -> None:
    assert one("Six people were killed near Kessaro.", "2024-05-08").date is None


# --- negation, speculation, hedged and contested reports ---------------------------------------

NEGATED = [
    "No one was killed in the blast in Tarrow.",
    "None of the 30 passengers was hurt.",
    "There were no deaths.",
    "No casualties were reported.",
    "Not a single person was hurt.",
    "No one was injured.",
    "Nobody died in the fire.",
    "Nobody was killed.",
    "Nobody was injured, police said.",
]


@pytest.mark.parametrize("text", NEGATED)
def test_negation_gives_no_figure(text: str) -> None:
    claims = extract_text(text)
    assert not [c for c in claims if c.counted]
    for c in claims:
        assert "negated" in c.flags
        assert c.low is None and c.high is None


def test_none_of_thirty_is_not_thirty() -> None:
    claims = extract_text("None of the 30 passengers was hurt.")
    assert all(c.low != 30 and c.high != 30 for c in claims)


SPECULATION = [
    "The strike could kill hundreds of people.",
    "Officials warned that a dam collapse could kill thousands.",
    "The new offensive may displace 50,000 people.",
    "If the ceasefire fails, hundreds of people could die.",
]


@pytest.mark.parametrize("text", SPECULATION)
def test_speculation_gives_no_counted_figure(text: str) -> None:
    claims = extract_text(text)
    assert not [c for c in claims if c.counted]
    assert all(c.low is None and c.high is None for c in claims)


@pytest.mark.parametrize(
    ("text", "n"),
    [
        ("Six miners were feared killed in Gosk.", 6),
        ("Twelve people were reportedly killed in Gosk.", 12),
        ("Ten soldiers were believed killed.", 10),
        ("Twenty civilians were allegedly killed by troops.", 20),
    ],
)
def test_hedged_report_is_flagged_but_counted(text: str, n: int) -> None:
    c = one(text)
    assert "hedged" in c.flags
    assert c.low == n


@pytest.mark.parametrize(
    "text",
    [
        "The rebels disputed the claim that 40 fighters were killed.",
        "The army said 40 fighters were killed, a figure the rebels denied.",
    ],
)
def test_contested_figure_is_flagged(text: str) -> None:
    c = one(text)
    assert "contested" in c.flags and c.low == 40


def test_plain_report_has_no_flags() -> None:
    assert one("Gunmen murdered 7 traders near Kessaro.").flags == []


# --- quotes and spans -------------------------------------------------------------------------------

SPANS = [
    ("Officials said 1,250 people were killed in Marrow.", "1,250"),
    ("Twenty-five villagers were killed in Dunst.", "Twenty-five"),
    ("A dozen soldiers were killed in Pell.", "dozen"),
    ("At least 17 people were killed in Varn.", "17"),
    ("Between 20 and 30 people were killed in Varn.", "20 and 30"),
    ("A policeman was shot dead in Harrowgate.", "policeman"),
    ("A family of four was killed when a shell hit their home in Drem.", "four"),
    ("Intro paragraph about the weather.\n\nLater, 8 guards were shot dead in Bronn, police said.", "8"),
    ("The meeting was short. Gunmen killed 14 women in Fenwick. Roads were closed.", "14"),
]


@pytest.mark.parametrize(("text", "figure"), SPANS)
def test_quote_and_span(text: str, figure: str) -> None:
    c = one(text)
    assert c.quote in text and figure in c.quote
    assert text[c.sentence_start : c.sentence_end] == c.quote
    assert figure in text[c.start : c.end]
    assert c.sentence_start <= c.start <= c.end <= c.sentence_end


def test_quote_is_the_sentence_not_the_document() -> None:
    text = "The meeting was short. Gunmen killed 14 women in Fenwick. Roads were closed."
    assert one(text).quote == "Gunmen killed 14 women in Fenwick."


def test_long_sentence_quote_is_cut_but_keeps_the_figure() -> None:
    text = "The " + " and the ".join(["long convoy of trucks"] * 60) + " was hit, and 14 people were killed in Orrin."
    c = one(text)
    assert len(c.quote) <= 600 and c.quote in text
    assert "14 people" in c.quote and text[c.start : c.end] == "14 people"


# --- noisy text: OCR and web boilerplate ----------------------------------------------------------


def test_run_together_at_least() -> None:
    text = "Officials said atleast 200 people were killed in Morvane."
    c = one(text)
    assert (c.low, c.high, c.qualifier) == (200, None, "at_least")
    assert "atleast 200" in c.quote
    assert text[c.start : c.end].startswith("atleast")


def test_split_thousands_group() -> None:
    text = "Officials said 1, 700 people fled Morvane."
    c = one(text)
    assert (c.category, c.low, c.high) == ("displaced", 1700, 1700)
    assert "1, 700" in c.quote and "1, 700" in text[c.start : c.end]


def test_split_thousands_group_with_hedge() -> None:
    c = one("Some 2, 500 people fled the fighting in Morvane.")
    assert c.value == 2500 and c.low is not None and c.low <= 2500 <= (c.high or 0)


@pytest.mark.parametrize(
    "text",
    [
        "Loading...\nREAD MORE: Five things to know about the Morvane talks\nShare this article",
        "Loading...\nREAD MORE: 20 killed in earlier raid on Dask market",
    ],
)
def test_boilerplate_lines_give_no_claims(text: str) -> None:
    assert extract_text(text) == []


def test_boilerplate_after_a_story_is_ignored() -> None:
    text = "Gunmen killed 8 people in Dask.\nLoading...\nREAD MORE: 20 killed in earlier raid on Dask market"
    claims = extract_text(text)
    assert [(c.category, c.low) for c in claims] == [("killed", 8)]


def test_doc_id_is_carried() -> None:
    c = extract_text("Gunmen killed 8 people in Dask.", doc_id="wire-17")[0]
    assert c.doc == "wire-17"
