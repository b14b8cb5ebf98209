"""Reading reports from files, directories and standard input, lazily and in input order.

Every input goes through `read_stream`: its first bytes tell the format (see `sniff`), and the reader
of that format yields Reports and one-line IngestErrors; nothing an input holds stops the batch.
"""

from __future__ import annotations

import dataclasses
import errno
import fnmatch
import gzip
import io
import os
import select
import stat
import sys
import zlib
from collections.abc import Iterator, Sequence
from typing import IO, Any, BinaryIO, TextIO

from tollcheck.ingest import limits
from tollcheck.ingest.common import (
    DEFAULT_OPTIONS,
    STDIN_NAME,
    Item,
    ReadOptions,
    empty_error,
    one_line,
    open_error,
)
from tollcheck.ingest.decoding import UndecodableError, stream_encoding, to_utf8, utf16_encoding
from tollcheck.ingest.html import html_report
from tollcheck.ingest.jsonl import iter_jsonl
from tollcheck.ingest.language import guess_language
from tollcheck.ingest.large import bounded_report, read_text
from tollcheck.ingest.limits import MAX_HTML_BYTES, MAX_PDF_BYTES
from tollcheck.ingest.lines import Prefixed, bounded_lines
from tollcheck.ingest.pdf import pdf_report
from tollcheck.ingest.sniff import (
    GZIP_SUFFIX,
    HEAD_BYTES,
    WARC_MAGIC,
    read_head,
    sniff,
    suffix_format,
    supported_suffixes,
)
from tollcheck.ingest.streams import GzipBomb, guarded_gzip
from tollcheck.ingest.tables import iter_table
from tollcheck.ingest.warc import iter_warc
from tollcheck.model import IngestError, Report

JSONL_SUFFIXES = (".jsonl", ".ndjson")
TEXT_SUFFIXES = (".txt", ".text", ".md")
DIRECTORY_SUFFIXES = supported_suffixes(DEFAULT_OPTIONS)  # files taken when walking a directory
JSONL_START = "{"  # first non-blank character that marks text standard input as JSONL
MAX_GZIP_DEPTH = 2
GZIP_ERRORS = (EOFError, gzip.BadGzipFile, zlib.error)
FILE_KINDS = (
    (stat.S_ISDIR, "directory"),
    (stat.S_ISREG, "file"),
    (stat.S_ISFIFO, "named pipe"),
    (stat.S_ISSOCK, "socket"),
    (stat.S_ISCHR, "device"),
    (stat.S_ISBLK, "device"),
)
KIND_ERRORS = {  # why a path that is not a file or directory is not read
    "missing": "no such file or directory",
    "broken link": "broken symbolic link",
    "link loop": "symbolic link loop (a link to itself): skipped",
    "named pipe": "not a regular file (a named pipe): skipped",
}


def read_reports(
    paths: Sequence[str], stdin: TextIO | IO[bytes] | None = None, options: ReadOptions | None = None
) -> Iterator[Item]:
    """Yield a Report (or an IngestError) for every input, in order, without stopping on errors.

    ``paths`` are files (text, HTML, PDF, WARC, JSONL, CSV/TSV, and `.gz` of each), directories
    (walked recursively, sorted) or ``-`` for ``stdin`` (default ``sys.stdin``). Line formats and
    archives are read lazily, one report at a time.
    """
    opts = options or DEFAULT_OPTIONS
    for path in paths:
        if path == STDIN_NAME:
            items = read_stdin(stdin if stdin is not None else _default_stdin(), opts)
        else:
            items = read_path(path, opts)
        for item in items:
            yield from _finished(_override(item, opts))


def _finished(item: Item) -> Iterator[Item]:
    """Every reader's report, the same way: its language guessed, and cut into parts when too long."""
    if not isinstance(item, Report):
        yield item
        return
    language = guess_language(item.text) if "part" not in item.metadata or item.metadata["part"] == 1 else None
    if language:
        item = dataclasses.replace(item, metadata={**item.metadata, "language_guess": language})
    yield from bounded_report(item)


def _override(item: Item, options: ReadOptions) -> Item:
    """`--published DATE`: one publication date for every report; the input's own is kept in metadata."""
    if not options.published or not isinstance(item, Report):
        return item
    meta = {**item.metadata, "published_from": "the --published option"}
    if item.published and item.published != options.published:
        meta["published_in_input"] = item.published
    return dataclasses.replace(item, published=options.published, metadata=meta)


