"""`tollcheck serve` through Starlette's TestClient: login, CSRF, read-only, review actions, two reviewers,
hostile report text. All reports are invented; the casebook is built once per module and copied per test."""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
import warnings
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest

with warnings.catch_warnings():  # starlette's notice about httpx
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient
from typer.testing import CliRunner

from tollcheck.casebook import add, open_casebook
from tollcheck.cli import app as cli_app
from tollcheck.serve import create_app
from tollcheck.serve.app import safe_url
from tollcheck.serve.auth import add_user, local_path, verify_password
from tollcheck.serve.events import EventQuery, list_events
from tollcheck.serve.load import bench_serve
from tollcheck.serve.reports import locate, marked_text, unique_quote

PASSWORD = "correct horse 42"
HOSTILE_TITLE = '<b>Toll</b> "><img src=x onerror="window.__pwned=2">'
REPORTS = [
    {"id": "a1", "title": "Gunmen kill 12 in Pellmoor", "outlet": "Valley Post", "published": "2024-06-03",
     "url": "https://example.org/a1",
     "text": "Gunmen killed 12 villagers in Pellmoor on Sunday, police said. About 30 people were wounded in the "
             "attack, a hospital director said. Some 12 villagers fled to the hills."},
    {"id": "b2", "title": "Pellmoor toll rises", "outlet": "Ridge Times", "published": "2024-06-05",
     "url": "http://example.net/b2",
     "text": "The death toll from Sunday's attack in Pellmoor rose to 19, the regional health office said on "
             "Tuesday. Another 4 people remain missing."},
    {"id": "h3", "title": HOSTILE_TITLE, "outlet": "<script>window.__pwned=3</script>", "published": "2024-06-07",
     "url": "javascript:window.__pwned=4",
     "text": "Attackers killed 8 farmers in Dunmarrow on Friday, officials said. <script>window.__pwned=1</script> "
             '"><img src=x onerror="window.__pwned=2"> Read javascript:window.__pwned=5 for more. '
             "Elders said 3 shepherds were missing."},
]  # fmt: skip


def build_casebook(path: Path, extra: str = "") -> Path:
    """A casebook of the invented reports (`extra` ends the second one's text), with users alice and bob."""
    source = path.parent / "reports.jsonl"
    reports = [dict(r) for r in REPORTS]
    reports[1]["text"] += (" " + extra) if extra else ""
    source.write_text("".join(json.dumps(r) + "\n" for r in reports), encoding="utf-8")
    conn = open_casebook(path)
    add(conn, [str(source)], by="tester")
    add_user(conn, "alice", PASSWORD)
    add_user(conn, "bob", PASSWORD)
    conn.close()
    return path


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_casebook(tmp_path_factory.mktemp("serve") / "case.db")


@pytest.fixture
def db(template: Path, tmp_path: Path) -> Path:
    path = tmp_path / "case.db"
    shutil.copy(template, path)
    return path


@pytest.fixture
def make_client(db: Path) -> Iterator[Callable[..., TestClient]]:
    """Clients of one app each (one browser each), closed after the test."""
    with ExitStack() as stack:

        def make(read_only: bool = False) -> TestClient:
            app = create_app(db, read_only=read_only, secret="test-secret")
            return stack.enter_context(TestClient(app))

        yield make


@pytest.fixture
def anon(make_client: Callable[..., TestClient]) -> TestClient:
    return make_client()


def token(client: TestClient, path: str = "/login") -> str:
    m = re.search(r'name="csrf" value="([^"]+)"', client.get(path).text)
    assert m, f"no CSRF token on {path}"
    return m.group(1)


def login(client: TestClient, name: str = "alice", password: str = PASSWORD) -> TestClient:
    r = client.post("/login", data={"csrf": token(client), "name": name, "password": password, "next": "/events"},
                    follow_redirects=False)  # fmt: skip
    assert r.status_code == 303, r.text
    return client


@pytest.fixture
def alice(anon: TestClient) -> TestClient:
    return login(anon)


def claim_of(db: Path, report: str, category: str) -> int:
    conn = sqlite3.connect(db)
    row = conn.execute(
        "SELECT c.id FROM claims c JOIN reports r ON r.id = c.report_id WHERE r.doc = ? AND c.category = ? "
        "ORDER BY c.id LIMIT 1",
        (report, category),
    ).fetchone()
    conn.close()
    return int(row[0])


