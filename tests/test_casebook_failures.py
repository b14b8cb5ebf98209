"""The casebook under failure (issue 12, items 7, 13 and 14): a full disk during `add` and `review`, a
casebook that cannot be written, standard output on a full disk, another application's SQLite file, no
stray backup for a new casebook, and the progress bar's estimate of time left. All reports are invented.
"""

from __future__ import annotations

import hashlib
import io
import json
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from typer.testing import CliRunner

import tollcheck.casebook as casebook
from tollcheck.casebook import schema
from tollcheck.cli import app
from tollcheck.cli.casebook_support import InputWork, _input_size
from tollcheck.ingest.progress import Progress, time_left
from tollcheck.model import Report

PLACES = ["Ostrel", "Vesk", "Marrow", "Quessa", "Tarvik", "Pellinor", "Ombrel", "Kelmar"]


def corpus(path: Path, n: int) -> str:
    with path.open("w", encoding="utf-8") as fh:
        for i in range(n):
            place = PLACES[i % len(PLACES)]
            text = f"Gunmen killed {i % 40 + 2} villagers in {place} on Sunday, police said. "
            text += f"At least {i % 9 + 3} others were wounded. " + "Witnesses described the attack. " * 20
            fh.write(json.dumps({"id": f"r{i}", "text": text, "published": "2024-06-03"}) + "\n")
    return str(path)


def whole(db: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    partial = conn.execute(
        "SELECT count(*) FROM reports r WHERE n_claims != (SELECT count(*) FROM claims c "
        "WHERE c.report_id = r.id AND c.origin = 'machine' AND c.state = 'current')"
    ).fetchone()[0]
    assert partial == 0
    return conn


def full_after(monkeypatch: pytest.MonkeyPatch, pages: int) -> None:
    """Casebooks opened from now on can grow by `pages` pages only: SQLite then fails as on a full disk."""
    real = casebook.open_casebook

    def opened(path: Any, *args: Any, **kwargs: Any) -> sqlite3.Connection:
        conn = real(path, *args, **kwargs)
        size = conn.execute("PRAGMA page_count").fetchone()[0]
        conn.execute(f"PRAGMA max_page_count = {size + pages}")
        return conn

    monkeypatch.setattr(casebook, "open_casebook", opened)


def one_line_error(result: Any, *words: str) -> str:
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1, result.stderr
    for word in words:
        assert word in errors[0], errors[0]
    return errors[0]


def stored(tmp_path: Path, n: int) -> Path:
    """A casebook of `n` reports, added by the command."""
    db = tmp_path / "case.db"
    assert CliRunner().invoke(app, ["add", corpus(tmp_path / "first.jsonl", n), "--db", str(db)]).exit_code == 0
    return db


def test_a_full_disk_during_add_and_review_is_one_line_and_the_casebook_stays_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db, runner = stored(tmp_path, 3), CliRunner()
    full_after(monkeypatch, 4)
    result = runner.invoke(app, ["add", corpus(tmp_path / "more.jsonl", 400), "--db", str(db)])
    assert result.exit_code == 1
    one_line_error(result, "disk is full", "stays consistent")
    conn = whole(db)
    assert conn.execute("SELECT count(*) FROM reports").fetchone()[0] >= 3
    cid = conn.execute("SELECT min(id) FROM claims").fetchone()[0]
    conn.close()
    full_after(monkeypatch, 0)
    edited = runner.invoke(app, ["review", "edit", str(cid), "--low", "5", "--db", str(db), "--why", "x" * 20000])
    assert edited.exit_code == 1
    one_line_error(edited, "disk is full", "stays consistent")
    assert whole(db).execute("SELECT count(*) FROM corrections").fetchone()[0] == 0


def test_a_casebook_that_cannot_be_written_is_read_but_not_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db, runner = stored(tmp_path, 4), CliRunner()
    before = runner.invoke(app, ["export", "--db", str(db)]).stdout
    monkeypatch.setattr(schema, "writable", lambda path: False)  # as a file without write permission is
    exported = runner.invoke(app, ["export", "--db", str(db)])
    assert exported.exit_code == 0 and exported.stdout == before and "read as it is" in exported.stderr
    listed = runner.invoke(app, ["review", "list", "--db", str(db), "-f", "jsonl"])
    assert listed.exit_code == 0 and len(listed.stdout.splitlines()) == 8
    assert runner.invoke(app, ["review", "history", "1", "--db", str(db)]).exit_code == 0
    edited = runner.invoke(app, ["review", "edit", "1", "--low", "3", "--db", str(db)])
    assert edited.exit_code == 2
    one_line_error(edited, "read-only", "nothing was changed")
    added = runner.invoke(app, ["add", corpus(tmp_path / "d.jsonl", 1), "--db", str(db)])
    assert added.exit_code == 2 and "read-only" in added.stderr
    conn = schema.connect_readonly(db)  # the connection reading commands get really cannot write
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        conn.execute("DELETE FROM corrections")
    conn.close()


def _tollcheck(*args: str) -> list[str]:
    exe = Path(sys.executable).parent / "tollcheck"
    return [str(exe), *args] if exe.exists() else [sys.executable, "-m", "tollcheck.casebook", *args]


def test_writing_to_a_full_disk_is_one_line(tmp_path: Path) -> None:
    db = stored(tmp_path, 2)
    for command in (["export"], ["review", "list"], ["review", "history", "1"]):
        with open("/dev/full", "w") as full:
            done = subprocess.run(_tollcheck(*command, "--db", str(db)), stdout=full, stderr=subprocess.PIPE,
                                  text=True, timeout=120)  # fmt: skip
        assert done.returncode == 1, (command, done.stderr)
        assert "Traceback" not in done.stderr and "Exception ignored" not in done.stderr
        assert done.stderr.strip() == "error: cannot write the output (No space left on device)"


def test_another_applications_sqlite_file_is_refused_untouched(tmp_path: Path) -> None:
    other = tmp_path / "notes.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
    conn.execute("INSERT INTO notes (body) VALUES ('buy milk')")
    conn.commit()
    conn.close()
    digest = hashlib.sha256(other.read_bytes()).hexdigest()
    (tmp_path / "a.txt").write_text("Gunmen killed 7 villagers in Quessa on Sunday, police said.\n")
    for args in (["add", str(tmp_path / "a.txt")], ["export"], ["review", "list"]):
        result = CliRunner().invoke(app, [*args, "--db", str(other)])
        assert result.exit_code == 2
        one_line_error(result, "not a tollcheck casebook", "notes", "untouched")
    assert hashlib.sha256(other.read_bytes()).hexdigest() == digest
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "notes.db"]  # no WAL, no backup


