"""Corrections stay on the claim they were made on when a stored report is revised (issue 12, item 2).

A paragraph inserted at the top of a report shifts every span; re-added, each claim is found again by
its own words and context (`casebook.rematch`), one to one. A claim whose words are gone leaves its
corrections attached to nothing: it is `detached`, no longer counts, and is listed for review. All
reports are invented.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tollcheck.casebook import add, comparison_from_conn, open_casebook, review
from tollcheck.casebook.claims import load_stored
from tollcheck.casebook.rematch import match
from tollcheck.cli import app
from tollcheck.model import Claim

HEAD = "Published 3 June 2024\n"
BODY = (
    "A car bomb killed 40 people, among them 12 children, in Ostrava Nova on Monday, police said. "
    "Another 25 people were wounded.\n"
)
INSERTED = "Editor's note: this report was updated on Tuesday with the hospital's figures and a new photograph.\n\n"


@pytest.fixture
def stored(tmp_path: Path) -> tuple[sqlite3.Connection, Path]:
    path = tmp_path / "bomb.txt"
    path.write_text(HEAD + BODY, encoding="utf-8")
    conn = open_casebook(tmp_path / "case.db")
    add(conn, [str(path)], by="t")
    return conn, path


def claim_with(conn: sqlite3.Connection, category: str, low: int) -> int:
    row = conn.execute("SELECT id FROM claims WHERE category = ? AND low = ?", (category, low)).fetchall()
    assert len(row) == 1, (category, low, row)
    return int(row[0][0])


def now(conn: sqlite3.Connection) -> dict[int, tuple[int | None, str, str, bool]]:
    """{claim id: (machine low, review, status, counts)}."""
    return {
        sc.id: (sc.machine.low, sc.review, sc.status, sc.counts) for rows in load_stored(conn).values() for sc in rows
    }


def revise(conn: sqlite3.Connection, path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")
    stats = add(conn, [str(path)], by="t")
    assert stats.revised == 1


def test_a_rejected_subgroup_stays_rejected_when_a_paragraph_is_inserted(
    stored: tuple[sqlite3.Connection, Path],
) -> None:
    conn, path = stored
    total, children = claim_with(conn, "killed", 40), claim_with(conn, "killed", 12)
    review.reject(conn, children, by="ana", why="the children are counted in another report")
    revise(conn, path, HEAD + INSERTED + BODY)
    claims = now(conn)
    assert claims[children][:3] == (12, "rejected", "extracted")
    assert claims[total] == (40, "unreviewed", "extracted", True)
    spans = conn.execute("SELECT span_start FROM claims WHERE id = ?", (total,)).fetchone()[0]
    assert (HEAD + INSERTED + BODY)[spans:].startswith("40")
    killed = comparison_from_conn(conn).events[0].totals["killed"]
    assert killed.best == 40


def test_an_edited_figure_stays_on_its_claim(stored: tuple[sqlite3.Connection, Path]) -> None:
    conn, path = stored
    total, children = claim_with(conn, "killed", 40), claim_with(conn, "killed", 12)
    review.edit(conn, total, {"low": 42}, by="ana", why="two died in hospital")
    revise(conn, path, HEAD + INSERTED + BODY)
    claims = now(conn)
    assert claims[total][:2] == (40, "edited") and claims[children][:2] == (12, "unreviewed")
    lows = sorted(c.low for cs in comparison_from_conn(conn).claims.values() for c in cs if c.category == "killed")
    assert lows == [12, 42]
    assert review.history(conn, total)[-1]["now"]["low"] == 42


def test_a_vanished_claim_leaves_its_correction_detached_and_listed(
    stored: tuple[sqlite3.Connection, Path], tmp_path: Path
) -> None:
    conn, path = stored
    wounded = claim_with(conn, "injured", 25)
    review.edit(conn, wounded, {"low": 27}, by="ana", why="hospital list")
    rewritten = BODY.replace("Another 25 people were wounded.", "Twenty-six people were taken to hospital with wounds.")
    revise(conn, path, HEAD + INSERTED + rewritten)
    claims = now(conn)
    assert claims[wounded][1:] == ("edited", "detached", False)  # counts nowhere, attached to nothing
    comparison = comparison_from_conn(conn)
    assert all(c.low != 27 for cs in comparison.claims.values() for c in cs)  # never moved to another claim
    listed = CliRunner().invoke(
        app, ["review", "list", "--db", str(tmp_path / "case.db"), "--status", "detached", "-f", "jsonl"]
    )
    rows = [json.loads(line) for line in listed.stdout.splitlines()]
    assert [(r["id"], r["status"], r["low"]) for r in rows] == [(wounded, "detached", 27)]
    assert any(h.get("action", "").startswith("detached") for h in review.history(conn, wounded))
    # the words come back in a later revision: the claim is found again, with its correction
    revise(conn, path, HEAD + BODY)
    assert now(conn)[wounded][1:] == ("edited", "extracted", True)


def claim(quote: str, start: int, low: int = 5, sentence_start: int = 0) -> Claim:
    return Claim(doc="d", category="killed", low=low, high=low, qualifier="exact", value=low, group="people",
                 quote=quote, start=start, end=start + 1, sentence_start=sentence_start)  # fmt: skip


def test_two_fresh_claims_that_fit_equally_match_neither() -> None:
    old_text = "Gunmen killed 5 people in Vesk."
    new_text = "Gunmen killed 5 people in Vesk! Gunmen killed 5 people in Vesk?"
    old = [claim("Gunmen killed 5 people in Vesk.", 14)]
    new = [
        claim("Gunmen killed 5 people in Vesk!", 14),
        claim("Gunmen killed 5 people in Vesk?", 46, sentence_start=32),
    ]
    assert match(old, new, old_text, new_text) == ({}, {0})
    # with the same text, the same span is the same claim; a shifted span is found by its words
    assert match(old, old, old_text, old_text) == ({0: 0}, set())
    shifted = [claim("Gunmen killed 5 people in Vesk.", 24, sentence_start=10)]
    assert match(old, shifted, old_text, "Update 1. " + old_text) == ({0: 0}, set())
    assert match(old, [claim("A flood hit the town of Vesk today.", 14)], old_text, "x") == ({}, set())
    # a claim the last extraction found goes before a gone one that fits as well
    two = [claim("Gunmen killed 5 people in Vesk!", 14), claim("Gunmen killed 5 people in Vesk?", 14)]
    assert match(two, shifted, old_text, "Update 1. " + old_text, stale={0}) == ({0: 1}, set())
    assert match(two, shifted, old_text, "Update 1. " + old_text) == ({}, {0, 1})


def test_a_correction_made_on_an_older_version_is_refused_across_processes(
    stored: tuple[sqlite3.Connection, Path], tmp_path: Path
) -> None:
    """Two reviewers (two connections, as two processes would have): the second names the version it saw;
    the first changed the claim since, so the second correction is refused and nothing is written."""
    conn, _ = stored
    other = open_casebook(tmp_path / "case.db")
    cid = claim_with(conn, "killed", 40)
    seen = review.version_of(review.stored_claim(conn, cid))
    review.edit(other, cid, {"low": 41}, by="ana", expected=seen)
    before = conn.execute("SELECT count(*) FROM corrections").fetchone()[0]
    with pytest.raises(review.VersionConflict) as refused:
        review.reject(conn, cid, by="ben", expected=seen)
    assert refused.value.claim.claim.low == 41
    assert conn.execute("SELECT count(*) FROM corrections").fetchone()[0] == before
    review.reject(conn, cid, by="ben", expected=review.version_of(refused.value.claim))  # on the newer state: kept
    assert now(conn)[cid][1] == "rejected"
