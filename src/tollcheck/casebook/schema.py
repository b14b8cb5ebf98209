"""The casebook's SQLite file: opening it (WAL, busy timeout), its schema and its migrations.

Migrations are ordered, each applied once in its own transaction and recorded in `migrations` (as
sqlite-utils' migrations do); `PRAGMA user_version` holds the version too, so any SQLite tool can read
it. A casebook made by an older tollcheck is backed up (`FILE.vN-<time>.bak`, with SQLite's online
backup) before it is upgraded in place. See SCHEMA.md for every table and column.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

BUSY_TIMEOUT_MS = 60_000  # another process adding a batch or regrouping events holds the write lock this long at most

V1 = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE runs (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,                 -- add | reextract
    started_at TEXT NOT NULL,
    finished_at TEXT,
    version TEXT NOT NULL,              -- tollcheck's version (the extractor's)
    by TEXT,
    reports INTEGER NOT NULL DEFAULT 0  -- reports stored or re-extracted by the run
);
CREATE TABLE reports (
    id INTEGER PRIMARY KEY,
    doc TEXT NOT NULL UNIQUE,           -- the report id: the path as given, or the JSONL line's id
    content_hash TEXT NOT NULL,         -- sha256 of the report as read (text and metadata)
    text_hash TEXT NOT NULL,            -- sha256 of the folded text: equal hashes are copies of one story
    text TEXT NOT NULL,
    title TEXT, outlet TEXT, author TEXT, published TEXT, url TEXT,
    origin TEXT NOT NULL DEFAULT '{}',  -- JSON: file, line, byte range
    metadata TEXT NOT NULL DEFAULT '{}',
    added_at TEXT NOT NULL,
    first_run INTEGER NOT NULL REFERENCES runs(id),
    last_run INTEGER NOT NULL REFERENCES runs(id),
    n_claims INTEGER NOT NULL           -- machine claims of the last extraction: all of them are stored with it
);
CREATE INDEX reports_text_hash ON reports(text_hash);
CREATE TABLE claims (
    id INTEGER PRIMARY KEY,
    report_id INTEGER NOT NULL REFERENCES reports(id),
    origin TEXT NOT NULL DEFAULT 'machine',  -- machine | analyst (a claim added by review add-claim)
    state TEXT NOT NULL DEFAULT 'current',   -- current | gone (the extractor no longer finds it)
    idx INTEGER NOT NULL,               -- position among the report's claims in the last extraction
    category TEXT NOT NULL,
    low INTEGER, high INTEGER, qualifier TEXT NOT NULL, value INTEGER,
    victim_group TEXT NOT NULL, unit TEXT NOT NULL, side TEXT NOT NULL,
    source TEXT, place TEXT, place_from TEXT, place_key TEXT NOT NULL DEFAULT '',
    date TEXT, date_end TEXT, date_from TEXT,
    quote TEXT NOT NULL,
    span_start INTEGER NOT NULL, span_end INTEGER NOT NULL,
    sentence_start INTEGER NOT NULL, sentence_end INTEGER NOT NULL,
    flags TEXT NOT NULL DEFAULT '[]',   -- JSON list
    subgroup_of INTEGER REFERENCES claims(id) DEFERRABLE INITIALLY DEFERRED,
    statement INTEGER NOT NULL DEFAULT 0,
    first_run INTEGER REFERENCES runs(id),
    last_run INTEGER REFERENCES runs(id)
);
CREATE INDEX claims_report ON claims(report_id, idx);
CREATE INDEX claims_place ON claims(place_key);
CREATE TABLE corrections (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    by TEXT NOT NULL,
    why TEXT,
    action TEXT NOT NULL,               -- accept | reject | edit | add-claim | merge | split | rank
    claim_id INTEGER REFERENCES claims(id),
    report_id INTEGER REFERENCES reports(id),
    span_start INTEGER, span_end INTEGER, category TEXT, quote TEXT,  -- the claim's key when corrected
    data TEXT NOT NULL DEFAULT '{}',    -- JSON: the new values (edit), the claims (merge, split) ...
    before TEXT NOT NULL DEFAULT '{}'   -- JSON: the values before (edit), the events (merge, split)
);
CREATE INDEX corrections_claim ON corrections(claim_id);
CREATE TABLE events (
    id TEXT PRIMARY KEY,                -- e1, e2 ...: kept while the event keeps most of its claims
    name TEXT NOT NULL,
    kind TEXT NOT NULL,                 -- incident | period
    places TEXT NOT NULL DEFAULT '[]',  -- JSON list of spellings, most named first
    date_start TEXT, date_end TEXT,
    n_claims INTEGER NOT NULL,
    n_reports INTEGER NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE event_claims (
    claim_id INTEGER PRIMARY KEY REFERENCES claims(id),
    event_id TEXT NOT NULL REFERENCES events(id)
);
CREATE INDEX event_claims_event ON event_claims(event_id);
CREATE TABLE dirty_places (place_key TEXT PRIMARY KEY);  -- places whose events must be regrouped
"""

