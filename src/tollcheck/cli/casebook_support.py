"""What the casebook commands share: the open casebook with one-line failures, standard output that may
be a closed pipe or a full disk, and the input size behind `add`'s estimate of time left."""

from __future__ import annotations

import errno
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

import typer

from tollcheck.cli.options import _err

DISK_FULL = ("database or disk is full", "disk i/o error")
READ_ONLY = ("readonly database", "read-only", "readonly")


def db_failure(path: str, e: BaseException) -> str:
    """One line for a casebook that could not be written: why, and that what is stored is whole."""
    text = str(e).lower()
    if any(k in text for k in DISK_FULL) or getattr(e, "errno", None) == errno.ENOSPC:
        why = f"the disk is full ({e})"
    elif any(k in text for k in READ_ONLY) or getattr(e, "errno", None) in (errno.EROFS, errno.EACCES):
        why = f"the casebook cannot be written ({e})"
    elif "locked" in text:
        why = f"another process held the casebook too long ({e})"
    else:
        why = str(e)
    return (
        f"error: {path}: {why}; the casebook stays consistent: what was stored before is whole and the "
        "unfinished batch or correction was not kept; run the command again once this is fixed"
    )


@contextmanager
def _casebook(path: str, must_exist: bool = True, write: bool = True) -> Iterator[sqlite3.Connection]:
    """The open casebook; every failure is one line on standard error. Reading commands (`write=False`)
    open a casebook that cannot be written read-only."""

    from tollcheck.casebook import open_casebook
    from tollcheck.casebook.review import ReviewError
    from tollcheck.casebook.schema import CasebookError

    if must_exist and not os.path.exists(path):
        _err(f"error: {path}: no such casebook (make one with `tollcheck add PATH --db {path}`)")
        raise typer.Exit(2)
    try:
        conn = open_casebook(path, write=write)
    except CasebookError as e:
        _err(f"error: {e}")
        raise typer.Exit(2) from None
    except (sqlite3.DatabaseError, OSError) as e:
        if isinstance(e, sqlite3.OperationalError | OSError):
            _err(db_failure(path, e))
        else:  # "file is not a database"
            _err(f"error: {path}: not a tollcheck casebook ({e}); it was left untouched")
        raise typer.Exit(2) from None
    if getattr(conn, "readonly", False):
        _err(f"note: {path} cannot be written: read as it is")
    try:
        yield conn
    except ReviewError as e:
        _err(f"error: {e}")
        raise typer.Exit(2) from None
    except (sqlite3.OperationalError, OSError) as e:
        if isinstance(e, BrokenPipeError):
            raise
        _err(db_failure(path, e))
        raise typer.Exit(1) from None
    finally:
        conn.close()


def _input_size(paths: list[str]) -> tuple[int, dict[str, int]]:
    """The bytes of the input files (directories walked), for the estimate of time left; 0 for standard input."""

    sizes: dict[str, int] = {}
    for path in paths:
        if path == "-":
            return 0, {}
        if os.path.isdir(path):
            for root, _, names in os.walk(path):
                for name in names:
                    full = os.path.join(root, name)
                    if os.path.isfile(full):
                        sizes[os.path.realpath(full)] = os.path.getsize(full)
        elif os.path.isfile(path):
            sizes[os.path.realpath(path)] = os.path.getsize(path)
    return sum(sizes.values()), sizes


class InputWork:
    """Bytes of input read so far, judged from the reports as they pass: the files finished, plus as much
    of the current file as the text of its reports so far (never more than the file)."""

    def __init__(self, sizes: dict[str, int]) -> None:

        self.sizes, self.realpath = sizes, os.path.realpath
        self.file, self.finished, self.current = "", 0, 0

    def __call__(self, item: object) -> float:
        report = getattr(item, "report", None)
        file = str(report.origin.get("file") or "") if report is not None else ""
        if file:
            canon = self.realpath(file)
            if canon != self.file:
                self.finished += self.sizes.get(self.file, 0)
                self.file, self.current = canon, 0
            self.current += len(report.text)  # type: ignore[union-attr]
        return self.finished + min(self.current, self.sizes.get(self.file, 0))
