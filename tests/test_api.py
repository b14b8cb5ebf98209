"""The library functions behind the CLI: streaming, order, and one report's failure not costing the batch."""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import pytest

import tollcheck.extract.components as components
from tollcheck.api import ReportResult, extract, extract_reports
from tollcheck.model import IngestError, Report


def endless() -> Iterator[Report]:
    for i in itertools.count():
        yield Report(
            id=f"r{i}", text=f"Gunmen killed {i % 50 + 2} villagers in Oskela on Monday.", published="2024-01-03"
        )


def test_extract_reports_streams_an_endless_corpus() -> None:
    first = list(itertools.islice(extract_reports(endless()), 5))
    assert [r.report.id for r in first if isinstance(r, ReportResult)] == ["r0", "r1", "r2", "r3", "r4"]
    assert first[3].totals.totals["killed"].best == 5


def test_errors_keep_their_place_among_reports(tmp_path) -> None:
    good = tmp_path / "good.txt"
    good.write_text("Three police officers were wounded in Halvik, officials said.", encoding="utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    items = list(extract([str(good), str(tmp_path / "missing.txt"), str(empty), str(good)]))
    kinds = [type(i).__name__ for i in items]
    assert kinds == ["ReportResult", "IngestError", "IngestError", "ReportResult"]
    assert items[0].totals.totals["injured"].best == 3


def test_a_rule_failing_on_one_report_is_that_reports_error(monkeypatch: pytest.MonkeyPatch) -> None:
    real = components.link

    def failing_on_a_word(sent, *args):  # fault injection: the rules raise on one report only
        if "kaboom" in sent.toks:
            raise ValueError("injected")
        return real(sent, *args)

    monkeypatch.setattr(components, "link", failing_on_a_word)
    reports = [
        Report(id="a", text="Five people were killed in Dorvik."),
        Report(id="b", text="Kaboom: 7 people were killed in Dorvik."),
        Report(id="c", text="Two people were hurt in Dorvik."),
    ]
    out = list(extract_reports(reports))
    assert [getattr(o, "report", o).id if isinstance(o, ReportResult) else o.source for o in out] == ["a", "b", "c"]
    assert isinstance(out[1], IngestError) and "injected" in out[1].message
    assert out[2].totals.totals["injured"].best == 2


def test_published_is_read_from_the_text_and_used_for_dates(tmp_path) -> None:
    page = tmp_path / "dispatch.txt"
    page.write_text(
        "Blast in Merrow\nPublished 12 June 2024\n\n"
        "At least 8 people were killed in Merrow on Saturday, police said.\n",
        encoding="utf-8",
    )
    (result,) = list(extract([str(page)]))
    assert result.report.published == "2024-06-12"
    assert result.report.metadata["published_from"] == "a 'Published' line in the text"
    assert result.claims[0].date == "2024-06-08"


def test_an_updated_date_is_not_a_publication_date(tmp_path) -> None:
    page = tmp_path / "old.txt"
    page.write_text("Last Updated: 03/14/2019\n\nSome 40 villagers were killed in Trell last week.\n", encoding="utf-8")
    (result,) = list(extract([str(page)]))
    assert result.report.published is None
    assert result.report.metadata["updated"] == "2019-03-14"


def test_the_outlet_is_read_from_the_published_line(tmp_path) -> None:
    page = tmp_path / "wire.txt"
    page.write_text(
        "Blast in Merrow\nPublished 12 June 2024 | Merrow Courier\n\nNine people were killed.\n", encoding="utf-8"
    )
    (result,) = list(extract([str(page)]))
    assert (result.report.published, result.report.outlet) == ("2024-06-12", "Merrow Courier")
