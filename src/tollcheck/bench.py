"""The benchmark behind `tollcheck bench`: it makes its own reports and times extraction over them.

Short reports are news leads of one to three sentences; articles are about 5 KB of paragraphs, most of
them without any casualty figure, as in real news. Both are generated from templates with a seeded
random generator, so every run measures the same text. Memory is read from the process's resident
set size at the middle and at the end of each run: if it grew with the number of reports, the end
figure would be well above the middle one.
"""

from __future__ import annotations

import json
import random
import resource
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from typing import TextIO

from tollcheck.model import Report

PLACES = ("Varenko", "Tessaly Cross", "Ombari", "Kell", "Drosna", "Maru Heights", "Port Adela", "Linz Vale")
SPEAKERS = (
    "police said",
    "the health ministry said",
    "a local official told reporters",
    "witnesses said",
    "according to the regional governor",
    "the army said in a statement",
)
GROUPS = ("people", "civilians", "soldiers", "villagers", "police officers", "worshippers", "children")
LEADS = (
    "At least {n} {g} were killed and {m} wounded when a bomb exploded at a market in {p} on {d}, {s}.",
    "Gunmen killed {n} {g} in the village of {p} late on {d}, {s}.",
    "A car bomb in {p} killed {n} {g} and injured {m} others, {s}.",
    "{N} {g} died after an attack on a bus near {p}, {s}. Another {k} were taken to hospital.",
    "Protesters marched through {p} on {d}; no one was hurt, {s}.",
    "Police arrested {n} suspects in {p} after a foiled attack, {s}.",
)
FILLER = (
    "The town, home to about {pop} people, lies {km} km from the capital and was founded in {year}.",
    "Residents described a tense evening as shops closed early and the streets emptied.",
    "The regional council met for {h} hours on {d} to discuss the budget for the coming year.",
    "Local traders said prices had risen by {pc} percent since the road was closed in {year}.",
    "The {ord}th Brigade has been stationed in the area for {h} years, officials said.",
    "Aid groups said they were sending food and blankets to the families who remained.",
)
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
WORDS = ("three", "five", "seven", "twelve", "twenty")


def _fill(template: str, rnd: random.Random) -> str:
    return template.format(
        n=rnd.randint(2, 90),
        m=rnd.randint(1, 120),
        k=rnd.randint(1, 9),
        N=rnd.choice(WORDS).capitalize(),
        g=rnd.choice(GROUPS),
        p=rnd.choice(PLACES),
        d=rnd.choice(DAYS),
        s=rnd.choice(SPEAKERS),
        pop=f"{rnd.randint(5, 900) * 1000:,}",
        km=rnd.randint(5, 400),
        year=rnd.randint(1950, 2020),
        h=rnd.randint(2, 40),
        pc=rnd.randint(2, 60),
        ord=rnd.randint(4, 19),
    )


def make_short(n: int, seed: int = 1) -> Iterator[Report]:
    rnd = random.Random(seed)
    for i in range(n):
        text = " ".join(_fill(rnd.choice(LEADS), rnd) for _ in range(rnd.randint(1, 2)))
        yield Report(id=f"short-{i}", text=text, published="2024-03-18")


def make_articles(n: int, size: int = 5000, seed: int = 2) -> Iterator[Report]:
    rnd = random.Random(seed)
    for i in range(n):
        paragraphs, length = [f"Attack in {rnd.choice(PLACES)} leaves many dead"], 0
        while length < size:
            para = " ".join(_fill(rnd.choice(FILLER if rnd.random() < 0.8 else LEADS), rnd) for _ in range(3))
            paragraphs.append(para)
            length += len(para) + 2
        yield Report(id=f"article-{i}", text="\n\n".join(paragraphs)[:size], published="2024-03-18")


def _rss_mb() -> float:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * resource.getpagesize() / 2**20


@dataclass(slots=True)
class BenchResult:
    name: str
    reports: int
    seconds: float
    reports_per_s: float
    words_per_s: float
    claims: int
    rss_mid_mb: float
    rss_end_mb: float
    peak_rss_mb: float


