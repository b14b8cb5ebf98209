"""Turning the bytes of an input into text, or saying in one line why that cannot be done."""

from __future__ import annotations

import unicodedata

BINARY_SNIFF_BYTES = 8192  # NUL bytes within this many leading bytes mark a file as binary
UTF8_BOM = b"\xef\xbb\xbf"
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
FALLBACK_ENCODING = "cp1252"
ALLOWED_CONTROLS = ("\t", "\n", "\r", "\f", "\v")
MAX_BAD_CHAR_RATIO = 0.05  # above this share of unprintable characters, a fallback decode is rejected


class UndecodableError(ValueError):
    """Raised with a short one-line message when bytes are not readable text."""


def looks_binary(head: bytes) -> bool:
    """True when the leading bytes contain NUL bytes (and are not UTF-16 with a BOM)."""
    if head.startswith(UTF16_BOMS):
        return False
    return b"\x00" in head[:BINARY_SNIFF_BYTES]


def _bad_char_count(text: str) -> int:
    return sum(1 for ch in text if ch == "\ufffd" or (ch not in ALLOWED_CONTROLS and unicodedata.category(ch) == "Cc"))


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode a whole input: UTF-8 (BOM stripped), UTF-16 with a BOM, else cp1252.

    Returns ``(text, encoding)``. Raises ``UndecodableError`` for binary data.
    """
    if data.startswith(UTF16_BOMS):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            raise UndecodableError("binary file (starts like UTF-16 but does not decode)") from None
    if looks_binary(data):
        raise UndecodableError("binary file (contains NUL bytes)")
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    text = data.decode(FALLBACK_ENCODING, errors="replace")
    if _bad_char_count(text) > MAX_BAD_CHAR_RATIO * max(len(text), 1):
        raise UndecodableError("binary file or unknown encoding (neither UTF-8 nor cp1252 text)")
    return text, FALLBACK_ENCODING


def decode_line(line: bytes, first: bool = False) -> tuple[str, str]:
    """Decode one JSONL line: UTF-8 (BOM stripped on the first line), falling back to cp1252."""
    if first and line.startswith(UTF8_BOM):
        line = line[len(UTF8_BOM) :]
    try:
        return line.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return line.decode(FALLBACK_ENCODING, errors="replace"), FALLBACK_ENCODING
