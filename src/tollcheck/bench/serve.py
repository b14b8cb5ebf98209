"""A load check of `tollcheck serve`, on loopback only, bounded in time and count:

    python -m tollcheck.bench.serve --reports 10000 --clients 20 --seconds 30

builds a casebook of generated short reports (`make_reports`; or reuses `--db`), starts
`tollcheck serve` on a free loopback port in a subprocess, and runs `clients` threads, each logged in with
its own session, reading event pages, report pages and the events list while `writers` of them post
edits (accept, or a figure edit naming the claim's version; a 409 from two writers meeting is counted,
not an error). Prints the error count and the p50/p95 latency per kind of page.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import re
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx

from tollcheck.model import Report

PASSWORD = "load-check-password"


@dataclass
class Tally:
    latencies: dict[str, list[float]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    conflicts: int = 0
    edits: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, kind: str, seconds: float, error: str | None = None) -> None:
        with self.lock:
            self.latencies.setdefault(kind, []).append(seconds)
            if error:
                self.errors.append(error)


SYLLABLES = ("ka", "ver", "lo", "dun", "mir", "os", "tal", "be", "ran", "qu", "esh", "nor", "vi", "hol", "za", "gre")


def make_reports(n: int, seed: int = 3) -> Iterator[Report]:
    """`n` short reports of incidents (made-up places over ten years), each incident told by one to eight
    reports over a few days with their own figures and speakers: events of a few sources, as in a real pile."""
    from tollcheck.bench import DAYS, GROUPS, LEADS, SPEAKERS

    rnd = random.Random(seed)
    start = dt.date(2014, 1, 1)
    i = 0
    while i < n:
        place = "".join(rnd.choice(SYLLABLES) for _ in range(rnd.randint(2, 3))).capitalize()
        day = start + dt.timedelta(days=rnd.randint(0, 3650))
        lead, group = rnd.choice(LEADS[:4]), rnd.choice(GROUPS)
        toll = rnd.randint(2, 90)
        for k in range(min(rnd.randint(1, 8), n - i)):
            published = day + dt.timedelta(days=k // 2)
            text = lead.format(
                n=toll + rnd.randint(0, k * 3), m=rnd.randint(1, 120), k=rnd.randint(1, 9), N="Twelve", g=group,
                p=place, d=DAYS[day.weekday()], s=rnd.choice(SPEAKERS),
            )  # fmt: skip
            yield Report(id=f"load-{i}", text=text, published=published.isoformat(), outlet=f"Outlet {i % 37}")
            i += 1


def build(db: str, n: int) -> None:
    """A casebook of `n` generated reports (only those not stored yet are added), with the load user."""
    from tollcheck.api import extract_reports
    from tollcheck.casebook import add_results, open_casebook
    from tollcheck.serve.auth import add_user, user_exists

    conn = open_casebook(db)
    have = conn.execute("SELECT count(*) FROM reports").fetchone()[0]
    if have < n:
        reports = (r for j, r in enumerate(make_reports(n)) if j >= have)
        add_results(conn, extract_reports(reports), by="load")
    if not user_exists(conn, "load"):
        add_user(conn, "load", PASSWORD)
    conn.close()


def free_port() -> int:
    """A TCP port free on the loopback address now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


Server = tuple[subprocess.Popen[bytes], str]


def start_server(db: str, env: dict[str, str] | None = None, timeout: float = 120.0) -> Server:
    """`tollcheck serve DB` in a subprocess on a free loopback port, polled until /healthz answers `ok`.
    Returns the process (stop it with `stop_server`) and its base URL."""
    port = free_port()
    cmd = [sys.executable, "-c", "from tollcheck.cli import app; app()", "serve", db, "--port", str(port)]
    log = tempfile.TemporaryFile()  # not a pipe: a server that writes much never blocks on it
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=log)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=2) as r:
                if r.status == 200 and r.read() == b"ok":
                    return proc, url
        except OSError:
            time.sleep(0.2)
    stop_server(proc)
    log.seek(0)
    said = log.read().decode(errors="replace").strip()[-500:]
    raise RuntimeError(f"tollcheck serve did not answer on {url}: {said}")


