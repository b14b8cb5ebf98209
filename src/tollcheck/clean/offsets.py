"""Offsets between cleaned and original text.

Cleaning is a list of edits on the original text; each edit replaces ``original[start:end]`` by a
string. Applying them gives the cleaned text and a sorted list of anchors ``(clean_offset,
original_offset)``. Between two anchors the map is linear with slope 1, clamped so that an offset
inside a replaced stretch maps into that stretch. Where several anchors share one clean offset (a
deletion), the offset maps to the LAST of them, i.e. after the deleted text: a span that starts
there starts after the deletion.
"""

from __future__ import annotations

import sys
from bisect import bisect_right
from collections.abc import Iterable

Edit = tuple[int, int, str]  # (original start, original end, replacement)
Anchor = tuple[int, int]  # (clean offset, original offset)

_MAX = sys.maxsize


def map_offset(anchors: list[Anchor], offset: int) -> int:
    """Map an offset in the cleaned text to the corresponding offset in the original text."""
    if offset < 0:
        return 0
    if not anchors:
        return offset
    i = bisect_right(anchors, (offset, _MAX)) - 1
    if i < 0:
        return 0
    clean_at, orig_at = anchors[i]
    result = orig_at + (offset - clean_at)
    if i + 1 < len(anchors):
        nxt = anchors[i + 1][1]
        if result > nxt:
            result = nxt
    elif result > orig_at:
        # past the final anchor (the end of the text): stay at the end
        result = orig_at
    return result


def apply_edits(text: str, edits: Iterable[Edit]) -> tuple[str, list[Anchor]]:
    """Apply sorted, non-overlapping edits; return the new text and its anchors.

    Anchors always start with ``(0, 0)`` and end with ``(len(new), len(text))``.
    """
    pieces: list[str] = []
    anchors: list[Anchor] = [(0, 0)]
    pos = 0
    shift = 0  # clean offset - original offset, after the edits so far
    for start, end, replacement in edits:
        if start < pos or end < start:
            raise ValueError(f"edits overlap or are out of order at {start}:{end}")
        pieces.append(text[pos:start])
        pieces.append(replacement)
        before = (start + shift, start)
        if before != anchors[-1]:
            anchors.append(before)
        shift += len(replacement) - (end - start)
        anchors.append((end + shift, end))
        pos = end
    pieces.append(text[pos:])
    final = (len(text) + shift, len(text))
    if final != anchors[-1]:
        anchors.append(final)
    return "".join(pieces), anchors
