"""Grouping with place, date and text evidence: incident dates, follow-up coverage, place-less claims,
undated reports, similar events kept apart, nested places. All reports are invented for these tests
(invented towns, and real ones where the gazetteer is the point)."""

from __future__ import annotations

import datetime as dt

import pytest
from test_compare_regressions import comparison as compare

from tollcheck.events.incident import is_followup, relative_incident
from tollcheck.model import Comparison


def events_of(comp: Comparison, doc: str) -> set[str | None]:
    return {c.event for c in comp.claims[doc] if c.counted}


def assert_two_events(comp: Comparison, first: list[str], second: list[str]) -> None:
    """The reports of `first` share one event, those of `second` another one."""
    a, b = events_of(comp, first[0]), events_of(comp, second[0])
    assert a.isdisjoint(b)
    assert all(events_of(comp, d) == a for d in first) and all(events_of(comp, d) == b for d in second)


# --- incident dates in the text ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "published", "start", "end"),
    [
        ("Mourners gathered after Friday's massacre in Orlo.", "2024-03-11", "2024-03-08", "2024-03-08"),
        ("Police named a suspect in last week's bombing.", "2024-03-11", "2024-02-27", "2024-03-10"),
        ("Survivors of the 13 August attack met the governor.", "2024-09-02", "2024-08-13", "2024-08-13"),
        ("Survivors of the August 13 attack met the governor.", "2024-03-01", "2023-08-13", "2023-08-13"),
        ("Funerals were held after yesterday's blast.", "2024-05-02", "2024-05-01", "2024-05-01"),
        ("The man who shot six worshippers last August was convicted.", "2025-02-21", "2024-08-01", "2024-08-31"),
    ],
)
def test_relative_incident_dates(text: str, published: str, start: str, end: str) -> None:
    span = relative_incident(text, dt.date.fromisoformat(published))
    assert span == (dt.date.fromisoformat(start), dt.date.fromisoformat(end))


def test_no_incident_phrase_no_date() -> None:
    assert relative_incident("The council met on Friday to discuss the budget.", dt.date(2024, 3, 11)) is None
    assert relative_incident("Mourners gathered after Friday's massacre.", None) is None


def test_follow_up_coverage_is_told_by_its_lead() -> None:
    assert is_followup("Dorvask gunman sentenced\n\nA jury convicted the man who killed six people in Dorvask.")
    assert is_followup("Ten years on, survivors mark the anniversary of the Orlo massacre at a memorial.")
    assert not is_followup("Gunmen killed six people in Dorvask on Friday, police said.")


# --- grouping on invented reports -------------------------------------------------------------------

DORVASK = (
    "Gunmen killed six worshippers at the Saint Ilya chapel in Dorvask on 13 August, police said. "
    "Nine others were wounded in the shooting at the chapel.",
    "Six worshippers were shot dead in Dorvask when gunmen opened fire inside the Saint Ilya chapel "
    "on Tuesday, the regional governor said.",
)


def test_killed_and_injured_of_one_sentence_share_an_event() -> None:
    comp = compare("A bomb in a market in Velsk killed 12 people and wounded 40 on Monday, police said.")
    assert len(events_of(comp, "r0.txt")) == 1


def test_claims_without_a_place_join_their_reports_main_event() -> None:
    comp = compare(
        "Gunmen killed six farmers in Kessi village on Monday, officials said. "
        "Four more people were later found dead. Two others were missing.",
        published=("2024-06-05",),
    )
    assert len(events_of(comp, "r0.txt")) == 1


def test_follow_up_coverage_joins_the_incident_not_its_own_date() -> None:
    trial = (
        "Dorvask chapel gunman convicted\n\nA jury on Thursday convicted the man charged over the 13 August attack "
        "on the Saint Ilya chapel in Dorvask, in which six worshippers were killed and nine wounded. "
        "He will be sentenced next month, prosecutors said."
    )
    comp = compare(*DORVASK, trial, published=("2024-08-14", "2024-08-14", "2025-02-20"))
    incident = events_of(comp, "r0.txt")
    assert len(incident) == 1
    assert events_of(comp, "r1.txt") == incident
    assert events_of(comp, "r2.txt") == incident


