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

from tollcheck.bench.serve import bench_serve
from tollcheck.casebook import add, open_casebook
from tollcheck.cli import app as cli_app
from tollcheck.serve import create_app
from tollcheck.serve.auth import add_user, verify_password
from tollcheck.serve.events import EventQuery, list_events

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


def test_a_large_event_shows_its_first_sources_and_links_to_all(
    alice: TestClient, db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tollcheck.serve import pages

    monkeypatch.setattr(pages, "SHOW_SOURCES", 1)
    monkeypatch.setattr(pages, "SHOW_CLAIMS", 2)
    eid = event_with(db, claim_of(db, "a1", "killed"))
    short, whole = alice.get(f"/events/{eid}").text, alice.get(f"/events/{eid}?all=1").text
    assert "1 more source(s)" in short and "more claim(s)" in short and f"/events/{eid}?all=1" in short
    assert "more source(s)" not in whole and "Ridge Times" in whole and "Valley Post" in whole
    assert short.count('name="claim"') == 2 and whole.count('name="claim"') == 5


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
