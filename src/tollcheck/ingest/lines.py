"""Lines of bounded size, read in chunks: a line longer than the record bound is cut, its rest dropped.

`bounded_lines` never holds more than `MAX_RECORD_BYTES` (plus one read) of a line, however long the
line is (a 1 GB line in a 1 MB `.jsonl.gz`), and says how much of each line was dropped. Runs of
blank lines are stepped over in one search (a gzip of blank lines costs no Python per line).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, AnyStr, Generic

from tollcheck.ingest import limits

BLANK_LINES = {str: re.compile(r"(?:[ \t\r]*\n)+"), bytes: re.compile(rb"(?:[ \t\r]*\n)+")}


@dataclass(slots=True)
class Line(Generic[AnyStr]):
    """One line (its end of line kept when it was read whole), its number from 1, what was dropped of it."""

    text: AnyStr
    number: int
    dropped: int = 0  # bytes (or characters) cut off the end of the line and not kept


def _reader(stream: Any) -> Callable[[int], Any]:
    """``read1`` or ``readline`` where there is one (a pipe's lines arrive as they are written), else ``read``."""
    return getattr(stream, "read1", None) or getattr(stream, "readline", None) or stream.read


class Prefixed:
    """A text stream's first lines, already read, then the rest of it, a line at a time."""

    def __init__(self, head: str, stream: Any) -> None:
        self._head = head
        self._stream = stream

    def readline(self, size: int = -1, /) -> str:
        if self._head:
            out, self._head = self._head, ""
            return out
        return str(self._stream.readline(size))


def bounded_lines(stream: Any, limit: int | None = None, chunk: int | None = None) -> Iterator[Line[Any]]:
    """The non-blank lines of ``stream`` (bytes or text), each cut to at most ``limit`` units, with their
    numbers; ``stream`` is read ``chunk`` at a time."""
    limit = limit or limits.MAX_RECORD_BYTES
    read = _reader(stream)
    chunk = chunk or limits.READ_CHUNK
    buffer = read(chunk)
    newline = "\n" if isinstance(buffer, str) else b"\n"
    blank = BLANK_LINES[type(buffer)]
    position, number = 0, 1
    while buffer:
        m = blank.match(buffer, position)
        if m is not None:
            number += buffer.count(newline, position, m.end())
            position = m.end()
        if position >= len(buffer):
            buffer, position = read(chunk), 0
            continue
        end = buffer.find(newline, position)
        if end >= 0:
            yield Line(buffer[position : end + 1], number)
            number, position = number + 1, end + 1
            continue
        kept, size, dropped = [buffer[position : position + limit]], 0, max(len(buffer) - position - limit, 0)
        size = len(kept[0])
        buffer, position = read(chunk), 0
        while buffer:
            end = buffer.find(newline)
            piece = buffer if end < 0 else buffer[: end + 1]
            room = max(limit - size, 0)
            kept.append(piece[:room])
            size += min(room, len(piece))
            dropped += len(piece[room:].rstrip())  # blanks and the line's end are not a loss
            if end >= 0:
                position = end + 1
                break
            buffer = read(chunk)
        yield Line(newline[:0].join(kept), number, dropped)
        number += 1


def size_text(n: int) -> str:
    return f"{n / 2**20:,.0f} MiB" if n >= 2**20 else f"{n:,} bytes"


def cut_note(dropped: int, limit: int | None = None) -> str:
    """What a warning says of a record cut to the bound."""
    limit = limit or limits.MAX_RECORD_BYTES
    return f"longer than {size_text(limit)}: only its first {size_text(limit)} read ({dropped:,} more cut)"
