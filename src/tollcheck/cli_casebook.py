"""The casebook commands: `add`, `export`, `reextract` and the `review` sub-commands.

`register(app)` adds them to a Typer app (cli.py's, or the stand-alone one in `tollcheck.casebook.__main__`).
"""

from __future__ import annotations

import json
import sqlite3
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from typing import Annotated, Any

import typer

from tollcheck.cli_options import PATHS_HELP, DateColumn, Glob, IdColumn, Published, TextColumn, _err, _read_options

DEFAULT_DB = "tollcheck.db"

Db = Annotated[str, typer.Option("--db", help="The casebook file (SQLite).")]
By = Annotated[str | None, typer.Option("--by", help="Who makes the correction (default: $USER).")]
Why = Annotated[str | None, typer.Option("--why", help="Why: kept with the correction in the audit table.")]


class ExportFormat(StrEnum):
    jsonl = "jsonl"
    csv = "csv"


class ListFormat(StrEnum):
    table = "table"
    jsonl = "jsonl"


@contextmanager
def _casebook(path: str, must_exist: bool = True) -> Iterator[sqlite3.Connection]:
    import os

    from tollcheck.casebook import open_casebook
    from tollcheck.casebook.review import ReviewError

    if must_exist and not os.path.exists(path):
        _err(f"error: {path}: no such casebook (make one with `tollcheck add PATH --db {path}`)")
        raise typer.Exit(2)
    try:
        conn = open_casebook(path)
    except (sqlite3.DatabaseError, ValueError) as e:
        _err(f"error: {path}: {e}")
        raise typer.Exit(2) from None
    try:
        yield conn
    except ReviewError as e:
        _err(f"error: {e}")
        raise typer.Exit(2) from None
    finally:
        conn.close()


def add(
    paths: Annotated[list[str], typer.Argument(help=PATHS_HELP)],
    db: Db = DEFAULT_DB,
    by: By = None,
    text_column: TextColumn = None,
    id_column: IdColumn = None,
    date_column: DateColumn = None,
    glob: Glob = None,
    published: Published = None,
) -> None:
    """Store reports, their claims and events in the casebook; reports already stored are skipped.

    Each batch of reports is written whole or not at all; an interrupted run is completed by running it
    again. The exit status is 1 when any input could not be read.
    """
    from tollcheck.casebook import store
    from tollcheck.casebook.review import default_by

    failures: list[str] = []

    def on_error(e: Any) -> None:
        failures.append(str(e))
        _err(f"error: {e}")

    with _casebook(db, must_exist=False) as conn:
        try:
            options = _read_options(text_column, id_column, date_column, glob, published)
            stats = store.add(conn, paths, by=by or default_by(), on_error=on_error, options=options)
        except KeyboardInterrupt:
            _err("interrupted: the reports stored so far are whole; run the same command again to finish")
            raise typer.Exit(130) from None
        events = conn.execute("SELECT count(*) FROM events").fetchone()[0]
    _err(
        f"{db}: {stats.added} report(s) added ({stats.claims} claims), {stats.unchanged} already stored, "
        f"{stats.revised} revised; {events} event(s)"
    )
    if failures:
        _err(f"{len(failures)} input(s) could not be read")
        raise typer.Exit(1)


def export(
    db: Db = DEFAULT_DB,
    fmt: Annotated[
        ExportFormat, typer.Option("--format", "-f", help="jsonl (the lines `extract` prints) or csv.")
    ] = ExportFormat.jsonl,
) -> None:
    """Print the casebook's claims (corrections applied) and report totals, as `extract` prints them."""
    from tollcheck.casebook.read import comparison_from_conn, export_rows
    from tollcheck.render import make_writer

    with _casebook(db) as conn:
        comparison = comparison_from_conn(conn)
    writer = make_writer(fmt.value, sys.stdout)
    try:
        for row in export_rows(comparison):
            writer.write(row)
    except BrokenPipeError:
        sys.stderr.close()
        raise typer.Exit(0) from None
    writer.close()


def reextract(db: Db = DEFAULT_DB, by: By = None) -> None:
    """Run the current extractor over every stored report; corrections stay in force, new claims are
    marked `new` for review and claims no longer found `gone`."""
    from tollcheck.casebook import store
    from tollcheck.casebook.review import default_by

    with _casebook(db) as conn:
        stats = store.reextract(conn, by=by or default_by(), on_error=lambda e: _err(f"error: {e}"))
    _err(f"{db}: {stats.revised} report(s) re-extracted, {stats.new} new claim(s), {stats.gone} gone")
    if stats.failed:
        raise typer.Exit(1)


review = typer.Typer(help="Review the casebook's claims and events; every correction is kept with who, when, why.")