def test_a_new_casebook_leaves_no_backup(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Gunmen killed 7 villagers in Quessa on Sunday, police said.\n")
    result = CliRunner().invoke(app, ["add", str(tmp_path / "a.txt"), "--db", str(tmp_path / "case.db")])
    assert result.exit_code == 0
    assert not list(tmp_path.glob("*.bak"))
    conn = casebook.open_casebook(tmp_path / "case.db")
    assert [r[0] for r in conn.execute("SELECT version FROM migrations")] == list(range(1, schema.VERSION + 1))


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_time_left_and_the_bar_with_a_total() -> None:
    assert time_left(50, 100, 10) == "about 10 s left"
    assert time_left(10, 100, 60) == "about 9 min left"
    assert time_left(1, 101, 36) == "about 1.0 h left"
    assert time_left(0, 100, 10) == "" and time_left(5, 100, 0.5) == "" and time_left(100, 100, 30) == ""
    out = Terminal()
    console = Console(file=out, force_terminal=True, width=140)
    with Progress(True, stream=out, console=console, total=4) as bar:
        list(bar.track(["a", "b", "c"]))
    assert "3 reports" in out.getvalue() and "━" in out.getvalue()
    assert bar.total == 4 and bar.done == 3


def test_add_estimates_its_work_from_the_input_bytes(tmp_path: Path) -> None:
    (tmp_path / "d").mkdir()
    a, b = tmp_path / "d" / "a.txt", tmp_path / "d" / "b.txt"
    a.write_text("x" * 100)
    b.write_text("y" * 300)
    total, sizes = _input_size([str(tmp_path / "d")])
    assert total == 400 and _input_size(["-"]) == (0, {})
    work = InputWork(sizes)

    class Done:
        def __init__(self, path: Path, text: str) -> None:
            self.report = Report(id=str(path), text=text, origin={"file": str(path)})

    assert work(Done(a, "x" * 100)) == 100
    assert work(Done(b, "y" * 120)) == 220
    assert work(Done(b, "y" * 500)) == 400  # never more than the file


def test_a_casebook_on_a_read_only_file_system(tmp_path: Path) -> None:
    """The real thing, where the machine allows a private read-only bind mount (root, `unshare`)."""
    db = stored(tmp_path, 2)
    script = (
        f"mount --bind {tmp_path} {tmp_path} && mount -o remount,bind,ro {tmp_path} || exit 99; "
        f"cd {tmp_path}; {' '.join(_tollcheck('export', '--db', 'case.db'))} > /dev/null || exit 1; "
        f"{' '.join(_tollcheck('review', 'edit', '1', '--low', '3', '--db', 'case.db'))}"
    )
    try:
        done = subprocess.run(["unshare", "-m", "sh", "-c", script], capture_output=True, text=True, timeout=120)
    except FileNotFoundError:
        pytest.skip("no unshare")
    if done.returncode == 99 or "unshare:" in done.stderr:
        pytest.skip("no private mounts here")
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr and "read as it is" in done.stderr
    assert "error: case.db: the casebook is read-only" in done.stderr
    assert whole(db).execute("SELECT count(*) FROM corrections").fetchone()[0] == 0
