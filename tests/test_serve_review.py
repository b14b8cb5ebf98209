"""`tollcheck serve` review through Starlette's TestClient: corrections by the logged-in user, two reviewers,
adding a claim from a selection, merge/split/rank, CSRF (403, nothing changed), read-only, hostile text.
The fixtures and the invented reports are test_serve's (imported: hence F401 and F811 off here)."""

# ruff: noqa: F401, F811

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from test_serve import (  # tests/ is on sys.path, see conftest
    REPORTS,
    TestClient,
    alice,
    anon,
    best_killed,
    claim_of,
    db,
    event_with,
    login,
    make_client,
    n_corrections,
    report_id,
    template,
    token,
    version_in,
)

from tollcheck.serve.app import safe_url
from tollcheck.serve.auth import local_path
from tollcheck.serve.reports import locate, marked_text, unique_quote

# --- review ---------------------------------------------------------------------------------------


def test_reject_changes_the_event_total_and_records_the_user(alice: TestClient, db: Path) -> None:
    cid = claim_of(db, "b2", "killed")
    eid = event_with(db, cid)
    rid = report_id(db, "b2")
    html = alice.get(f"/reports/{rid}").text
    r = alice.post(f"/claims/{cid}/reject", data={"csrf": token(alice, "/events"), "version": version_in(html, cid),
                   "why": "double count", "next": f"/events/{eid}"}, follow_redirects=False)  # fmt: skip
    assert r.status_code == 303 and r.headers["location"].startswith(f"/events/{eid}")
    assert f"claim {cid} rejected" in alice.get(r.headers["location"]).text  # the message after the redirect
    assert best_killed(alice, eid) == "12"
    conn = sqlite3.connect(db)
    row = conn.execute("SELECT by, action, why FROM corrections WHERE claim_id = ?", (cid,)).fetchone()
    conn.close()
    assert tuple(row) == ("alice", "reject", "double count")
    page = alice.get(f"/reports/{rid}").text
    assert "double count" in page and "rejected" in page  # in the claim's history
    history = alice.get(f"/events/{eid}").text.split('id="history"')[1]
    assert "reject</strong> by alice" in history and f"claim {cid}" in history  # and in the event's


def test_edit_changes_figure_and_speaker(alice: TestClient, db: Path) -> None:
    cid = claim_of(db, "a1", "killed")
    html = alice.get(f"/reports/{report_id(db, 'a1')}").text
    data = {"csrf": token(alice, "/events"), "version": version_in(html, cid), "low": "14", "high": "14",
            "category": "killed", "group": "villagers", "source": "the governor", "place": "Pellmoor"}  # fmt: skip
    assert alice.post(f"/claims/{cid}/edit", data=data, follow_redirects=False).status_code == 303
    conn = sqlite3.connect(db)
    row = conn.execute("SELECT by, data, before FROM corrections WHERE claim_id = ?", (cid,)).fetchone()
    conn.close()
    assert row[0] == "alice"
    assert json.loads(row[1]) == {"low": 14, "high": 14, "source": "the governor"}
    assert json.loads(row[2]) == {"low": 12, "high": 12, "source": "police"}


def test_two_reviewers_the_second_edit_is_refused_with_the_newer_state(db: Path, make_client: Callable) -> None:
    cid = claim_of(db, "a1", "killed")
    rid = report_id(db, "a1")
    clients = [login(make_client(), "alice"), login(make_client(), "bob")]
    pages = [c.get(f"/reports/{rid}").text for c in clients]
    versions = [version_in(p, cid) for p in pages]
    assert versions[0] == versions[1]
    base = {"category": "killed", "group": "villagers", "source": "police", "place": "Pellmoor"}
    first = {**base, "csrf": token(clients[0], "/events"), "version": versions[0], "low": "15", "high": "15"}
    assert clients[0].post(f"/claims/{cid}/edit", data=first, follow_redirects=False).status_code == 303
    before = n_corrections(db)
    second = {**base, "csrf": token(clients[1], "/events"), "version": versions[1], "low": "40", "high": "40"}
    r = clients[1].post(f"/claims/{cid}/edit", data=second)
    assert r.status_code == 409
    assert "changed since you opened it" in r.text and "alice" in r.text
    assert "15" in r.text and "40" in r.text  # the newer state, and what was not saved
    assert n_corrections(db) == before
    fresh = version_in(clients[1].get(f"/reports/{rid}").text, cid)
    second["version"] = fresh
    assert clients[1].post(f"/claims/{cid}/edit", data=second, follow_redirects=False).status_code == 303


