"""Turning the bytes of an input into text, or saying in one line why that cannot be done."""

from __future__ import annotations

import codecs
import io
import unicodedata
from typing import BinaryIO

from tollcheck.ingest.limits import READ_CHUNK

BINARY_SNIFF_BYTES = 8192  # NUL bytes within this many leading bytes mark a file as binary...
NULS_PER_KB = 1  # ...when there are more than one, and more than this many per KB (a stray NUL is not binary)
UTF16_ZERO_SHARE = 0.4  # UTF-16 without a BOM: at least this share of the bytes on one side are NUL...
UTF16_OTHER_SHARE = 0.05  # ...and at most this share on the other
MIN_UTF16_CHARS = 4
UTF8_BOM = b"\xef\xbb\xbf"
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
FALLBACK_ENCODING = "cp1252"
ALLOWED_CONTROLS = ("\t", "\n", "\r", "\f", "\v")
MAX_BAD_CHAR_RATIO = 0.05  # above this share of unprintable characters, a fallback decode is rejected
GUESS_BYTES = 1 << 16  # charset-normalizer looks at this many leading bytes
MAX_CHAOS = 0.2  # charset-normalizer's "mess" ratio above which its guess is not used
MIN_NON_LATIN = 0.3  # share of letters outside the Latin script for a guess to be trusted
LATIN_END = 0x24F  # last code point of the Latin Extended-B block


class UndecodableError(ValueError):
    """Raised with a short one-line message when bytes are not readable text."""


def utf16_without_bom(head: bytes) -> str | None:
    """``utf-16-le`` or ``utf-16-be`` when the leading bytes are UTF-16 text without a BOM (mostly Latin
    text: every other byte NUL), else None."""
    sample = head[: BINARY_SNIFF_BYTES - BINARY_SNIFF_BYTES % 2]
    sample = sample[: len(sample) - len(sample) % 2]
    half = len(sample) // 2
    if half < MIN_UTF16_CHARS:
        return None
    even, odd = sample[0::2].count(0) / half, sample[1::2].count(0) / half
    for zeros, other, encoding in ((odd, even, "utf-16-le"), (even, odd, "utf-16-be")):
        if zeros >= UTF16_ZERO_SHARE and other <= UTF16_OTHER_SHARE:
            text = sample.decode(encoding, errors="replace")
            if _bad_char_count(text) <= MAX_BAD_CHAR_RATIO * len(text):
                return encoding
    return None


def utf16_encoding(head: bytes) -> str | None:
    """The UTF-16 encoding of an input, told by its BOM or by where its NUL bytes fall; None if not UTF-16."""
    if head.startswith(UTF16_BOMS):
        return "utf-16"
    return utf16_without_bom(head)