def read_path(path: str, options: ReadOptions = DEFAULT_OPTIONS) -> Iterator[Item]:
    """Read one command-line path: a directory or a file (a pipe too: `extract <(zcat dump.gz)`)."""
    kind = path_kind(path)
    if kind == "directory":
        found = False
        for item in walk_directory(path, options):
            found = True
            yield item
        if not found:
            wanted = options.glob or ", ".join(s for s in supported_suffixes(options) if not s.endswith(GZIP_SUFFIX))
            yield IngestError(path, f"no report files found in directory (looked for {wanted})")
    elif kind in ("file", "named pipe", "unreadable"):  # an unreadable one gets the error its open gives
        yield from read_file(path, options)
    else:
        yield IngestError(path, KIND_ERRORS.get(kind, f"not a regular file ({kind}): skipped"))


def path_kind(path: str) -> str:
    """What ``path`` is, following symbolic links: directory, file, named pipe, socket, device, or why not."""
    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "link loop"
        if exc.errno == errno.ENOENT:
            return "broken link" if os.path.lexists(path) else "missing"
        return "unreadable"
    for test, kind in FILE_KINDS:
        if test(mode):
            return kind
    return "special file"


def _is_wanted(name: str, relative: str, options: ReadOptions) -> bool:
    if name.startswith("."):
        return False
    if options.glob:
        return fnmatch.fnmatch(name, options.glob) or fnmatch.fnmatch(relative, options.glob)
    return name.lower().endswith(supported_suffixes(options))


def walk_directory(
    root: str, options: ReadOptions = DEFAULT_OPTIONS, _seen: set[str] | None = None, _top: str | None = None
) -> Iterator[Item]:
    """Walk ``root`` depth-first in name order, skipping hidden entries and symlink loops.

    A wanted name that is not a regular file (a named pipe, a socket, a device, a link to nowhere or to
    itself) is one error, and the walk goes on: nothing in a directory is opened that could block.
    """
    seen = _seen if _seen is not None else set()
    top = _top if _top is not None else root
    real = os.path.realpath(root)
    if real in seen:
        return
    seen.add(real)
    try:
        with os.scandir(root) as scan:
            names = sorted(entry.name for entry in scan)
    except PermissionError:
        yield IngestError(root, "directory not readable (permission denied)")
        return
    except OSError as exc:
        yield IngestError(root, f"directory not readable ({exc.strerror or exc.__class__.__name__})")
        return
    for name in names:
        if name.startswith("."):
            continue
        child = os.path.join(root, name)
        kind = path_kind(child)
        if kind == "directory":
            yield from walk_directory(child, options, seen, top)
        elif not _is_wanted(name, os.path.relpath(child, top), options):
            continue
        elif kind in ("file", "unreadable"):
            yield from read_file(child, options)
        else:
            yield IngestError(child, KIND_ERRORS.get(kind, f"not a regular file ({kind}): skipped"))