V2 = """
CREATE TABLE source_ranks (
    source_key TEXT PRIMARY KEY,        -- the speaker or outlet, lowercased
    source TEXT NOT NULL,
    rank INTEGER NOT NULL,              -- higher is more reliable; unranked sources are 0
    by TEXT NOT NULL, at TEXT NOT NULL, why TEXT
);
CREATE TABLE event_totals (
    event_id TEXT NOT NULL REFERENCES events(id),
    category TEXT NOT NULL,
    low INTEGER, best INTEGER, high INTEGER,
    grade TEXT NOT NULL, rule TEXT NOT NULL, n_sources INTEGER NOT NULL,
    PRIMARY KEY (event_id, category)
);
INSERT OR IGNORE INTO dirty_places SELECT DISTINCT place_key FROM claims;  -- fill event_totals on next use
"""

V4 = """
CREATE TABLE users (
    name TEXT PRIMARY KEY,              -- the login name, recorded as `by` in the corrections the user makes
    password TEXT NOT NULL,             -- scrypt$N$r$p$salt$hash (hex), see tollcheck.serve.auth
    created_at TEXT NOT NULL
);
-- the events pages of `serve`: each sort is one index walk, the contested filter one index search
CREATE INDEX events_number ON events(CAST(substr(id, 2) AS INTEGER));
CREATE INDEX events_date ON events(date_start, CAST(substr(id, 2) AS INTEGER));
CREATE INDEX events_name ON events(name COLLATE NOCASE, CAST(substr(id, 2) AS INTEGER));
CREATE INDEX events_reports ON events(n_reports, CAST(substr(id, 2) AS INTEGER));
CREATE INDEX event_totals_grade ON event_totals(grade, event_id);
CREATE INDEX event_totals_figure ON event_totals(category, best, event_id)
"""


V5 = """
ALTER TABLE claims ADD COLUMN rule TEXT NOT NULL DEFAULT ''
"""  # the rule that read the figure ('' for claims stored before version 5)

REPORT_COLUMNS = (
    "id, doc, content_hash, text_hash, text, title, outlet, author, published, url, origin, metadata, added_at, "
    "first_run, last_run, n_claims"
)
V3_REPORTS = """
CREATE TABLE reports_v3 (
    id INTEGER PRIMARY KEY,
    doc TEXT NOT NULL,                  -- the report id as given: the path as given, or the JSONL line's id
    key TEXT NOT NULL UNIQUE,           -- its identity, scoped by source: canonical path + part / row / line id
    content_hash TEXT NOT NULL,
    text_hash TEXT NOT NULL,
    text TEXT NOT NULL,
    title TEXT, outlet TEXT, author TEXT, published TEXT, url TEXT,
    origin TEXT NOT NULL DEFAULT '{}',
    metadata TEXT NOT NULL DEFAULT '{}',
    added_at TEXT NOT NULL,
    first_run INTEGER NOT NULL REFERENCES runs(id),
    last_run INTEGER NOT NULL REFERENCES runs(id),
    n_claims INTEGER NOT NULL
)"""