def looks_binary(head: bytes) -> bool:
    """True when the leading bytes hold NUL bytes (more than a stray one) and are not UTF-16 text."""
    sample = head[:BINARY_SNIFF_BYTES]
    nuls = sample.count(0)
    if nuls <= max(1, NULS_PER_KB * len(sample) // 1024):
        return False
    return utf16_encoding(head) is None


def _bad_char_count(text: str) -> int:
    return sum(1 for ch in text if ch == "\ufffd" or (ch not in ALLOWED_CONTROLS and unicodedata.category(ch) == "Cc"))


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode a whole input: UTF-8 (BOM stripped), UTF-16 with a BOM, a non-Latin encoding
    charset-normalizer can tell (cp1251, Shift JIS...), else cp1252.

    Returns ``(text, encoding)``. Raises ``UndecodableError`` for binary data.
    """
    if data.startswith(UTF16_BOMS):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            raise UndecodableError("binary file (starts like UTF-16 but does not decode)") from None
    bare = utf16_without_bom(data)
    if bare:
        return data.decode(bare, errors="replace"), bare
    if looks_binary(data):
        raise UndecodableError("binary file (contains NUL bytes)")
    stray = b"\x00" in data
    data = data.replace(b"\x00", b"") if stray else data  # a stray NUL (a bad export) is not text
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    else:
        if _bad_char_count(text) > MAX_BAD_CHAR_RATIO * max(len(text), 1):
            raise UndecodableError("binary file (contains NUL bytes)" if stray else "binary file (control characters)")
        return text, "utf-8"
    guess = guess_encoding(data)
    if guess is not None:
        return data.decode(guess, errors="replace"), guess
    text = data.decode(FALLBACK_ENCODING, errors="replace")
    if _bad_char_count(text) > MAX_BAD_CHAR_RATIO * max(len(text), 1):
        raise UndecodableError("binary file or unknown encoding (neither UTF-8 nor cp1252 text)")
    return text, FALLBACK_ENCODING


def _non_latin_share(text: str) -> float:
    letters = [ch for ch in text if ch.isalpha()]
    return sum(1 for ch in letters if ord(ch) > LATIN_END) / max(len(letters), 1)


def guess_encoding(data: bytes) -> str | None:
    """A non-Latin encoding (Cyrillic, Greek, CJK...) charset-normalizer can tell from ``data``, else None.

    Latin-script guesses are not trusted on short texts (French cp1252 comes back as cp1250): those,
    and everything charset-normalizer cannot tell, are left to the cp1252 fallback.
    """
    from charset_normalizer import from_bytes

    best = from_bytes(data[:GUESS_BYTES]).best()
    if best is None or best.chaos > MAX_CHAOS:
        return None
    try:
        text = data[:GUESS_BYTES].decode(best.encoding, errors="replace")
    except LookupError:
        return None
    if _non_latin_share(text) < MIN_NON_LATIN or _bad_char_count(text) > MAX_BAD_CHAR_RATIO * max(len(text), 1):
        return None
    return best.encoding


def stream_encoding(head: bytes, at_end: bool) -> str:
    """The encoding to stream a file in, told from its first bytes (``at_end``: the head is the whole file).

    Raises ``UndecodableError`` when the head is binary or in no encoding that can be told.
    """
    if head.startswith(UTF8_BOM):
        return "utf-8-sig"
    utf16 = utf16_encoding(head)
    if utf16:
        return utf16
    if looks_binary(head):
        raise UndecodableError("binary file (contains NUL bytes)")
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=at_end)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    return decode_bytes(head)[1]


def decode_line(line: bytes, first: bool = False, cut: bool = False) -> tuple[str, str]:
    """Decode one JSONL line: UTF-8 (BOM stripped on the first line), falling back to cp1252; a ``cut``
    line may end inside a character, which is dropped."""
    if first and line.startswith(UTF8_BOM):
        line = line[len(UTF8_BOM) :]
    if cut:
        try:
            return codecs.getincrementaldecoder("utf-8")().decode(line, final=False), "utf-8"
        except UnicodeDecodeError:
            pass
    try:
        return line.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return line.decode(FALLBACK_ENCODING, errors="replace"), FALLBACK_ENCODING


class _ToUTF8(io.RawIOBase):
    """A raw stream serving the UTF-8 bytes of ``stream`` read in ``encoding``, one chunk at a time."""

    def __init__(self, stream: BinaryIO, encoding: str) -> None:
        self._stream = stream
        self._decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
        self._pending = memoryview(b"")
        self._done = False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        while not self._pending and not self._done:
            data = self._stream.read(READ_CHUNK)
            self._done = not data
            self._pending = memoryview(self._decoder.decode(data, final=self._done).encode("utf-8", "replace"))
        n = min(len(buffer), len(self._pending))
        buffer[:n] = self._pending[:n]
        self._pending = self._pending[n:]
        return n


def to_utf8(stream: BinaryIO, encoding: str) -> io.BufferedReader:
    """``stream`` (text in ``encoding``, e.g. UTF-16) as a stream of UTF-8 bytes, decoded as it is read."""
    return io.BufferedReader(_ToUTF8(stream, encoding), buffer_size=1 << 16)
