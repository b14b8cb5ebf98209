"""The HTML report in a real browser (Debian's Chromium through Playwright), opened offline from a file.

Needs `pip install playwright` (its driver ships in the wheel; no `playwright install`) and the `chromium`
apt package at /usr/bin/chromium.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tollcheck.render.browser import CHROMIUM, LAUNCH_ARGS
from tollcheck.render.html import Anchors, render_html

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install playwright)")
if not (Path(CHROMIUM).exists() or shutil.which("chromium")):
    pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium)", allow_module_level=True)

from test_html import R1, R2, make_comparison  # noqa: E402  (tests/ is on sys.path, see conftest)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=LAUNCH_ARGS)
        yield b
        b.close()


@pytest.fixture()
def opened(browser, tmp_path: Path):  # type: ignore[no-untyped-def]
    path = tmp_path / "report.html"
    path.write_text(render_html(make_comparison(), title="Orvenholt check"), encoding="utf-8")
    url = path.as_uri()
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    requests: list[str] = []
    console: list[str] = []
    errors: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.on("console", lambda m: console.append(f"{m.type}: {m.text}") if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(url, wait_until="load")
    yield page, url, requests, console, errors
    page.close()


def test_loads_offline_without_errors(opened) -> None:  # type: ignore[no-untyped-def]
    page, url, requests, console, errors = opened
    assert page.title() == "Orvenholt check"
    page.wait_for_timeout(200)
    assert requests == [url]
    assert console == [] and errors == []


def test_charts_are_drawn(opened) -> None:  # type: ignore[no-untyped-def]
    page = opened[0]
    assert page.locator("svg.chart").count() == 2
    dots = page.locator("svg.chart circle.dot")
    assert dots.count() == 6
    for i in range(dots.count()):
        box = dots.nth(i).bounding_box()
        assert box and box["width"] > 0 and box["height"] > 0
    svg = page.locator("svg.chart").first.bounding_box()
    assert svg and svg["width"] > 300 and svg["height"] > 150


def test_malicious_text_is_shown_not_run(opened) -> None:  # type: ignore[no-untyped-def]
    page = opened[0]
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.evaluate("document.scripts.length") == 0
    assert page.locator("img").count() == 0
    sync_api.expect(page.get_by_text("<script>window.__pwned = 1</script>").first).to_be_visible()
    sync_api.expect(page.get_by_text('<img src=x onerror="window.__pwned=2">').first).to_be_visible()
    sync_api.expect(page.get_by_text("</textarea> end.").first).to_be_visible()
    assert page.locator("article.report h3", has_text='<b>Toll rises</b> "><svg onload=alert(1)>').count() == 1


def test_clicking_a_figure_goes_to_its_quote(opened) -> None:  # type: ignore[no-untyped-def]
    page = opened[0]
    anchors = Anchors()
    for r in make_comparison().reports:
        anchors.report(r.id)
    target = anchors.claim(f"{R2}#c0")  # the ministry's 19, plotted in the "killed" chart
    page.locator(f'svg.chart a[href="#{target}"] circle.dot').first.click()
    page.wait_for_function(f"location.hash === '#{target}'")
    mark = page.locator(f"mark#{target}")
    sync_api.expect(mark).to_have_text("19")
    sync_api.expect(mark).to_be_in_viewport()
    assert page.evaluate("document.querySelector(':target').id") == target
    # a link in the timeline too
    quote = anchors.claim(f"{R1}#c1")
    page.locator(f'ol.timeline a[href="#{quote}"]').first.click()
    page.wait_for_function(f"location.hash === '#{quote}'")
    sync_api.expect(page.locator(f"mark#{quote}")).to_be_in_viewport()


# ---------------------------------------------------------------- the paged report (an index and a folder)


@pytest.fixture()
def paged(browser, tmp_path: Path):  # type: ignore[no-untyped-def]
    from tollcheck.render.site import write_html

    written = write_html(make_comparison(), tmp_path / "report.html", title="Orvenholt check", per_page=1)
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    requests: list[str] = []
    errors: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(written[0].as_uri(), wait_until="load")
    yield page, written, requests, errors
    page.close()


def test_paged_report_index_to_event_to_quote(paged) -> None:  # type: ignore[no-untyped-def]
    page, written, requests, errors = paged
    assert page.title() == "Orvenholt check"
    assert page.locator("article.report").count() == 0  # the index carries no report text
    page.locator("table.summary a", has_text="Orvenholt market attack").first.click()
    page.wait_for_load_state("load")
    assert page.url.split("#")[0].endswith(".html") and "report_files/e-" in page.url
    assert page.locator("svg.chart").count() == 2
    # a dot of a source whose report text is on another page: the browser goes there, to the figure
    anchors = Anchors()
    for r in make_comparison().reports:
        anchors.report(r.id)
    target = anchors.claim(f"{R2}#c0")
    page.locator(f'svg.chart a[href$="#{target}"] circle.dot').first.click()
    page.wait_for_function(f"location.hash === '#{target}'")
    sync_api.expect(page.locator(f"mark#{target}")).to_have_text("19")
    sync_api.expect(page.locator(f"mark#{target}")).to_be_in_viewport()
    # and back to the index
    page.locator("nav.pages a", has_text="all events").click()
    page.wait_for_load_state("load")
    assert page.url == written[0].as_uri()
    assert errors == []
    assert all(u.startswith("file://") for u in requests)


def test_right_to_left_override_is_shown_not_obeyed(browser, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from test_html import R1

    from tollcheck.model import Report

    comp = make_comparison()
    comp.reports[0] = Report(R1, "Filed on \u202e2025-11-30 by the desk.", title="Override \u202etitle")
    comp.claims[R1] = []
    path = tmp_path / "report.html"
    path.write_text(render_html(comp), encoding="utf-8")
    page = browser.new_page()
    page.goto(path.as_uri(), wait_until="load")
    text = page.locator("article.report .report-text").first.inner_text()
    assert "\u202e" not in text and "⟨U+202E⟩2025-11-30 by the desk." in text
    # laid out left to right: "2025" is drawn left of "desk"
    box = page.evaluate(
        """() => {
          const el = document.querySelector('article.report .report-text');
          const r = document.createRange(); const t = el.firstChild;
          const at = (s) => { const i = t.textContent.indexOf(s); r.setStart(t, i); r.setEnd(t, i + s.length);
                              return r.getBoundingClientRect().left; };
          return [at('2025'), at('desk')];
        }"""
    )
    assert box[0] < box[1]
    page.close()
