"""Tests for tollcheck.ingest: every input kind, every error kind, ids, order and laziness."""

from __future__ import annotations

import inspect
import io
import json
import os
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tollcheck.ingest import read_reports
from tollcheck.model import IngestError, Report

KILLED = "Officials said 12 people were killed in Westport."
INJURED = "At least 30 people were injured when shells hit the market in Eastbrook."
MISSING = "Relatives said four fishermen were missing after the raid near Northhaven."


def run(paths: list[str], stdin: io.StringIO | None = None) -> list[Report | IngestError]:
    return list(read_reports(paths, stdin=stdin))


def reports(items: list[Report | IngestError]) -> list[Report]:
    return [item for item in items if isinstance(item, Report)]


def errors(items: list[Report | IngestError]) -> list[IngestError]:
    return [item for item in items if isinstance(item, IngestError)]


def write_jsonl(path: Path, rows: list[Any]) -> Path:
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    return path


def only_error(items: list[Report | IngestError]) -> IngestError:
    assert len(items) == 1, items
    item = items[0]
    assert isinstance(item, IngestError), item
    assert "\n" not in item.message and "Traceback" not in item.message
    return item


# --- plain text files ---------------------------------------------------------------------------


def test_text_file_is_one_report_with_path_as_id(tmp_path: Path) -> None:
    path = tmp_path / "westport.txt"
    path.write_text(KILLED + "\n", encoding="utf-8")
    [report] = run([str(path)])
    assert isinstance(report, Report)
    assert report.id == str(path)
    assert report.text == KILLED + "\n"
    assert report.origin == {"file": str(path), "start": 0, "end": path.stat().st_size}
    assert report.metadata == {}


