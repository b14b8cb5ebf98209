"""Copies of one story (syndicated wire copies, republications, a page captured twice) count once.

All stories, outlets and places are invented.
"""

from __future__ import annotations

import json
import random
import time
from pathlib import Path

from typer.testing import CliRunner

from tollcheck.cli import app
from tollcheck.events.copies import MIN_WORDS, find_copies
from tollcheck.model import Report

WIRE_BODY = (
    "OSTREL, May 14 (Steppe Wire) - At least 23 people were killed and 41 wounded when a truck bomb exploded "
    "outside the grain exchange in Ostrel on Tuesday, the regional governor said.\n\n"
    "Governor Anselm Vry told reporters that most of the dead were traders and porters who had gathered at the "
    "exchange before dawn. Rescue teams worked through the morning to pull survivors from the collapsed hall.\n\n"
    "No group has said it carried out the attack. The exchange had reopened only last month after repairs to the "
    "roof, and traders said the market had been busier than usual ahead of the harvest festival.\n\n"
    "Hospitals in Ostrel appealed for blood donors, and the governor declared three days of mourning."
)


def wire_copy(headline: str, tail: str = "") -> str:
    return f"{headline}\n\n{WIRE_BODY}" + (f"\n\n{tail}" if tail else "")


def report(doc: str, text: str, outlet: str, published: str | None) -> Report:
    return Report(id=doc, text=text, outlet=outlet, published=published)


def test_exact_and_near_copies_point_to_the_earliest_original() -> None:
    reports = [
        report("herald", wire_copy("Truck bomb kills 23 in Ostrel", "By the Herald desk."), "Herald", "2024-05-15"),
        report("wire", wire_copy("Bomb at Ostrel grain exchange kills at least 23"), "Steppe Wire", "2024-05-14"),
        report("courier", wire_copy("Ostrel mourns after bombing"), "Courier", "2024-05-16"),
        report("capture-2", wire_copy("Bomb at Ostrel grain exchange kills at least 23"), "Steppe Wire", "2024-05-14"),
    ]  # fmt: skip
    assert find_copies(reports) == {"herald": "wire", "courier": "wire", "capture-2": "wire"}


def test_a_revision_with_other_figures_is_not_a_copy() -> None:
    first = wire_copy("Bomb kills 23 in Ostrel")
    revised = first.replace("At least 23 people", "At least 31 people")
    reports = [report("a", first, "Wire", "2024-05-14"), report("b", revised, "Wire", "2024-05-15")]
    assert find_copies(reports) == {}


def test_different_stories_are_not_copies() -> None:
    other = (
        "Floods cut the road to Ostrel\n\nHeavy rain washed away two bridges on the road to Ostrel on Tuesday, "
        "leaving villages in the valley without supplies. Engineers said repairs would take weeks, and the army "
        "sent boats to carry food and medicine. Farmers said the harvest in the lower valley was lost."
    )
    assert len(other.split()) >= MIN_WORDS
    assert find_copies([report("a", WIRE_BODY, "A", None), report("b", other, "B", None)]) == {}


def test_short_texts_are_only_compared_exactly() -> None:
    short = "Gunmen killed 12 villagers in Marrow on Friday, police said."
    near = "Gunmen killed 12 villagers in Marrow on Friday, the police said."
    same = "  gunmen killed 12 villagers in Marrow on Friday,   police said. "
    reports = [report("a", short, "A", None), report("b", near, "B", None), report("c", same, "C", None)]
    assert find_copies(reports) == {"c": "a"}


def test_near_linear_on_many_reports() -> None:
    rnd = random.Random(5)
    words = WIRE_BODY.split()
    reports = []
    for i in range(4000):
        body = words[:]
        rnd.shuffle(body)  # same vocabulary, different texts: no copies, and every bucket is busy
        reports.append(report(f"r{i}", " ".join(body), "X", None))
    reports += [report("dup", reports[7].text, "Y", None)]
    start = time.perf_counter()
    copies = find_copies(reports)
    assert time.perf_counter() - start < 10
    assert copies == {"dup": "r7"}


def test_compare_counts_a_wire_story_once_and_lists_both_outlets(tmp_path: Path) -> None:
    corpus = tmp_path / "wire.jsonl"
    rows = [
        {"id": "steppe-wire", "text": wire_copy("Bomb at Ostrel grain exchange kills at least 23"),
         "outlet": "Steppe Wire", "published": "2024-05-14"},
        {"id": "valley-post", "text": wire_copy("Truck bomb kills 23 in Ostrel", "Additional reporting by staff."),
         "outlet": "Valley Post", "published": "2024-05-15"},
    ]  # fmt: skip
    corpus.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    result = CliRunner().invoke(app, ["compare", str(corpus), "--format", "jsonl"])
    assert result.exit_code == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    reports = {r["doc"]: r for r in lines if r["type"] == "report"}
    assert reports["valley-post"].get("copy_of") == "steppe-wire"
    events = [e for e in lines if e["type"] == "event" and "killed" in e["totals"]]
    [event] = [e for e in events if "Ostrel" in e["places"]]
    killed = event["totals"]["killed"]
    assert (killed["low"], killed["best"]) == (23, 23)
    assert killed["n_sources"] == 1  # counted once
    [source] = [s for s in killed["sources"] if s["report"] == "steppe-wire"]
    assert source["outlet"] == "Steppe Wire" and source["copies"] == ["valley-post"]  # both appear
    assert set(event["reports"]) == {"steppe-wire", "valley-post"}
