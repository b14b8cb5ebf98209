"""Grouping and reconciliation cases the engine once got wrong, each pinned with the reading it must give."""

from __future__ import annotations

from tollcheck.api import compare_results, extract_reports
from tollcheck.extract.pipeline import extract_text
from tollcheck.model import Report


def comparison(*texts: str, published: tuple[str | None, ...] = ()):
    reports = [
        Report(id=f"r{i}.txt", text=t, published=published[i] if i < len(published) else None)
        for i, t in enumerate(texts)
    ]
    comp, errors = compare_results(extract_reports(reports))
    assert not errors
    return comp


def test_a_headlines_first_word_is_not_a_place() -> None:
    (claim,) = [c for c in extract_text("Bus bombing kills at least 12 in Khorvesh") if c.counted]
    assert claim.place == "Khorvesh"


def test_a_dateline_names_the_place() -> None:
    claims = extract_text("JARDAK - At least 11 people were killed in the shelling of the market on Sunday.")
    assert claims[0].place == "Jardak"


def test_claims_without_any_place_from_two_reports_stay_apart() -> None:
    comp = comparison(
        "Five people were killed on Monday.",
        "Forty people were killed on Monday.",
        published=("2024-03-05", "2024-03-05"),
    )
    events = {c.event for claims in comp.claims.values() for c in claims if c.counted}
    assert len(events) == 2


def test_a_rise_reported_later_is_an_update_not_a_conflict() -> None:
    comp = comparison(
        "At least 15 people were killed in a bus bombing in Oskelund on Monday, police said.",
        "The death toll from Monday's bus bombing in Oskelund rose to 17, police said.",
        published=("2024-03-04", "2024-03-06"),
    )
    (event,) = comp.events
    killed = event.totals["killed"]
    assert killed.best == 17 and not any("overlap" in c for c in killed.conflicts)


def test_a_dispute_in_a_report_repeating_a_figure_is_kept() -> None:
    comp = comparison(
        "Rebels killed 40 villagers in Trosk on Monday, the rebel council said.",
        "In Trosk, 40 villagers were killed on Monday, the rebel council said, a figure the army called exaggerated.",
        published=("2024-03-05", "2024-03-06"),
    )
    (event,) = comp.events
    assert event.totals["killed"].grade == "contested"


def test_last_week_is_the_calendar_week_before_publication() -> None:
    (claim,) = [c for c in extract_text("Nine people were killed in Ulmo last week.", "2024-11-29") if c.counted]
    assert (claim.date, claim.date_end) == ("2024-11-18", "2024-11-24")
