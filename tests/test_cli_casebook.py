"""The casebook commands, through Typer's test runner and as real processes (killed mid-run, run side by side).

The process tests run the real `tollcheck` command (cli.py registers the casebook commands). All reports
are invented; the large corpora come from the benchmark's templates (invented places and speakers).
"""

from __future__ import annotations

import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tollcheck.bench import make_short
from tollcheck.casebook import comparison_from_db
from tollcheck.cli import app
from tollcheck.cli import app as main_app

REPORTS = {
    "north.txt": "Published 4 March 2024\nGunmen killed 14 villagers in Ostrel on Saturday, police said. "
    "At least 20 others were wounded.\n",
    "south.txt": "Published 6 March 2024\nThe death toll from Saturday's raid on Ostrel rose to 17, "
    "the regional governor said on Tuesday.\n",
    "east.txt": "Published 6 March 2024\nA roadside bomb killed 4 soldiers near Vesk on Monday, the army said.\n",
}


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def files(tmp_path: Path) -> list[str]:
    out = []
    for name, text in REPORTS.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
        out.append(str(tmp_path / name))
    return out


def lines(out: str) -> list[dict]:
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def ok(db: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    return conn


def partial_reports(conn: sqlite3.Connection) -> int:
    """Reports stored without all their claims (there must be none)."""
    return conn.execute(
        "SELECT count(*) FROM reports r WHERE n_claims != (SELECT count(*) FROM claims c "
        "WHERE c.report_id = r.id AND c.origin = 'machine' AND c.state = 'current')"
    ).fetchone()[0]


def test_add_then_export_matches_extract(runner: CliRunner, files: list[str], tmp_path: Path) -> None:
    db = str(tmp_path / "case.db")
    first = runner.invoke(app, ["add", *files, "--db", db])
    assert first.exit_code == 0, first.output
    again = runner.invoke(app, ["add", *files, "--db", db])
    assert again.exit_code == 0 and "0 report(s) added" in again.stderr and "3 already stored" in again.stderr
    for fmt in ("jsonl", "csv"):
        exported = runner.invoke(app, ["export", "--db", db, "--format", fmt])
        extracted = runner.invoke(main_app, ["extract", *files, "--format", fmt])
        assert exported.exit_code == 0 and exported.stdout == extracted.stdout
    assert ok(Path(db)).execute("SELECT count(*) FROM reports").fetchone()[0] == 3


def test_review_commands(runner: CliRunner, files: list[str], tmp_path: Path) -> None:
    db = str(tmp_path / "case.db")
    runner.invoke(app, ["add", *files, "--db", db])
    listed = lines(
        runner.invoke(app, ["review", "list", "--db", db, "--format", "jsonl", "--category", "killed"]).stdout
    )
    assert {c["category"] for c in listed} == {"killed"} and all(c["status"] == "extracted" for c in listed)
    vesk = next(c for c in listed if c["place"] == "Vesk")
    edited = runner.invoke(
        app, ["review", "edit", str(vesk["id"]), "--low", "5", "--db", db, "--by", "mira", "--why", "army update"]
    )
    assert edited.exit_code == 0, edited.output
    assert (
        lines(runner.invoke(app, ["review", "list", "--db", db, "-f", "jsonl", "--status", "edited"]).stdout)[0]["low"]
        == 5
    )
    history = lines(runner.invoke(app, ["review", "history", str(vesk["id"]), "--db", db]).stdout)
    edit = next(h for h in history if h.get("action") == "edit")
    assert (edit["by"], edit["why"], edit["data"]["low"]) == ("mira", "army update", 5)
    exported = lines(runner.invoke(app, ["export", "--db", db]).stdout)
    assert [r["low"] for r in exported if r["type"] == "claim" and r["place"] == "Vesk"] == [5]
    events = lines(runner.invoke(app, ["review", "list", "--events", "--db", db, "-f", "jsonl"]).stdout)
    vesk_event = next(e for e in events if e["name"].startswith("Vesk"))
    assert vesk_event["totals"]["killed"]["best"] == 5
    ostrel = next(e for e in events if e["name"].startswith("Ostrel"))
    assert runner.invoke(app, ["review", "merge", ostrel["id"], vesk_event["id"], "--db", db]).exit_code == 0
    after = lines(runner.invoke(app, ["review", "list", "--events", "--db", db, "-f", "jsonl"]).stdout)
    assert len(after) == len(events) - 1
    assert next(e for e in after if e["id"] == ostrel["id"])["claims"] == ostrel["claims"] + vesk_event["claims"]
    ranked = runner.invoke(app, ["review", "rank", "police", "3", "--db", db, "--why", "morgue count"])
    assert ranked.exit_code == 0
    added = runner.invoke(app, ["review", "add-claim", files[0], "--category", "injured", "--low", "20",
                                "--at-least", "--quote", "At least 20 others were wounded.", "--db", db])  # fmt: skip
    assert added.exit_code == 0, added.output
    assert runner.invoke(app, ["review", "reject", "999", "--db", db]).exit_code == 2
    assert runner.invoke(app, ["review", "list", "--db", str(tmp_path / "nope.db")]).exit_code == 2
    reex = runner.invoke(app, ["reextract", "--db", db])
    assert reex.exit_code == 0 and "0 new claim(s), 0 gone" in reex.stderr
    comparison = comparison_from_db(db)
    assert [c.low for c in comparison.claims[files[2]] if c.category == "killed"] == [5]
    from tollcheck.render.html import render_html

    assert "Vesk" in render_html(comparison)


def _cmd(*args: str) -> list[str]:
    """The real `tollcheck` console script (next to this interpreter), else the module entry point."""
    exe = Path(sys.executable).parent / "tollcheck"
    if exe.exists():
        return [str(exe), *args]
    return [sys.executable, "-m", "tollcheck.casebook", *args]


def _corpus(path: Path, n: int, start: int = 0) -> Path:
    with path.open("w", encoding="utf-8") as fh:
        for i, r in enumerate(make_short(start + n, seed=7)):
            if i >= start:
                fh.write(json.dumps({"id": r.id, "text": r.text, "published": r.published}) + "\n")
    return path


def _stored(db: Path) -> int:
    try:
        conn = sqlite3.connect(db, timeout=10)
        n = conn.execute("SELECT count(*) FROM reports").fetchone()[0]
        conn.close()
        return int(n)
    except sqlite3.OperationalError:  # not created yet
        return 0


def test_a_killed_add_leaves_whole_reports_and_is_completed_by_running_again(tmp_path: Path) -> None:
    n = 6000
    corpus, db = _corpus(tmp_path / "corpus.jsonl", n), tmp_path / "case.db"
    proc = subprocess.Popen(_cmd("add", str(corpus), "--db", str(db)), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while _stored(db) < 300 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert proc.poll() is None, "the add finished before it could be killed: make the corpus larger"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    conn = ok(db)
    stored = conn.execute("SELECT count(*) FROM reports").fetchone()[0]
    assert 300 <= stored < n
    assert partial_reports(conn) == 0
    assert conn.execute("SELECT count(*) FROM claims").fetchone()[0] > 0
    conn.close()
    done = subprocess.run(_cmd("add", str(corpus), "--db", str(db)), capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert f"{stored} already stored" in done.stderr
    conn = ok(db)
    assert conn.execute("SELECT count(*) FROM reports").fetchone()[0] == n
    assert partial_reports(conn) == 0
    assert conn.execute("SELECT count(*) FROM dirty_places").fetchone()[0] == 0
    grouped = conn.execute("SELECT count(DISTINCT claim_id) FROM event_claims").fetchone()[0]
    assert grouped > n  # the events cover the claims of the killed run too
    conn.close()


def test_two_processes_adding_at_once_both_succeed(tmp_path: Path) -> None:
    db = tmp_path / "case.db"
    a = _corpus(tmp_path / "a.jsonl", 1500)
    b = _corpus(tmp_path / "b.jsonl", 1200, start=1500)
    again = f"{tmp_path}/./a.jsonl"  # the same file, spelled another way: its reports are the same reports
    procs = [subprocess.Popen(_cmd("add", *c, "--db", str(db)), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True) for c in ([str(a)], [again, str(b)])]  # fmt: skip
    added = 0
    for p in procs:
        _, err = p.communicate(timeout=300)
        assert p.returncode == 0, err
        added += int(re.search(r"(\d+) report\(s\) added", err).group(1))  # type: ignore[union-attr]
    assert added == 2700  # each report stored once, by one process or the other
    conn = ok(db)
    assert conn.execute("SELECT count(*) FROM reports").fetchone()[0] == 2700
    assert conn.execute("SELECT count(DISTINCT doc) FROM reports").fetchone()[0] == 2700
    assert partial_reports(conn) == 0
    assert conn.execute("SELECT count(*) FROM dirty_places").fetchone()[0] == 0


def test_add_says_the_warnings_extract_says(tmp_path: Path) -> None:
    """A report in a language not read yet is stored, and `add` says so as `extract` does."""
    text = "Des hommes armés ont tué douze villageois dans le village de Tarvos lundi, selon la police. " * 4
    path = tmp_path / "fr.txt"
    path.write_text(text, encoding="utf-8")
    done = CliRunner().invoke(main_app, ["add", str(path), "--db", str(tmp_path / "case.db"), "--quiet"])
    assert done.exit_code == 0, done.stderr
    assert "French" in done.stderr and "1 report(s) added" in done.stderr
