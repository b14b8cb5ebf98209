"""Screenshot an HTML report offline: `python scripts/screenshot.py REPORT.html OUT.png [--width 1280]`.

Drives Debian's Chromium (/usr/bin/chromium, or --chromium PATH) through Playwright; never downloads a browser.
The page is opened from a file:// URL and every request to anything else is blocked. The shot is of the whole
page, cut at --max-height pixels (default 2000; 0 for no limit).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tollcheck.render.browser import CHROMIUM, LAUNCH_ARGS


def screenshot(report: Path, out: Path, width: int = 1280, max_height: int = 2000, chromium: str = CHROMIUM) -> int:
    """Write the PNG; returns the number of requests blocked (anything but the file itself)."""
    from playwright.sync_api import sync_playwright

    url = report.resolve().as_uri()
    blocked: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, headless=True, args=LAUNCH_ARGS)
        try:
            page = browser.new_page(viewport={"width": width, "height": 900})

            def route(r):  # type: ignore[no-untyped-def]
                if r.request.url == url:
                    r.continue_()
                else:
                    blocked.append(r.request.url)
                    r.abort()

            page.route("**/*", route)
            page.goto(url, wait_until="load")
            height = page.evaluate("document.documentElement.scrollHeight")
            if max_height and height > max_height:
                page.screenshot(
                    path=str(out), full_page=True, clip={"x": 0, "y": 0, "width": width, "height": max_height}
                )
            else:
                page.screenshot(path=str(out), full_page=True)
        finally:
            browser.close()
    return len(blocked)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("report", type=Path, help="the HTML file")
    ap.add_argument("out", type=Path, help="the PNG to write")
    ap.add_argument("--width", type=int, default=1280)
    ap.add_argument("--max-height", type=int, default=2000, help="cut the page at this many pixels (0: whole page)")
    ap.add_argument("--chromium", default=CHROMIUM, help=f"the browser binary (default {CHROMIUM})")
    args = ap.parse_args(argv)
    if not args.report.is_file():
        ap.error(f"{args.report}: no such file")
    if not Path(args.chromium).exists():
        ap.error(f"{args.chromium}: no Chromium there (apt-get install chromium)")
    blocked = screenshot(args.report, args.out, args.width, args.max_height, args.chromium)
    print(f"wrote {args.out}" + (f" ({blocked} outside request(s) blocked)" if blocked else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
