"""Start-up figures for `tollcheck bench --start`: how long the command takes to answer `--help`, and to
extract one short report end to end (a new process each time, as a user or a script runs it).

Each figure is the median of a few runs of the installed command, so it includes the interpreter's own
start; the engine (spaCy, the tables) is imported only by the commands that run it.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from typing import TextIO

REPORT = "Gunmen killed 7 people and wounded 12 in an attack on a market in Dorvan on Sunday, police said.\n"


def _command() -> list[str]:
    return [sys.executable, "-m", "tollcheck.cli"]


def _timed(args: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True, timeout=300)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def bench_start(runs: int = 5) -> dict[str, float]:
    """Seconds (median of `runs`) for `tollcheck --help` and for extracting one short report."""
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "one.txt")
        with open(path, "w", encoding="utf-8") as f:
            f.write(REPORT)
        return {
            "help_s": _timed([*_command(), "--help"], runs),
            "one_report_s": _timed([*_command(), "extract", path, "--format", "jsonl", "--quiet"], runs),
        }


def print_start(figures: dict[str, float], out: TextIO) -> None:
    out.write(
        f"start-up: `tollcheck --help` {figures['help_s']:.2f} s; one short report extracted end to end "
        f"{figures['one_report_s']:.2f} s (median of a few runs, new process each)\n"
    )
