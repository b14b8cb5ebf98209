"""Scoring for the team's gold set (tests/gold/): the same matching rules as the evaluation kit.

A gold claim is matched by one predicted claim of its category whose [low, high] lies inside the
gold [low, high] (null low = 0, null high = no bound). Precision is matched / predictions with a
figure; a prediction whose stated figure is in a sentence's `must_not` list is a trap.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from tollcheck.extract.pipeline import extract_text
from tollcheck.model import Claim
from tollcheck.tally import tally

GOLD = Path(__file__).parent / "gold"
INF = float("inf")


def load(name: str) -> list[dict]:
    return [json.loads(line) for line in (GOLD / name).read_text(encoding="utf-8").splitlines() if line.strip()]


def _inside(c: Claim, g: dict) -> bool:
    lo, hi = (c.low or 0), (INF if c.high is None else c.high)
    g_lo, g_hi = (g.get("low") or 0), (INF if g.get("high") is None else g["high"])
    return g_lo <= lo and hi <= g_hi


@dataclass
class Score:
    required: int = 0
    found: int = 0
    scored: int = 0
    good: int = 0
    traps: int = 0
    source_total: int = 0
    source_ok: int = 0
    place_total: int = 0
    place_ok: int = 0
    misses: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.found / self.required if self.required else 1.0

    @property
    def precision(self) -> float:
        return self.good / self.scored if self.scored else 1.0

    def summary(self) -> str:
        return (
            f"recall={self.recall:.3f} ({self.found}/{self.required}) precision={self.precision:.3f} "
            f"({self.good}/{self.scored}) traps={self.traps} sources={self.source_ok}/{self.source_total} "
            f"places={self.place_ok}/{self.place_total}"
        )


def score_sentences() -> Score:
    s = Score()
    for item in load("sentences.jsonl"):
        claims = [
            c
            for c in extract_text(item["text"], item.get("published"), item["id"])
            if c.low is not None or c.high is not None
        ]
        used: set[int] = set()
        for g in item["must"]:
            s.required += 1
            hit = next(
                (i for i, c in enumerate(claims) if i not in used and c.category == g["category"] and _inside(c, g)),
                None,
            )
            if hit is None:
                s.misses.append(f"MISSED {item['id']} {g}: {item['text'][:100]}")
                continue
            s.found += 1
            used.add(hit)
            c = claims[hit]
            if g.get("source"):
                s.source_total += 1
                ok = g["source"].lower() in (c.source or "").lower()
                s.source_ok += ok
                if not ok:
                    s.misses.append(f"SOURCE {item['id']} got {c.source!r} want {g['source']!r}")
            if g.get("place"):
                s.place_total += 1
                ok = g["place"].lower() in (c.place or "").lower()
                s.place_ok += ok
                if not ok:
                    s.misses.append(f"PLACE  {item['id']} got {c.place!r} want {g['place']!r}")
        bad = {n["value"] for n in item.get("must_not", [])}
        for i, c in enumerate(claims):
            s.scored += 1
            if i in used:
                s.good += 1
            elif c.value in bad or (c.low in bad and c.high in bad):
                s.traps += 1
                s.misses.append(f"TRAP   {item['id']} {c.category} {c.low}..{c.high}: {item['text'][:100]}")
            else:
                s.misses.append(f"EXTRA  {item['id']} {c.category} {c.low}..{c.high}: {item['text'][:100]}")
    return s


def score_reports() -> tuple[dict[str, float], list[str]]:
    rows = load("reports.jsonl")
    ok = {"killed": 0, "injured": 0, "killed_noncombatant": 0, "zero_kept": 0}
    zeros = 0
    misses = []
    for r in rows:
        claims = extract_text(r["text"], r.get("published"), r["id"])
        totals = tally(r["id"], claims, r.get("published")).totals
        killed = totals.get("killed")
        best = (killed.best or 0) if killed else 0
        armed = (
            sum((killed.by_side.get(k, 0) for k in ("security_forces", "armed_groups", "perpetrators")), 0)
            if killed
            else 0
        )
        injured = totals.get("injured")
        got = {
            "killed": best,
            "injured": (injured.best or 0) if injured else 0,
            "killed_noncombatant": max(best - armed, 0),
        }
        for k in got:
            ok[k] += got[k] == r[k]
            if got[k] != r[k]:
                misses.append(f"{r['id']} {k} want {r[k]} got {got[k]}: {r['text'][:110]}")
        if r["killed"] == 0:
            zeros += 1
            ok["zero_kept"] += got["killed"] == 0
    n = len(rows)
    rates = {k: v / n for k, v in ok.items() if k != "zero_kept"}
    rates["zero_kept"] = ok["zero_kept"] / zeros if zeros else 1.0
    return rates, misses
