"""Screenshots of `tollcheck serve` for the README: an event page and a report page of the bundled example.

    .venv/bin/python scripts/screenshot_serve.py docs/serve-event.png docs/serve-report.png

Builds a casebook of examples/ in a temporary folder, adds a user, starts `tollcheck serve` on a free
loopback port, logs in with Debian's Chromium (Playwright) and takes the two pictures.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from tollcheck.casebook import add, open_casebook
from tollcheck.render.browser import CHROMIUM, LAUNCH_ARGS
from tollcheck.serve.auth import add_user
from tollcheck.serve.load import start_server, stop_server

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "screenshot-password"


def main(event_png: str, report_png: str) -> None:
    event_png, report_png = os.path.abspath(event_png), os.path.abspath(report_png)
    os.chdir(ROOT)  # the reports are named examples/..., as `tollcheck add examples/` names them
    with tempfile.TemporaryDirectory() as tmp:
        db = os.path.join(tmp, "example.db")
        conn = open_casebook(db)
        add(conn, ["examples/"], by="example")
        add_user(conn, "analyst", PASSWORD)
        event = conn.execute("SELECT id FROM events ORDER BY n_claims DESC LIMIT 1").fetchone()[0]
        report = conn.execute(
            "SELECT c.report_id, c.id FROM event_claims ec JOIN claims c ON c.id = ec.claim_id "
            "WHERE ec.event_id = ? ORDER BY c.report_id DESC, c.id LIMIT 1",
            (event,),
        ).fetchone()
        conn.close()
        proc, url = start_server(db)
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=LAUNCH_ARGS)
                page = browser.new_page(viewport={"width": 1400, "height": 1000})
                page.goto(url + "/login")
                page.fill("input[name=name]", "analyst")
                page.fill("input[name=password]", PASSWORD)
                page.click("form[action='/login'] button[type=submit]")
                page.wait_for_url(url + "/events")
                page.goto(f"{url}/events/{event}")
                page.screenshot(path=event_png)
                page.goto(f"{url}/reports/{report[0]}#claim-{report[1]}")
                page.evaluate("window.scrollTo(0, 0)")
                page.screenshot(path=report_png)
                browser.close()
        finally:
            stop_server(proc)
    sys.stdout.write(f"{event_png}, {report_png}\n")


if __name__ == "__main__":
    main(*(sys.argv[1:3] if len(sys.argv) >= 3 else ("docs/serve-event.png", "docs/serve-report.png")))
