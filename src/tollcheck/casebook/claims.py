"""Claims in the casebook: machine rows to `Claim`s, and the analyst's corrections applied over them.

Corrections never overwrite a machine row: they are rows of `corrections`, folded over the claim in
the order they were made when the casebook is read. A claim's `status` says what the machine did
(`extracted`; `new`: first found by a later extraction and not yet reviewed; `gone`: the last
extraction no longer finds it; `detached`: its report was revised and its words are no longer in it,
or two fresh claims fit it equally, so its corrections are attached to nothing: review them; `added`:
an analyst's claim) and its `review` what the analyst did
(`unreviewed`, `accepted`, `edited`, `rejected`, the last decision winning).

A claim counts (it is in the reports' totals and the events) unless it is rejected, detached, or gone
without the analyst having accepted or edited it: a correction stays in force when the extractor
stops finding its claim in the same words, never on another claim.
"""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from tollcheck.model import KEY_FIELD, Claim, Report

EDITABLE = ("low", "high", "value", "qualifier", "category", "group", "source", "place")
COLUMN = {"group": "victim_group", "start": "span_start", "end": "span_end"}  # Claim field -> column
CLAIM_COLUMNS = (
    "category", "low", "high", "qualifier", "value", "victim_group", "unit", "side", "source", "place",
    "place_from", "date", "date_end", "date_from", "quote", "span_start", "span_end", "sentence_start",
    "sentence_end", "rule",
)  # fmt: skip


@dataclass(slots=True)
class StoredClaim:
    """A claim row with its corrections applied: `claim` is what the casebook says now (the same object as
    `machine` until an edit; its `statement`, `subgroup_of` and `event` are renumbered when read)."""

    id: int
    report_id: int
    doc: str
    origin: str
    state: str
    idx: int
    first_run: int | None
    report_first_run: int
    machine: Claim
    claim: Claim
    subgroup_of: int | None  # claim row id
    review: str = "unreviewed"
    corrections: list[int] = field(default_factory=list)
    report_key: str = ""

    @property
    def status(self) -> str:
        if self.origin == "analyst":
            return "added"
        if self.state in ("gone", "detached"):
            return str(self.state)
        new = self.first_run is not None and self.first_run > self.report_first_run
        return "new" if new and self.review == "unreviewed" else "extracted"

    @property
    def counts(self) -> bool:
        if self.review == "rejected" or self.state == "detached":
            return False
        return self.state != "gone" or self.review in ("accepted", "edited")


def claim_values(c: Claim) -> tuple[object, ...]:
    """The stored columns of a claim, in CLAIM_COLUMNS order."""
    return (
        c.category, c.low, c.high, c.qualifier, c.value, c.group, c.unit, c.side, c.source, c.place,
        c.place_from, c.date, c.date_end, c.date_from, c.quote, c.start, c.end, c.sentence_start, c.sentence_end,
        c.rule,
    )  # fmt: skip


def claim_of(row: sqlite3.Row, doc: str) -> Claim:
    return Claim(
        doc=doc,
        category=row["category"],
        low=row["low"],
        high=row["high"],
        qualifier=row["qualifier"],
        value=row["value"],
        group=row["victim_group"],
        unit=row["unit"],
        side=row["side"],
        source=row["source"],
        place=row["place"],
        place_from=row["place_from"],
        date=row["date"],
        date_end=row["date_end"],
        date_from=row["date_from"],
        quote=row["quote"],
        start=row["span_start"],
        end=row["span_end"],
        sentence_start=row["sentence_start"],
        sentence_end=row["sentence_end"],
        flags=[] if row["flags"] == "[]" else json.loads(row["flags"]),
        statement=row["statement"],
        rule=row["rule"],
    )


