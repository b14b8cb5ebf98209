"""The gazetteer and place resolution: spellings, ambiguous names settled by context, junk rejected.

Real place names are used where the gazetteer is tested (GeoNames entries); the report sentences are
written for these tests.
"""

from __future__ import annotations

import pytest

from tollcheck.events import gazetteer as gz
from tollcheck.events.places import place_key
from tollcheck.events.resolve import Resolved, clean_name, is_demonym, is_person, pattern_place, resolve_names
from tollcheck.events.units import relation


def _resolve(names: list[str | None], text: str = "", title: str | None = None):
    return resolve_names(names, text, title, place_key)


def test_spellings_and_transliterations_meet_in_one_entry() -> None:
    khojaly = {r.key for r in _resolve(["Khojaly", "Khojali", "Xocali", "Xocalı", "Khodjaly"]) if r}
    agdam = {r.key for r in _resolve(["Agdam", "Aghdam", "Ağdam"]) if r}
    assert len(khojaly) == 1 and len(agdam) == 1
    assert khojaly != agdam
    (place,) = {r.place for r in _resolve(["Xocali"]) if r}
    assert place is not None and place.country == "AZ" and place.lat is not None and place.lon is not None


@pytest.mark.parametrize(
    ("text", "country", "region"),
    [
        ("Two men were shot dead in Antioch, California, on Sunday, police in Contra Costa County said.", "US", "CA"),
        ("A building collapsed in Antioch, in Turkey's Hatay province, killing four.", "TR", None),
    ],
)
def test_an_ambiguous_name_is_settled_by_the_places_the_report_names(text: str, country: str, region: str) -> None:
    (r,) = _resolve(["Antioch"], text)
    assert r is not None and r.place is not None
    assert r.place.country == country
    if region:
        assert r.place.region == region


def test_georgia_is_the_state_beside_atlanta_and_the_country_beside_tbilisi() -> None:
    us = _resolve(["Atlanta", "Georgia"], "A gunman killed three people in Atlanta, Georgia, on Friday.")
    caucasus = _resolve(["Tbilisi", "Georgia"], "Floods killed twelve people in Tbilisi, Georgia, on Friday.")
    assert us[1] is not None and us[1].place is not None and (us[1].place.country, us[1].place.kind) == ("US", "region")
    assert caucasus[1] is not None and caucasus[1].place is not None and caucasus[1].place.country == "GE"


@pytest.mark.parametrize("junk", ["Breaking News", "Sky", "Week", "Monday", "Gulf"])
def test_junk_is_never_a_place(junk: str) -> None:
    assert clean_name(junk) is None


def test_weekdays_and_months_glued_to_a_name_are_cut() -> None:
    assert clean_name("Vancouver Friday") == "Vancouver"
    assert clean_name("Kessi's") == "Kessi"
    assert clean_name("Tuesday Dorvask March") == "Dorvask"


def test_people_and_peoples_are_not_places() -> None:
    text = "Mr Trevanik told the court that Olga Trevanik, 41, had been at home. Trevanik was arrested."
    assert is_person("Trevanik", text)
    assert not is_person("Dorvask", "Five people were killed in Dorvask on Friday.")
    assert is_demonym("Italian") and is_demonym("Yemeni") and not is_demonym("Milan") and not is_demonym("Oman")
    assert _resolve(["Trevanik", "Italian"], text) == [None, None]


def test_a_building_or_street_resolves_through_its_town() -> None:
    (r,) = _resolve(["Banstead High Street"], "A fire gutted a shop on Banstead High Street in Surrey, England.")
    assert r is not None and r.place is not None and r.place.name == "Banstead" and r.place.country == "GB"
    (n,) = _resolve(["Holm Zephyr"], "Two died at Holm Zephyr.")  # no facility word: no guess from its first word
    assert n is not None and n.place is None


@pytest.mark.parametrize(
    ("sentence", "place"),
    [
        ("Jets bombed Kessi village at dawn, killing nine.", "Kessi"),
        ("Four children died at the Varsha transit camp in western Lorvia.", "Varsha"),
        ("A car bomb exploded outside Dorn airport, killing two guards.", "Dorn"),
        ("Gunmen stormed the village of Orlo and killed six farmers.", "Orlo"),
    ],
)
def test_places_the_gazetteer_lacks_are_found_by_the_usual_patterns(sentence: str, place: str) -> None:
    assert pattern_place(sentence) == place


def test_relations_between_places() -> None:
    khojaly, askeran, baku = _resolve(["Khojaly", "Askeran", "Baku"])
    atlanta, georgia, fulton = _resolve(["Atlanta", "Georgia", "Fulton County"], "Atlanta, Fulton County, Georgia")
    (paris,) = _resolve(["Paris"], "Paris, France")
    assert relation(khojaly, khojaly) == "same"
    assert relation(khojaly, askeran) == "near"  # a few km apart
    assert relation(khojaly, baku) == "conflict"  # two areas of one country, far apart
    assert relation(atlanta, georgia) == "contains" and relation(fulton, atlanta) == "contains"
    assert relation(atlanta, paris) == "conflict"
    assert relation(None, paris) == "unknown"
    a, b = _resolve(["Dorvask", "Kessi"])
    assert relation(a, b) == "other"  # two names the gazetteer lacks
    (known,) = _resolve(["Karachi"])
    misspelt = Resolved("Karachci", None, "~karachci")  # a spelling the gazetteer does not list
    assert relation(known, misspelt) == "same" and relation(known, Resolved("Kabul Road", None, "~kabul")) == "other"
    island, town = _resolve(["Qeshm Island", "Qeshm"], "An earthquake struck Qeshm Island in Iran.")
    assert relation(island, town) == "same"
    hill, queens = _resolve(["Richmond Hill", "Queens"], "A man was shot in Richmond Hill, Queens, New York.")
    assert relation(hill, queens) == "near"


def test_the_index_is_cached_and_its_figures_are_reported() -> None:
    assert gz.index_path().exists() or gz.gazetteer() is not None
    figures = gz.bench(names=("Khojaly", "Antioch"))
    print(figures)  # memory and lookup time, read by people, not asserted as speed
    assert figures["gazetteer_built"] is False  # built once, then loaded
    assert figures["gazetteer_entries"] > 100_000 and figures["gazetteer_mb"] > 0
    assert figures["gazetteer_lookup_us"] > 0
