"""The row writers and the figure formatting, on hand-made rows."""

from __future__ import annotations

import csv
import io
import json

import pytest

from tollcheck.model import Claim, Figure, ReportTotals
from tollcheck.render import CLAIM_FIELDS, claim_row, make_writer, report_row
from tollcheck.render.writers import CsvWriter, JsonlWriter, TableWriter, figure_text


def make_claim(**kw) -> Claim:
    base = dict(
        doc="d1.txt",
        category="killed",
        low=12,
        high=12,
        qualifier="exact",
        value=12,
        group="villagers",
        side="civilians",
        source="police",
        place="Marrow",
        date="2024-05-04",
        quote="Gunmen killed 12 villagers in Marrow, police said.",
        start=14,
        end=26,
    )
    base.update(kw)
    return Claim(**base)


def make_totals() -> ReportTotals:
    return ReportTotals("d1.txt", {"killed": Figure(12, 12, 12, by_side={"civilians": 12}, claims=[0], rule="r")})


@pytest.mark.parametrize(
    ("low", "high", "text"),
    [
        (None, None, "—"),
        (5, None, "≥5"),
        (None, 70, "≤70"),
        (12, 12, "12"),
        (20, 30, "20–30"),
        (1250, 1250, "1,250"),
        (1800, 2200, "1,800–2,200"),
        (0, 0, "0"),
        (0, None, "≥0"),
    ],
)
def test_figure_text(low: int | None, high: int | None, text: str) -> None:
    assert figure_text(low, high) == text


def test_claim_row_has_contract_fields() -> None:
    row = claim_row(make_claim(), 3)
    assert row["type"] == "claim" and row["index"] == 3
    for f in CLAIM_FIELDS:
        if f != "event":
            assert f in row
    assert "event" not in row  # left out while unset
    assert claim_row(make_claim(event="e1"), 0)["event"] == "e1"


def test_report_row() -> None:
    row = report_row(make_totals(), {"title": "Raid"})
    assert row["type"] == "report" and row["doc"] == "d1.txt" and row["title"] == "Raid"
    assert row["totals"]["killed"] == {
        "low": 12,
        "best": 12,
        "high": 12,
        "by_side": {"civilians": 12},
        "claims": [0],
        "rule": "r",
    }
    bare = report_row(ReportTotals("d2", {"injured": Figure(3, None, None)}))
    assert "by_side" not in bare["totals"]["injured"]


def test_jsonl_writer() -> None:
    out = io.StringIO()
    w = JsonlWriter(out)
    w.write(claim_row(make_claim(quote="«Dozens» died in Ñora — officials"), 0))
    w.write(report_row(make_totals()))
    w.close()
    lines = out.getvalue().splitlines()
    assert len(lines) == 2 and out.getvalue().endswith("\n")
    first, second = (json.loads(line) for line in lines)
    assert first["quote"] == "«Dozens» died in Ñora — officials"
    assert "«" in lines[0]  # not escaped
    assert (first["low"], first["high"], first["flags"]) == (12, 12, [])
    assert second["type"] == "report"


def test_csv_writer_claims_only_and_flags_joined() -> None:
    out = io.StringIO()
    w = CsvWriter(out)
    w.write(claim_row(make_claim(flags=["hedged", "subgroup"], quote='He said, "twelve".'), 0))
    w.write(report_row(make_totals()))
    w.write(claim_row(make_claim(low=5, high=None, qualifier="at_least"), 1))
    w.close()
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert len(rows) == 2
    assert rows[0]["flags"] == "hedged;subgroup"
    assert rows[0]["quote"] == 'He said, "twelve".'
    assert (rows[1]["low"], rows[1]["high"], rows[1]["qualifier"]) == ("5", "", "at_least")
    header = out.getvalue().splitlines()[0].split(",")
    assert header == [f for f in CLAIM_FIELDS if f != "type"]


def test_csv_writer_header_even_without_rows() -> None:
    out = io.StringIO()
    CsvWriter(out).close()
    assert out.getvalue().startswith("doc,category,")


@pytest.fixture
def wide(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "200")  # so Rich does not fold the cells we look for


@pytest.mark.usefixtures("wide")
def test_table_writer() -> None:
    out = io.StringIO()
    w = TableWriter(out)
    w.write(claim_row(make_claim(low=1250, high=None, flags=["hedged"]), 0))
    w.write(claim_row(make_claim(low=None, high=None, flags=["negated"], source=None), 1))
    w.write(report_row(make_totals()))
    w.write({"type": "something else"})
    w.close()
    text = out.getvalue()
    assert "≥1,250" in text
    assert "hedged" in text and "negated" in text
    assert "Marrow" in text and "police" in text
    assert "Each report's own totals" in text
    assert "civilians 12" in text


@pytest.mark.usefixtures("wide")
def test_table_writer_cuts_long_quotes() -> None:
    out = io.StringIO()
    w = TableWriter(out)
    w.write(claim_row(make_claim(quote="word " * 60 + "ENDMARK"), 0))
    w.close()
    assert "ENDMARK" not in out.getvalue()
    assert "…" in out.getvalue()


@pytest.mark.parametrize(("fmt", "cls"), [("jsonl", JsonlWriter), ("csv", CsvWriter), ("table", TableWriter)])
def test_make_writer(fmt: str, cls: type) -> None:
    assert isinstance(make_writer(fmt, io.StringIO()), cls)


def test_make_writer_unknown_format() -> None:
    with pytest.raises((KeyError, ValueError)):
        make_writer("xml", io.StringIO())
