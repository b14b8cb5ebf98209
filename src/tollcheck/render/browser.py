"""How tollcheck starts a browser for screenshots and page tests: Debian's Chromium, headless, offline.

Playwright drives it (`pip install playwright`; its driver ships in the wheel); Playwright's own browser
download is never used. The flags keep Chromium from reaching the network on its own.
"""

from __future__ import annotations

CHROMIUM = "/usr/bin/chromium"
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