def test_id_is_the_path_exactly_as_given(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.txt").write_text(KILLED, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    [report] = run(["./sub/../sub/a.txt"])
    assert isinstance(report, Report)
    assert report.id == "./sub/../sub/a.txt"


def test_any_other_suffix_is_read_as_text(tmp_path: Path) -> None:
    path = tmp_path / "bulletin"
    path.write_text('{"looks": "like json"} but is a text file', encoding="utf-8")
    [report] = run([str(path)])
    assert isinstance(report, Report)
    assert report.text.startswith('{"looks"')


def test_byte_length_counts_utf8_bytes_and_bom_is_stripped(tmp_path: Path) -> None:
    path = tmp_path / "bom.txt"
    raw = "\ufeffOfficials in Saint-Étienne said 3 were killed.".encode()
    path.write_bytes(raw)
    [report] = run([str(path)])
    assert isinstance(report, Report)
    assert report.text == "Officials in Saint-Étienne said 3 were killed."
    assert report.origin["end"] == len(raw)


def test_cp1252_file_is_decoded_and_marked(tmp_path: Path) -> None:
    path = tmp_path / "legacy.txt"
    path.write_bytes("Le maire a déclaré que 5 personnes ont été tuées – « au moins ».".encode("cp1252"))
    [report] = run([str(path)])
    assert isinstance(report, Report)
    assert "déclaré" in report.text and "–" in report.text
    assert report.metadata["encoding"] == "cp1252"


def test_utf16_file_with_bom_is_decoded(tmp_path: Path) -> None:
    path = tmp_path / "export.txt"
    path.write_bytes(KILLED.encode("utf-16"))
    [report] = run([str(path)])
    assert isinstance(report, Report)
    assert report.text == KILLED
    assert report.metadata["encoding"] == "utf-16"


# --- directories --------------------------------------------------------------------------------


def make_corpus(root: Path) -> None:
    (root / "b").mkdir(parents=True)
    (root / "a.txt").write_text(KILLED, encoding="utf-8")
    (root / "b" / "c.md").write_text(INJURED, encoding="utf-8")
    (root / "b" / "d.text").write_text(MISSING, encoding="utf-8")
    write_jsonl(root / "e.jsonl", [{"id": "wire-1", "text": KILLED}, {"text": INJURED}])
    write_jsonl(root / "f.ndjson", [{"id": 7, "text": MISSING}])
    (root / "notes.csv").write_text("id,text\n1,ignored\n", encoding="utf-8")
    (root / "photo.jpg").write_bytes(b"\xff\xd8\xff\x00\x00")
    (root / ".hidden.txt").write_text(KILLED, encoding="utf-8")
    (root / ".git").mkdir()
    (root / ".git" / "x.txt").write_text(KILLED, encoding="utf-8")


def test_directory_walk_is_sorted_recursive_and_filtered(tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    make_corpus(root)
    items = run([str(root)])
    assert errors(items) == []
    ids = [r.id for r in reports(items)]
    given = str(root)
    e_jsonl = os.path.join(given, "e.jsonl")
    assert ids == [
        os.path.join(given, "a.txt"),
        os.path.join(given, "b", "c.md"),
        os.path.join(given, "b", "d.text"),
        "wire-1",
        f"{e_jsonl}#2",
        "7",
    ]


def test_directory_ids_join_the_given_spelling(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    make_corpus(tmp_path / "corpus")
    monkeypatch.chdir(tmp_path)
    ids = [r.id for r in reports(run(["corpus/"]))]
    assert ids[:3] == ["corpus/a.txt", "corpus/b/c.md", "corpus/b/d.text"]


def test_directory_without_report_files_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    error = only_error(run([str(tmp_path / "empty")]))
    assert error.source == str(tmp_path / "empty")
    assert "no report files" in error.message


@pytest.mark.skipif(not hasattr(os, "getuid") or os.getuid() == 0, reason="root can read anything")
def test_unreadable_directory(tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "a.txt").write_text(KILLED, encoding="utf-8")
    locked.chmod(0)
    try:
        error = only_error(run([str(locked)]))
    finally:
        locked.chmod(0o755)
    assert error.source == str(locked)
    assert error.message == "directory not readable (permission denied)"


def test_unreadable_directory_via_patched_scandir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()

    def deny(path: Any) -> Any:
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(os, "scandir", deny)
    error = only_error(run([str(locked)]))
    assert error.message == "directory not readable (permission denied)"


def test_symlink_loop_does_not_recurse_forever(tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    root.mkdir()
    (root / "a.txt").write_text(KILLED, encoding="utf-8")
    try:
        (root / "loop").symlink_to(root, target_is_directory=True)
    except OSError:
        pytest.skip("symlinks not supported")
    assert [r.id for r in reports(run([str(root)]))] == [os.path.join(str(root), "a.txt")]


# --- JSONL --------------------------------------------------------------------------------------


def test_jsonl_fields_ids_and_metadata(tmp_path: Path) -> None:
    path = write_jsonl(
        tmp_path / "wire.jsonl",
        [
            {
                "id": "afp-001",
                "text": KILLED,
                "title": "Blast in Westport",
                "published": "2024-03-02",
                "url": "https://example.org/westport",
                "outlet": "Example Wire",
                "author": "A. Reporter",
                "lang": "en",
                "tags": ["blast"],
            },
            {"id": 42, "text": INJURED},
            {"text": MISSING},
        ],
    )
    first, second, third = run([str(path)])
    assert isinstance(first, Report) and isinstance(second, Report) and isinstance(third, Report)
    assert first.id == "afp-001"
    assert first.text == KILLED
    assert (first.title, first.published, first.url) == (
        "Blast in Westport",
        "2024-03-02",
        "https://example.org/westport",
    )
    assert (first.outlet, first.author) == ("Example Wire", "A. Reporter")
    assert first.metadata == {"lang": "en", "tags": ["blast"]}
    assert first.origin == {"file": str(path), "line": 1}
    assert second.id == "42"
    assert second.title is None and second.metadata == {}
    assert third.id == f"{path}#3"
    assert third.origin == {"file": str(path), "line": 3}


def test_jsonl_blank_lines_are_skipped_but_counted(tmp_path: Path) -> None:
    path = tmp_path / "gaps.ndjson"
    path.write_text("\n" + json.dumps({"text": KILLED}) + "\n\n   \n" + json.dumps({"text": INJURED}) + "\n")
    items = run([str(path)])
    assert [r.origin["line"] for r in reports(items)] == [2, 5]
    assert [r.id for r in reports(items)] == [f"{path}#2", f"{path}#5"]


def test_jsonl_with_bom_and_crlf(tmp_path: Path) -> None:
    path = tmp_path / "windows.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps({"id": "w1", "text": KILLED}).encode() + b"\r\n")
    [report] = run([str(path)])
    assert isinstance(report, Report)
    assert report.id == "w1" and report.text == KILLED


def test_jsonl_non_string_optional_fields(tmp_path: Path) -> None:
    row = {"text": KILLED, "published": 20240302, "author": ["A", "B"]}
    path = write_jsonl(tmp_path / "odd.jsonl", [row])
    [report] = run([str(path)])
    assert isinstance(report, Report)
    assert report.published == "20240302"
    assert report.author is None
    assert report.metadata == {"author": ["A", "B"]}


def test_jsonl_cp1252_line_is_decoded_and_marked(tmp_path: Path) -> None:
    path = tmp_path / "legacy.jsonl"
    path.write_bytes('{"text": "Le maire a déclaré 5 morts."}\n'.encode("cp1252"))
    [report] = run([str(path)])
    assert isinstance(report, Report)
    assert report.text == "Le maire a déclaré 5 morts."
    assert report.metadata == {"encoding": "cp1252"}


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("{not json", "line 2: not JSON ("),
        ('["a", "list"]', "line 2: not a JSON object (got an array)"),
        ('"just a string"', "line 2: not a JSON object (got a string)"),
        ('{"id": "x"}', 'line 2: no "text" field'),
        ('{"body": "Two were killed."}', 'line 2: no "text" field (found "body"; rename it to "text")'),
        ('{"text": 12}', 'line 2: "text" is a number, not a string'),
        ('{"text": null}', 'line 2: "text" is null, not a string'),
        ('{"text": "  \\n "}', "line 2: empty text"),
    ],
)
def test_jsonl_line_errors_name_the_line_and_go_on(tmp_path: Path, line: str, expected: str) -> None:
    path = tmp_path / "mixed.jsonl"
    good_before = json.dumps({"id": "ok-1", "text": KILLED})
    good_after = json.dumps({"id": "ok-3", "text": INJURED})
    path.write_text(f"{good_before}\n{line}\n{good_after}\n", encoding="utf-8")
    items = run([str(path)])
    assert [type(item) for item in items] == [Report, IngestError, Report]
    error = items[1]
    assert isinstance(error, IngestError)
    assert error.source == f"{path}:2"
    assert error.message.startswith(expected)
    assert "\n" not in error.message and "Traceback" not in error.message
    assert [r.id for r in reports(items)] == ["ok-1", "ok-3"]


def test_empty_jsonl_file(tmp_path: Path) -> None:
    path = tmp_path / "nothing.jsonl"
    path.write_text("\n\n", encoding="utf-8")
    error = only_error(run([str(path)]))
    assert (error.source, error.message) == (str(path), "empty file")


def test_binary_jsonl_file(tmp_path: Path) -> None:
    path = tmp_path / "dump.jsonl"
    path.write_bytes(b'{"text": "a"}\n\x00\x01\x02\x03\x00\x00\x04')
    error = only_error(run([str(path)]))
    assert error.message.startswith("binary file")


def test_jsonl_file_with_one_stray_nul_keeps_its_good_lines(tmp_path: Path) -> None:
    path = tmp_path / "dump.jsonl"
    path.write_bytes(b'{"text": "a"}\n\x00\x01\x02\x03')
    report, error = run([str(path)])
    assert isinstance(report, Report) and report.text == "a"
    assert isinstance(error, IngestError) and error.source == f"{path}:2" and "not JSON" in error.message


# --- file errors --------------------------------------------------------------------------------


def test_missing_path(tmp_path: Path) -> None:
    missing = str(tmp_path / "nope.txt")
    error = only_error(run([missing]))
    assert (error.source, error.message) == (missing, "no such file or directory")
    assert str(error) == f"{missing}: no such file or directory"


def test_binary_file_with_nul_bytes(tmp_path: Path) -> None:
    path = tmp_path / "image.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    error = only_error(run([str(path)]))
    assert error.message == "binary file (contains NUL bytes)"


def test_mostly_undecodable_file_is_binary(tmp_path: Path) -> None:
    path = tmp_path / "noise.txt"
    controls = bytes(b for b in range(1, 32) if b not in (9, 10, 11, 12, 13))  # no NULs, not UTF-8 text
    path.write_bytes(controls * 40 + b"\x81\x8d\x8f\x90\x9d")
    error = only_error(run([str(path)]))
    assert error.message.startswith("binary file")


@pytest.mark.parametrize("content", [b"", b"   \n\t\r\n  "])
def test_empty_or_blank_text_file(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "blank.txt"
    path.write_bytes(content)
    error = only_error(run([str(path)]))
    assert (error.source, error.message) == (str(path), "empty file")


@pytest.mark.skipif(not hasattr(os, "getuid") or os.getuid() == 0, reason="root can read anything")
def test_unreadable_file(tmp_path: Path) -> None:
    path = tmp_path / "secret.txt"
    path.write_text(KILLED, encoding="utf-8")
    path.chmod(0)
    try:
        error = only_error(run([str(path)]))
    finally:
        path.chmod(0o644)
    assert error.message == "file not readable (permission denied)"


def test_unreadable_file_via_patched_open(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tollcheck.ingest import readers

    path = tmp_path / "secret.txt"
    path.write_text(KILLED, encoding="utf-8")

    def deny(file: Any, *args: Any, **kwargs: Any) -> Any:
        raise PermissionError(13, "Permission denied", str(file))

    monkeypatch.setattr(readers, "open_without_waiting", deny)
    error = only_error(run([str(path)]))
    assert error.message == "file not readable (permission denied)"


def test_errors_do_not_stop_later_inputs(tmp_path: Path) -> None:
    good1 = tmp_path / "one.txt"
    good1.write_text(KILLED, encoding="utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    binary = tmp_path / "bin.txt"
    binary.write_bytes(b"\x00\x01\x02")
    broken = tmp_path / "broken.jsonl"
    broken.write_text("{oops\n", encoding="utf-8")
    good2 = tmp_path / "two.md"
    good2.write_text(INJURED, encoding="utf-8")
    paths = [str(good1), str(tmp_path / "gone.txt"), str(empty), str(binary), str(broken), str(good2)]
    items = run(paths)
    assert [type(i).__name__ for i in items] == ["Report"] + ["IngestError"] * 4 + ["Report"]
    assert [i.id for i in reports(items)] == [str(good1), str(good2)]
    expected_sources = [str(tmp_path / "gone.txt"), str(empty), str(binary), f"{broken}:1"]
    assert [e.source for e in errors(items)] == expected_sources


# --- standard input -----------------------------------------------------------------------------


def test_stdin_text() -> None:
    [report] = run(["-"], stdin=io.StringIO(KILLED + "\n" + INJURED))
    assert isinstance(report, Report)
    assert report.id == "-"
    assert report.text == KILLED + "\n" + INJURED
    assert report.origin == {"file": "-", "start": 0, "end": len((KILLED + "\n" + INJURED).encode())}


def test_stdin_jsonl() -> None:
    lines = (
        "\n" + json.dumps({"id": "s1", "text": KILLED, "lang": "en"}) + "\nnot json\n" + json.dumps({"text": INJURED})
    )
    items = run(["-"], stdin=io.StringIO(lines))
    first, bad, last = items
    assert isinstance(first, Report) and first.id == "s1" and first.metadata == {"lang": "en"}
    assert first.origin == {"file": "-", "line": 2}
    assert isinstance(bad, IngestError) and bad.source == "-:3" and bad.message.startswith("line 3: not JSON")
    assert isinstance(last, Report) and last.id == "-#4"


def test_stdin_empty() -> None:
    error = only_error(run(["-"], stdin=io.StringIO(" \n\n")))
    assert (error.source, error.message) == ("-", "empty input")


def test_stdin_defaults_to_sys_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(MISSING))
    [report] = list(read_reports(["-"]))
    assert isinstance(report, Report) and report.text == MISSING


def test_stdin_mixed_with_files_keeps_order(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(KILLED, encoding="utf-8")
    items = run([str(path), "-", str(path)], stdin=io.StringIO(INJURED))
    assert [r.id for r in reports(items)] == [str(path), "-", str(path)]


# --- laziness -----------------------------------------------------------------------------------


class CountingStream(io.StringIO):
    """A stdin stand-in that counts how many lines have been handed out."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.served = 0

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        line = self.readline()
        if not line:
            raise StopIteration
        self.served += 1
        return line


def test_read_reports_is_lazy_on_stdin_jsonl() -> None:
    good = json.dumps({"id": "first", "text": KILLED})
    stream = CountingStream(good + "\n" + "{broken\n" * 1000)
    items = read_reports(["-"], stdin=stream)
    assert inspect.isgenerator(items)
    assert stream.served == 0  # nothing read before iteration starts
    first = next(items)
    assert isinstance(first, Report) and first.id == "first"
    assert stream.served <= 2  # the 1000 broken lines have not been read


def test_read_reports_is_lazy_on_a_jsonl_file(tmp_path: Path) -> None:
    """A FIFO writer blocks before the broken lines; the first report must arrive anyway."""
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs on this platform")
    fifo = tmp_path / "feed.jsonl"
    os.mkfifo(fifo)
    release = threading.Event()

    def writer() -> None:
        with open(fifo, "w", encoding="utf-8") as out:
            out.write(json.dumps({"id": "first", "text": KILLED}) + "\n")
            out.flush()
            release.wait(timeout=10)
            out.write("{broken\n")

    thread = threading.Thread(target=writer, daemon=True)
    thread.start()
    items = read_reports([str(fifo)])
    result: list[Report | IngestError] = []
    reader = threading.Thread(target=lambda: result.append(next(items)), daemon=True)
    reader.start()
    reader.join(timeout=5)
    assert not reader.is_alive(), "first report did not arrive before the rest of the file was written"
    assert isinstance(result[0], Report) and result[0].id == "first"
    release.set()
    rest = list(items)
    thread.join(timeout=5)
    assert len(rest) == 1 and isinstance(rest[0], IngestError) and rest[0].source == f"{fifo}:2"


def test_real_stdin_is_read_as_bytes_with_cp1252_fallback(monkeypatch: pytest.MonkeyPatch) -> None:
    raw = "Le maire a déclaré 5 morts à Westport.\n".encode("cp1252")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(raw), encoding="utf-8"))
    [report] = list(read_reports(["-"]))
    assert isinstance(report, Report)
    assert report.text == "Le maire a déclaré 5 morts à Westport.\n"
    assert report.metadata == {"encoding": "cp1252"}
    assert report.origin["end"] == len(raw)
