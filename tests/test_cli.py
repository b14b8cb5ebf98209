"""The `tollcheck` command, through Typer's test runner and once as a real process.

All reports are invented.
"""

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

CONTRACT_FIELDS = ("type", "doc", "category", "low", "high", "qualifier", "group", "source", "place", "date", "quote")

REPORT_A = "Gunmen killed 12 villagers in Marrow on Friday, police said.\n"
REPORT_B = "At least 30 people were wounded when shells hit the market in Eastbrook, doctors said.\n"
CORPUS = [
    {"id": "wire-1", "text": "Rebels abducted 7 teachers in Sollen, the governor said.", "published": "2024-02-01"},
    {"id": "wire-2", "text": "Three soldiers and two civilians were killed in Varn on Monday."},
]


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def lines_of(out: str) -> list[dict]:
    rows = [json.loads(line) for line in out.splitlines() if line.strip()]
    assert all(isinstance(r, dict) for r in rows)
    return rows


def write(dir_: Path, name: str, text: str) -> str:
    path = dir_ / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_help_lists_commands(runner: CliRunner) -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    assert "extract" in result.stdout and "bench" in result.stdout


def test_extract_jsonl_prints_only_json_lines(runner: CliRunner, tmp_path: Path) -> None:
    a = write(tmp_path, "a.txt", REPORT_A)
    b = write(tmp_path, "b.txt", REPORT_B)
    result = runner.invoke(app, ["extract", a, b, "--format", "jsonl"])
    assert result.exit_code == 0, result.stderr
    lines = [line for line in result.stdout.splitlines() if line.strip()]
    rows = [json.loads(line) for line in lines]  # every line parses
    assert [r["type"] for r in rows] == ["claim", "report", "claim", "report"]
    assert [r["doc"] for r in rows] == [a, a, b, b]
    for r in rows:
        if r["type"] == "claim":
            assert set(CONTRACT_FIELDS) <= set(r)
    first = rows[0]
    assert (first["category"], first["low"], first["high"], first["group"]) == ("killed", 12, 12, "villagers")
    assert (first["source"], first["place"]) == ("police", "Marrow")
    assert first["quote"] == REPORT_A.strip()
    assert REPORT_A[first["start"] : first["end"]].startswith("12")
    assert rows[1]["totals"]["killed"]["best"] == 12
    third = rows[2]
    assert (third["category"], third["low"], third["high"], third["qualifier"]) == ("injured", 30, None, "at_least")
    assert third["source"] == "doctors"


def test_doc_is_the_path_as_given(runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "sub").mkdir()
    write(tmp_path / "sub", "r.txt", REPORT_A)
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["extract", "sub/r.txt", "-f", "jsonl"])
    assert result.exit_code == 0
    assert {r["doc"] for r in lines_of(result.stdout)} == {"sub/r.txt"}


def test_jsonl_corpus_uses_line_ids(runner: CliRunner, tmp_path: Path) -> None:
    corpus = write(tmp_path, "corpus.jsonl", "".join(json.dumps(r) + "\n" for r in CORPUS))
    result = runner.invoke(app, ["extract", corpus, "-f", "jsonl"])
    assert result.exit_code == 0, result.stderr
    rows = lines_of(result.stdout)
    assert [r["doc"] for r in rows if r["type"] == "report"] == ["wire-1", "wire-2"]
    claims = [r for r in rows if r["type"] == "claim"]
    assert {r["doc"] for r in claims} == {"wire-1", "wire-2"}
    assert any(r["doc"] == "wire-1" and r["category"] == "abducted" and r["low"] == 7 for r in claims)
    report2 = next(r for r in rows if r["type"] == "report" and r["doc"] == "wire-2")
    assert report2["totals"]["killed"]["best"] == 5


def test_csv_has_header_and_one_row_per_claim(runner: CliRunner, tmp_path: Path) -> None:
    a = write(tmp_path, "a.txt", REPORT_A + "Another 4 people were wounded, doctors said.\n")
    jsonl = runner.invoke(app, ["extract", a, "-f", "jsonl"])
    n_claims = sum(1 for r in lines_of(jsonl.stdout) if r["type"] == "claim")
    assert n_claims == 2
    result = runner.invoke(app, ["extract", a, "--format", "csv"])
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == n_claims
    assert {"doc", "category", "low", "high", "quote", "flags"} <= set(rows[0])
    assert "type" not in rows[0]
    assert (rows[0]["category"], rows[0]["low"], rows[0]["doc"]) == ("killed", "12", a)
    assert rows[1]["category"] == "injured"


