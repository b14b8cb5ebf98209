"""Events: place skeletons, date spans, and the grouping of all reports' claims into incidents and periods."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

import tollcheck.events.places as places_mod
from tollcheck.api import compare
from tollcheck.events import PlaceIndex, date_span, group_events, load_aliases, place_key
from tollcheck.model import Claim, Comparison, Report, claim_id

CORPORA = Path(__file__).parent / "corpora"


def _events_of(comparison: Comparison, corpus: str, *names: str) -> set[str | None]:
    """The event ids of the counted claims of the named reports (all reports of the corpus when none named)."""
    out: set[str | None] = set()
    for doc, claims in comparison.claims.items():
        path = Path(doc)
        if path.parent.name == corpus and (not names or path.name in names):
            out |= {c.event for c in claims if c.counted}
    return out


def _event(comparison: Comparison, event_id: str | None):
    return next(e for e in comparison.events if e.id == event_id)


@pytest.fixture(scope="module")
def comparison() -> Comparison:
    comp, errors = compare([str(CORPORA / name) for name in ("khorvesh", "dzhardak", "checks", "qalendar")])
    assert errors == []
    return comp


# --- place_key and PlaceIndex ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Khorvesh", "Xorvesh"),
        ("Dzhardak", "Jardak"),
        ("Qalendar", "Kalendar"),
        ("Ostrawanka", "Ostravanka"),
        ("Mirzapolye", "Mirzapolie"),
        ("Belgorra", "Belgora"),
        ("Qalendar district", "the town of Kalendar"),
    ],
)
def test_spelling_variants_share_a_skeleton(a: str, b: str) -> None:
    assert place_key(a) == place_key(b) != ""


@pytest.mark.parametrize(("a", "b"), [("Tamsel", "Sennic"), ("Belgora", "Belgrad"), ("Orvanta", "Ashtiban")])
def test_different_places_have_different_skeletons(a: str, b: str) -> None:
    assert place_key(a) != place_key(b)


def test_place_key_of_nothing_is_empty() -> None:
    assert place_key("") == ""
    assert place_key("the district of") == ""


def test_place_index_joins_near_spellings_and_keeps_others_apart() -> None:
    index = PlaceIndex()
    first = index.key("Tashkurgan")
    assert index.key("Tashkurgon") == first  # still near after the skeleton: one place
    assert index.key("Xorvesh") == index.key("Khorvesh")
    assert index.key("Belgrad") != index.key("Belgora")
    assert index.key("Arin") != index.key("Aran")  # short names must match exactly
    assert index.key(None) == "" and index.key("") == ""


def test_place_index_is_stable_whatever_comes_first() -> None:
    a, b = PlaceIndex(), PlaceIndex()
    names = ["Jardak", "Dzhardak", "Djardak", "Zhardak"]
    assert len({a.key(n) for n in names}) == 1
    assert len({b.key(n) for n in reversed(names)}) == 1


def test_alias_file_in_json_joins_names_the_skeleton_cannot(tmp_path: Path) -> None:
    assert PlaceIndex().key("Ashtiban") != PlaceIndex().key("Qalendar")
    path = tmp_path / "aliases.json"
    path.write_text('{"Ashtiban": "Qalendar", "Old Sennic": "Sennic"}', encoding="utf-8")
    aliases = load_aliases(path)
    index = PlaceIndex(aliases)
    assert index.key("Ashtiban") == index.key("Kalendar") == index.key("Qalendar")
    assert index.key("Old Sennic") == index.key("Sennic")
    assert index.key("Tamsel") != index.key("Qalendar")


@pytest.mark.parametrize("sep", [",", "\t"])
def test_alias_file_in_csv_or_tsv_form(tmp_path: Path, sep: str) -> None:
    path = tmp_path / "aliases.csv"
    path.write_text(f"# variant{sep}name\nAshtiban{sep}Qalendar\nMerekgrad{sep}Ust-Merek\n", encoding="utf-8")
    aliases = load_aliases(path)
    assert len(aliases) == 2
    index = PlaceIndex(aliases)
    assert index.key("Ashtiban") == index.key("Kalendar")
    assert index.key("Merekgrad") == index.key("Ust Merek")


# --- date_span --------------------------------------------------------------------------------------


def test_date_span_precision() -> None:
    assert date_span("2021-03-14") == (dt.date(2021, 3, 14), dt.date(2021, 3, 14))
    assert date_span("2024-02") == (dt.date(2024, 2, 1), dt.date(2024, 2, 29))
    assert date_span("2023-12") == (dt.date(2023, 12, 1), dt.date(2023, 12, 31))
    assert date_span("2019") == (dt.date(2019, 1, 1), dt.date(2019, 12, 31))
    assert date_span("2019", "2022") == (dt.date(2019, 1, 1), dt.date(2022, 12, 31))
    assert date_span("2024-11-16", "2024-11-28") == (dt.date(2024, 11, 16), dt.date(2024, 11, 28))


def test_date_span_of_nothing_or_nonsense_is_none() -> None:
    assert date_span(None) is None
    assert date_span("") is None
    assert date_span("2021-13-40") is None
    assert date_span("last week") is None


# --- group_events on the corpora ------------------------------------------------------------------


def test_one_incident_reported_by_all_outlets_is_one_event(comparison: Comparison) -> None:
    ids = _events_of(comparison, "khorvesh")
    assert len(ids) == 1 and None not in ids
    event = _event(comparison, ids.pop())
    assert event.kind == "incident"
    assert {"Khorvesh", "Xorvesh"} <= set(event.places)
    assert "Khorvesh" in event.name or "Xorvesh" in event.name
    assert event.date_start == event.date_end == "2025-06-07"  # "on Saturday" before 8 June 2025
    assert {Path(r).name for r in event.reports} == {
        "01_steppe_wire.txt",
        "02_daily_lantern.txt",
        "03_valley_post.txt",
        "04_hill_courier.txt",
        "05_radio_tessel.txt",
    }


def test_relative_and_explicit_dates_of_one_incident_meet(comparison: Comparison) -> None:
    ids = _events_of(comparison, "qalendar", "01_morning_star.txt", "02_evening_bulletin.txt")
    assert len(ids) == 1  # "on Friday" (22 November) and "last week's shooting" (a week later)
    event = _event(comparison, ids.pop())
    assert {"Qalendar", "Kalendar"} <= set(event.places)
    assert event.date_start is not None and event.date_start <= "2024-11-22"
    assert event.date_end is not None and event.date_end >= "2024-11-22"


def test_two_incidents_in_one_town_years_apart_are_two_events(comparison: Comparison) -> None:
    shelling = _events_of(comparison, "dzhardak", "01_north_gazette_2021.txt", "02_plains_herald_2021.txt")
    assert len(shelling) == 1  # Dzhardak and Jardak, 14 March 2021
    ambush = {
        c.event
        for doc, claims in comparison.claims.items()
        if Path(doc).name in ("03_plains_herald_2023.txt", "04_rights_monitor_2023.txt")
        for c in claims
        if c.counted and not c.date_end
    }
    assert len(ambush) == 1
    assert shelling.isdisjoint(ambush)
    first, second = _event(comparison, shelling.pop()), _event(comparison, ambush.pop())
    assert first.date_start == "2021-03-14" and second.date_start == "2023-04-18"
    assert first.name != second.name
    assert first.kind == second.kind == "incident"


def test_a_named_period_is_its_own_event(comparison: Comparison) -> None:
    doc = next(d for d in comparison.claims if d.endswith("03_plains_herald_2023.txt"))
    period_claims = [c for c in comparison.claims[doc] if c.date_end]
    assert [c.value for c in period_claims] == [3000]
    period = _event(comparison, period_claims[0].event)
    assert period.kind == "period"
    assert (period.date_start, period.date_end) == ("2019", "2022")
    assert "2019" in period.name and "2022" in period.name
    incident = next(c.event for c in comparison.claims[doc] if c.counted and not c.date_end)
    assert incident != period.id


def test_alias_file_joins_an_old_name_to_its_incident(tmp_path: Path) -> None:
    path = tmp_path / "aliases.json"
    path.write_text('{"Ashtiban": "Qalendar"}', encoding="utf-8")
    plain, _ = compare([str(CORPORA / "qalendar")])
    joined, _ = compare([str(CORPORA / "qalendar")], aliases=str(path))
    assert len(_events_of(plain, "qalendar")) == 2
    ids = _events_of(joined, "qalendar")
    assert len(ids) == 1
    assert "Ashtiban" in _event(joined, ids.pop()).places


def test_events_have_ids_names_places_and_date_spans(comparison: Comparison) -> None:
    ids = [e.id for e in comparison.events]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"e\d+", i) for i in ids)
    for e in comparison.events:
        assert e.name and e.places and e.claims and e.reports
        assert e.kind in ("incident", "period")
        assert e.date_start is not None and e.date_end is not None and e.date_start <= e.date_end
        assert len(set(e.claims)) == len(e.claims)


def test_every_counted_claim_has_exactly_one_event(comparison: Comparison) -> None:
    listed = [cid for e in comparison.events for cid in e.claims]
    assert len(listed) == len(set(listed))
    by_id = {e.id: e for e in comparison.events}
    for doc, claims in comparison.claims.items():
        for i, c in enumerate(claims):
            if c.counted:
                assert c.event in by_id
                assert claim_id(doc, i) in by_id[c.event].claims
                assert doc in by_id[c.event].reports
            else:
                assert c.event is None


# --- group_events on hand-built claims ------------------------------------------------------------


def _claim(doc: str, value: int, place: str | None, date: str | None = None, **kw) -> Claim:
    return Claim(doc=doc, category="killed", low=value, high=value, value=value, place=place, date=date, **kw)


def test_hand_built_grouping_rules() -> None:
    reports = [
        Report(id="a", text="", published="2020-05-03"),
        Report(id="b", text="", published="2022-08-10"),
        Report(id="c", text="", published="2022-08-12"),
        Report(id="d", text="", published="2022-08-12"),
    ]
    claims = {
        "a": [_claim("a", 5, "Merek", "2020-05-02"), _claim("a", 900, "Merek", "2018", date_end="2021")],
        "b": [_claim("b", 8, "Merek", "2022-08-09")],
        "c": [_claim("c", 9, "Mereck")],  # undated: the incident its report was published after
        "d": [_claim("d", 4, "Merek", "2022-08-10", flags=["negated"]), _claim("d", 3, "Tovil", None)],
    }
    events = group_events(reports, claims, PlaceIndex())
    ev = {e.id: e for e in events}
    a0, a1 = claims["a"]
    assert ev[a0.event].kind == "incident" and ev[a1.event].kind == "period"
    assert a0.event != a1.event
    assert claims["b"][0].event not in (a0.event, a1.event)  # the same town two years later
    assert claims["c"][0].event == claims["b"][0].event
    assert claims["d"][0].event is None  # negated: counts nothing, joins nothing
    tovil = ev[claims["d"][1].event]  # a place with no dated incident gets one
    assert tovil.places == ["Tovil"] and tovil.date_start is None
    assert len(events) == 4


# --- grouping is close to linear ------------------------------------------------------------------

TOWNS = [
    "Ardavan", "Belgora", "Chavrik", "Dzhardak", "Elmesh", "Farokand", "Gulbeyaz", "Hestavar", "Irmaklu", "Jaswant",
    "Khorvesh", "Lotvaza", "Mirzapolye", "Nurabad", "Orvanta", "Pelisar", "Qalendar", "Rostavil", "Sennic", "Tamsel",
]  # fmt: skip
VARIANTS = {"Dzhardak": "Jardak", "Khorvesh": "Xorvesh", "Qalendar": "Kalendar", "Mirzapolye": "Mirzapolie"}


def _synthetic(n: int) -> tuple[list[Report], dict[str, list[Claim]]]:
    reports, claims = [], {}
    start = dt.date(2015, 1, 1)
    for i in range(n):
        town = TOWNS[i % len(TOWNS)]
        spelled = VARIANTS.get(town, town) if i % 3 == 0 else town
        day = start + dt.timedelta(days=(i * 37) % 3000)
        doc = f"r{i}"
        reports.append(Report(id=doc, text="", published=(day + dt.timedelta(days=2)).isoformat()))
        claims[doc] = [_claim(doc, i % 40 + 1, spelled, day.isoformat()), _claim(doc, i % 7 + 1, spelled)]
    return reports, claims


def test_grouping_compares_each_distinct_place_once(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []
    real = places_mod.process.extractOne

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(places_mod.process, "extractOne", counting)
    skeletons = {place_key(t) for t in TOWNS} | {place_key(v) for v in VARIANTS.values()}
    counts = {}
    for n in (2000, 4000):
        calls.clear()
        reports, claims = _synthetic(n)
        events = group_events(reports, claims, PlaceIndex())
        counts[n] = len(calls)
        assert calls and len(calls) <= len(skeletons)
        assert all(c.event for cl in claims.values() for c in cl)
        assert len({key for e in events for key in {place_key(p) for p in e.places}}) == len(TOWNS)
    assert counts[4000] == counts[2000]  # twice the reports, no more place comparisons
