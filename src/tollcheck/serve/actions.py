"""Review actions (POST, CSRF-checked, refused when read-only): accept, reject, edit, add a claim, merge and
split events, rank a source. Each one calls `tollcheck.casebook.review`, the library the CLI's
`tollcheck review` calls, with the logged-in user as `by`: the same audited correction.

Two reviewers: a claim action names the version of the claim it was made on (`version`, the id of its
last correction); when the claim has been corrected since, the action is refused with 409 and a page
showing the claim as it stands now, who changed it, and the values that were not saved.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from tollcheck.casebook import review
from tollcheck.casebook.claims import StoredClaim
from tollcheck.casebook.review import version_of
from tollcheck.model import CATEGORIES
from tollcheck.serve.auth import local_path
from tollcheck.serve.forms import casebook, flash, guarded_form, number, render, text, user
from tollcheck.serve.reports import claim_histories, locate, unique_quote

ACTIONS = ("accept", "reject", "edit")


@dataclass(slots=True)
class Conflict:
    claim: StoredClaim
    history: list[dict[str, Any]]
    sent: int


def _edit_changes(form: FormData, sc: StoredClaim) -> dict[str, Any]:
    """The edit form's values that differ from the claim as it stands; fields not sent stay as they are
    (a blank high: no upper bound; a blank group: unchanged)."""
    c = sc.claim
    changes: dict[str, Any] = {}
    if "low" in form or "high" in form:
        low, high = number(form, "low"), number(form, "high")
        if (low, high) != (c.low, c.high):
            changes["low"], changes["high"] = low, high
    category = text(form, "category", 40)
    if category and category != c.category:
        changes["category"] = category
    for key in ("group", "source", "place"):
        if key not in form:
            continue
        value = text(form, key, 200)
        if value != (getattr(c, key) or "") and (value or key != "group"):
            changes[key] = value or None
    return changes


async def claim_action(request: Request) -> Response:
    form = await guarded_form(request)
    action, cid = request.path_params["action"], request.path_params["cid"]
    if action not in ACTIONS:
        raise HTTPException(404, f"no action {action!r}")
    sent = number(form, "version")
    why, who = text(form, "why") or None, user(request)
    cb = casebook(request)

    def work() -> Conflict | str:
        conn = cb.conn()
        with cb.write_lock:
            try:
                sc = review.stored_claim(conn, cid)
            except review.ReviewError as e:
                raise HTTPException(404, str(e)) from None
            if sent is None or version_of(sc) != sent:
                return Conflict(sc, claim_histories(conn, [sc])[sc.id], sent or 0)
            try:  # the version is checked again inside the correction's transaction: another process may write
                if action == "accept":
                    review.accept(conn, cid, who, why, expected=sent)
                    return f"claim {cid} accepted"
                if action == "reject":
                    review.reject(conn, cid, who, why, expected=sent)
                    return f"claim {cid} rejected: it no longer counts"
                changes = _edit_changes(form, sc)
                if not changes:
                    return f"claim {cid}: nothing to change"
                review.edit(conn, cid, changes, who, why, expected=sent)
            except review.VersionConflict as e:
                return Conflict(e.claim, claim_histories(conn, [e.claim])[e.claim.id], sent)
            said = ", ".join(f"{k} {'none' if v is None else v}" for k, v in changes.items())
            return f"claim {cid} edited: {said}"

    try:
        outcome = await run_in_threadpool(work)
    except review.ReviewError as e:
        raise HTTPException(400, str(e)) from None
    if isinstance(outcome, Conflict):
        unsaved = {k: v for k, v in form.multi_items() if k not in ("csrf", "version", "next") and v}
        return render(
            request,
            "conflict.html.j2",
            {"c": outcome, "action": action, "unsaved": unsaved, "now_version": version_of(outcome.claim)},
            409,
        )
    flash(request, outcome)
    target = local_path(form.get("next"), f"/claims/{cid}")
    return RedirectResponse(target if "#" in target else f"{target}#claim-{cid}", status_code=303)


async def add_claim(request: Request) -> Response:
    form = await guarded_form(request)
    rid = request.path_params["rid"]
    start, end, low, high = (number(form, k) for k in ("start", "end", "low", "high"))
    words = str(form.get("words") or "")[:2000]
    category = text(form, "category", 40)
    if category not in CATEGORIES:
        raise HTTPException(400, f"choose a category ({', '.join(CATEGORIES)})")
    if low is None:
        raise HTTPException(400, "give the figure (low)")
    date = text(form, "date", 20)
    if date and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", date):
        raise HTTPException(400, f"the date {date!r} is not YYYY-MM-DD")
    if form.get("open") == "1":
        high = None
    elif high is None:
        high = low
    cb = casebook(request)

    def work() -> int:
        conn = cb.conn()
        row = conn.execute("SELECT doc, text FROM reports WHERE id = ?", (rid,)).fetchone()
        if row is None:
            raise HTTPException(404, f"no report {rid}")
        span = locate(row["text"], start or 0, end or 0, words) if start is not None and end is not None else None
        if span is None or span[1] - span[0] > 2000:
            raise HTTPException(400, "select the claim's words in the report's text first")
        quote, _ = unique_quote(row["text"], *span)
        new = review.NewClaim(
            row["doc"], category, low, high, quote, text(form, "group", 100) or "people",
            text(form, "source", 200) or None, text(form, "place", 200) or None, date or None,
        )  # fmt: skip
        with cb.write_lock:
            n = review.add_claim(conn, new, user(request), text(form, "why") or None)
            return int(conn.execute("SELECT claim_id FROM corrections WHERE id = ?", (n,)).fetchone()[0])

    try:
        cid = await run_in_threadpool(work)
    except review.ReviewError as e:
        raise HTTPException(400, str(e)) from None
    flash(request, f"claim {cid} added")
    return RedirectResponse(f"/reports/{rid}#claim-{cid}", status_code=303)


async def event_action(request: Request) -> Response:
    """Merge this event with others, split claims off it, or rank a source (all from the event page)."""
    form = await guarded_form(request)
    eid, action = request.path_params["eid"], request.path_params["action"]
    why, who = text(form, "why") or None, user(request)
    cb = casebook(request)

    def work() -> tuple[str, str]:
        conn = cb.conn()
        with cb.write_lock:
            if action == "merge":
                others = [e for e in text(form, "events").replace(",", " ").split() if e != eid]
                one = conn.execute("SELECT claim_id FROM event_claims WHERE event_id = ? LIMIT 1", (eid,)).fetchone()
                if one is None:
                    raise review.ReviewError(f"no event {eid} in the casebook")
                review.merge(conn, [eid, *others], who, why)
                row = conn.execute("SELECT event_id FROM event_claims WHERE claim_id = ?", (one[0],)).fetchone()
                return f"events {', '.join([eid, *others])} merged", row[0] if row else eid  # the largest's id
            if action == "split":
                claims = [int(v) for v in form.getlist("claim") if isinstance(v, str) and v.isdigit()]
                review.split(conn, eid, claims, who, why)
                return f"{len(claims)} claim(s) split off {eid}", eid
            if action == "rank":
                source, value = text(form, "source", 200), text(form, "rank", 12)
                if not value.lstrip("-").isdigit():
                    raise review.ReviewError("the rank is a whole number (higher is more reliable)")
                review.rank(conn, source, int(value), who, why)
                return f"{source} ranked {value}", eid
            raise HTTPException(404, f"no action {action!r}")

    try:
        message, target = await run_in_threadpool(work)
    except review.ReviewError as e:
        raise HTTPException(400, str(e)) from None
    flash(request, message)
    return RedirectResponse(f"/events/{target}", status_code=303)


def routes() -> list[Route]:
    return [
        Route("/claims/{cid:int}/{action:str}", claim_action, methods=["POST"]),
        Route("/reports/{rid:int}/claims", add_claim, methods=["POST"]),
        Route("/events/{eid:str}/{action:str}", event_action, methods=["POST"]),
    ]
