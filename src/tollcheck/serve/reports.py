"""One report as the web page shows it: its whole text with every claim in place, each claim's fields and
history, its totals, events, copies and the cleaning repairs.

Report text is untrusted: it is escaped here with `markupsafe.escape` piece by piece, and each claim's
span becomes a link to its panel (`#claim-ID`). The page's script counts characters in the text's text
nodes (skipping `.also` badges) to turn a selection back into offsets of the original text.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup, escape

from tollcheck.casebook.claims import StoredClaim, corrected_lists, load_stored
from tollcheck.clean import clean_text
from tollcheck.model import Repair, ReportTotals
from tollcheck.serve.events import snapshot
from tollcheck.tally import tally


@dataclass(slots=True)
class ReportView:
    row: sqlite3.Row
    claims: list[StoredClaim]  # every claim row, in text order: counted or not
    html: Markup
    totals: ReportTotals
    events: list[dict[str, Any]]
    history: dict[int, list[dict[str, Any]]]
    copies: list[sqlite3.Row]
    repairs: list[Repair] = field(default_factory=list)
    metadata: dict[str, Any] = field(default_factory=dict)




def marked_text(text: str, claims: list[StoredClaim]) -> Markup:
    """The text escaped, each claim's span a link to its panel; overlapping spans share one link and the
    other claims get a small `.also` badge after it (as do empty spans)."""
    n = len(text)
    spans = sorted(
        ((max(0, min(n, sc.claim.start)), max(0, min(n, sc.claim.end)), sc) for sc in claims), key=lambda t: t[:2]
    )
    groups: list[list[Any]] = []  # [start, end, [claims]]
    for s, e, sc in spans:
        e = max(s, e)
        if groups and s < groups[-1][1]:
            groups[-1][1] = max(groups[-1][1], e)
            groups[-1][2].append(sc)
        else:
            groups.append([s, e, [sc]])
    out: list[str] = []
    pos = 0
    for s, e, members in groups:
        out.append(_text(text[pos:s]))
        first, rest = (members[0], members[1:]) if e > s else (None, members)
        if first is not None:
            out.append(
                f'<a class="{escape(_classes(first))}" href="#claim-{first.id}" data-claim="{first.id}" '
                f'title="{escape(_title(first))}">{_text(text[s:e])}</a>'
            )
        for sc in rest:
            out.append(
                f'<a class="also {escape(_classes(sc))}" href="#claim-{sc.id}" data-claim="{sc.id}" '
                f'title="{escape(_title(sc))}">{sc.id}</a>'
            )
        pos = e
    out.append(_text(text[pos:]))
    return Markup("".join(out))


def _text(part: str) -> str:
    """Report text escaped; a carriage return as a character reference, which the HTML parser keeps (a raw
    one it turns into a line feed), so that the page's text has the original's characters and offsets."""
    return str(escape(part)).replace("\r", "&#13;")


def _classes(sc: StoredClaim) -> str:
    cat = sc.claim.category if sc.claim.category.isalpha() else "other"
    out = ["claim", f"cat-{cat}", f"review-{sc.review}", f"status-{sc.status}"]
    if not sc.counts:
        out.append("uncounted")
    return " ".join(out)


def _title(sc: StoredClaim) -> str:
    c = sc.claim
    return f"claim {sc.id}: {c.category} {figure(c.low, c.high)} ({sc.review})"


def figure(low: int | None, high: int | None) -> str:
    if low is None and high is None:
        return "no figure"
    if high is None:
        return f"{low or 0:,} or more"
    if low is None or low == 0 and high > 0:
        return f"up to {high:,}" if low is None else f"0–{high:,}"
    return f"{low:,}" if low == high else f"{low:,}–{high:,}"


def claim_histories(conn: sqlite3.Connection, claims: list[StoredClaim]) -> dict[int, list[dict[str, Any]]]:
    """Each claim's history, oldest first: when the machine found it, then every correction (who, when, why)."""
    ids = [sc.id for sc in claims]
    out: dict[int, list[dict[str, Any]]] = {i: [] for i in ids}
    if not ids:
        return out
    marks = ",".join("?" * len(ids))
    rows = conn.execute(
        "SELECT c.id, c.origin, c.state, r1.started_at AS found_at, r1.version AS found_by FROM claims c "
        f"LEFT JOIN runs r1 ON r1.id = c.first_run WHERE c.id IN ({marks})",
        ids,
    )
    for row in rows:
        if row["origin"] == "machine":
            out[row["id"]].append({"at": row["found_at"], "by": f"tollcheck {row['found_by']}", "action": "extracted"})
    for c in conn.execute(f"SELECT * FROM corrections WHERE claim_id IN ({marks}) ORDER BY id", ids):
        out[c["claim_id"]].append(
            {"at": c["at"], "by": c["by"], "action": c["action"], "why": c["why"], "id": c["id"],
             "data": json.loads(c["data"]), "before": json.loads(c["before"])}
        )  # fmt: skip
    for sc in claims:
        if sc.state == "gone":
            out[sc.id].append({"at": None, "by": "tollcheck", "action": "gone: the last extraction no longer finds it"})
    return out