def test_a_trials_own_day_does_not_date_the_incident() -> None:
    trial = (
        "Dorvask chapel gunman convicted\n\nA jury on Thursday convicted the man who shot dead six worshippers at "
        "the Saint Ilya chapel in Dorvask last August. He will be sentenced next month, prosecutors said."
    )
    comp = compare(*DORVASK, trial, published=("2024-08-14", "2024-08-14", "2025-02-21"))
    assert events_of(comp, "r2.txt") == events_of(comp, "r0.txt")


def test_similar_events_in_different_places_stay_apart() -> None:
    comp = compare(
        "A fire destroyed a supermarket in Velsk on Saturday night. Two firefighters were injured, police said.",
        "Firefighters fought through the night as the Velsk supermarket burned. Two firefighters were hurt.",
        "A fire destroyed a supermarket in Orravan on Saturday night. Two firefighters were injured, police said.",
        published=("2024-02-04", "2024-02-04", "2024-02-04"),
    )
    assert_two_events(comp, ["r0.txt", "r1.txt"], ["r2.txt"])


def test_one_place_years_apart_are_two_events() -> None:
    quake = "An earthquake struck Qeshm island on {d}, killing {n} people and injuring {m}, officials said."
    comp = compare(
        quake.format(d="10 November 2005", n=12, m=40),
        quake.format(d="10 November 2005", n=13, m=40),
        quake.format(d="14 April 2008", n=3, m=20),
        published=("2005-11-11", "2005-11-12", "2008-04-15"),
    )
    assert_two_events(comp, ["r0.txt", "r1.txt"], ["r2.txt"])


def test_an_undated_report_joins_the_event_its_text_is_about_not_the_largest() -> None:
    big = "Shelling killed {n} civilians in the old market of Tarvik on 3 May 2021, the local council said."
    comp = compare(
        big.format(n=20),
        big.format(n=21),
        big.format(n=22),
        "A truck bomb outside the Tarvik grain depot killed 7 dock workers on 9 September 2023, officials said.",
        "The Tarvik grain depot truck bomb killed seven dock workers, the port authority said, as cranes stood idle.",
        published=("2021-05-04", "2021-05-04", "2021-05-05", "2023-09-10", None),
    )
    assert_two_events(comp, ["r0.txt", "r1.txt", "r2.txt"], ["r3.txt", "r4.txt"])


def test_place_less_reports_join_by_their_text() -> None:
    comp = compare(
        "Gunmen in two pickup trucks attacked a wedding party in Ombari on Saturday, killing eleven guests, "
        "including the bride's father, and wounding the groom, police said.",
        "Eleven wedding guests, among them the bride's father, were killed when gunmen in pickup trucks fired on "
        "the celebration; the groom was wounded, relatives said.",
        published=("2024-07-07", "2024-07-08"),
    )
    assert events_of(comp, "r1.txt") == events_of(comp, "r0.txt")


def test_a_place_inside_another_is_one_event() -> None:
    comp = compare(
        "A gunman killed four people at a courthouse in Atlanta on 11 March 2005, police said.",
        "Four people were killed in the Fulton County courthouse shooting in Georgia on 11 March 2005.",
        published=("2005-03-12", "2005-03-12"),
    )
    assert events_of(comp, "r1.txt") == events_of(comp, "r0.txt")


def test_spellings_meet_through_the_gazetteer() -> None:
    comp = compare(
        "Forces killed 200 civilians in Khojaly on 26 February 1992, witnesses said.",
        "The massacre in Xocali on 26 February 1992 killed at least 200 civilians, officials said.",
    )
    (event,) = comp.events
    assert event.geo and event.geo[0]["country"] == "AZ"
    claim = comp.claims["r1.txt"][0]
    assert claim.place_id == event.geo[0]["id"] and claim.lat is not None


def test_a_toll_rising_from_one_source_is_an_update_not_a_conflict() -> None:
    comp = compare(
        "Floods killed 12 people in Velsk, the health ministry said.",
        "The health ministry said 15 people had died in the Velsk floods.",
        "Floods in Velsk have killed 19 people, the health ministry said.",
        published=("2024-04-01", "2024-04-02", "2024-04-03"),
    )
    (event,) = comp.events
    killed = event.totals["killed"]
    assert killed.best == 19
    assert killed.conflicts == [] and killed.grade != "contested"


def test_each_event_says_what_joined_its_reports() -> None:
    comp = compare(
        "A car bomb killed nine people at the bus station in Warenko on Monday, police said.",
        "Nine people died when a car bomb exploded at the Varenko bus station on Monday, officials said.",
        published=("2024-03-05", "2024-03-06"),
    )
    (event,) = comp.events
    (join,) = event.evidence
    assert join["place"] == "same" and join["alias"] is True and join["dates"] == "meet"
    assert join["same_figure"] is True and 0 < join["similarity"] <= 1
    assert event.to_dict()["evidence"] == event.evidence


