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
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Protocol

from tollcheck.ingest import limits

QUOTE = '"'
LINE_ENDS = ("\n", "\r")


class TextSource(Protocol):
    def read(self, size: int = -1, /) -> str: ...


class QuoteTracker:
    """Where a record ends (its first line end outside quotes), fed its text piece by piece."""

    OUT, IN, CLOSING = 0, 1, 2

    def __init__(self, delimiter: str) -> None:
        self.delimiter = delimiter
        self.stop = re.compile(f"[{re.escape(delimiter)}\n\r]")
        self.reset()

    def reset(self) -> None:
        self.state = self.OUT
        self.at_cell_start = True
        self.bad_close = False  # a quoted cell "closed" by a quote that is followed by text

    def feed(self, piece: str, i: int = 0) -> int | None:
        """The index in ``piece`` just past the record's end, looking from ``i``; None if it goes on."""
        n = len(piece)
        while i < n:
            if self.state == self.IN:
                j = piece.find(QUOTE, i)
                if j < 0:
                    return None
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
                self.at_cell_start = False
                m = self.stop.search(piece, i)
                if m is None:
                    return None
                i = m.end()
                if piece[m.start()] == self.delimiter:
                    self.at_cell_start = True
                    continue
                return i + 1 if piece[m.start()] == "\r" and piece[i : i + 1] == "\n" else i
        return None

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
    buffer, position, number, ended = "", 0, first_line, False
    while True:
        tracker.reset()
        start, kept, size, dropped, newlines, last = number, [], 0, 0, 0, ""
        while True:
            if position >= len(buffer):
                buffer, position = ("" if ended else handle.read(chunk)), 0
                if not buffer:
                    ended = True
                    break
            end = tracker.feed(buffer, position)
            take = buffer[position:end] if end is not None else buffer[position:]
            position = end if end is not None else len(buffer)
            newlines += take.count("\n")
            room = max(limit - size, 0)
            if room:
                kept.append(take[:room])
                size += min(room, len(take))
            dropped += max(len(take) - room, 0)
            last = take
            if end is not None:
                break
        if not kept:
            return
        text = "".join(kept)
        number = start + newlines
        physical = newlines + (0 if last.endswith(LINE_ENDS) else 1)
        broken = None
        if physical > 1 and tracker.open and ended:
            broken = "a quote opened on this line is never closed"
        elif physical > 1 and tracker.bad_close:
            broken = "a quote opened on this line runs over the next lines and closes inside text"
        if broken is None:
            yield RawRow(start, text, dropped)
            continue
        first = text[: text.find("\n") + 1] or text
        if dropped:
            yield RawRow(start, first, 0, f"{broken}; the rows after it, past the record bound, are not read")
            continue
        rest = text[len(first) :]
        yield RawRow(
            start, first, 0, f"{broken}: read as one line, and the {rest.count(chr(10))} line(s) after it as rows"
        )
        buffer, position, number, ended = rest + buffer[position:], 0, start + 1, False
