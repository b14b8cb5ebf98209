"""Reconcile: low / best / high per event and category, sources, copies, grades, conflicts and warnings."""

from __future__ import annotations

from pathlib import Path

import pytest

from tollcheck.api import compare
from tollcheck.model import Claim, Comparison, Event, EventFigure, Report, claim_id
from tollcheck.reconcile import reconcile, subgroup_warnings

CORPORA = Path(__file__).parent / "corpora"


def _c(value: int | None, source: str | None = None, category: str = "killed", **kw) -> Claim:
    """A claim of an exact figure (value None with low/high given for vague or open-ended ones)."""
    low, high = kw.pop("low", value), kw.pop("high", value)
    return Claim(doc="", category=category, low=low, high=high, value=value, source=source, place="Merek", **kw)


def _event(
    docs: dict[str, tuple[str | None, list[Claim]]], copies: dict[str, str] | None = None
) -> tuple[Event, dict[str, list[Claim]]]:
    """An event holding every claim of the given reports ({doc: (published, claims)}), reconciled."""
    claims = {doc: cl for doc, (_, cl) in docs.items()}
    for doc, cl in claims.items():
        for c in cl:
            c.doc = doc
    reports = {doc: Report(id=doc, text="", published=pub, outlet=f"{doc} news") for doc, (pub, _) in docs.items()}
    event = Event("e1", "Merek attack", "incident", ["Merek"], "2024-01-01", "2024-01-01")
    event.claims = [claim_id(doc, i) for doc, cl in claims.items() for i in range(len(cl))]
    event.reports = list(claims)
    return reconcile(event, claims, reports, copies or {}), claims


def _covers(fig: EventFigure) -> None:
    """low..high covers every figure any (non-partial) source gives."""
    for s in fig.sources:
        if "partial" in s.flags:
            continue
        own = s.best if s.best is not None else s.low
        assert own is not None and fig.low is not None and fig.low <= own, (fig, s)
        top = s.high if s.high is not None else own
        assert fig.high is not None and top <= fig.high, (fig, s)


# --- hand-built claims ----------------------------------------------------------------------------


def test_range_covers_all_sources_and_best_is_the_latest_report() -> None:
    event, _ = _event(
        {
            "a": ("2025-06-08", [_c(None, "police", qualifier="at_least", low=12, high=None)]),
            "b": ("2025-06-09", [_c(15, "health ministry")]),
            "c": ("2025-06-11", [_c(17, "doctors", flags=["superseding"])]),
        }
    )
    fig = event.totals["killed"]
    _covers(fig)
    assert (fig.low, fig.best, fig.high) == (12, 17, 17)
    assert "latest report" in fig.rule and "17" in fig.rule
    assert len(fig.sources) == 3


def test_without_publication_dates_best_is_the_most_conservative_figure() -> None:
    event, _ = _event({"a": (None, [_c(20, "army")]), "b": (None, [_c(14, "rebels")]), "c": (None, [_c(16, "ngo")])})
    fig = event.totals["killed"]
    assert (fig.low, fig.best, fig.high) == (14, 14, 20)
    assert "most conservative" in fig.rule
    _covers(fig)


def test_vague_amounts_bound_the_range_but_never_become_best() -> None:
    event, _ = _event({"a": ("2024-03-01", [_c(None, "witnesses", qualifier="vague", low=24, high=None)])})
    fig = event.totals["killed"]
    assert fig.best is None and fig.low == 24
    assert fig.rule.startswith("no best")

    event, _ = _event(
        {
            "a": ("2024-03-01", [_c(15, "police")]),
            "b": ("2024-03-04", [_c(None, "witnesses", qualifier="vague", low=24, high=None)]),
        }
    )
    fig = event.totals["killed"]
    assert fig.best == 15  # the later report's "dozens" is no count
    assert fig.low == 15


def test_a_copy_counts_once() -> None:
    event, _ = _event(
        {
            "wire": ("2025-06-08", [_c(12, "police")]),
            "reprint": ("2025-06-08", [_c(12, "police")]),
            "other": ("2025-06-09", [_c(12, "mayor")]),
        },
        copies={"reprint": "wire"},
    )
    fig = event.totals["killed"]
    assert [s.report for s in fig.sources].count("reprint") == 0
    wire = next(s for s in fig.sources if s.report == "wire")
    assert wire.copies == ["reprint"]
    assert len(fig.sources) == 2


