"""The ASGI app: `create_app(casebook)` returns a Starlette app that uvicorn serves.

Layers, outermost first: security headers on every response (a Content-Security-Policy that allows
only this site's own script and style, no framing, no referrer to outside), signed session cookies
(HttpOnly, SameSite=Lax), and the login gate (every path but `/healthz`, `/login` and `/static/` needs a
logged-in user who still exists). Pages are Jinja2 templates with autoescape; POSTs check the CSRF token
(`forms.guarded_form`). SQLite is read through one connection per worker thread; corrections are
written one at a time (`Casebook.write_lock`), each through `tollcheck.casebook.review`.
"""

from __future__ import annotations

import os
import secrets
import sqlite3
import threading
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

from jinja2 import Environment, PackageLoader, StrictUndefined
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import HTTPConnection
from starlette.responses import PlainTextResponse, RedirectResponse
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from tollcheck.casebook.schema import connect, connect_readonly, open_casebook, writable
from tollcheck.serve.auth import Throttle, user_exists

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),  # no referrer to outside; the Origin of our own POSTs is kept
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
]
OPEN_PATHS = ("/healthz", "/login")


class Casebook:
    """The casebook file the app serves: a connection per thread, one writer at a time."""

    def __init__(self, path: str | os.PathLike[str], read_only: bool = False) -> None:
        self.path = str(path)
        self.read_only = read_only
        self.write_lock = threading.Lock()
        self._local = threading.local()
        self._all: list[sqlite3.Connection] = []
        self._guard = threading.Lock()
        self.users_seen: dict[str, float] = {}  # user -> until when they are known to exist
        self.throttle = Throttle()

    def conn(self) -> sqlite3.Connection:
        c = getattr(self._local, "conn", None)
        if c is None:
            # --read-only, or a file that cannot be written: opened read-only, so no page can change it
            c = connect_readonly(self.path) if self.read_only or not writable(self.path) else connect(self.path)
            self._local.conn = c
            with self._guard:
                self._all.append(c)
        return c

    def close(self) -> None:
        with self._guard:
            for c in self._all:
                try:
                    c.close()
                except sqlite3.ProgrammingError:  # made in another thread that is gone: nothing to close
                    pass
            self._all.clear()


class SecurityHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = list(message.get("headers", [])) + HEADERS
            await send(message)

        await self.app(scope, receive, send_with_headers)


class RequireLogin:
    """Every path but the open ones needs a logged-in user; GETs are sent to the login page, others get 403."""

    def __init__(self, app: ASGIApp, casebook: Casebook) -> None:
        self.app = app
        self.casebook = casebook

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if scope["type"] != "http" or path in OPEN_PATHS or path.startswith("/static/"):
            await self.app(scope, receive, send)
            return
        conn = HTTPConnection(scope)
        user = conn.session.get("user")
        if isinstance(user, str) and await _exists(self.casebook, user):
            scope["user_name"] = user
            await self.app(scope, receive, send)
            return
        conn.session.pop("user", None)
        if scope["method"] in ("GET", "HEAD"):
            target = path + ("?" + scope["query_string"].decode("latin-1") if scope["query_string"] else "")
            response: Any = RedirectResponse("/login?next=" + quote(target, safe=""), status_code=303)
        else:
            response = PlainTextResponse("log in first", status_code=403)
        await response(scope, receive, send)


USER_CHECK_S = 5.0  # a removed user's session ends within this many seconds


async def _exists(casebook: Casebook, user: str) -> bool:
    """Whether the user is still in the casebook (checked at most every USER_CHECK_S seconds per user)."""
    now = time.monotonic()
    if casebook.users_seen.get(user, 0.0) > now:
        return True
    ok = await run_in_threadpool(lambda: user_exists(casebook.conn(), user))
    if ok:
        casebook.users_seen[user] = now + USER_CHECK_S
    return ok


def templates() -> Environment:
    from tollcheck.serve.reports import figure

    loader = PackageLoader("tollcheck.serve", "templates")
    env = Environment(loader=loader, autoescape=True, undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)

    env.filters["figure"] = figure
    env.filters["num"] = lambda v: "—" if v is None else f"{v:,}"
    env.filters["safe_url"] = safe_url
    return env


def safe_url(url: object) -> str | None:
    """The URL when it is http(s), else None (shown as text, never a link)."""
    if not isinstance(url, str):
        return None
    u = url.strip()
    low = u.lower()
    if not (low.startswith("http://") or low.startswith("https://")) or any(ord(ch) < 33 for ch in u):
        return None
    return u


def create_app(
    path: str | os.PathLike[str],
    read_only: bool = False,
    secret: str | None = None,
    https_only: bool = False,
    hosts: list[str] | None = None,
) -> Starlette:
    """The web app over the casebook at `path` (migrated to the current schema first, unless read-only).
    `hosts`: the Host names it answers to (others get 400: no DNS rebinding onto a loopback server)."""
    from tollcheck.serve import actions, pages

    if not Path(path).exists():
        raise FileNotFoundError(f"{path}: no such casebook")
    if not read_only:
        open_casebook(path).close()
    casebook = Casebook(path, read_only)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        yield
        casebook.close()

    routes = [
        Route("/healthz", lambda request: PlainTextResponse("ok")),
        Mount("/static", app=StaticFiles(packages=[("tollcheck.serve", "static")]), name="static"),
        *pages.routes(),
        *actions.routes(),
    ]
    middleware = [
        Middleware(SecurityHeaders),
        *([Middleware(TrustedHostMiddleware, allowed_hosts=hosts)] if hosts else []),
        Middleware(
            SessionMiddleware,
            secret_key=secret or os.environ.get("TOLLCHECK_SECRET") or secrets.token_urlsafe(32),
            session_cookie="tollcheck_session",
            max_age=12 * 3600,
            same_site="lax",
            https_only=https_only,
        ),
        Middleware(RequireLogin, casebook=casebook),
    ]
    app = Starlette(routes=routes, middleware=middleware, lifespan=lifespan)
    app.state.casebook = casebook
    app.state.templates = templates()
    return app
