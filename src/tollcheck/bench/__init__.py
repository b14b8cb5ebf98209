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
from collections.abc import Callable, Iterator
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


def _print_table(title: str, columns: tuple[str, ...], rows: list[tuple[str, ...]], out: TextIO) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title)
    for col in columns:
        table.add_column(col, justify="right")
    for row in rows:
        table.add_row(*row)
    Console(file=out, width=140).print(table)


def _print_jsonl(results: list[BenchResult] | list[LongResult], out: TextIO) -> None:
    for r in results:
        out.write(json.dumps(asdict(r)) + "\n")


def print_results(results: list[BenchResult], fmt: str, out: TextIO) -> None:
    if fmt == "jsonl":
        _print_jsonl(results, out)
        return
    columns = ("run", "reports", "seconds", "reports/s", "words/s", "claims", "RSS mid MB", "RSS end MB", "peak RSS MB")
    rows = [
        (
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
        for r in results
    ]
    _print_table("tollcheck extraction benchmark (one process)", columns, rows, out)
    from tollcheck.events.gazetteer import bench as gazetteer_bench

    g = gazetteer_bench()
    out.write(
        f"gazetteer: {g['gazetteer_entries']:,} places, {g['gazetteer_keys']:,} name keys, "
        f"{g['gazetteer_mb']} MB in memory, loaded in {g['gazetteer_load_s']} s"
        f"{' (built first)' if g['gazetteer_built'] else ''}, {g['gazetteer_lookup_us']} µs a lookup\n"
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


# ---------------------------------------------------------------- long texts (`tollcheck bench --long`)

MB = 1_000_000  # characters


@dataclass(slots=True)
class LongResult:
    name: str
    chars: int
    parts: int
    seconds: float
    mb_per_s: float
    claims: int
    peak_rss_mb: float


def _reset_peak() -> None:
    """Start a new peak-memory window (Linux: writing 5 to clear_refs resets VmHWM)."""
    try:
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")
    except OSError:
        pass


def _peak_mb() -> float:
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def long_text(chars: int, lines: bool = True, seed: int = 3) -> str:
    """One report of `chars` characters: paragraphs of news text, or the same as one line."""
    (report,) = make_articles(1, size=chars, seed=seed)
    return report.text if lines else report.text.replace("\n\n", " ")


def huge_cell_csv(path: str, chars: int) -> None:
    """A CSV whose one `text` cell is a lead and one run of `chars` letters with no space."""
    lead = "Police said 12 people were killed in Varenko on Monday. "
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(f'id,text\ncell,"{lead}')
        chunk = "abcdefghij" * 100_000
        for _ in range(chars // len(chunk)):
            fh.write(chunk)
        fh.write(' Another 3 were wounded."\n')


def _parts(item: Report, size: int) -> Iterator[Report]:
    """Reports of at most `size` characters, cut at whitespace (ingest cuts texts over the extractor's
    limit; this keeps the benchmark to the per-text algorithms when it does not)."""
    text, start, n = item.text, 0, 0
    while start < len(text):
        end = min(len(text), start + size)
        if end < len(text):
            space = max(text.rfind(" ", start, end), text.rfind("\n", start, end))
            end = space + 1 if space > start else end
        yield Report(id=f"{item.id}#part-{n}", text=text[start:end], published=item.published)
        start, n = end, n + 1


def run_long(name: str, reports: Callable[[], Iterator[Report]], chars: int) -> LongResult:
    from tollcheck.api import extract_reports
    from tollcheck.extract.pipeline import MAX_CHARS

    limit = int(MAX_CHARS * 0.95)  # a text over the limit is cut a little shorter: cleaning may add spaces
    _reset_peak()
    start = time.perf_counter()
    parts = claims = 0
    for item in reports():
        whole = not isinstance(item, Report) or len(item.text) <= MAX_CHARS
        for part in [item] if whole else _parts(item, limit):
            for result in extract_reports([part]):
                parts += 1
                claims += len(getattr(result, "claims", []))
                if not hasattr(result, "claims"):
                    raise RuntimeError(f"{name}: {result}")  # a benchmark text must be read
    seconds = time.perf_counter() - start
    return LongResult(name, chars, parts, round(seconds, 2), round(chars / MB / seconds, 2), claims, round(_peak_mb()))


def bench_long(sizes_mb: tuple[int, ...] = (1, 2, 5), cell_mb: int = 50) -> list[LongResult]:
    """One-report texts of 1, 2 and 5 million characters (many lines, and one line), and a CSV with one
    `cell_mb` million-character cell read through ingest: time and peak memory should grow linearly."""
    import tempfile

    from tollcheck.extract.pipeline import make_nlp
    from tollcheck.ingest import read_reports

    make_nlp()
    out = []
    for lines in (True, False):
        for mb in sizes_mb:
            text = long_text(mb * MB, lines)
            label = f"{mb} MB text, {'many lines' if lines else 'one line'}"
            out.append(run_long(label, lambda text=text: iter([Report(id="long", text=text)]), len(text)))
            del text
    if cell_mb:
        with tempfile.TemporaryDirectory() as tmp:
            path = f"{tmp}/cell.csv"
            huge_cell_csv(path, cell_mb * MB)
            out.append(run_long(f"{cell_mb} MB CSV cell, one token", lambda: read_reports([path]), cell_mb * MB))
    return out


def print_long(results: list[LongResult], fmt: str, out: TextIO) -> None:
    if fmt == "jsonl":
        _print_jsonl(results, out)
        return
    columns = ("run", "characters", "parts", "seconds", "MB/s", "claims", "peak RSS MB")
    rows = [
        (
            r.name,
            f"{r.chars:,}",
            str(r.parts),
            f"{r.seconds:.2f}",
            f"{r.mb_per_s:.2f}",
            f"{r.claims:,}",
            f"{r.peak_rss_mb:,.0f}",
        )
        for r in results
    ]
    _print_table("tollcheck on long texts (clean + extract, one process)", columns, rows, out)
