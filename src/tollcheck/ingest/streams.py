"""Raw streams that watch what passes through them: a byte count, and a bound on how much a gzip expands."""

from __future__ import annotations

import gzip
import io
from typing import BinaryIO

from tollcheck.ingest import limits


class CountingReader(io.RawIOBase):
    """A raw stream that counts the bytes it serves (its `tell`)."""

    def __init__(self, stream: BinaryIO) -> None:
        self._stream = stream
        self.position = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        data = self._stream.read(len(buffer))
        buffer[: len(data)] = data
        self.position += len(data)
        return len(data)

    def tell(self) -> int:
        return self.position


class GzipBomb(ValueError):
    """Raised when a gzip stream expands far more than any text does."""


class ExpansionGuard(io.RawIOBase):
    """Serves ``unzipped`` (read from ``packed``), and raises `GzipBomb` once it has served more than
    `GZIP_RATIO_AFTER` bytes and more than `GZIP_MAX_RATIO` times what was read from ``packed``."""

    def __init__(self, unzipped: gzip.GzipFile, packed: CountingReader) -> None:
        self._unzipped = unzipped
        self._packed = packed
        self.served = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        data = self._unzipped.read1(len(buffer))  # what one piece of input gives: lines before a cut arrive
        buffer[: len(data)] = data
        self.served += len(data)
        if self.served > limits.GZIP_RATIO_AFTER and self.served > limits.GZIP_MAX_RATIO * self._packed.position:
            raise GzipBomb(
                f"gzip file expands over {limits.GZIP_MAX_RATIO:,} times (a gzip bomb?): stopped after "
                f"{self.served / 2**20:,.0f} MiB from {self._packed.position / 2**10:,.0f} KiB"
            )
        return len(data)


def guarded_gzip(stream: BinaryIO) -> io.BufferedReader:
    """The decompressed bytes of the gzip ``stream``, stopped (`GzipBomb`) if it expands like a bomb."""
    packed = CountingReader(stream)
    unzipped = gzip.GzipFile(fileobj=packed, mode="rb")
    return io.BufferedReader(ExpansionGuard(unzipped, packed), buffer_size=1 << 16)