def apply_edit(claim: Claim, data: dict[str, object]) -> None:
    """An edit's new values over a claim. A figure edit without `value` makes the figure exact when low == high."""
    for key, value in data.items():
        if key in EDITABLE:
            setattr(claim, key, value)
    if ("low" in data or "high" in data) and "value" not in data:
        claim.value = claim.low if claim.low is not None and claim.low == claim.high else None
        if "qualifier" not in data:
            claim.qualifier = "exact" if claim.value is not None else ("at_least" if claim.high is None else "range")
    if "place" in data:
        claim.place_from = "analyst"


def report_of(row: sqlite3.Row) -> Report:
    """The stored report; its casebook key rides in `origin["key"]`, where `report_key` finds it."""
    origin = json.loads(row["origin"])
    if "key" in row.keys():
        origin[KEY_FIELD] = row["key"]
    return Report(
        id=row["doc"],
        text=row["text"],
        title=row["title"],
        outlet=row["outlet"],
        author=row["author"],
        published=row["published"],
        url=row["url"],
        origin=origin,
        metadata=json.loads(row["metadata"]),
    )


class _Taken:
    """Names in use: those given so far, and every stored report's doc."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.given: set[str] = set()

    def __contains__(self, name: object) -> bool:
        if name in self.given:
            return True
        return self.conn.execute("SELECT 1 FROM reports WHERE doc = ? LIMIT 1", (name,)).fetchone() is not None


def report_names(conn: sqlite3.Connection, report_ids: Iterable[int] | None = None) -> dict[int, str]:
    """{report id: the name it has in comparisons, events and the HTML report}: its doc, unless an earlier
    stored report has that doc (two files' JSONL ids both starting at "1"), then scoped by its file
    ("b.jsonl#1", see `api.scoped_id`). The same for every subset of reports asked about."""
    from tollcheck.api import scoped_id

    if report_ids is None:
        rows = conn.execute("SELECT id, doc FROM reports").fetchall()
    else:
        rows = []
        for chunk in _chunks(sorted(set(report_ids))):
            rows += conn.execute(f"SELECT id, doc FROM reports WHERE id IN ({','.join('?' * len(chunk))})", chunk)
    names = {row[0]: row[1] for row in rows}
    docs = sorted({row[1] for row in rows})
    shared_docs: list[str] = []
    for chunk in _chunks(docs):  # through the index on doc: the reports asked about, not the whole casebook
        marks = ",".join("?" * len(chunk))
        query = f"SELECT doc FROM reports WHERE doc IN ({marks}) GROUP BY doc HAVING count(*) > 1"
        shared_docs += [r[0] for r in conn.execute(query, list(chunk))]
    shared: list[sqlite3.Row] = []
    for chunk in _chunks(shared_docs):
        marks = ",".join("?" * len(chunk))
        shared += conn.execute(f"SELECT id, doc, origin FROM reports WHERE doc IN ({marks})", list(chunk)).fetchall()
    shared.sort(key=lambda row: row["id"])
    taken = _Taken(conn)
    first: set[str] = set()
    for row in shared:
        if row["doc"] not in first:
            first.add(row["doc"])
            continue
        name = scoped_id(Report(id=row["doc"], text="", origin=json.loads(row["origin"])), taken)
        taken.given.add(name)
        if row["id"] in names:
            names[row["id"]] = name
    return names


def _chunks(ids: Sequence[Any], size: int = 800) -> Iterable[Sequence[Any]]:
    for i in range(0, len(ids), size):
        yield ids[i : i + size]


def load_stored(conn: sqlite3.Connection, report_ids: Sequence[int] | None = None) -> dict[int, list[StoredClaim]]:
    """Every claim row of the reports (all reports when None), corrections applied, by report id."""
    out: dict[int, list[StoredClaim]] = {}
    base = (
        "SELECT c.*, r.doc, r.key AS report_key, r.first_run AS report_first_run "
        "FROM claims c JOIN reports r ON r.id = c.report_id"
    )
    if report_ids is None:
        batches: Iterable[Sequence[int] | None] = [None]
    else:
        batches = _chunks(sorted(set(report_ids)))
    by_id: dict[int, StoredClaim] = {}
    for batch in batches:
        if batch is None:
            rows = conn.execute(base + " ORDER BY c.report_id, c.idx, c.id")
        else:
            marks = ",".join("?" * len(batch))
            rows = conn.execute(base + f" WHERE c.report_id IN ({marks}) ORDER BY c.report_id, c.idx, c.id", batch)
        for row in rows:
            machine = claim_of(row, row["doc"])
            sc = StoredClaim(
                id=row["id"],
                report_id=row["report_id"],
                doc=row["doc"],
                origin=row["origin"],
                state=row["state"],
                idx=row["idx"],
                first_run=row["first_run"],
                report_first_run=row["report_first_run"],
                machine=machine,
                claim=machine,  # copied before the first edit: the machine's values are never changed
                subgroup_of=row["subgroup_of"],
                report_key=row["report_key"],
            )
            by_id[sc.id] = sc
            out.setdefault(sc.report_id, []).append(sc)
    _fold_corrections(conn, by_id)
    return out


def _fold_corrections(conn: sqlite3.Connection, by_id: dict[int, StoredClaim]) -> None:
    if not by_id:
        return
    query = "SELECT id, action, claim_id, data FROM corrections WHERE claim_id IS NOT NULL"
    if len(by_id) <= 800:
        marks = ",".join("?" * len(by_id))
        rows = conn.execute(query + f" AND claim_id IN ({marks}) ORDER BY id", list(by_id))
    else:
        rows = conn.execute(query + " ORDER BY id")
    for row in rows:
        sc = by_id.get(row["claim_id"])
        if sc is None:
            continue
        sc.corrections.append(row["id"])
        action = row["action"]
        if action == "accept":
            sc.review = "accepted" if sc.review != "edited" else "edited"
        elif action == "reject":
            sc.review = "rejected"
        elif action == "edit":
            if sc.claim is sc.machine:
                sc.claim = dataclasses.replace(sc.machine, flags=list(sc.machine.flags))
            apply_edit(sc.claim, json.loads(row["data"]))
            sc.review = "edited"
        elif action == "add-claim":
            sc.review = "accepted"


def corrected_lists(
    stored: dict[int, list[StoredClaim]],
) -> tuple[dict[int, list[Claim]], dict[int, tuple[int, int]]]:
    """Per report, the claims that count in text order (as `extract` orders them), with `subgroup_of` and
    `statement` renumbered; and each counted claim row's (report id, index in that list)."""
    lists: dict[int, list[Claim]] = {}
    where: dict[int, tuple[int, int]] = {}
    for report_id, rows in stored.items():
        kept = [sc for sc in rows if sc.counts]
        machine = [sc for sc in kept if sc.origin == "machine" and sc.state == "current"]
        in_machine = {sc.id for sc in machine}
        extra = [sc for sc in kept if sc.id not in in_machine]
        extra.sort(key=lambda sc: (sc.claim.start, sc.id))
        ordered: list[StoredClaim] = []
        j = 0
        for sc in machine:  # the machine's order, with extra claims placed before the first claim after them
            while j < len(extra) and extra[j].claim.start < sc.claim.start:
                ordered.append(extra[j])
                j += 1
            ordered.append(sc)
        ordered.extend(extra[j:])
        index = {sc.id: i for i, sc in enumerate(ordered)}
        top = max((sc.claim.statement for sc in machine), default=-1)
        claims: list[Claim] = []
        for i, sc in enumerate(ordered):
            c = sc.claim
            if sc.id not in in_machine:  # a claim of its own statement: it never adds to the machine's statements
                top += 1
                c.statement = top
            c.subgroup_of = index.get(sc.subgroup_of) if sc.subgroup_of is not None else None
            claims.append(c)
            where[sc.id] = (report_id, i)
        lists[report_id] = claims
    return lists, where
