"""Reading reports from files, directories and standard input, lazily and in input order."""

from __future__ import annotations

import itertools
import os
import sys
from collections.abc import Iterator, Sequence
from typing import IO, Any, TextIO

from tollcheck.ingest.decoding import (
    BINARY_SNIFF_BYTES,
    FALLBACK_ENCODING,
    UndecodableError,
    decode_bytes,
    looks_binary,
)
from tollcheck.ingest.jsonl import iter_jsonl
from tollcheck.model import IngestError, Report

STDIN_NAME = "-"
JSONL_SUFFIXES = (".jsonl", ".ndjson")
TEXT_SUFFIXES = (".txt", ".text", ".md")
DIRECTORY_SUFFIXES = TEXT_SUFFIXES + JSONL_SUFFIXES  # files taken when walking a directory
JSONL_START = "{"  # first non-blank character that marks standard input as JSONL
READ_BUFFER = 1 << 16
ENCODINGS_NOTED = (FALLBACK_ENCODING, "utf-16")  # recorded in metadata["encoding"]

Item = Report | IngestError


def read_reports(paths: Sequence[str], stdin: TextIO | None = None) -> Iterator[Item]:
    """Yield a Report (or an IngestError) for every input, in order, without stopping on errors.

    ``paths`` are files, directories (walked recursively, sorted) or ``-`` for ``stdin``
    (default ``sys.stdin``). JSONL inputs give one Report per line and are read line by line.
    """
    for path in paths:
        if path == STDIN_NAME:
            yield from read_stdin(stdin if stdin is not None else _default_stdin())
        else:
            yield from read_path(path)


def read_path(path: str) -> Iterator[Item]:
    """Read one command-line path: a directory or a file."""
    if os.path.isdir(path):
        found = False
        for item in walk_directory(path):
            found = True
            yield item
        if not found:
            wanted = ", ".join(DIRECTORY_SUFFIXES)
            yield IngestError(path, f"no report files found in directory (looked for {wanted})")
    elif not os.path.lexists(path):
        yield IngestError(path, "no such file or directory")
    elif not os.path.exists(path):
        yield IngestError(path, "broken symbolic link")
    else:
        yield from read_file(path)


def _is_wanted(name: str) -> bool:
    return not name.startswith(".") and name.lower().endswith(DIRECTORY_SUFFIXES)


def walk_directory(root: str, _seen: set[str] | None = None) -> Iterator[Item]:
    """Walk ``root`` depth-first in name order, skipping hidden entries and symlink loops."""
    seen = _seen if _seen is not None else set()
    real = os.path.realpath(root)
    if real in seen:
        return
    seen.add(real)
    try:
        with os.scandir(root) as scan:
            entries = sorted((entry.name, entry.is_dir()) for entry in scan)
    except PermissionError:
        yield IngestError(root, "directory not readable (permission denied)")
        return
    except OSError as exc:
        yield IngestError(root, f"directory not readable ({exc.strerror or exc.__class__.__name__})")
        return
    for name, is_dir in entries:
        if name.startswith("."):
            continue
        child = os.path.join(root, name)
        if is_dir:
            yield from walk_directory(child, seen)
        elif _is_wanted(name):
            yield from read_file(child)


def _open_error(path: str, exc: OSError) -> IngestError:
    if isinstance(exc, PermissionError):
        return IngestError(path, "file not readable (permission denied)")
    return IngestError(path, f"cannot read file ({exc.strerror or exc.__class__.__name__})")


def read_file(path: str) -> Iterator[Item]:
    """Read a file by its suffix: JSONL line by line, anything else as one text report."""
    if path.lower().endswith(JSONL_SUFFIXES):
        yield from read_jsonl_file(path)
    else:
        yield from read_text_file(path)


def read_text_file(path: str) -> Iterator[Item]:
    """One Report for the whole file; id is the path as given."""
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as exc:
        yield _open_error(path, exc)
        return
    yield text_report(path, data)


def text_report(path: str, data: bytes) -> Item:
    """Decode ``data`` into a single Report with byte-range origin, or say why not."""
    if not data.strip():
        return IngestError(path, "empty file" if path != STDIN_NAME else "empty input")
    try:
        text, encoding = decode_bytes(data)
    except UndecodableError as exc:
        return IngestError(path, str(exc))
    if not text.strip():
        return IngestError(path, "empty file" if path != STDIN_NAME else "empty input")
    metadata = {"encoding": encoding} if encoding in ENCODINGS_NOTED else {}
    return Report(id=path, text=text, origin={"file": path, "start": 0, "end": len(data)}, metadata=metadata)


def read_jsonl_file(path: str) -> Iterator[Item]:
    """One Report per line, read lazily; a binary file gives a single IngestError."""
    try:
        handle = open(path, "rb", buffering=READ_BUFFER)  # closed by the with below
    except OSError as exc:
        yield _open_error(path, exc)
        return
    with handle:
        try:
            head = handle.peek(BINARY_SNIFF_BYTES)[:BINARY_SNIFF_BYTES]
            if looks_binary(head):
                yield IngestError(path, "binary file (contains NUL bytes)")
                return
            yield from iter_jsonl(path, handle)
        except OSError as exc:
            yield _open_error(path, exc)


def _default_stdin() -> IO[Any]:
    """sys.stdin as bytes when possible, so undecodable input gets the same fallbacks as files."""
    buffer = getattr(sys.stdin, "buffer", None)
    return buffer if buffer is not None else sys.stdin


def read_stdin(stream: IO[Any]) -> Iterator[Item]:
    """Standard input: JSONL when the first non-blank line starts with '{', else one text report.

    ``stream`` may be text (e.g. ``io.StringIO``) or bytes (``sys.stdin.buffer``).
    """
    lines = iter(stream)
    leading: list[str | bytes] = []
    try:
        for line in lines:
            leading.append(line)
            if line.strip():
                break
        first = leading[-1] if leading else ""
        if _starts_jsonl(first):
            yield from iter_jsonl(STDIN_NAME, itertools.chain(leading, lines))
            return
        rest = stream.read()
    except UnicodeDecodeError:
        yield IngestError(STDIN_NAME, "standard input is not UTF-8 text")
        return
    except OSError as exc:
        yield IngestError(STDIN_NAME, f"cannot read standard input ({exc.strerror or 'I/O error'})")
        return
    if isinstance(rest, bytes):
        data = b"".join(part for part in leading if isinstance(part, bytes)) + rest
    else:
        text = "".join(part for part in leading if isinstance(part, str)) + rest
        data = text.encode("utf-8", errors="surrogateescape")
    yield text_report(STDIN_NAME, data)


def _starts_jsonl(line: str | bytes) -> bool:
    if isinstance(line, bytes):
        line = line.decode("utf-8", errors="replace")
    return line.lstrip("\ufeff \t\r\n").startswith(JSONL_START)
