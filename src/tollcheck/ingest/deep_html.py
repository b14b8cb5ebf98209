"""Pages whose markup is nested too deeply for the usual parse (libxml2 stops at 256 levels).

`markup_depth` measures the nesting in one pass over the tags. A page nested deeper than
`MAX_HTML_DEPTH` is read another way: parsed with lxml's `huge_tree` (up to about 2,000 levels), else
with its container tags (div, span, font, ...) removed, else as plain text with scripts, styles and
tags stripped. How it was read is kept in `metadata["html_fallback"]` (and said in a warning).
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from typing import Any

from tollcheck.ingest.limits import MAX_HTML_DEPTH

# [^<>]: a match never runs past the next tag's start, so unclosed tags cost one step each (no quadratic scan)
TAG = re.compile(rb"<(/?)([A-Za-z][A-Za-z0-9-]*)(?:[^<>]*?)(/?)>")
NOT_NESTED = frozenset(  # void elements, and those whose end tag may be left out (the parser closes them)
    b"area base br col embed hr img input link meta param source track wbr p li dt dd option tr td th".split()
)
KEPT = b"html|head|body|title|meta|script|style|noscript|article|main|nav|header|footer|aside|figure|figcaption|p|br|h[1-6]|ul|ol|li|table|tr|td|th|time|a"  # noqa: E501
CONTAINER = re.compile(rb"</?(?!(?:" + KEPT + rb")\b)[A-Za-z][A-Za-z0-9-]*[^<>]*>", re.I)
HIDDEN_START = re.compile(rb"<(script|style|noscript|template)\b", re.I)
ANY_TAG = re.compile(rb"<[^<>]*>")
BLANKS = re.compile(r"[ \t\r\f\v]+")
BLANK_LINES = re.compile(r"\n\s*\n\s*")
MIN_PLAIN_WORDS = 5  # plain text with fewer words than this is no main text
HUGE_TREE_DEPTH = 2000  # lxml's huge_tree parses this deep (libxml2 stops at 2048 levels)


def markup_depth(data: bytes) -> int:
    """How deeply the page's elements are nested (void, self-closed and optionally closed ones do not count)."""
    depth = deepest = 0
    for m in TAG.finditer(data):
        closing, name, selfclosed = m.group(1), m.group(2).lower(), m.group(3)
        if closing:
            depth = max(depth - 1, 0)
        elif not selfclosed and name not in NOT_NESTED:
            depth += 1
            deepest = max(deepest, depth)
    return deepest


def _without_hidden(data: bytes) -> bytes:
    """``data`` without script, style, noscript and template elements (one pass; an unclosed one ends it)."""
    kept: list[bytes] = []
    position = 0
    lower = data.lower()
    for m in HIDDEN_START.finditer(data):
        if m.start() < position:
            continue
        kept.append(data[position : m.start()])
        end = lower.find(b"</" + m.group(1).lower(), m.end())
        if end < 0:
            return b" ".join(kept)
        close = data.find(b">", end)
        position = len(data) if close < 0 else close + 1
    kept.append(data[position:])
    return b" ".join(kept)


def plain_text(data: bytes) -> str:
    """The page's text without scripts, styles and tags, one block per line."""
    stripped = ANY_TAG.sub(b"\n", _without_hidden(data)).decode("utf-8", errors="replace")
    lines = (BLANKS.sub(" ", html.unescape(line)).strip() for line in stripped.split("\n"))
    return BLANK_LINES.sub("\n\n", "\n".join(line for line in lines if line)).strip()


def _huge_tree(data: bytes) -> Any:
    import lxml.html

    return lxml.html.document_fromstring(data, parser=lxml.html.HTMLParser(huge_tree=True))


def read_html(data: bytes, extract: Callable[[Any], dict[str, Any] | None]) -> dict[str, Any] | None:
    """``extract`` (main text and metadata) of a page, or None; a page nested deeper than `MAX_HTML_DEPTH`
    (whose usual parse stops at 256 levels and loses what is below) is read by the first way that
    finds text: lxml's huge_tree, container tags removed, plain text."""
    depth = markup_depth(data)
    if depth <= MAX_HTML_DEPTH:
        return extract(data)
    ways: list[tuple[str, Callable[[], Any]]] = []
    if depth <= HUGE_TREE_DEPTH:
        ways.append(("lxml huge_tree", lambda: _huge_tree(data)))
    flat = CONTAINER.sub(b"\n", data)
    if markup_depth(flat) <= MAX_HTML_DEPTH:
        ways.append(("container tags removed", lambda: flat))
    for how, prepared in ways:
        try:
            found = extract(prepared())
        except Exception:  # noqa: BLE001  (the next way is tried)
            continue
        if found is not None:
            return {**found, "html_fallback": f"{how} (markup nested {depth} levels deep)"}
    text = plain_text(data)
    if len(text.split()) < MIN_PLAIN_WORDS:
        return None
    return {"text": text, "html_fallback": f"plain text (markup nested {depth} levels deep)"}
