"""The pages (GET) and the login: events list, one event, one report, a claim's place in its report."""

from __future__ import annotations

import csv
import io
import json
import secrets
from urllib.parse import urlencode

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from tollcheck.casebook.review import version_of
from tollcheck.model import CATEGORIES
from tollcheck.render.chart import figure_chart
from tollcheck.serve.auth import LOCKOUT_S, check_login, local_path
from tollcheck.serve.events import (
    COUNT_CAP,
    GRADES,
    SORTS,
    EventQuery,
    event_view,
    export_events,
    list_events,
    quote_parts,
)
from tollcheck.serve.forms import casebook, guarded_form, render, text
from tollcheck.serve.reports import report_view


def events_page(request: Request) -> Response:
    q = EventQuery.of(request.query_params)
    result = list_events(casebook(request).conn(), q)

    def link(**over: object) -> str:
        return "/events?" + urlencode(q.params(**over))

    def export(fmt: str) -> str:
        return f"/events.{fmt}?" + urlencode(q.params(page=1))

    return render(
        request,
        "events.html.j2",
        {
            "result": result,
            "q": q,
            "link": link,
            "export": export,
            "cap": COUNT_CAP,
            "sorts": list(SORTS),
            "grades": GRADES,
            "all_categories": CATEGORIES,
        },
    )


def _cell(value: object) -> str:
    """A CSV cell; text a spreadsheet would run as a formula (=, +, -, @ first) gets a leading quote."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def events_export(request: Request) -> Response:
    """The events list as it is filtered and sorted, whole: /events.csv or /events.jsonl."""
    fmt = request.path_params["fmt"]
    if fmt not in ("csv", "jsonl"):
        raise HTTPException(404, "events.csv or events.jsonl")
    q = EventQuery.of(request.query_params)
    rows = list(export_events(casebook(request).conn(), q))
    if fmt == "jsonl":
        body = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
        return Response(body, media_type="application/x-ndjson", headers=_attachment("events.jsonl"))
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["id", "name", "kind", "places", "date_start", "date_end", "reports", "claims"]
                    + [f"{c}_{k}" for c in CATEGORIES for k in ("low", "best", "high", "grade")])  # fmt: skip
    for r in rows:
        cells = [r["id"], r["name"], r["kind"], "; ".join(r["places"]), r["date_start"], r["date_end"],
                 r["n_reports"], r["n_claims"]]  # fmt: skip
        for c in CATEGORIES:
            t = r["totals"].get(c, {})
            cells += [t.get("low"), t.get("best"), t.get("high"), t.get("grade")]
        writer.writerow([_cell(v) for v in cells])
    return Response(out.getvalue(), media_type="text/csv; charset=utf-8", headers=_attachment("events.csv"))


def _attachment(name: str) -> dict[str, str]:
    return {"content-disposition": f'attachment; filename="{name}"'}


SHOW_SOURCES, SHOW_CLAIMS = 40, 120  # a large event's page shows this many, with a link to show all


def event_page(request: Request) -> Response:
    eid = request.path_params["eid"]
    view = event_view(casebook(request).conn(), eid)
    if view is None:
        raise HTTPException(404, f"no event {eid}")
    whole = request.query_params.get("all") == "1"
    charts = {}
    for category, fig in view.event.totals.items():
        if any(v is not None for s in fig.sources for v in (s.low, s.best, s.high)):
            charts[category] = figure_chart(fig.sources, category, link=lambda s: _source_href(view, s), total=fig)
    return render(
        request,
        "event.html.j2",
        {
            "v": view,
            "ev": view.event,
            "charts": charts,
            "quote_parts": quote_parts,
            "version_of": version_of,
            "show_sources": None if whole else SHOW_SOURCES,
            "show_claims": None if whole else SHOW_CLAIMS,
        },
    )


def _source_href(view: object, s: object) -> str | None:
    for ref in getattr(s, "claims", []):
        sc = view.stored.get(ref)  # type: ignore[attr-defined]
        if sc is not None:
            return f"/reports/{sc.report_id}#claim-{sc.id}"
    return None


def report_page(request: Request) -> Response:
    rid = request.path_params["rid"]
    view = report_view(casebook(request).conn(), rid)
    if view is None:
        raise HTTPException(404, f"no report {rid}")
    return render(
        request,
        "report.html.j2",
        {"v": view, "r": view.row, "version_of": version_of, "categories": CATEGORIES},
    )


def claim_page(request: Request) -> Response:
    cid = request.path_params["cid"]
    row = casebook(request).conn().execute("SELECT report_id FROM claims WHERE id = ?", (cid,)).fetchone()
    if row is None:
        raise HTTPException(404, f"no claim {cid}")
    return RedirectResponse(f"/reports/{row[0]}#claim-{cid}", status_code=303)


def login_page(request: Request) -> Response:
    return render(request, "login.html.j2", {"next": local_path(request.query_params.get("next"), "/events")})


async def login(request: Request) -> Response:
    form = await guarded_form(request, review=False)
    name, password = text(form, "name", 64), str(form.get("password") or "")[:1024]
    target = local_path(form.get("next"), "/events")
    cb = casebook(request)
    if cb.throttle.blocked(name):
        error = f"too many failed logins for this name: wait {LOCKOUT_S // 60} minutes"
        return render(request, "login.html.j2", {"next": target, "error": error}, 429)
    ok = await run_in_threadpool(lambda: check_login(cb.conn(), name, password))
    if not ok:
        cb.throttle.failed(name)
        return render(request, "login.html.j2", {"next": target, "error": "wrong name or password"}, 403)
    cb.throttle.passed(name)
    request.session.clear()  # a new session: a token seen before login is no good after it
    request.session["user"] = name
    request.session["csrf"] = secrets.token_urlsafe(32)
    return RedirectResponse(target, status_code=303)


async def logout(request: Request) -> Response:
    await guarded_form(request, review=False)
    request.session.clear()
    return RedirectResponse("/login", status_code=303)


def routes() -> list[Route]:
    return [
        Route("/", lambda request: RedirectResponse("/events", status_code=303)),
        Route("/login", login_page, methods=["GET"]),
        Route("/login", login, methods=["POST"]),
        Route("/logout", logout, methods=["POST"]),
        Route("/events", events_page),
        Route("/events.{fmt:str}", events_export),
        Route("/events/{eid:str}", event_page),
        Route("/reports/{rid:int}", report_page),
        Route("/claims/{cid:int}", claim_page),
    ]
