"""`tollcheck serve` in a real browser: the server is `tollcheck serve` in a subprocess on a free loopback port,
Playwright drives Debian's Chromium (see tollcheck.render.browser). All reports are invented."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tollcheck.bench.serve import start_server, stop_server
from tollcheck.render.browser import CHROMIUM

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install playwright)")
if not (Path(CHROMIUM).exists() or shutil.which("chromium")):
    pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium)", allow_module_level=True)

from test_browser import browser  # noqa: E402, F401  (the same Chromium, launched once per module)
from test_serve import HOSTILE_TITLE, PASSWORD, build_casebook  # noqa: E402  (tests/ is on sys.path, see conftest)

MISSED = "Seven households buried a relative"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    d = tmp_path_factory.mktemp("serve-browser")
    db = build_casebook(d / "case.db", extra=f"\r\n{MISSED} on Monday, a village elder said.")  # CR kept
    proc, url = start_server(str(db), env={**os.environ, "TOLLCHECK_SECRET": "browser-test-secret"})
    try:
        yield url
    finally:
        stop_server(proc)


@pytest.fixture
def page(browser, server: str):  # type: ignore[no-untyped-def]  # noqa: F811
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    pg = context.new_page()
    pg.dialogs, pg.errors, pg.requests = [], [], []
    pg.on("dialog", lambda d: (pg.dialogs.append(d.message), d.dismiss()))
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))
    pg.on("console", lambda m: pg.errors.append(m.text) if m.type == "error" else None)
    pg.on("request", lambda r: pg.requests.append(r.url))
    yield pg
    context.close()


def log_in(page, server: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(server + "/events")
    assert "/login" in page.url
    page.fill("input[name=name]", "alice")
    page.fill("input[name=password]", PASSWORD)
    page.click("form[action='/login'] button[type=submit]")
    page.wait_for_url(server + "/events")


def drag_select(page, phrase: str) -> None:  # type: ignore[no-untyped-def]
    """Select `phrase` in the report's text with the mouse, as an analyst would."""
    box = page.evaluate(
        """(phrase) => {
            const root = document.getElementById("report-text");
            const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
            for (let n = walker.nextNode(); n; n = walker.nextNode()) {
                const i = n.data.indexOf(phrase);
                if (i < 0) continue;
                const r = document.createRange();
                r.setStart(n, i); r.setEnd(n, i + 1);
                const a = r.getBoundingClientRect();
                r.setStart(n, i + phrase.length - 1); r.setEnd(n, i + phrase.length);
                const b = r.getBoundingClientRect();
                return [a.left + 1, a.top + a.height / 2, b.right - 1, b.top + b.height / 2];
            }
            return null;
        }""",
        phrase,
    )
    assert box, f"{phrase!r} is not in the text"
    page.mouse.move(box[0], box[1])
    page.mouse.down()
    page.mouse.move((box[0] + box[2]) / 2, box[3], steps=4)
    page.mouse.move(box[2], box[3], steps=4)
    page.mouse.up()


def test_review_in_the_browser(page, server: str) -> None:  # type: ignore[no-untyped-def]
    log_in(page, server)
    page.fill("input[name=q]", "Pellmoor")
    page.click("form.filters button[type=submit]")
    page.click("a.event-name:has-text('Pellmoor attack')")
    killed = page.locator("td.best[data-category=killed]")
    sync_api.expect(killed).to_have_text("19")
    event_url = page.url
    # open the report of the 19 and its claim, then reject it
    page.click("blockquote:has(mark:text-is('19')) footer a:text-matches('^claim')")
    panel = page.locator(".claim-panel.open")
    sync_api.expect(panel).to_be_visible()
    sync_api.expect(panel.locator("dd.figure")).to_contain_text("19")
    panel.locator("input.why").fill("counted twice")
    panel.locator("button.reject").click()
    sync_api.expect(page.locator(".flash")).to_contain_text("rejected")
    sync_api.expect(page.locator(".event-box td.best").first).to_have_text("12")
    # add the claim the machine missed, by selecting its words
    drag_select(page, MISSED)
    form = page.locator("#add-claim")
    sync_api.expect(form).to_be_visible()
    sync_api.expect(form.locator("#sel-quote")).to_have_text(MISSED)
    form.locator("select[name=category]").select_option("killed")
    form.locator("input[name=low]").fill("7")
    form.locator("input[name=why]").fill("missed by the machine")
    form.locator("button[type=submit]").click()
    sync_api.expect(page.locator(".flash")).to_contain_text("added")
    added = page.locator(".claim-panel.open")
    sync_api.expect(added.locator(".history")).to_contain_text("add-claim by alice")
    sync_api.expect(page.locator(f"#report-text a.claim:text-is('{MISSED}')")).to_have_count(1)
    # both corrections in the history, one click away
    page.goto(event_url)
    sync_api.expect(killed).not_to_have_text("19")
    history = page.locator("#history")
    sync_api.expect(history).to_contain_text("reject by alice")
    sync_api.expect(history).to_contain_text("counted twice")
    page.click("#history a:text-matches('^claim')")
    sync_api.expect(page.locator(".claim-panel.open .history")).to_contain_text("reject by alice")
    assert page.dialogs == [] and page.errors == []
    assert all(u.startswith(server) or u.startswith("data:") for u in page.requests)


def test_a_hostile_report_renders_inert(page, server: str) -> None:  # type: ignore[no-untyped-def]
    log_in(page, server)
    page.goto(server + "/events?q=Dunmarrow")
    page.click("a.event-name")
    page.click("blockquote footer a:text-matches('^claim')")
    sync_api.expect(page.locator("#report-text")).to_contain_text("<script>window.__pwned=1</script>")
    sync_api.expect(page.locator("h1.report-title")).to_have_text(HOSTILE_TITLE)
    sync_api.expect(page.locator("dd.url")).to_have_text("javascript:window.__pwned=4")
    assert page.locator("dd.url a").count() == 0
    assert page.locator("main img").count() == 0 and page.locator("main script").count() == 0
    page.wait_for_timeout(300)
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.dialogs == [] and page.errors == []
    assert all(u.startswith(server) or u.startswith("data:") for u in page.requests)


def test_actions_without_login_or_token_are_refused(browser, server: str) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    context = browser.new_context()
    r = context.request.post(server + "/claims/1/reject", form={"version": "0"}, max_redirects=0)
    assert r.status == 403
    pg = context.new_page()
    log_in(pg, server)
    r = context.request.post(server + "/claims/1/reject", form={"version": "0"}, max_redirects=0)
    assert r.status == 403  # logged in, but no token
    context.close()
