"""Lines of bounded size: a line longer than the record bound is cut, its rest read and dropped in pieces.

`bounded_lines` never holds more than `MAX_RECORD_BYTES` (plus one read) of a line, however long the
line is (a 1 GB line in a 1 MB `.jsonl.gz`); it says how much of each line was dropped.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import AnyStr, Generic, Protocol

from tollcheck.ingest import limits


class LineSource(Protocol[AnyStr]):
    def readline(self, size: int = -1, /) -> AnyStr: ...


@dataclass(slots=True)
class Line(Generic[AnyStr]):
    """One line (its end of line kept when it was read whole), its number from 1, what was dropped of it."""

    text: AnyStr
    number: int
    dropped: int = 0  # bytes (or characters) cut off the end of the line and not kept


def ends_line(piece: str | bytes) -> bool:
    return piece[-1:] in ("\n", b"\n")


def bounded_lines(
    stream: LineSource[AnyStr], limit: int | None = None, chunk: int | None = None
) -> Iterator[Line[AnyStr]]:
    """The lines of ``stream``, each cut to at most ``limit`` units (bytes or characters), read ``chunk`` at a time."""
    limit = limit or limits.MAX_RECORD_BYTES
    chunk = chunk or limits.READ_CHUNK
    number = 0
    while True:
        piece = stream.readline(min(chunk, limit))
        if not piece:
            return
        number += 1
        if ends_line(piece):
            yield Line(piece, number)
            continue
        kept = [piece]
        size, dropped = len(piece), 0
        while not ends_line(piece):
            piece = stream.readline(chunk)
            if not piece:
                break
            room = max(limit - size, 0)
            if room:
                kept.append(piece[:room])
                size += min(room, len(piece))
            dropped += len(piece[room:].rstrip())  # blanks and the line's end are not a loss
        yield Line(piece[:0].join(kept), number, dropped)


def size_text(n: int) -> str:
    return f"{n / 2**20:,.0f} MiB" if n >= 2**20 else f"{n:,} bytes"


def cut_note(dropped: int, limit: int | None = None) -> str:
    """What a warning says of a record cut to the bound."""
    limit = limit or limits.MAX_RECORD_BYTES
    return f"longer than {size_text(limit)}: only its first {size_text(limit)} read ({dropped:,} more cut)"