def stop_server(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def _login(url: str) -> httpx.Client:
    client = httpx.Client(base_url=url, timeout=30, follow_redirects=False)
    token = re.search(r'name="csrf" value="([^"]+)"', client.get("/login").text)
    assert token, "no login form"
    r = client.post("/login", data={"csrf": token.group(1), "name": "load", "password": PASSWORD})
    if r.status_code != 303:
        raise RuntimeError(f"login failed: {r.status_code}")
    return client


def _timed(tally: Tally, kind: str, fn: Any, ok: tuple[int, ...] = (200,)) -> httpx.Response | None:
    start = time.perf_counter()
    try:
        r = fn()
    except httpx.HTTPError as e:
        tally.add(kind, time.perf_counter() - start, f"{kind}: {type(e).__name__}")
        return None
    tally.add(kind, time.perf_counter() - start, None if r.status_code in ok else f"{kind}: HTTP {r.status_code}")
    return r


EDIT_FORM = re.compile(
    r'action="/claims/(\d+)/edit".*?name="csrf" value="([^"]+)".*?name="version" value="(\d+)"'
    r'.*?name="low" inputmode="numeric" value="(\d*)"',
    re.S,
)


def _client(url: str, tally: Tally, work: Any) -> None:
    """Log in, then run `work(client)`; a failure of the thread itself counts as an error."""
    try:
        client = _login(url)
    except (httpx.HTTPError, RuntimeError, AssertionError) as e:
        tally.add("login", 0.0, f"login: {e}")
        return
    try:
        work(client)
    except Exception as e:  # noqa: BLE001 - counted and printed, the other clients go on
        tally.add("client", 0.0, f"client: {type(e).__name__}: {e}")
    finally:
        client.close()


def reader(url: str, events: list[str], reports: list[int], pages: int, until: float, tally: Tally, seed: int) -> None:
    rnd = random.Random(seed)

    def work(client: httpx.Client) -> None:
        while time.monotonic() < until:
            roll = rnd.random()
            if roll < 0.45:
                _timed(tally, "event page", lambda: client.get(f"/events/{rnd.choice(events)}"))
            elif roll < 0.9:
                _timed(tally, "report page", lambda: client.get(f"/reports/{rnd.choice(reports)}"))
            else:
                _timed(tally, "events list", lambda: client.get(f"/events?page={rnd.randint(1, pages)}&sort=killed"))

    _client(url, tally, work)


def _post(client: httpx.Client, form: tuple[str, ...], rnd: random.Random, tally: Tally) -> None:
    cid, token, version, low = form
    data = {"csrf": token, "version": version, "why": "load check"}
    action = "edit" if low and rnd.random() < 0.5 else "accept"
    if action == "edit":
        data |= {"low": str(int(low) + 1), "high": str(int(low) + 1)}
    r = _timed(tally, "post " + action, lambda: client.post(f"/claims/{cid}/{action}", data=data), (303, 409))
    if r is not None:
        with tally.lock:
            tally.edits += r.status_code == 303
            tally.conflicts += r.status_code == 409


def writer(url: str, reports: list[int], until: float, tally: Tally, seed: int) -> None:
    rnd = random.Random(seed)

    def work(client: httpx.Client) -> None:
        while time.monotonic() < until:
            rid = rnd.choice(reports)
            r = _timed(tally, "report page", lambda rid=rid: client.get(f"/reports/{rid}"))
            forms = EDIT_FORM.findall(r.text) if r is not None else []
            if forms:
                _post(client, rnd.choice(forms), rnd, tally)

    _client(url, tally, work)


def p(values: list[float], q: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, int(q * len(s)))] * 1000 if s else 0.0


def bench_serve(
    reports: int = 10_000, clients: int = 20, writers: int = 2, seconds: float = 30.0, db: str | None = None
) -> dict[str, Any]:
    """Run the load check; returns the figures (and prints them)."""
    tmp = None
    if db is None:
        tmp = tempfile.TemporaryDirectory()
        db = os.path.join(tmp.name, "load.db")
    t0 = time.perf_counter()
    build(db, reports)
    built = time.perf_counter() - t0
    conn = sqlite3.connect(db)
    events = [r[0] for r in conn.execute("SELECT id FROM events")]
    report_ids = [r[0] for r in conn.execute("SELECT id FROM reports")]
    n_reports = len(report_ids)
    conn.close()
    proc, url = start_server(db)
    tally = Tally()
    try:
        until = time.monotonic() + seconds
        pages = max(1, len(events) // 50)
        threads = [
            threading.Thread(target=writer, args=(url, report_ids, until, tally, i))
            if i < writers
            else threading.Thread(target=reader, args=(url, events, report_ids, pages, until, tally, i))
            for i in range(clients)
        ]
        start = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.perf_counter() - start
    finally:
        stop_server(proc)
        if tmp is not None:
            tmp.cleanup()
    total = sum(len(v) for v in tally.latencies.values())
    out: dict[str, Any] = {
        "reports": n_reports, "events": len(events), "build_s": round(built, 1), "clients": clients,
        "writers": writers, "seconds": round(elapsed, 1), "requests": total,
        "requests_per_s": round(total / elapsed, 1), "errors": len(tally.errors), "edits": tally.edits,
        "conflicts": tally.conflicts,
        "pages": {k: {"n": len(v), "p50_ms": round(p(v, 0.5), 1), "p95_ms": round(p(v, 0.95), 1)}
                  for k, v in sorted(tally.latencies.items())},
    }  # fmt: skip
    print_figures(out, tally.errors)
    return out


def print_figures(out: dict[str, Any], errors: list[str]) -> None:
    w = sys.stdout.write
    w(f"casebook: {out['reports']:,} reports, {out['events']:,} events (built or checked in {out['build_s']} s)\n")
    w(f"{out['clients']} clients ({out['writers']} posting edits) for {out['seconds']} s: "
      f"{out['requests']:,} requests, {out['requests_per_s']}/s, {out['errors']} errors, "
      f"{out['edits']} edits saved, {out['conflicts']} refused as stale (409)\n")  # fmt: skip
    for kind, f in out["pages"].items():
        w(f"  {kind:<12} n={f['n']:>6}  p50 {f['p50_ms']:>7.1f} ms  p95 {f['p95_ms']:>7.1f} ms\n")
    for e in sorted(set(errors))[:10]:
        w(f"  error: {e} (x{errors.count(e)})\n")


def main() -> None:  # pragma: no cover - a command, run by hand
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--reports", type=int, default=10_000)
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--writers", type=int, default=2)
    ap.add_argument("--seconds", type=float, default=30.0)
    ap.add_argument("--db", help="A casebook to build once and reuse (kept).")
    a = ap.parse_args()
    out = bench_serve(a.reports, a.clients, a.writers, min(a.seconds, 600.0), a.db)
    sys.exit(1 if out["errors"] else 0)


if __name__ == "__main__":  # pragma: no cover
    main()