def _claim_line(sc: Any, event: str | None) -> dict[str, Any]:
    c = sc.claim
    return {
        "id": sc.id, "report": sc.doc, "event": event, "status": sc.status, "review": sc.review,
        "category": c.category, "low": c.low, "high": c.high, "group": c.group, "source": c.source,
        "place": c.place, "date": c.date, "quote": c.quote, "start": c.start, "end": c.end,
    }  # fmt: skip


@review.command("list")
def list_(
    db: Db = DEFAULT_DB,
    event: Annotated[str | None, typer.Option(help="Only the claims of this event (e3).")] = None,
    category: Annotated[str | None, typer.Option(help="Only this category (killed, injured ...).")] = None,
    status: Annotated[
        list[str] | None,
        typer.Option(
            help="Only claims with this status (extracted, new, gone, added) or review (unreviewed, accepted, "
            "edited, rejected); repeat to require several."
        ),
    ] = None,
    report: Annotated[str | None, typer.Option(help="Only the claims of this report (its id or path).")] = None,
    events: Annotated[bool, typer.Option("--events", help="List the events (with their totals) instead.")] = False,
    fmt: Annotated[ListFormat, typer.Option("--format", "-f")] = ListFormat.table,
) -> None:
    """List claims (or events) with their status, review and event."""
    from tollcheck.casebook.claims import load_stored
    from tollcheck.casebook.events import refresh_events

    with _casebook(db) as conn:
        refresh_events(conn)
        if events:
            lines = _event_lines(conn)
        else:
            member = {r[0]: r[1] for r in conn.execute("SELECT claim_id, event_id FROM event_claims")}
            lines = []
            for rows in load_stored(conn).values():
                for sc in rows:
                    line = _claim_line(sc, member.get(sc.id))
                    if event and line["event"] != event or category and line["category"] != category:
                        continue
                    if report and line["report"] != report:
                        continue
                    if any(s not in (sc.status, sc.review) for s in status or []):
                        continue
                    lines.append(line)
    _print(lines, fmt)


