"""Every bound on what one input, one record and one report may hold: the one place to change them.

Nothing an input holds may make a reader keep more than these in memory at once, nor hand the
extraction stage a text longer than spaCy takes (E088): longer texts are read in parts.
"""

from __future__ import annotations

MAX_RECORD_BYTES = 1 << 26  # 64 MiB: one JSONL line, CSV row or table cell kept; the rest is cut (with a warning)
READ_CHUNK = 1 << 20  # lines and records are read in pieces of at most this many bytes or characters
LARGE_TEXT_CHARS = 1 << 20  # a report longer than this is read in parts (spaCy's default limit is 1,000,000)
PART_CHARS = 1 << 18  # at most this many characters in one part of a long report
GZIP_MAX_RATIO = 500  # a gzip input expanding more than this many times (text: under 20)...
GZIP_RATIO_AFTER = 1 << 26  # ...once past 64 MiB is a gzip bomb: stopped, with an error
MAX_HTML_BYTES = 50_000_000  # a larger page (a file or a WARC record) is an error: trafilatura holds its whole tree
MAX_PDF_BYTES = 1 << 29  # 512 MiB: a larger PDF is an error (pypdf reads the whole file)
FIFO_WAIT_SECONDS = 10.0  # a named pipe given by name is skipped when nothing is written to it for this long
MAX_HTML_DEPTH = 200  # markup nested deeper than this is re-read with lxml's huge_tree, then flattened