def test_a_copy_alone_is_a_single_source() -> None:
    event, _ = _event(
        {"wire": ("2025-06-08", [_c(12, "police")]), "reprint": ("2025-06-08", [_c(12, "police")])},
        copies={"reprint": "wire"},
    )
    fig = event.totals["killed"]
    assert len(fig.sources) == 1 and fig.grade == "single source"


def test_a_figure_quoted_again_from_the_same_speaker_is_one_source() -> None:
    event, _ = _event(
        {
            "first": ("2025-06-09", [_c(15, "health ministry")]),
            "later": ("2025-06-10", [_c(15, "Health Ministry")]),
        }
    )
    fig = event.totals["killed"]
    assert len(fig.sources) == 1
    assert fig.sources[0].report == "first" and fig.sources[0].copies == ["later"]
    assert fig.grade == "single source"  # a quote of the same ministry does not corroborate it


def test_grades() -> None:
    single, _ = _event({"a": ("2024-01-02", [_c(7, "police")])})
    assert single.totals["killed"].grade == "single source"
    agreeing, _ = _event({"a": ("2024-01-02", [_c(7, "police")]), "b": ("2024-01-03", [_c(7, "hospital")])})
    assert agreeing.totals["killed"].grade == "corroborated"
    assert agreeing.totals["killed"].conflicts == []
    apart, _ = _event({"a": ("2021-03-15", [_c(9, "governor")]), "b": ("2021-03-16", [_c(20, "volunteers")])})
    fig = apart.totals["killed"]
    assert fig.grade == "contested"
    assert len(fig.conflicts) == 1 and "9" in fig.conflicts[0] and "20" in fig.conflicts[0]
    assert "a news" in fig.conflicts[0] and "b news" in fig.conflicts[0]


def test_open_ended_figures_overlap_higher_ones() -> None:
    event, _ = _event(
        {
            "a": ("2021-03-15", [_c(None, "volunteers", qualifier="at_least", low=11, high=None)]),
            "b": ("2021-03-16", [_c(14, "hospital")]),
        }
    )
    fig = event.totals["killed"]
    assert fig.conflicts == [] and fig.grade == "corroborated"
    assert (fig.low, fig.best, fig.high) == (11, 14, 14)


def test_a_disputed_figure_is_contested_even_when_figures_agree() -> None:
    event, _ = _event(
        {"a": ("2023-04-20", [_c(6, "defence ministry")]), "b": ("2023-04-22", [_c(6, "army", flags=["contested"])])}
    )
    fig = event.totals["killed"]
    assert fig.grade == "contested"
    assert any("disputes" in c and "b news" in c for c in fig.conflicts)


def test_subgroups_above_their_total_are_a_warning() -> None:
    total = _c(20, "official", group="villagers")
    women = _c(14, "official", group="women", flags=["subgroup"], subgroup_of=0)
    children = _c(11, "official", group="children", flags=["subgroup"], subgroup_of=0)
    event, _ = _event({"a": ("2024-02-02", [total, women, children])})
    assert any("subgroups" in w and "14 women" in w and "11 children" in w for w in event.warnings)
    assert event.totals["killed"].best == 20  # warned about, not silently changed
    fine = [_c(20, group="villagers"), _c(4, group="women", flags=["subgroup"], subgroup_of=0)]
    assert subgroup_warnings("b", fine) == []


def test_missing_above_captured_is_a_warning() -> None:
    event, _ = _event(
        {"a": ("2024-05-14", [_c(8, "elders", category="abducted"), _c(30, "elders", category="missing")])}
    )
    assert "missing (30) above captured (8)" in event.warnings
    fine, _ = _event({"a": ("2024-05-14", [_c(8, "elders", category="abducted"), _c(3, "elders", category="missing")])})
    assert fine.warnings == []


def test_a_falling_total_is_a_warning_unless_a_correction_is_noted() -> None:
    fell, _ = _event(
        {
            "a": ("2024-09-03", [_c(40, "governor", quote="Forty people were killed, the governor said.")]),
            "b": ("2024-09-06", [_c(25, "governor", quote="Twenty-five people were killed, the governor said.")]),
        }
    )
    assert any("fell from 40" in w and "to 25" in w and "no correction" in w for w in fell.warnings)
    revised, _ = _event(
        {
            "a": ("2024-10-10", [_c(30, "fire service", quote="Thirty people were killed.")]),
            "b": ("2024-10-13", [_c(22, "fire service", quote="The toll was revised to 22, the fire service said.")]),
        }
    )
    assert not any("fell" in w for w in revised.warnings)
    assert revised.totals["killed"].best == 22