def open_without_waiting(path: str) -> BinaryIO:
    """Open ``path`` for reading in binary; a named pipe without a writer does not block the open."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    return os.fdopen(fd, "rb")


def _anonymous_pipe(path: str) -> bool:
    """True for a pipe made by the shell (`/dev/fd/63` from `<(command)`), which always has a writer."""
    try:
        return os.readlink(path).startswith("pipe:")
    except OSError:
        return False


def read_file(path: str, options: ReadOptions = DEFAULT_OPTIONS) -> Iterator[Item]:
    """Read one file in whatever format it is in; a named pipe is opened without waiting for a writer."""
    try:
        handle = open_without_waiting(path)  # closed by the with below
    except OSError as exc:
        yield open_error(path, exc)
        return
    with handle:
        try:
            info = os.fstat(handle.fileno())
        except OSError:
            info = None
        if info is not None and not (stat.S_ISREG(info.st_mode) or stat.S_ISFIFO(info.st_mode)):
            yield IngestError(path, "not a regular file: skipped")
            return
        pipe = info is not None and stat.S_ISFIFO(info.st_mode)
        waits = pipe and not _anonymous_pipe(path)  # `<(command)` has its writer: read it like standard input
        if waits and not select.select([handle], [], [], limits.FIFO_WAIT_SECONDS)[0]:
            wait = f"{limits.FIFO_WAIT_SECONDS:g} s"
            yield IngestError(path, f"named pipe: nothing was written to it within {wait}: skipped")
            return
        os.set_blocking(handle.fileno(), True)
        size = info.st_size if info is not None and not pipe else None
        for item in read_stream(path, handle, options, name=path, file_bytes=size):
            if pipe and isinstance(item, IngestError) and item.message == empty_error(path).message:
                item = IngestError(path, "empty named pipe (nothing was written to it)")
            yield item


def _gzip_holds_warc(head: bytes) -> bool:
    try:
        return zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(head, 64).startswith(WARC_MAGIC)
    except zlib.error:
        return False


def read_stream(
    source: str,
    stream: BinaryIO,
    options: ReadOptions = DEFAULT_OPTIONS,
    name: str | None = None,
    file_bytes: int | None = None,
    depth: int = 0,
) -> Iterator[Item]:
    """Read ``stream`` (named ``source`` in ids and errors; ``name`` for its suffix) in the format it is in."""
    name = name if name is not None else source
    try:
        head, stream = read_head(stream)
        fmt = sniff(name, head, options)
        if fmt == "empty" and len(head) >= HEAD_BYTES:
            fmt = "text"
        if fmt == "empty":
            yield empty_error(source)
        elif fmt == "binary":
            yield IngestError(source, "binary file (contains NUL bytes)")
        elif fmt == "gzip":
            yield from _read_gzip(source, stream, head, options, name, depth)
        elif fmt == "utf-16":
            yield from _read_utf16(source, stream, head, options, name, depth)
        elif fmt == "warc":
            yield from iter_warc(source, stream)
        elif fmt == "pdf":
            yield pdf_report(source, stream.read(MAX_PDF_BYTES + 1))
        elif fmt == "html":
            yield html_report(source, stream.read(MAX_HTML_BYTES + 1))
        elif fmt == "jsonl":
            yield from iter_jsonl(source, bounded_lines(stream))
        elif fmt in ("csv", "tsv"):
            try:
                encoding = stream_encoding(head, at_end=len(head) < HEAD_BYTES)
            except UndecodableError as exc:
                yield IngestError(source, str(exc))
                return
            yield from iter_table(source, stream, fmt, options, encoding)
        else:
            yield from read_text(source, stream, file_bytes=file_bytes)
    except gzip.BadGzipFile:
        if depth:
            raise  # said by _read_gzip, as a damaged gzip file
        yield IngestError(source, "damaged gzip file")
    except OSError as exc:
        yield open_error(source, exc)


def _read_gzip(
    source: str, stream: BinaryIO, head: bytes, options: ReadOptions, name: str, depth: int
) -> Iterator[Item]:
    if suffix_format(name) == "warc" or _gzip_holds_warc(head):
        yield from iter_warc(source, stream)  # warcio reads gzip member by member itself
        return
    if depth >= MAX_GZIP_DEPTH:
        yield IngestError(source, "gzip inside gzip inside gzip: not read")
        return
    inner = name[: -len(GZIP_SUFFIX)] if name.lower().endswith(GZIP_SUFFIX) else name
    try:
        yield from read_stream(source, guarded_gzip(stream), options, name=inner, depth=depth + 1)
    except GzipBomb as exc:
        yield IngestError(source, str(exc))
    except EOFError:
        yield IngestError(source, "truncated gzip file (it ends before its end-of-stream marker)")
    except GZIP_ERRORS as exc:
        yield IngestError(source, f"damaged gzip file ({type(exc).__name__}: {one_line(exc, 100)})")


def _read_utf16(
    source: str, stream: BinaryIO, head: bytes, options: ReadOptions, name: str, depth: int
) -> Iterator[Item]:
    """A UTF-16 input (with a BOM or without), read as UTF-8 in whatever format it is in."""
    encoding = utf16_encoding(head) or "utf-16"
    for item in read_stream(source, to_utf8(stream, encoding), options, name=name, depth=depth + 1):
        if isinstance(item, Report) and "encoding" not in item.metadata:
            item = dataclasses.replace(item, metadata={**item.metadata, "encoding": encoding})
        yield item


def _default_stdin() -> IO[Any]:
    """sys.stdin as bytes when possible, so undecodable input gets the same fallbacks as files."""
    buffer = getattr(sys.stdin, "buffer", None)
    return buffer if buffer is not None else sys.stdin


def read_stdin(stream: IO[Any], options: ReadOptions = DEFAULT_OPTIONS) -> Iterator[Item]:
    """Standard input, in whatever format it is in (bytes streams are sniffed like files).

    ``stream`` may be text (e.g. ``io.StringIO``): JSONL when the first non-blank line starts with
    '{' (read lazily), else its text is read like a file's bytes.
    """
    if not isinstance(stream, io.TextIOBase):
        yield from read_stream(STDIN_NAME, stream, options)
        return
    leading: list[str] = []
    try:
        for line in iter(lambda: stream.readline(limits.READ_CHUNK), ""):
            leading.append(line)
            if line.strip():
                break
        first = leading[-1] if leading else ""
        if first.lstrip("\ufeff \t\r\n").startswith(JSONL_START):
            yield from iter_jsonl(STDIN_NAME, bounded_lines(Prefixed("".join(leading), stream)))
            return
        rest = stream.read()
    except UnicodeDecodeError:
        yield IngestError(STDIN_NAME, "standard input is not UTF-8 text")
        return
    except OSError as exc:
        yield IngestError(STDIN_NAME, f"cannot read standard input ({exc.strerror or 'I/O error'})")
        return
    data = ("".join(leading) + rest).encode("utf-8", errors="surrogateescape")
    yield from read_stream(STDIN_NAME, io.BytesIO(data), options)
