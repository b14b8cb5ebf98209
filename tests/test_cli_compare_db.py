"""`compare --db`: the comparison read back from a casebook equals the one made from the files."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from typer.testing import CliRunner

from tollcheck.cli import app

EXAMPLES = Path(__file__).parent.parent / "examples"


def events_of(output: str) -> list[dict]:
    rows = [json.loads(line) for line in output.splitlines() if line.strip()]
    return [{k: r[k] for k in ("id", "name", "places", "totals")} for r in rows if r["type"] == "event"]


def test_compare_from_the_casebook_matches_compare_from_the_files(tmp_path: Path) -> None:
    reports = tmp_path / "reports"
    shutil.copytree(EXAMPLES, reports)
    db = str(tmp_path / "case.db")
    runner = CliRunner()
    added = runner.invoke(app, ["add", str(reports), "--db", db])
    assert added.exit_code == 0, added.output
    from_files = runner.invoke(app, ["compare", str(reports), "--format", "jsonl"])
    from_db = runner.invoke(app, ["compare", "--db", db, "--format", "jsonl"])
    assert from_files.exit_code == 0 and from_db.exit_code == 0
    a, b = events_of(from_files.stdout), events_of(from_db.stdout)
    assert a and [(e["name"], e["totals"]["killed"]["best"]) for e in a if "killed" in e["totals"]] == [
        (e["name"], e["totals"]["killed"]["best"]) for e in b if "killed" in e["totals"]
    ]


def test_compare_needs_paths_or_a_casebook(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["compare"])
    assert result.exit_code == 2 and "--db" in result.stderr


def test_compare_with_a_missing_casebook_is_one_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["compare", "--db", str(tmp_path / "none.db")])
    assert result.exit_code == 2
    assert "no such casebook" in result.stderr and "Traceback" not in result.output