def _v3(conn: sqlite3.Connection) -> None:
    """Report ids were global keys (`doc UNIQUE`): two sources' reports with one id collided. The table is
    rebuilt (SQLite's documented procedure, foreign keys off) with `key`, the source-scoped identity,
    computed from each report's origin; `doc` keeps the id as given, no longer unique."""
    from tollcheck.model import Report, report_key

    conn.execute(V3_REPORTS)
    keys: set[str] = set()

    def key_of(rid: int, doc: str, origin_json: str | None) -> str:
        origin = json.loads(origin_json or "{}")
        key = report_key(Report(id=doc, text="", origin=origin if isinstance(origin, dict) else {}))
        if key in keys:  # two spellings of one path were stored apart: both are kept
            key = f"{key}@{rid}"
        keys.add(key)
        return key

    conn.create_function("tollcheck_v3_key", 3, key_of)  # rows stream through SQLite: texts are never all in memory
    conn.execute(
        f"INSERT INTO reports_v3 ({REPORT_COLUMNS}, key) SELECT {REPORT_COLUMNS}, "
        "tollcheck_v3_key(id, doc, origin) FROM reports ORDER BY id"
    )
    conn.execute("DROP TABLE reports")
    conn.execute("ALTER TABLE reports_v3 RENAME TO reports")
    conn.execute("CREATE INDEX reports_text_hash ON reports(text_hash)")
    conn.execute("CREATE INDEX reports_doc ON reports(doc)")
    bad = conn.execute("PRAGMA foreign_key_check").fetchall()
    if bad:
        raise sqlite3.IntegrityError(f"migration 3 would break {len(bad)} reference(s); nothing was changed")


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    name: str
    apply: Callable[[sqlite3.Connection], None]
    rebuilds: bool = False  # rebuilds a table others refer to: run with foreign keys off (SQLite's procedure)


def _script(sql: str) -> Callable[[sqlite3.Connection], None]:
    def run(conn: sqlite3.Connection) -> None:
        for statement in sql.split(";\n"):  # executescript would commit: run statement by statement
            if statement.strip():
                conn.execute(statement)

    return run


MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "reports, claims, corrections, events", _script(V1)),
    Migration(2, "source ranks and stored event totals", _script(V2)),
    Migration(3, "reports keyed by source (key), doc no longer unique", _v3, rebuilds=True),
    Migration(4, "users of tollcheck serve, indexes for its events pages", _script(V4)),
    Migration(5, "claims keep the extraction rule that read their figure", _script(V5)),
)
VERSION = MIGRATIONS[-1].version


def now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


class Casebook(sqlite3.Connection):
    """A casebook connection; `readonly` when the file (or its directory) cannot be written: reading
    commands work, nothing regroups or writes."""

    readonly: bool = False


class CasebookError(ValueError):
    """The file cannot be used as a casebook (not one, too new, read-only for a write): one line, nothing changed."""


def writable(path: str | os.PathLike[str]) -> bool:
    """True when the casebook file (and its directory, where SQLite keeps the WAL) can be written."""
    folder = os.path.dirname(os.path.abspath(path)) or "."
    if os.path.exists(path) and not os.access(path, os.W_OK):
        return False
    return os.access(folder, os.W_OK)


def _configure(conn: sqlite3.Connection) -> None:
    conn.row_factory = sqlite3.Row
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA foreign_keys = ON")


def connect(path: str | os.PathLike[str]) -> sqlite3.Connection:
    """A connection in autocommit mode (transactions are explicit), WAL journal, busy timeout, foreign keys."""
    conn = sqlite3.connect(
        str(path), timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False, factory=Casebook
    )
    _configure(conn)
    check_casebook(conn, path)
    mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
    if mode != "wal":
        conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")  # in WAL, a killed process never corrupts the file
    return conn


def connect_readonly(path: str | os.PathLike[str]) -> Casebook:
    """Open a casebook that cannot be written: read-only, else (a WAL file whose index SQLite cannot make in a
    read-only directory) immutable, reading the file as it is."""
    uri = Path(os.path.abspath(path)).as_uri()
    last: sqlite3.Error | None = None
    for mode in ("mode=ro", "immutable=1"):
        try:
            conn = sqlite3.connect(f"{uri}?{mode}", uri=True, isolation_level=None, check_same_thread=False,
                                   factory=Casebook)  # fmt: skip
            _configure(conn)
            check_casebook(conn, path)
        except CasebookError:
            raise
        except sqlite3.OperationalError as e:
            last = e
            continue
        assert isinstance(conn, Casebook)
        conn.readonly = True
        return conn
    raise CasebookError(f"{path}: cannot open the read-only casebook ({last})")