# --- the corpora ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def comparison() -> Comparison:
    comp, errors = compare([str(CORPORA / name) for name in ("khorvesh", "dzhardak", "checks", "qalendar")])
    assert errors == []
    return comp


def _event_of(comp: Comparison, filename: str, category: str = "killed") -> Event:
    doc = next(d for d in comp.claims if Path(d).name == filename)
    eid = next(c.event for c in comp.claims[doc] if c.counted and c.category == category and not c.date_end)
    return next(e for e in comp.events if e.id == eid)


def test_every_event_range_covers_its_sources(comparison: Comparison) -> None:
    for event in comparison.events:
        for fig in event.totals.values():
            _covers(fig)
            assert fig.best is None or fig.low <= fig.best <= fig.high


def test_khorvesh_range_best_and_copies(comparison: Comparison) -> None:
    fig = _event_of(comparison, "05_radio_tessel.txt").totals["killed"]
    assert (fig.low, fig.best, fig.high) == (12, 17, 17)  # "at least 12", 15, "the toll rose to 17"
    assert "latest report" in fig.rule
    reports = {Path(s.report).name for s in fig.sources}
    assert "02_daily_lantern.txt" not in reports  # the wire story's verbatim copy counts once
    wire = [s for s in fig.sources if Path(s.report).name == "01_steppe_wire.txt"]
    assert wire and any(Path(c).name == "02_daily_lantern.txt" for s in wire for c in s.copies)
    copy = next(d for d in comparison.copies if Path(d).name == "02_daily_lantern.txt")
    assert Path(comparison.copies[copy]).name == "01_steppe_wire.txt"


def test_khorvesh_ministry_figure_quoted_again_is_one_source(comparison: Comparison) -> None:
    fig = _event_of(comparison, "05_radio_tessel.txt").totals["killed"]
    ministry = [s for s in fig.sources if "health ministry" in [x.lower() for x in s.speakers]]
    assert len(ministry) == 1
    assert Path(ministry[0].report).name == "03_valley_post.txt"
    assert [Path(c).name for c in ministry[0].copies] == ["04_hill_courier.txt"]
    assert "04_hill_courier.txt" not in {Path(s.report).name for s in fig.sources}


def test_corroborated_and_single_source_in_the_corpora(comparison: Comparison) -> None:
    qalendar = _event_of(comparison, "01_morning_star.txt").totals["killed"]
    assert (qalendar.low, qalendar.best, qalendar.high, qalendar.grade) == (7, 7, 7, "corroborated")
    period = next(e for e in comparison.events if e.kind == "period")
    assert period.totals["killed"].grade == "single source"
    assert period.totals["killed"].low == 3000


def test_contested_in_the_corpora(comparison: Comparison) -> None:
    ambush = _event_of(comparison, "04_rights_monitor_2023.txt").totals["killed"]
    assert ambush.grade == "contested"
    assert (ambush.low, ambush.high) == (6, 40)
    assert any("disputes" in c for c in ambush.conflicts)  # "the rebels' figure is exaggerated"
    assert any("6 from" in c and "40 from" in c and "do not overlap" in c for c in ambush.conflicts)


def test_corpus_warnings(comparison: Comparison) -> None:
    tamsel = _event_of(comparison, "01_tamsel_raid.txt")
    assert any("14 women + 11 children" in w and "20 villagers" in w for w in tamsel.warnings)
    orvanta = _event_of(comparison, "02_orvanta_abductions.txt", "missing")
    assert "missing (30) above captured (8)" in orvanta.warnings
    belgora = _event_of(comparison, "04_belgora_later.txt")
    assert any("fell from 40" in w and "to 25" in w for w in belgora.warnings)
    assert belgora.totals["killed"].best == 25
    sennic = _event_of(comparison, "06_sennic_revised.txt")  # "revised to 22 after some were counted twice"
    assert not any("fell" in w for w in sennic.warnings)
    assert sennic.totals["killed"].best == 22
    quiet = [_event_of(comparison, "01_morning_star.txt"), _event_of(comparison, "01_north_gazette_2021.txt")]
    assert all(e.warnings == [] for e in quiet)
