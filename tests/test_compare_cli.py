"""`tollcheck compare` through the command line: JSONL, CSV, panels, HTML, alias files and bad inputs."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tollcheck.cli import app

CORPORA = Path(__file__).parent / "corpora"
KHORVESH = str(CORPORA / "khorvesh")
DZHARDAK = str(CORPORA / "dzhardak")
EXE = Path(sys.executable).parent / "tollcheck"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def _lines(stdout: str) -> list[dict]:
    return [json.loads(line) for line in stdout.splitlines() if line.strip()]


@pytest.fixture(scope="module")
def jsonl() -> list[dict]:
    result = CliRunner().invoke(app, ["compare", KHORVESH, DZHARDAK, "--format", "jsonl"])
    assert result.exit_code == 0, result.stderr
    return _lines(result.stdout)


def test_jsonl_has_claims_reports_and_events(jsonl: list[dict]) -> None:
    kinds = [row["type"] for row in jsonl]
    assert set(kinds) == {"claim", "report", "event"}
    assert kinds.index("event") > max(i for i, k in enumerate(kinds) if k != "event")  # events come last
    assert kinds.count("report") == 9


def test_jsonl_claims_carry_their_event(jsonl: list[dict]) -> None:
    claims = [row for row in jsonl if row["type"] == "claim"]
    events = {row["id"] for row in jsonl if row["type"] == "event"}
    assert claims and all("event" in row for row in claims)
    assert {row["event"] for row in claims} - {None} == events
    bus = {row["event"] for row in claims if Path(row["doc"]).parent.name == "khorvesh"}
    assert len(bus) == 1


def test_jsonl_event_lines(jsonl: list[dict]) -> None:
    events = [row for row in jsonl if row["type"] == "event"]
    assert len(events) == 4  # the bus bombing, the 2021 shelling, the 2023 ambush, the 2019-2022 period
    for ev in events:
        assert {"type", "id", "name", "places", "date_start", "date_end", "totals"} <= set(ev)
        assert ev["id"] and ev["name"] and ev["places"] and ev["date_start"] and ev["date_end"]
        for fig in ev["totals"].values():
            assert {"low", "best", "high", "grade", "sources"} <= set(fig)
            assert fig["grade"] in ("single source", "corroborated", "contested")
            assert fig["sources"] and all("report" in s for s in fig["sources"])
    bus = next(ev for ev in events if "Khorvesh" in ev["places"])
    killed = bus["totals"]["killed"]
    assert (killed["low"], killed["best"], killed["high"]) == (12, 17, 17)
    assert [ev["kind"] for ev in events].count("period") == 1


def test_jsonl_report_line_of_a_copy_names_its_original(jsonl: list[dict]) -> None:
    reports = {Path(row["doc"]).name: row for row in jsonl if row["type"] == "report"}
    assert Path(reports["02_daily_lantern.txt"]["copy_of"]).name == "01_steppe_wire.txt"
    assert "copy_of" not in reports["01_steppe_wire.txt"]


def test_csv_has_the_event_column(runner: CliRunner) -> None:
    result = runner.invoke(app, ["compare", KHORVESH, "--format", "csv"])
    assert result.exit_code == 0, result.stderr
    reader = csv.DictReader(io.StringIO(result.stdout))
    assert reader.fieldnames and "event" in reader.fieldnames
    rows = list(reader)  # one row per claim; every claim of the one bus bombing is in e1
    assert rows and {r["event"] for r in rows} == {"e1"}


def test_default_output_is_one_panel_per_event(runner: CliRunner) -> None:
    jsonl = runner.invoke(app, ["compare", KHORVESH, DZHARDAK, "--format", "jsonl"])
    events = [row for row in _lines(jsonl.stdout) if row["type"] == "event"]
    result = runner.invoke(app, ["compare", KHORVESH, DZHARDAK])
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert out.count("╭") == len(events)
    for ev in events:
        assert f"{ev['id']} {ev['name']}" in out
    assert "copies of another and counted once" in out


def test_html_file_is_written(runner: CliRunner, tmp_path: Path) -> None:
    page = tmp_path / "out" / "report.html"
    result = runner.invoke(app, ["compare", KHORVESH, "--format", "jsonl", "--html", str(page)])
    assert result.exit_code == 0, result.stderr
    assert page.exists()
    name = next(row["name"] for row in _lines(result.stdout) if row["type"] == "event")
    assert name in page.read_text(encoding="utf-8")
    assert all(line.startswith("{") for line in result.stdout.splitlines() if line.strip())


def test_alias_file_joins_places(runner: CliRunner, tmp_path: Path) -> None:
    aliases = tmp_path / "aliases.csv"
    aliases.write_text("Ashtiban,Qalendar\n", encoding="utf-8")
    qalendar = str(CORPORA / "qalendar")
    plain = runner.invoke(app, ["compare", qalendar, "--format", "jsonl"])
    joined = runner.invoke(app, ["compare", qalendar, "--format", "jsonl", "--aliases", str(aliases)])
    assert plain.exit_code == joined.exit_code == 0
    assert [r["type"] for r in _lines(plain.stdout)].count("event") == 2
    assert [r["type"] for r in _lines(joined.stdout)].count("event") == 1


@pytest.mark.parametrize("content", [None, '{"Ashtiban": '])
def test_bad_alias_file_is_a_one_line_error(runner: CliRunner, tmp_path: Path, content: str | None) -> None:
    path = tmp_path / "aliases.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    result = runner.invoke(app, ["compare", KHORVESH, "--aliases", str(path)])
    assert result.exit_code != 0
    assert result.exception is None or isinstance(result.exception, SystemExit)
    err = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(err) == 1 and str(path) in err[0] and err[0].startswith("error")
    assert "Traceback" not in result.stdout + result.stderr


def test_a_missing_file_costs_only_itself(runner: CliRunner, tmp_path: Path) -> None:
    missing = str(tmp_path / "gone.txt")
    files = sorted(str(p) for p in (CORPORA / "khorvesh").glob("*.txt"))
    result = runner.invoke(app, ["compare", files[0], missing, *files[1:], "--format", "jsonl"])
    assert result.exit_code == 1
    rows = _lines(result.stdout)
    assert [r["type"] for r in rows].count("report") == len(files)
    assert [r["type"] for r in rows].count("event") == 1
    assert "gone.txt" in result.stderr and "Traceback" not in result.stderr


def test_real_process_prints_json_only(tmp_path: Path) -> None:
    missing = str(tmp_path / "gone.txt")
    page = tmp_path / "page.html"
    proc = subprocess.run(
        [str(EXE), "compare", KHORVESH, DZHARDAK, missing, "--format", "jsonl", "--html", str(page)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 1
    rows = [json.loads(line) for line in proc.stdout.splitlines()]  # every stdout line is JSON
    assert {r["type"] for r in rows} == {"claim", "report", "event"}
    assert all("event" in r for r in rows if r["type"] == "claim")
    assert "gone.txt" in proc.stderr and "Traceback" not in proc.stderr
    assert page.exists()