def report_id(db: Path, doc: str) -> int:
    conn = sqlite3.connect(db)
    rid = conn.execute("SELECT id FROM reports WHERE doc = ?", (doc,)).fetchone()[0]
    conn.close()
    return int(rid)


def n_corrections(db: Path) -> int:
    conn = sqlite3.connect(db)
    n = conn.execute("SELECT count(*) FROM corrections").fetchone()[0]
    conn.close()
    return int(n)


def event_with(db: Path, claim: int) -> str:
    conn = sqlite3.connect(db)
    eid = conn.execute("SELECT event_id FROM event_claims WHERE claim_id = ?", (claim,)).fetchone()[0]
    conn.close()
    return str(eid)


def version_in(html: str, cid: int) -> str:
    m = re.search(rf'action="/claims/{cid}/reject".*?name="version" value="(\d+)"', html, re.S)
    assert m, f"no reject form for claim {cid}"
    return m.group(1)


def best_killed(client: TestClient, eid: str) -> str:
    m = re.search(r'class="n best" data-category="killed">([^<]+)<', client.get(f"/events/{eid}").text)
    assert m
    return m.group(1)


# --- the skeleton and the gate --------------------------------------------------------------------


def test_healthz_needs_no_login_and_every_response_has_the_headers(anon: TestClient) -> None:
    r = anon.get("/healthz")
    assert r.status_code == 200 and r.text == "ok"
    csp = r.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "default-src 'none'" in csp
    assert r.headers["x-content-type-options"] == "nosniff"
    assert anon.get("/static/app.css").status_code == 200
    assert "addEventListener" in anon.get("/static/app.js").text


def test_a_loopback_server_answers_only_to_its_own_names(db: Path) -> None:
    app = create_app(db, secret="test-secret", hosts=["127.0.0.1", "localhost"])
    with TestClient(app, base_url="http://127.0.0.1:8000") as ok, TestClient(app, base_url="http://evil.test") as bad:
        assert ok.get("/healthz").status_code == 200
        assert bad.get("/healthz").status_code == 400


@pytest.mark.parametrize("path", ["/", "/events", "/events/e1", "/reports/1", "/claims/1", "/events?q=x"])
def test_every_page_needs_a_login(anon: TestClient, path: str) -> None:
    r = anon.get(path, follow_redirects=False)
    assert r.status_code == 303
    assert r.headers["location"].startswith("/login")


def test_login_sets_a_signed_http_only_cookie_and_a_wrong_password_is_refused(anon: TestClient) -> None:
    r = anon.post("/login", data={"csrf": token(anon), "name": "alice", "password": "wrong password"})
    assert r.status_code == 403 and "wrong name or password" in r.text
    r = anon.post("/login", data={"csrf": token(anon), "name": "nobody", "password": PASSWORD})
    assert r.status_code == 403
    r = anon.post("/login", data={"csrf": token(anon), "name": "alice", "password": PASSWORD, "next": "//evil.test/"},
                  follow_redirects=False)  # fmt: skip
    assert r.status_code == 303 and r.headers["location"] == "/events"
    cookie = r.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie
    assert anon.get("/events").status_code == 200


def test_repeated_failed_logins_lock_the_name_for_a_while(anon: TestClient) -> None:
    for _ in range(5):
        assert anon.post("/login", data={"csrf": token(anon), "name": "bob", "password": "guess"}).status_code == 403
    r = anon.post("/login", data={"csrf": token(anon), "name": "bob", "password": PASSWORD})
    assert r.status_code == 429 and "too many failed logins" in r.text
    assert login(anon, "alice")  # another name is not locked


def test_login_without_the_token_is_refused(anon: TestClient) -> None:
    anon.get("/login")
    r = anon.post("/login", data={"name": "alice", "password": PASSWORD})
    assert r.status_code == 403
    assert anon.get("/events", follow_redirects=False).status_code == 303


def test_logout_ends_the_session(alice: TestClient) -> None:
    assert alice.post("/logout", data={"csrf": token(alice, "/events")}, follow_redirects=False).status_code == 303
    assert alice.get("/events", follow_redirects=False).status_code == 303


