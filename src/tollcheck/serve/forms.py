"""What every page and form shares: rendering a template with the user, CSRF token and messages; reading
a POST's form only when its CSRF token is the session's (403 otherwise, before anything is done)."""

from __future__ import annotations

from typing import Any

from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse

from tollcheck.serve.app import Casebook
from tollcheck.serve.auth import csrf_ok, csrf_token

MAX_FORM_FIELDS = 2000


def casebook(request: Request) -> Casebook:
    return request.app.state.casebook  # type: ignore[no-any-return]


def user(request: Request) -> str:
    return str(request.scope.get("user_name") or "")


def flash(request: Request, message: str, kind: str = "ok") -> None:
    messages = list(request.session.get("flash", []))[-2:]  # the cookie stays far below 4 KB
    messages.append([kind, message[:300]])
    request.session["flash"] = messages


def render(request: Request, name: str, context: dict[str, Any], status: int = 200) -> HTMLResponse:
    env = request.app.state.templates
    ctx = {
        "request": request,
        "user": user(request),
        "csrf": csrf_token(request.session),
        "read_only": casebook(request).read_only,
        "messages": request.session.pop("flash", []),
        "regrouping": bool(casebook(request).conn().execute("SELECT 1 FROM dirty_places LIMIT 1").fetchone()),
        **context,
    }
    return HTMLResponse(env.get_template(name).render(ctx), status_code=status)


def _same_origin(request: Request) -> bool:
    origin = request.headers.get("origin")
    if not origin or origin == "null":
        return origin is None
    host = request.headers.get("host", "")
    return origin.split("://", 1)[-1] == host


async def guarded_form(request: Request, review: bool = True) -> FormData:
    """The POST's form, when its CSRF token is the session's and it comes from this site; 403 otherwise.
    `review`: a review action, refused on a read-only server."""
    form = await request.form(max_fields=MAX_FORM_FIELDS, max_files=0)
    if not csrf_ok(request.session, form.get("csrf")) or not _same_origin(request):
        raise HTTPException(403, "the form's token is missing or stale: reload the page and try again")
    if review and casebook(request).read_only:
        raise HTTPException(403, "this server is read-only: no review actions")
    return form


def text(form: FormData, key: str, limit: int = 500) -> str:
    value = form.get(key)
    return value.strip()[:limit] if isinstance(value, str) else ""


def number(form: FormData, key: str) -> int | None:
    """An optional non-negative whole number ("1,200" allowed); a bad one is a 400."""
    raw = text(form, key, 40).replace(",", "").replace("_", "")
    if not raw:
        return None
    if not raw.isdigit():
        raise HTTPException(400, f"{key}: {raw!r} is not a whole number")
    return int(raw)