def run(name: str, reports: Iterator[Report], n: int) -> BenchResult:
    from tollcheck.api import extract_reports

    words = claims = done = 0
    mid = 0.0

    def counted() -> Iterator[Report]:
        nonlocal words
        for r in reports:
            words += len(r.text.split())
            yield r

    start = time.perf_counter()
    for result in extract_reports(counted()):
        done += 1
        claims += len(getattr(result, "claims", []))
        if done == n // 2:
            mid = _rss_mb()
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return BenchResult(
        name,
        done,
        round(seconds, 3),
        round(done / seconds, 1),
        round(words / seconds),
        claims,
        round(mid, 1),
        round(_rss_mb(), 1),
        round(peak, 1),
    )


def run_compare(name: str, reports: Iterator[Report], n: int) -> BenchResult:
    """The same corpus through `compare`: extraction, then grouping into events and reconciliation."""
    from tollcheck.api import compare_results, extract_reports

    start = time.perf_counter()
    comparison, _ = compare_results(extract_reports(reports))
    seconds = time.perf_counter() - start
    claims = sum(len(c) for c in comparison.claims.values())
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    rss = round(_rss_mb(), 1)
    return BenchResult(name, n, round(seconds, 3), round(n / seconds, 1), 0, claims, rss, rss, round(peak, 1))


def bench(short: int = 10_000, articles: int = 1_000, compare: bool = True) -> list[BenchResult]:
    from tollcheck.extract.pipeline import make_nlp

    make_nlp()  # start-up is not throughput
    out = []
    if short:
        out.append(run("short reports", make_short(short), short))
        if compare:  # compare keeps every report's claims in memory: its RSS grows with the corpus by design
            out.append(run_compare("short reports, compare", make_short(short), short))
    if articles:
        out.append(run("articles (5 KB)", make_articles(articles), articles))
    return out


def print_results(results: list[BenchResult], fmt: str, out: TextIO) -> None:
    if fmt == "jsonl":
        for r in results:
            out.write(json.dumps(asdict(r)) + "\n")
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title="tollcheck extraction benchmark (one process)")
    for col in (
        "run",
        "reports",
        "seconds",
        "reports/s",
        "words/s",
        "claims",
        "RSS mid MB",
        "RSS end MB",
        "peak RSS MB",
    ):
        table.add_column(col, justify="right")
    for r in results:
        table.add_row(
            r.name,
            f"{r.reports:,}",
            f"{r.seconds:.2f}",
            f"{r.reports_per_s:,.0f}",
            f"{r.words_per_s:,}",
            f"{r.claims:,}",
            f"{r.rss_mid_mb:.0f}",
            f"{r.rss_end_mb:.0f}",
            f"{r.peak_rss_mb:.0f}",
        )
    console = Console(file=out, width=140)
    console.print(table)
    from tollcheck.events.gazetteer import bench as gazetteer_bench

    g = gazetteer_bench()
    console.print(
        f"gazetteer: {g['gazetteer_entries']:,} places, {g['gazetteer_keys']:,} name keys, "
        f"{g['gazetteer_mb']} MB in memory, loaded in {g['gazetteer_load_s']} s"
        f"{' (built first)' if g['gazetteer_built'] else ''}, {g['gazetteer_lookup_us']} µs a lookup"
    )
    by_name = {r.name: r for r in results}
    ext, cmp_ = by_name.get("short reports"), by_name.get("short reports, compare")
    if ext and cmp_:
        overhead = 100 * (cmp_.seconds - ext.seconds) / ext.seconds
        out.write(f"compare adds {overhead:.0f}% to the time of extract on {ext.reports:,} short reports\n")
    add = by_name.get("short reports, add")
    if ext and add:
        share = 100 * add.reports_per_s / ext.reports_per_s
        out.write(f"add keeps {share:.0f}% of extract's throughput on {add.reports:,} short reports\n")