def test_a_removed_user_is_logged_out(alice: TestClient, db: Path) -> None:
    conn = sqlite3.connect(db)
    conn.execute("DELETE FROM users WHERE name = 'alice'")
    conn.commit()
    conn.close()
    alice.app.state.casebook.users_seen.clear()  # as USER_CHECK_S seconds later
    assert alice.get("/events", follow_redirects=False).status_code == 303


# --- pages ---------------------------------------------------------------------------------------


def test_events_list_filters_sorts_and_pages(alice: TestClient, db: Path) -> None:
    html = alice.get("/events").text
    assert "Pellmoor attack" in html and "Dunmarrow" in html
    assert "Dunmarrow" not in alice.get("/events?q=pellmoor").text
    assert "Pellmoor attack" not in alice.get("/events?place=Dunmarrow").text
    assert "Pellmoor attack" in alice.get("/events?category=displaced").text
    assert "Dunmarrow" not in alice.get("/events?category=displaced").text
    assert "No event matches" in alice.get("/events?date_from=2024-07-01").text
    assert "Dunmarrow" in alice.get("/events?date_from=2024-06-05&date_to=2024-06-30").text
    assert "No event matches" in alice.get("/events?reviewed=yes").text
    by_killed = alice.get("/events?sort=killed&desc=1").text
    assert by_killed.index("Pellmoor attack") < by_killed.index("Dunmarrow")
    assert alice.get("/events?sort=nonsense&page=zzz").status_code == 200
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    first = list_events(conn, EventQuery.of({"sort": "id"}), per_page=1)
    second = list_events(conn, EventQuery.of({"sort": "id", "page": "2"}), per_page=1)
    conn.close()
    assert first.total == second.total == 2 and first.pages == 2
    assert first.rows[0]["e"]["id"] != second.rows[0]["e"]["id"]


def test_sorting_by_killed_pages_through_events_with_and_without_a_figure(db: Path) -> None:
    conn = open_casebook(db)
    conn.execute("INSERT INTO events VALUES ('e900', 'Quiet night', 'incident', '[]', NULL, NULL, 0, 0, 'now')")
    names = {}
    for desc in ("1", ""):
        pages = [list_events(conn, EventQuery.of({"sort": "killed", "desc": desc, "page": str(n)}), per_page=1)
                 for n in (1, 2, 3)]  # fmt: skip
        names[desc] = [p.rows[0]["e"]["name"] for p in pages]
    conn.close()
    assert names["1"] == ["Pellmoor attack", "Dunmarrow", "Quiet night"]
    assert names[""] == ["Dunmarrow", "Pellmoor attack", "Quiet night"]  # no figure: last either way


def test_the_filtered_list_exports_whole_as_csv_and_jsonl(alice: TestClient, db: Path) -> None:
    r = alice.get("/events.csv?q=pellmoor")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    lines = r.text.splitlines()
    assert lines[0].startswith("id,name,kind,places") and len(lines) == 2 and "Pellmoor attack" in lines[1]
    rows = [json.loads(line) for line in alice.get("/events.jsonl?sort=killed&desc=1").text.splitlines()]
    assert [r["name"] for r in rows][0] == "Pellmoor attack" and len(rows) == 2
    assert rows[0]["totals"]["killed"]["best"] == 19
    assert alice.get("/events.html").status_code == 404
    conn = sqlite3.connect(db)
    conn.execute("UPDATE events SET name = '=HYPERLINK(\"http://evil.test\")' WHERE name = 'Dunmarrow'")
    conn.commit()
    conn.close()
    assert "'=HYPERLINK" in alice.get("/events.csv").text  # a formula is shown as text in a spreadsheet


def test_event_page_shows_figures_rules_sources_and_quotes(alice: TestClient, db: Path) -> None:
    eid = event_with(db, claim_of(db, "a1", "killed"))
    html = alice.get(f"/events/{eid}").text
    assert "Pellmoor attack" in html
    assert best_killed(alice, eid) == "19"
    assert "best = 19" in html  # the rule written out
    assert "regional health office" in html and "Ridge Times" in html and "2024-06-05" in html
    assert re.search(r"rose to <mark[^>]*>19</mark>", html)
    assert '<svg class="chart"' in html
    assert alice.get("/events/e999").status_code == 404


