"""Dates given by the input are read once, at input, into one ISO value (issue 9, item 3): "March 9, 2025"
must not sort before "2025-03-10", and the latest report's figure must be the latest by date."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tollcheck.cli import app
from tollcheck.ingest.published import date_report, iso_date
from tollcheck.model import Report


@pytest.mark.parametrize(
    ("given", "iso"),
    [
        ("2025-03-10", "2025-03-10"),
        ("2025-03", "2025-03"),
        ("2025", "2025"),
        ("2025-03-10T08:15:00Z", "2025-03-10"),
        ("2025-03-10 08:15:00+01:00", "2025-03-10"),
        ("March 9, 2025", "2025-03-09"),
        ("9 March 2025", "2025-03-09"),
        ("soon", None),
    ],
)
def test_input_dates_become_iso(given: str, iso: str | None) -> None:
    assert iso_date(given) == iso


def test_a_date_that_cannot_be_read_leaves_the_report_undated_and_says_so() -> None:
    from tollcheck.ingest import warnings_of

    dated = date_report(Report(id="r", text="Gunmen killed 4 herders.", published="the other day"))
    assert dated.published is None and dated.metadata["published_as_given"] == "the other day"
    assert any("not a date" in str(w) for w in warnings_of(dated))


def test_the_latest_report_by_date_not_by_spelling(tmp_path: Path) -> None:
    lines = [
        {"id": "early", "published": "March 9, 2025", "text": "Gunmen killed 5 people in Dorvan, police said."},
        {"id": "late", "published": "2025-03-10", "text": "Gunmen killed 7 people in Dorvan, police said."},
    ]
    path = tmp_path / "r.jsonl"
    path.write_text("".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8")
    out = CliRunner().invoke(app, ["compare", str(path), "-f", "jsonl", "--quiet"])
    assert out.exit_code == 0, out.stderr
    events = [json.loads(x) for x in out.stdout.splitlines() if json.loads(x)["type"] == "event"]
    killed = [e["totals"]["killed"] for e in events if "killed" in e["totals"]]
    assert len(killed) == 1 and killed[0]["best"] == 7
    assert {s["report"]: s["published"] for s in killed[0]["sources"]} == {"early": "2025-03-09", "late": "2025-03-10"}
