"""The casebook commands: `add`, `export`, `reextract` and the `review` sub-commands.

`register(app)` adds them to the `tollcheck` app (`tollcheck.cli`).
"""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from typing import Annotated, Any

import typer

from tollcheck.cli.casebook_support import InputWork, _casebook, _input_size
from tollcheck.cli.options import (
    PATHS_HELP,
    DateColumn,
    Glob,
    IdColumn,
    Published,
    Quiet,
    TextColumn,
    _err,
    _output,
    _read_options,
)

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


def add(
    paths: Annotated[list[str], typer.Argument(help=PATHS_HELP)],
    db: Db = DEFAULT_DB,
    by: By = None,
    text_column: TextColumn = None,
    id_column: IdColumn = None,
    date_column: DateColumn = None,
    glob: Glob = None,
    published: Published = None,
    quiet: Quiet = False,
) -> None:
    """Store reports, their claims and events in the casebook; reports already stored are skipped.

    A report is known by its source (the file's real path and the part, row or line id within it): two
    files whose ids both start at "1" are different reports; one file named two ways is one. Each batch of
    reports is written whole or not at all; an interrupted run is completed by running it again. The exit
    status is 1 when any input could not be read.
    """
    from tollcheck.casebook import store
    from tollcheck.casebook.read import count
    from tollcheck.casebook.review import default_by
    from tollcheck.ingest.progress import Progress, progress_wanted

    failures: list[str] = []
    total, sizes = _input_size(paths)
    with _casebook(db, must_exist=False) as conn, Progress(
        progress_wanted(quiet=quiet), total=total or None, work=InputWork(sizes)
    ) as bar:  # fmt: skip

        def on_error(e: Any) -> None:
            failures.append(str(e))
            bar.say(f"error: {e}".replace("\n", " "))

        try:
            options = _read_options(text_column, id_column, date_column, glob, published)
            stats = store.add(conn, paths, by=by or default_by(), on_error=on_error, options=options,
                              on_warning=lambda w: bar.say(f"warning: {w}"), progress=bar.count)  # fmt: skip
        except KeyboardInterrupt:
            _err("interrupted: the reports stored so far are whole; run the same command again to finish")
            raise typer.Exit(130) from None
        events = count(conn, "events")
    _err(
        f"{db}: {stats.added} report(s) added ({stats.claims} claims), {stats.unchanged} already stored, "
        f"{stats.revised} revised; {events} event(s)"
    )
    _detached(db, stats.detached)
    if failures:
        _err(f"{len(failures)} input(s) could not be read")
        raise typer.Exit(1)


def _detached(db: str, n: int) -> None:
    if n:
        _err(f"{n} corrected claim(s) detached (their words are no longer in the revised report): "
             f"review them with `tollcheck review list --status detached --db {db}`")  # fmt: skip


def export(
    db: Db = DEFAULT_DB,
    fmt: Annotated[
        ExportFormat, typer.Option("--format", "-f", help="jsonl (the lines `extract` prints) or csv.")
    ] = ExportFormat.jsonl,
) -> None:
    """Print the casebook's claims (corrections applied) and report totals, as `extract` prints them."""
    from tollcheck.casebook.read import comparison_from_conn, export_rows
    from tollcheck.render import make_writer

    with _casebook(db, write=False) as conn:
        comparison = comparison_from_conn(conn)
    with _output():
        writer = make_writer(fmt.value, sys.stdout)
        for row in export_rows(comparison):
            writer.write(row)
        writer.close()


def reextract(db: Db = DEFAULT_DB, by: By = None, quiet: Quiet = False) -> None:
    """Run the current extractor over every stored report; corrections stay in force, new claims are
    marked `new` for review and claims no longer found `gone`."""
    from tollcheck.casebook import store
    from tollcheck.casebook.read import count
    from tollcheck.casebook.review import default_by
    from tollcheck.ingest.progress import Progress, progress_wanted

    with _casebook(db) as conn:
        total = count(conn, "reports")
        with Progress(progress_wanted(quiet=quiet), total=total or None) as bar:
            stats = store.reextract(
                conn, by=by or default_by(), on_error=lambda e: bar.say(f"error: {e}"), progress=bar.count
            )
    _err(f"{db}: {stats.revised} report(s) re-extracted, {stats.new} new claim(s), {stats.gone} gone")
    _detached(db, stats.detached)
    if stats.failed:
        raise typer.Exit(1)


review = typer.Typer(help="Review the casebook's claims and events; every correction is kept with who, when, why.")


@review.command("list")
def list_(
    db: Db = DEFAULT_DB,
    event: Annotated[str | None, typer.Option(help="Only the claims of this event (e3).")] = None,
    category: Annotated[str | None, typer.Option(help="Only this category (killed, injured ...).")] = None,
    status: Annotated[
        list[str] | None,
        typer.Option(
            help="Only claims with this status (extracted, new, gone, detached, added) or review (unreviewed, "
            "accepted, edited, rejected); repeat to require several. `detached`: the report was revised and the "
            "claim's words are gone, its corrections attached to nothing: review them."
        ),
    ] = None,
    report: Annotated[str | None, typer.Option(help="Only the claims of this report (its id or path).")] = None,
    events: Annotated[bool, typer.Option("--events", help="List the events (with their totals) instead.")] = False,
    fmt: Annotated[ListFormat, typer.Option("--format", "-f")] = ListFormat.table,
) -> None:
    """List claims (or events) with their status, review and event."""
    from tollcheck.casebook.read import claim_lines, event_lines

    with _casebook(db, write=False) as conn:
        lines = event_lines(conn) if events else claim_lines(conn, event, category, status, report)
    with _output():
        _print(lines, fmt)


def _print(lines: list[dict[str, Any]], fmt: ListFormat) -> None:
    if fmt is ListFormat.jsonl:
        for line in lines:
            sys.stdout.write(json.dumps(line, ensure_ascii=False) + "\n")
        return
    from rich.console import Console
    from rich.table import Table

    from tollcheck.render.safe import cell

    table = Table()
    cols = [k for k in (lines[0] if lines else {}) if k not in ("quote", "start", "end", "report_key")]
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
        cid = rv.claim_of(conn, n)
    _err(f"correction {n}: claim {cid} added")
    with _output():
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

    with _casebook(db, write=False) as conn:
        entries = rv.history(conn, claim)
    with _output():
        for entry in entries:
            sys.stdout.write(json.dumps(entry, ensure_ascii=False) + "\n")


def register(app: typer.Typer) -> None:
    """Add `add`, `export`, `reextract` and the `review` sub-app to the `tollcheck` app."""
    app.command()(add)
    app.command()(export)
    app.command()(reextract)
    app.add_typer(review, name="review")