def test_report_page_highlights_every_claim_in_place(alice: TestClient, db: Path) -> None:
    rid = report_id(db, "a1")
    html = alice.get(f"/reports/{rid}").text
    text = re.search(r'<div id="report-text"[^>]*>(.*?)</div>', html, re.S)
    assert text
    marks = re.findall(r'<a class="claim[^"]*" href="#claim-(\d+)"[^>]*>([^<]*)</a>', text.group(1))
    assert len(marks) == 3
    assert re.sub(r"<[^>]+>", "", text.group(1)) == REPORTS[0]["text"]  # the whole text, as it stands
    for cid, _ in marks:
        assert f'id="claim-{cid}"' in html  # each claim's panel: fields and history
    assert "Valley Post" in html and 'href="https://example.org/a1"' in html
    assert alice.get("/claims/1", follow_redirects=False).headers["location"].startswith("/reports/")


def test_reports_added_while_serving_appear_on_reload(alice: TestClient, db: Path, tmp_path: Path) -> None:
    assert "Quarrow" not in alice.get("/events").text
    late = tmp_path / "late.jsonl"
    text = "Raiders killed 6 herders in Quarrow on Monday, the district chief said."
    late.write_text(json.dumps({"id": "late", "published": "2024-06-11", "text": text}) + "\n", encoding="utf-8")
    conn = open_casebook(db)
    add(conn, [str(late)], by="tester")
    conn.close()
    assert "Quarrow" in alice.get("/events").text


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
    anon = make_client()
    assert anon.post(f"/claims/{cid}/reject", data={"csrf": token(anon), "version": "0"}).status_code == 403
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


def test_no_page_has_inline_script_style_or_event_handlers(alice: TestClient, db: Path) -> None:
    eid = event_with(db, claim_of(db, "h3", "killed"))
    for path in ("/events", f"/events/{eid}", f"/reports/{report_id(db, 'h3')}", f"/reports/{report_id(db, 'a1')}"):
        html = alice.get(path).text
        assert re.findall(r"<script[^>]*>", html) == ['<script src="/static/app.js" defer>'], path
        assert not re.search(r"<[^>]+\son[a-z]+\s*=", html), path  # no onclick=, onerror= ...
        assert not re.search(r"<[^>]+\sstyle\s*=", html) and "<style" not in html, path


def test_the_load_check_runs(tmp_path: Path) -> None:
    out = bench_serve(reports=12, clients=3, writers=1, seconds=1.5, db=str(tmp_path / "load.db"))
    assert out["errors"] == 0 and out["reports"] == 12 and out["requests"] > 0
    assert {"event page", "report page"} <= set(out["pages"])


# --- the commands ----------------------------------------------------------------------------------


def test_users_add_reads_the_password_from_stdin_and_hashes_it(tmp_path: Path) -> None:
    db = str(tmp_path / "people.db")
    runner = CliRunner()
    r = runner.invoke(cli_app, ["users", "add", "carol", "--db", db], input="a long passphrase\n")
    assert r.exit_code == 0, r.output
    conn = sqlite3.connect(db)
    stored = conn.execute("SELECT password FROM users WHERE name = 'carol'").fetchone()[0]
    conn.close()
    assert stored.startswith("scrypt$") and "a long passphrase" not in stored
    assert verify_password("a long passphrase", stored) and not verify_password("a long passphrasE", stored)
    assert runner.invoke(cli_app, ["users", "add", "carol", "--db", db], input="another one!\n").exit_code == 2
    assert runner.invoke(cli_app, ["users", "add", "dave", "--db", db], input="short\n").exit_code == 2
    assert runner.invoke(cli_app, ["users", "add", "bad name!", "--db", db], input="long enough 1\n").exit_code == 2
    assert runner.invoke(cli_app, ["users", "list", "--db", db]).output.split() == ["carol"]
    assert runner.invoke(cli_app, ["users", "remove", "carol", "--db", db]).exit_code == 0


def test_serve_refuses_a_casebook_nobody_can_log_in_to(tmp_path: Path) -> None:
    db = tmp_path / "empty.db"
    open_casebook(db).close()
    r = CliRunner().invoke(cli_app, ["serve", str(db)])
    assert r.exit_code == 2 and "users add" in r.output
    assert CliRunner().invoke(cli_app, ["serve", str(tmp_path / "missing.db")]).exit_code == 2
