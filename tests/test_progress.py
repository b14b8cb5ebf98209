"""The progress bar: on standard error when it is a terminal, never in a pipe, never with --quiet."""

from __future__ import annotations

import io
from pathlib import Path

from rich.console import Console
from typer.testing import CliRunner

from tollcheck.cli import app
from tollcheck.ingest.progress import Progress, progress_wanted
from tollcheck.model import IngestError

REPORT = "Gunmen killed 12 villagers in Marrow on Friday, police said.\n"


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_wanted_only_on_a_terminal_and_not_quiet() -> None:
    assert progress_wanted(Terminal()) is True
    assert progress_wanted(Terminal(), quiet=True) is False
    assert progress_wanted(io.StringIO()) is False
    closed = io.StringIO()
    closed.close()
    assert progress_wanted(closed) is False


def test_bar_counts_reports_rate_and_errors() -> None:
    out = Terminal()
    console = Console(file=out, force_terminal=True, width=100)
    items = ["a", IngestError("x.txt", "empty file"), "b", "c"]
    with Progress(True, stream=out, console=console) as bar:
        seen = list(bar.track(items))
        bar.say("error: x.txt: empty file")
    assert seen == items
    assert (bar.done, bar.errors) == (3, 1)
    shown = out.getvalue()
    assert "3 reports" in shown and "1 errors" in shown and "error: x.txt: empty file" in shown


def test_disabled_bar_prints_only_messages() -> None:
    out = io.StringIO()
    with Progress(False, stream=out) as bar:
        assert list(bar.track([1, 2])) == [1, 2]
        bar.say("warning: y.txt: not UTF-8: decoded as cp1252")
    assert out.getvalue() == "warning: y.txt: not UTF-8: decoded as cp1252\n"


def test_cli_prints_no_bar_when_stderr_is_not_a_terminal(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(REPORT, encoding="utf-8")
    for extra in ([], ["--quiet"]):
        for command in ("extract", "compare"):
            result = CliRunner().invoke(app, [command, str(path), "-f", "jsonl", *extra])
            assert result.exit_code == 0, result.stderr
            assert result.stderr == ""


def test_cli_shows_the_bar_on_a_terminal(tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    from tollcheck.cli import reports

    path = tmp_path / "a.txt"
    path.write_text(REPORT, encoding="utf-8")
    monkeypatch.setattr(reports, "progress_wanted", lambda quiet=False: not quiet)
    shown = CliRunner().invoke(app, ["extract", str(path), str(tmp_path / "gone.txt"), "-f", "jsonl"])
    assert "1 reports" in shown.stderr and "1 errors" in shown.stderr
    quiet = CliRunner().invoke(app, ["extract", str(path), "-f", "jsonl", "--quiet"])
    assert "reports" not in quiet.stderr


def test_messages_show_escape_sequences_never_obey_them() -> None:
    out = io.StringIO()
    with Progress(False, stream=out) as bar:
        bar.say("error: \x1b[2Jevil.txt: not a report")
    assert "\x1b" not in out.getvalue() and "U+001B" in out.getvalue()