def check_casebook(conn: sqlite3.Connection, path: str | os.PathLike[str]) -> None:
    """Refuse, before anything is written, an SQLite file that is not a casebook (another application's):
    tables but no version, or a version but none of the casebook's bookkeeping."""
    version = version_of(conn)
    tables = sorted(
        r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    )
    if (version == 0 and tables) or (version > 0 and not {"migrations", "reports", "claims"} <= set(tables)):
        shown = ", ".join(tables[:5]) + (" ..." if len(tables) > 5 else "")
        conn.close()
        raise CasebookError(
            f"{path}: not a tollcheck casebook (an SQLite file with other tables: {shown or 'none'}); "
            "it was left untouched: give a new file or an existing casebook"
        )


def rollback(conn: sqlite3.Connection) -> None:
    """Roll back if a transaction is still open: SQLite ends it by itself on some errors (a full disk), and
    a second ROLLBACK would hide the first error behind "cannot rollback - no transaction is active"."""
    if conn.in_transaction:
        try:
            conn.execute("ROLLBACK")
        except sqlite3.Error:
            pass


def version_of(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def backup(conn: sqlite3.Connection, path: str | os.PathLike[str], version: int) -> Path:
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    target = Path(f"{path}.v{version}-{stamp}.bak")
    dest = sqlite3.connect(str(target))
    with dest:
        conn.backup(dest)
    dest.close()
    return target


def migrate(conn: sqlite3.Connection, path: str | os.PathLike[str] | None = None, target: int = VERSION) -> list[Path]:
    """Apply the migrations above the file's version, each in its own transaction; back up an older
    casebook first. Safe when two processes open a new file at once (the version is re-read under lock)."""
    backups: list[Path] = []
    initial = version_of(conn)  # a new file (version 0) has nothing worth a backup
    for m in MIGRATIONS:
        if m.version > target or version_of(conn) >= m.version:
            continue
        if m.rebuilds:
            conn.execute("PRAGMA foreign_keys = OFF")  # a no-op inside a transaction: set before it
        conn.execute("BEGIN IMMEDIATE")
        try:
            current = version_of(conn)
            if current >= m.version:
                conn.execute("ROLLBACK")
                continue
            if initial > 0 and current > 0 and path is not None and not backups:
                conn.execute("ROLLBACK")  # the backup reads the file as it is, outside our transaction
                backups.append(backup(conn, path, current))
                conn.execute("BEGIN IMMEDIATE")
                if version_of(conn) >= m.version:
                    conn.execute("ROLLBACK")
                    continue
            if m.version == 1:
                conn.execute(
                    "CREATE TABLE IF NOT EXISTS migrations (version INTEGER PRIMARY KEY, name TEXT, applied_at TEXT)"
                )
            m.apply(conn)
            conn.execute("INSERT INTO migrations VALUES (?, ?, ?)", (m.version, m.name, now()))
            conn.execute(f"PRAGMA user_version = {m.version}")
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        finally:
            conn.execute("PRAGMA foreign_keys = ON")
    return backups


def newer(path: str | os.PathLike[str], version: int) -> str:
    return f"{path}: casebook version {version} is newer than this tollcheck ({VERSION}); upgrade it"


def open_casebook(path: str | os.PathLike[str], target: int = VERSION, write: bool = True) -> sqlite3.Connection:
    """Open (creating or upgrading) the casebook at `path`. With `write=False` (reading commands), a file
    that cannot be written is opened read-only instead; a writing command on it gets a CasebookError."""
    if not writable(path):
        if write:
            raise CasebookError(f"{path}: the casebook is read-only (file or folder not writable); nothing was changed")
        conn: sqlite3.Connection = connect_readonly(path)
        version = version_of(conn)
        if version > VERSION:
            conn.close()
            raise CasebookError(newer(path, version))
        if version != VERSION:
            conn.close()
            raise CasebookError(
                f"{path}: casebook version {version} needs upgrading to {VERSION}, and the file is read-only: "
                "make it writable (it is backed up before the upgrade) or read a writable copy"
            )
        return conn
    conn = connect(path)
    version = version_of(conn)
    if version > VERSION:
        conn.close()
        raise CasebookError(newer(path, version))
    migrate(conn, path, target)
    return conn