def test_a_stale_reject_is_refused_too(db: Path, make_client: Callable) -> None:
    cid = claim_of(db, "b2", "killed")
    rid = report_id(db, "b2")
    a, b = login(make_client(), "alice"), login(make_client(), "bob")
    stale = version_in(b.get(f"/reports/{rid}").text, cid)
    fresh = {"csrf": token(a, "/events"), "version": stale}
    assert a.post(f"/claims/{cid}/accept", data=fresh, follow_redirects=False).status_code == 303
    r = b.post(f"/claims/{cid}/reject", data={"csrf": token(b, "/events"), "version": stale})
    assert r.status_code == 409 and "accepted" in r.text and "alice" in r.text
    assert b.post(f"/claims/{cid}/reject", data={"csrf": token(b, "/events")}).status_code == 409  # no version
    assert n_corrections(db) == 1


def test_add_a_missed_claim_from_a_selection(alice: TestClient, db: Path) -> None:
    rid = report_id(db, "a1")
    text = REPORTS[0]["text"]
    start = text.rindex("12 villagers")  # the second "12 villagers": the quote must be widened to point at it
    data = {"csrf": token(alice, "/events"), "start": str(start), "end": str(start + len("12 villagers")),
            "category": "displaced", "low": "12", "group": "villagers", "why": "missed"}  # fmt: skip
    r = alice.post(f"/reports/{rid}/claims", data=data, follow_redirects=False)
    assert r.status_code == 303
    conn = sqlite3.connect(db)
    row = conn.execute(
        "SELECT c.id, c.quote, c.span_start, c.span_end, k.by FROM claims c JOIN corrections k ON k.claim_id = c.id "
        "WHERE c.origin = 'analyst'"
    ).fetchone()
    conn.close()
    assert row[4] == "alice"
    assert row[3] == start + len("12 villagers") and text[row[2] : row[3]] == row[1] and row[1].endswith("12 villagers")
    assert r.headers["location"].endswith(f"#claim-{row[0]}")
    assert "add-claim" in alice.get(f"/reports/{rid}").text


def test_merge_split_and_rank(alice: TestClient, db: Path) -> None:
    a = event_with(db, claim_of(db, "a1", "killed"))
    h = event_with(db, claim_of(db, "h3", "killed"))
    t = token(alice, "/events")
    r = alice.post(f"/events/{a}/merge", data={"csrf": t, "events": h, "why": "same raid"}, follow_redirects=False)
    assert r.status_code == 303
    assert event_with(db, claim_of(db, "a1", "killed")) == event_with(db, claim_of(db, "h3", "killed"))
    merged = event_with(db, claim_of(db, "a1", "killed"))
    cid = claim_of(db, "h3", "killed")
    r = alice.post(f"/events/{merged}/split", data={"csrf": t, "claim": [str(cid)]}, follow_redirects=False)
    assert r.status_code == 303
    assert event_with(db, cid) != event_with(db, claim_of(db, "a1", "killed"))
    r = alice.post(f"/events/{merged}/rank", data={"csrf": t, "source": "police", "rank": "3"}, follow_redirects=False)
    assert r.status_code == 303
    assert best_killed(alice, event_with(db, claim_of(db, "a1", "killed"))) == "12"
    assert alice.post(f"/events/{merged}/rank", data={"csrf": t, "source": "police", "rank": "x"}).status_code == 400


# --- CSRF and read-only ---------------------------------------------------------------------------


@pytest.mark.parametrize("sent", [None, "", "forged-token-forged-token-forged-token"])
def test_a_post_without_a_valid_token_is_refused_and_changes_nothing(alice: TestClient, db: Path, sent: str) -> None:
    cid = claim_of(db, "b2", "killed")
    html = alice.get(f"/reports/{report_id(db, 'b2')}").text
    data = {"version": version_in(html, cid)} | ({} if sent is None else {"csrf": sent})
    before = n_corrections(db)
    for path in (f"/claims/{cid}/reject", f"/claims/{cid}/accept", "/events/e1/rank", "/logout"):
        assert alice.post(path, data={**data, "source": "police", "rank": "5"}).status_code == 403
    assert n_corrections(db) == before
    assert alice.get("/events", follow_redirects=False).status_code == 200  # still logged in


def test_a_token_from_another_session_or_another_site_is_refused(db: Path, make_client: Callable) -> None:
    a, b = login(make_client(), "alice"), login(make_client(), "bob")
    cid = claim_of(db, "b2", "killed")
    html = a.get(f"/reports/{report_id(db, 'b2')}").text
    data = {"csrf": token(a, "/events"), "version": version_in(html, cid)}
    assert b.post(f"/claims/{cid}/reject", data=data).status_code == 403
    assert a.post(f"/claims/{cid}/reject", data=data, headers={"origin": "http://evil.test"}).status_code == 403
    stranger = make_client()
    assert stranger.post(f"/claims/{cid}/reject", data={"csrf": token(stranger), "version": "0"}).status_code == 403
    assert n_corrections(db) == 0