def _texts() -> list[str]:
    """Short reports written here, with repeated words, accents, digits and a text of stop words only."""
    places = ["Varenko", "Dolmar", "Kessi", "Lorvia", "Qeshm"]
    verbs = ["bombing", "shelling", "ambush", "raid"]
    out = [
        f"A {verbs[i % 4]} in {places[i % 5]} killed {i + 3} people; the {verbs[(i + 1) % 4]} near "
        f"{places[(i * 3) % 5]} market wounded more. Witnesses in {places[i % 5]} said the café burned."
        for i in range(40)
    ]
    return out + ["", "and the of", "Zoë's naïve Ünïcode report from Xocalı, Xocalı again"]


def test_tfidf_gives_scikit_learns_floats_in_its_order() -> None:
    import numpy as np
    from scipy import sparse
    from sklearn.feature_extraction.text import TfidfVectorizer

    from tollcheck.events.tfidf import TOKEN, scale_rows, stop_words, tfidf

    texts = _texts()
    ours = tfidf(texts)
    vec = TfidfVectorizer(sublinear_tf=True, stop_words=sorted(stop_words()), token_pattern=TOKEN.pattern)
    theirs = vec.fit_transform(texts).tocsr()
    assert ours is not None and ours.shape == theirs.shape
    assert ours.indptr.tolist() == theirs.indptr.tolist()
    assert ours.indices.tolist() == theirs.indices.tolist()
    assert ours.data.tolist() == theirs.data.tolist()
    assert tfidf(["the and", "of"]) is None
    factors = np.linspace(0.2, 1.0, len(texts))  # rows scaled as a diagonal matrix's product scales them
    scaled, product = scale_rows(ours, factors), (sparse.diags(factors) @ theirs).tocsr()
    assert scaled.indices.tolist() == product.indices.tolist()
    assert scaled.data.tolist() == product.data.tolist()


def test_english_stop_words_are_scikit_learns() -> None:
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    from tollcheck.events.tfidf import stop_words

    assert ENGLISH_STOP_WORDS <= stop_words()


def test_grouping_imports_neither_scikit_learn_nor_scipy() -> None:
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from tollcheck.events import group_events\n"
        "from tollcheck.model import Claim, Report\n"
        f"texts = {_texts()[:12]!r}\n"
        "reports = [Report(id=f'r{i}', text=t, published='2024-03-18') for i, t in enumerate(texts)]\n"
        "claims = {r.id: [Claim(doc=r.id, category='killed', low=3, high=3, value=3, quote=r.text)] for r in reports}\n"
        "assert group_events(reports, claims)\n"
        "print(sorted(n for n in sys.modules if n.split('.')[0] in ('sklearn', 'scipy')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_text_neighbours_are_the_same_from_dense_and_sparse_products(monkeypatch: pytest.MonkeyPatch) -> None:
    from tollcheck.events import cluster
    from tollcheck.events.tfidf import tfidf

    def word(i: int) -> str:  # a made-up name per report, so that no two texts are alike
        return "".join("bcdfghklmnprstvz"[int(d)] for d in f"{i:03d}") + "ova"

    texts = [f"{word(i)} {t} {word(i + 1)}" for i, t in enumerate(_texts()[:40])]
    matrix = tfidf(texts)
    assert matrix is not None

    def neighbours() -> dict[int, list[float]]:
        best: dict[int, list[float]] = {}
        for lows, highs, cosines in cluster._neighbours(matrix, len(texts)):
            for lo, hi, cos in zip(lows, highs, cosines, strict=True):
                best.setdefault(lo, []).append(cos)
                best.setdefault(hi, []).append(cos)
        return {i: sorted(v) for i, v in best.items()}

    dense = neighbours()
    monkeypatch.setattr(cluster, "DENSE_CELLS", 0)
    monkeypatch.setattr(cluster, "CHUNK", 7)  # several chunks, worked in threads
    sparse = neighbours()
    assert sparse.keys() == dense.keys()
    assert all(sparse[i] == pytest.approx(dense[i], abs=1e-5) for i in dense)
    assert all(len(v) >= cluster.NEIGHBOURS for v in dense.values())