def report_view(conn: sqlite3.Connection, rid: int) -> ReportView | None:
    with snapshot(conn):
        row = conn.execute("SELECT * FROM reports WHERE id = ?", (rid,)).fetchone()
        if row is None:
            return None
        stored = load_stored(conn, [rid]).get(rid, [])
        history = claim_histories(conn, stored)
        events = conn.execute(
            "SELECT e.*, count(*) AS here FROM event_claims ec JOIN claims c ON c.id = ec.claim_id "
            "JOIN events e ON e.id = ec.event_id WHERE c.report_id = ? GROUP BY e.id ORDER BY min(c.span_start)",
            (rid,),
        ).fetchall()
        eids = [e["id"] for e in events]
        totals: dict[str, list[sqlite3.Row]] = {}
        for t in conn.execute(
            f"SELECT * FROM event_totals WHERE event_id IN ({','.join('?' * len(eids))}) ORDER BY rowid", eids
        ):
            totals.setdefault(t["event_id"], []).append(t)
        copies = conn.execute(
            "SELECT id, doc, title, outlet, published FROM reports WHERE text_hash = ? AND id != ? ORDER BY id",
            (row["text_hash"], rid),
        ).fetchall()
    in_order = sorted(stored, key=lambda sc: (sc.claim.start, sc.id))
    lists, _ = corrected_lists({rid: stored})
    report_totals = tally(row["doc"], lists.get(rid, []), row["published"])
    _, fixes, _ = clean_text(row["text"])
    return ReportView(
        row=row,
        claims=in_order,
        html=marked_text(row["text"], in_order),
        totals=report_totals,
        events=[{"e": e, "totals": totals.get(e["id"], [])} for e in events],
        history=history,
        copies=copies,
        repairs=[f.repair for f in fixes],
        metadata=json.loads(row["metadata"] or "{}"),
    )


def locate(text: str, start: int, end: int, words: str) -> tuple[int, int] | None:
    """The selection as offsets in the text: (start, end) when text[start:end] is the selected words, else
    the occurrence of the words nearest to `start` (a browser may have counted characters otherwise)."""
    if 0 <= start < end <= len(text) and (not words or text[start:end] == words):
        return start, end
    if not words:
        return None
    spots, at = [], text.find(words)
    while at >= 0:
        spots.append(at)
        at = text.find(words, at + 1)
    if not spots:
        return None
    best = min(spots, key=lambda i: abs(i - start))
    return best, best + len(words)


def unique_quote(text: str, start: int, end: int) -> tuple[str, int]:
    """A quote of text[start:end] that `text.find` places at `start`: the selection, widened to the left a
    word at a time while the same words stand earlier in the text. Returns (quote, its start)."""
    s = start
    while s > 0 and text.find(text[s:end]) != s:
        s -= 1
        while s > 0 and not text[s - 1].isspace():
            s -= 1
    return text[s:end], s
