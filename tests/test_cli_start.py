"""The command layer only commands: building the command line, `--help` and argument errors import no
engine (spaCy, trafilatura, the casebook), and output to a full disk is one line, not a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

HEAVY = ("spacy", "trafilatura", "dateparser", "tollcheck.api", "tollcheck.extract", "tollcheck.casebook", "starlette")


def _modules_after(args: list[str]) -> set[str]:
    code = (
        "import sys\nfrom tollcheck.cli import app\n"
        "try:\n    app(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
        "print('\\n'.join(sorted(sys.modules)), file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=120)
    return set(done.stderr.split())


@pytest.mark.parametrize("args", [["--help"], ["extract", "--help"], ["review", "--help"], ["extract"]])
def test_help_and_argument_errors_import_no_engine(args: list[str]) -> None:
    loaded = _modules_after(args)
    assert "typer" in loaded
    assert not [m for m in loaded if m.split(".")[0] in HEAVY or m.startswith(HEAVY)]


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
@pytest.mark.parametrize("command", ["extract", "compare"])
def test_output_to_a_full_disk_is_one_line(tmp_path: Path, command: str) -> None:
    report = tmp_path / "a.txt"
    report.write_text("Gunmen killed 12 villagers in Tarvos on Monday, police said.\n" * 50, encoding="utf-8")
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [sys.executable, "-m", "tollcheck.cli", command, str(report), "-f", "jsonl", "--quiet"],
            stdout=full, stderr=subprocess.PIPE, text=True, timeout=300,
        )  # fmt: skip
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert done.stderr.strip().splitlines()[-1].startswith("error: cannot write the output")


def test_bench_start_figures_are_measured() -> None:
    from tollcheck.bench.start import bench_start, print_start

    figures = bench_start(runs=1)
    assert 0 < figures["help_s"] < figures["one_report_s"]  # the engine loads only to extract
    import io

    out = io.StringIO()
    print_start(figures, out)
    assert "start-up" in out.getvalue()
