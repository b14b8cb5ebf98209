"""The rows of a CSV/TSV export, one record at a time, of bounded size, with broken quoting caught.

A record is the physical lines up to the line end that falls outside quotes. `QuoteTracker` follows
the quoting as Python's csv reader does (a quote opens a quoted cell only at the cell's start; `""`
inside is a quote; a closing quote followed by anything but the delimiter or the line end is
accepted, but noted). Two things mark a row whose quote was never meant to span lines, which would
swallow the rows after it into one cell: a quote still open at the end of the file, and a record
spanning several lines whose quoted cell "closes" on a quote inside text. That row is reported and
read as its first line alone, and the lines it swallowed are read again as rows. A record longer than
the bound is cut (its quotes are still followed, so the rows after it are found), and says so.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Protocol

from tollcheck.ingest import limits

QUOTE = '"'
LINE_ENDS = ("\n", "\r")
LINE = re.compile(r"[^\n]*\n|[^\n]+")


class TextSource(Protocol):
    def readline(self, size: int = -1, /) -> str: ...


class QuoteTracker:
    """Whether a record's text so far is inside a quoted cell, fed piece by piece."""

    OUT, IN, CLOSING = 0, 1, 2

    def __init__(self, delimiter: str) -> None:
        self.delimiter = delimiter
        self.opener = re.compile(f"[{re.escape(delimiter)}\\n\\r]{QUOTE}")
        self.reset()

    def reset(self) -> None:
        self.state = self.OUT
        self.at_cell_start = True
        self.bad_close = False  # a quoted cell "closed" by a quote that is followed by text

    def feed(self, piece: str) -> None:
        i, n = 0, len(piece)
        while i < n:
            if self.state == self.IN:
                j = piece.find(QUOTE, i)
                if j < 0:
                    return
                self.state, i = self.CLOSING, j + 1
            elif self.state == self.CLOSING:
                if piece[i] == QUOTE:  # "" inside a quoted cell
                    self.state, i = self.IN, i + 1
                    continue
                self.bad_close = self.bad_close or piece[i] not in (self.delimiter, *LINE_ENDS)
                self.state, self.at_cell_start = self.OUT, False
            elif self.at_cell_start and piece[i] == QUOTE:
                self.state, self.at_cell_start, i = self.IN, False, i + 1
            else:
                m = self.opener.search(piece, i)
                if m is None:
                    self.at_cell_start = piece[-1] in (self.delimiter, *LINE_ENDS)
                    return
                self.state, i = self.IN, m.end()

    @property
    def open(self) -> bool:
        return self.state == self.IN


@dataclass(slots=True)
class RawRow:
    """One record's text (cut to the bound), the line it starts on, and what is wrong with it, if anything."""

    line: int
    text: str
    dropped: int = 0  # characters cut off the record
    broken: str | None = None  # what is wrong (its quote swallows the lines after it): it is read as one line


def table_rows(
    handle: TextSource, delimiter: str, first_line: int = 2, limit: int | None = None, chunk: int | None = None
) -> Iterator[RawRow]:
    """The records of ``handle`` (past its header), read ``chunk`` characters at a time."""
    limit = limit or limits.MAX_RECORD_BYTES
    chunk = chunk or limits.READ_CHUNK
    tracker = QuoteTracker(delimiter)
    again: deque[str] = deque()  # lines of a broken row, read again
    number = first_line
    while True:
        tracker.reset()
        start, kept, size, dropped, ended = number, [], 0, 0, False
        while True:
            piece = again.popleft() if again else handle.readline(chunk)
            if not piece:
                ended = True
                break
            tracker.feed(piece)
            room = max(limit - size, 0)
            if room:
                kept.append(piece[:room])
                size += min(room, len(piece))
            dropped += max(len(piece) - room, 0)
            if piece.endswith(LINE_ENDS):
                number += 1
                if not tracker.open:
                    break
        if not kept:
            return
        text = "".join(kept)
        spans = number - start + (1 if ended and not text.endswith(LINE_ENDS) else 0) > 1
        broken = None
        if spans and tracker.open and ended:
            broken = "a quote opened on this line is never closed"
        elif spans and tracker.bad_close:
            broken = "a quote opened on this line runs over the next lines and closes inside text"
        if broken is None:
            yield RawRow(start, text, dropped)
            continue
        first = text[: text.find("\n") + 1] or text
        if dropped:
            yield RawRow(start, first, 0, f"{broken}; the rows after it, past the record bound, are not read")
            continue
        lines = LINE.findall(text[len(first) :])
        yield RawRow(start, first, 0, f"{broken}: read as one line, and the {len(lines)} line(s) after it as rows")
        again.extendleft(reversed(lines))
        number = start + 1