def test_read_only_hides_and_refuses_review(db: Path, make_client: Callable) -> None:
    client = login(make_client(read_only=True))
    cid = claim_of(db, "b2", "killed")
    html = client.get(f"/reports/{report_id(db, 'b2')}").text
    assert "read-only" in html
    assert "/reject" not in html and "/edit" not in html and 'id="add-claim"' not in html
    assert "/merge" not in client.get(f"/events/{event_with(db, cid)}").text
    r = client.post(f"/claims/{cid}/reject", data={"csrf": token(client, "/events"), "version": "0"})
    assert r.status_code == 403
    assert n_corrections(db) == 0


# --- hostile text ---------------------------------------------------------------------------------


def test_hostile_report_text_title_outlet_and_url_are_shown_as_text(alice: TestClient, db: Path) -> None:
    html = alice.get(f"/reports/{report_id(db, 'h3')}").text
    assert "<script>window" not in html and "<img src=x" not in html and "<b>Toll" not in html
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=" in html
    assert 'href="javascript:' not in html.lower()
    assert "javascript:window.__pwned=4" in html  # the URL, shown inert
    hrefs = re.findall(r'href="([^"]*)"', html)
    assert all(h.startswith(("/", "#", "http://", "https://", "data:")) for h in hrefs)
    assert html.count("<script") == 1  # the page's own script file only
    event = alice.get(f"/events/{event_with(db, claim_of(db, 'h3', 'killed'))}").text
    assert "<script>window" not in event and "&lt;script&gt;window.__pwned=3&lt;/script&gt;" in event


def test_a_hostile_speaker_typed_in_an_edit_is_shown_as_text(alice: TestClient, db: Path) -> None:
    cid = claim_of(db, "h3", "killed")
    rid = report_id(db, "h3")
    data = {"csrf": token(alice, "/events"), "version": version_in(alice.get(f"/reports/{rid}").text, cid),
            "low": "8", "high": "8", "category": "killed", "group": "farmers",
            "source": '"><svg onload=alert(1)>', "place": "Dunmarrow"}  # fmt: skip
    assert alice.post(f"/claims/{cid}/edit", data=data, follow_redirects=False).status_code == 303
    for page in (f"/reports/{rid}", f"/events/{event_with(db, cid)}"):
        html = alice.get(page).text
        assert "<svg onload" not in html and "&#34;&gt;&lt;svg onload=alert(1)&gt;" in html


def test_safe_urls_and_local_redirects() -> None:
    assert safe_url("https://example.org/x") == "https://example.org/x"
    assert safe_url("HTTP://example.org") == "HTTP://example.org"
    for bad in ("javascript:alert(1)", " javascript:alert(1)", "data:text/html,x", "//evil.test", "http://a b", None):
        assert safe_url(bad) is None
    assert local_path("/events?q=x") == "/events?q=x"
    for bad in ("//evil.test", "https://evil.test", "/\\evil.test", "events", None, "/a\nb"):
        assert local_path(bad) == "/"


def test_a_selection_is_located_by_its_words_when_the_offsets_are_off() -> None:
    text = "Line one.\r\nRebels killed 5 people.\r\nLater 5 people died."
    start = text.rindex("5 people")
    assert locate(text, start, start + 8, "5 people") == (start, start + 8)
    assert locate(text, start - 2, start + 6, "5 people") == (start, start + 8)  # two CRs not counted
    assert locate(text, 3, 9, "nowhere") is None and locate(text, 9, 3, "") is None
    assert "&#13;" in marked_text(text, []) and "\r" not in marked_text(text, [])


def test_unique_quote_widens_a_repeated_selection() -> None:
    text = "Rebels killed 5 people. Later 5 people died."
    start = text.rindex("5 people")
    quote, at = unique_quote(text, start, start + 8)
    assert text.find(quote) == at and quote.endswith("5 people") and at < start
    assert unique_quote(text, 14, 22) == ("5 people", 14)


def test_read_only_opens_the_casebook_read_only(db: Path) -> None:
    """Behind --read-only every connection is SQLite's read-only one: no page can write to the file."""
    from tollcheck.serve.app import Casebook

    for read_only, refused in ((True, True), (False, False)):
        cb = Casebook(db, read_only=read_only)
        try:
            if refused:
                with pytest.raises(sqlite3.OperationalError, match="readonly"):
                    cb.conn().execute("INSERT INTO dirty_places VALUES ('x')")
            else:
                cb.conn().execute("DELETE FROM dirty_places WHERE place_key = 'x'")
        finally:
            cb.close()