def _event_lines(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    totals: dict[str, dict[str, Any]] = {}
    for t in conn.execute("SELECT * FROM event_totals ORDER BY event_id, category"):
        totals.setdefault(t["event_id"], {})[t["category"]] = {k: t[k] for k in ("low", "best", "high", "grade")}
    return [
        {"id": e["id"], "name": e["name"], "kind": e["kind"], "date_start": e["date_start"],
         "claims": e["n_claims"], "reports": e["n_reports"], "totals": totals.get(e["id"], {})}
        for e in conn.execute("SELECT * FROM events ORDER BY CAST(substr(id, 2) AS INTEGER)")
    ]  # fmt: skip


def _print(lines: list[dict[str, Any]], fmt: ListFormat) -> None:
    if fmt is ListFormat.jsonl:
        for line in lines:
            sys.stdout.write(json.dumps(line, ensure_ascii=False) + "\n")
        return
    from rich.console import Console
    from rich.table import Table

    from tollcheck.render.safe import cell

    table = Table()
    cols = [k for k in (lines[0] if lines else {}) if k not in ("quote", "start", "end")]
    for col in cols:
        table.add_column(col)
    for line in lines:  # report text is untrusted: no markup read, control characters shown (render.safe)
        table.add_row(*(cell(json.dumps(line[c]) if isinstance(line[c], dict) else line[c] or "") for c in cols))
    Console(file=sys.stdout, width=160).print(table if lines else "nothing to list")


@review.command()
def accept(claim: int, db: Db = DEFAULT_DB, by: By = None, why: Why = None) -> None:
    """Accept a claim as the machine read it (or as edited)."""
    from tollcheck.casebook import review as rv

    with _casebook(db) as conn:
        n = rv.accept(conn, claim, by, why)
    _err(f"correction {n}: claim {claim} accepted")


@review.command()
def reject(claim: int, db: Db = DEFAULT_DB, by: By = None, why: Why = None) -> None:
    """Reject a claim: it no longer counts in totals or events (it stays in the casebook)."""
    from tollcheck.casebook import review as rv

    with _casebook(db) as conn:
        n = rv.reject(conn, claim, by, why)
    _err(f"correction {n}: claim {claim} rejected")


@review.command()
def edit(
    claim: int,
    db: Db = DEFAULT_DB,
    low: Annotated[int | None, typer.Option(help="The figure (alone: exactly this many), or a range's low.")] = None,
    high: Annotated[int | None, typer.Option(help="The range's high.")] = None,
    at_least: Annotated[bool, typer.Option("--at-least", help="No upper bound: LOW or more.")] = False,
    category: Annotated[str | None, typer.Option(help="killed, injured, missing ...")] = None,
    group: Annotated[str | None, typer.Option(help="The victims (civilians, soldiers ...).")] = None,
    source: Annotated[str | None, typer.Option("--source", "--speaker", help="Who says so.")] = None,
    place: Annotated[str | None, typer.Option(help="Where (regroups the claim's event).")] = None,
    by: By = None,
    why: Why = None,
) -> None:
    """Correct a claim's figure, category, group, speaker or place."""
    from tollcheck.casebook import review as rv

    changes: dict[str, Any] = {
        k: v for k, v in
        {"low": low, "high": high, "category": category, "group": group, "source": source, "place": place}.items()
        if v is not None
    }  # fmt: skip
    if at_least:
        changes["high"] = None
    with _casebook(db) as conn:
        n = rv.edit(conn, claim, changes, by, why)
    _err(f"correction {n}: claim {claim} edited")


@review.command("add-claim")
def add_claim(
    report: Annotated[str, typer.Argument(help="The report's id (its path as added, or its JSONL id).")],
    category: Annotated[str, typer.Option(help="killed, injured, missing ...")],
    low: Annotated[int, typer.Option(help="The figure (alone: exactly this many), or a range's low.")],
    quote: Annotated[str, typer.Option(help="The sentence, exactly as it stands in the report.")],
    db: Db = DEFAULT_DB,
    high: Annotated[int | None, typer.Option(help="The range's high.")] = None,
    at_least: Annotated[bool, typer.Option("--at-least", help="No upper bound: LOW or more.")] = False,
    group: Annotated[str, typer.Option(help="The victims.")] = "people",
    source: Annotated[str | None, typer.Option("--source", "--speaker", help="Who says so.")] = None,
    place: Annotated[str | None, typer.Option(help="Where.")] = None,
    date: Annotated[str | None, typer.Option(help="When (ISO date).")] = None,
    by: By = None,
    why: Why = None,
) -> None:
    """Add a claim the extractor missed, with its report and quote."""
    from tollcheck.casebook import review as rv

    new = rv.NewClaim(report, category, low, None if at_least else (low if high is None else high), quote, group,
                      source, place, date)  # fmt: skip
    with _casebook(db) as conn:
        n = rv.add_claim(conn, new, by, why)
        cid = conn.execute("SELECT claim_id FROM corrections WHERE id = ?", (n,)).fetchone()[0]
    _err(f"correction {n}: claim {cid} added")
    sys.stdout.write(f"{cid}\n")


@review.command()
def merge(
    events: Annotated[list[str], typer.Argument(help="Two events or more (e3 e7).")],
    db: Db = DEFAULT_DB,
    by: By = None,
    why: Why = None,
) -> None:
    """Merge events the grouping kept apart."""
    from tollcheck.casebook import review as rv

    with _casebook(db) as conn:
        n = rv.merge(conn, events, by, why)
    _err(f"correction {n}: events {', '.join(events)} merged")


@review.command()
def split(
    event: Annotated[str, typer.Argument(help="The event (e3).")],
    claims: Annotated[list[int], typer.Argument(help="The claim ids that form an event of their own.")],
    db: Db = DEFAULT_DB,
    by: By = None,
    why: Why = None,
) -> None:
    """Split claims off an event into an event of their own."""
    from tollcheck.casebook import review as rv

    with _casebook(db) as conn:
        n = rv.split(conn, event, claims, by, why)
    _err(f"correction {n}: {len(claims)} claim(s) split off {event}")


@review.command()
def rank(
    source: Annotated[str, typer.Argument(help="A speaker as the reports name it, or an outlet.")],
    value: Annotated[int, typer.Argument(help="Its reliability: higher is more reliable, unranked is 0.")],
    db: Db = DEFAULT_DB,
    by: By = None,
    why: Why = None,
) -> None:
    """Rank a source's reliability: an event's best figure is the highest-ranked source's (the latest
    report's among equals); low and high still span every source."""
    from tollcheck.casebook import review as rv

    with _casebook(db) as conn:
        n = rv.rank(conn, source, value, by, why)
    _err(f"correction {n}: {source} ranked {value}")


@review.command()
def history(claim: int, db: Db = DEFAULT_DB) -> None:
    """A claim's history: its extractions and every correction (JSON lines), then how it stands now."""
    from tollcheck.casebook import review as rv

    with _casebook(db) as conn:
        for entry in rv.history(conn, claim):
            sys.stdout.write(json.dumps(entry, ensure_ascii=False) + "\n")


def register(app: typer.Typer) -> None:
    """Add `add`, `export`, `reextract` and the `review` sub-app to the `tollcheck` app."""
    app.command()(add)
    app.command()(export)
    app.command()(reextract)
    app.add_typer(review, name="review")