def test_default_table_mentions_the_figure(runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    a = write(tmp_path, "a.txt", "Gunmen killed 1,250 villagers in Marrow on Friday, police said.\n")
    result = runner.invoke(app, ["extract", a])
    assert result.exit_code == 0
    assert "1,250" in result.stdout
    assert "Marrow" in result.stdout
    assert not result.stdout.lstrip().startswith("{")


def test_stdin(runner: CliRunner) -> None:
    result = runner.invoke(app, ["extract", "-", "-f", "jsonl"], input="Two people were killed in Hesk.\n")
    assert result.exit_code == 0
    rows = lines_of(result.stdout)
    assert [(r["type"], r["doc"]) for r in rows] == [("claim", "-"), ("report", "-")]
    assert rows[0]["low"] == 2


def test_stdin_jsonl(runner: CliRunner) -> None:
    data = "".join(json.dumps(r) + "\n" for r in CORPUS)
    result = runner.invoke(app, ["extract", "-", "-f", "jsonl"], input=data)
    assert result.exit_code == 0
    assert [r["doc"] for r in lines_of(result.stdout) if r["type"] == "report"] == ["wire-1", "wire-2"]


def test_bad_inputs_are_reported_and_the_batch_goes_on(runner: CliRunner, tmp_path: Path) -> None:
    good1 = write(tmp_path, "good1.txt", REPORT_A)
    good2 = write(tmp_path, "good2.txt", REPORT_B)
    missing = str(tmp_path / "missing.txt")
    empty = write(tmp_path, "empty.txt", "")
    binary = str(tmp_path / "binary.txt")
    Path(binary).write_bytes(b"\x00\x01\x02\xff\xfe\x00binary\x00data")
    corpus = write(
        tmp_path,
        "corpus.jsonl",
        json.dumps(CORPUS[0]) + "\n" + '{"id": "x", "text": broken\n' + json.dumps(CORPUS[1]) + "\n",
    )
    result = runner.invoke(app, ["extract", good1, missing, empty, binary, corpus, good2, "-f", "jsonl"])
    assert result.exit_code == 1
    assert "Traceback" not in result.stdout and "Traceback" not in result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit)
    rows = lines_of(result.stdout)
    assert [r["doc"] for r in rows if r["type"] == "report"] == [good1, "wire-1", "wire-2", good2]
    assert {r["doc"] for r in rows if r["type"] == "claim"} == {good1, "wire-1", "wire-2", good2}
    err = [line for line in result.stderr.splitlines() if line.strip()]
    for bad in (missing, empty, binary):
        assert len([line for line in err if bad in line]) == 1, err
    broken = [line for line in err if corpus in line]
    assert len(broken) == 1 and ":2" in broken[0]


def test_all_good_inputs_exit_zero_with_quiet_stderr(runner: CliRunner, tmp_path: Path) -> None:
    a = write(tmp_path, "a.txt", REPORT_A)
    result = runner.invoke(app, ["extract", a, "-f", "jsonl"])
    assert result.exit_code == 0
    assert "error" not in result.stderr


def test_bench_jsonl(runner: CliRunner) -> None:
    result = runner.invoke(app, ["bench", "--short", "200", "--articles", "20", "--format", "jsonl"])
    assert result.exit_code == 0, result.stderr
    rows = {r["name"]: r for r in lines_of(result.stdout)}
    assert rows["short reports"]["reports"] == 200
    assert rows["short reports, compare"]["reports"] == 200
    assert rows["articles (5 KB)"]["reports"] == 20
    assert all(r["reports_per_s"] > 0 for r in rows.values())


def test_real_process(tmp_path: Path) -> None:
    exe = Path(sys.executable).parent / "tollcheck"
    if not exe.exists():
        pytest.skip("tollcheck script not installed next to the interpreter")
    a = write(tmp_path, "a.txt", REPORT_A)
    missing = str(tmp_path / "nope.txt")
    proc = subprocess.run(
        [str(exe), "extract", a, missing, "--format", "jsonl"], capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert [line for line in proc.stderr.splitlines() if missing in line]
    rows = lines_of(proc.stdout)
    assert [(r["type"], r["doc"]) for r in rows] == [("claim", a), ("report", a)]
    assert rows[0]["low"] == 12
