"""A progress bar on standard error for long runs: reports done, reports per second, errors so far.

Shown only when standard error is a terminal (and not `--quiet`); a pipe or a file gets nothing. The
bar counts the items of the result stream as they pass: results are reports, IngestErrors failures.
Messages printed while the bar runs go through `Progress.say`, above the bar.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from types import TracebackType
from typing import Any, TextIO, TypeVar

from tollcheck.model import IngestError

T = TypeVar("T")
REFRESH_PER_SECOND = 4


def progress_wanted(stream: TextIO | None = None, quiet: bool = False) -> bool:
    """True when ``stream`` (default standard error) is a terminal and the run is not quiet."""
    stream = stream if stream is not None else sys.stderr
    if quiet:
        return False
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty and isatty())
    except (ValueError, OSError):  # a closed stream
        return False


class Progress:
    """``with Progress(enabled) as bar: for item in bar.track(items): ...`` — silent when not enabled."""

    def __init__(self, enabled: bool, stream: TextIO | None = None, console: Any = None) -> None:
        self.enabled = enabled
        self.stream = stream if stream is not None else sys.stderr
        self.done = 0
        self.errors = 0
        self._console = console
        self._bar: Any = None
        self._task: Any = None

    def __enter__(self) -> Progress:
        if self.enabled:
            from rich.console import Console
            from rich.progress import Progress as RichProgress
            from rich.progress import SpinnerColumn, TextColumn, TimeElapsedColumn

            console = self._console or Console(file=self.stream, stderr=self.stream is sys.stderr)
            self._bar = RichProgress(
                SpinnerColumn(),
                TextColumn("{task.completed:,} reports"),
                TextColumn("{task.fields[rate]}"),
                TextColumn("{task.fields[errors]:,} errors", style="red"),
                TimeElapsedColumn(),
                console=console,
                transient=False,
                refresh_per_second=REFRESH_PER_SECOND,
                redirect_stdout=False,
                redirect_stderr=False,
            )
            self._bar.start()
            self._task = self._bar.add_task("reading", total=None, rate="", errors=0)
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, traceback: TracebackType | None
    ) -> None:
        if self._bar is not None:
            self._update()
            self._bar.stop()
            self._bar = None

    def _update(self) -> None:
        if self._bar is None:
            return
        task = self._bar.tasks[0]
        speed = task.speed or (self.done / task.elapsed if task.elapsed else None)
        rate = f"{speed:,.0f} reports/s" if speed else ""
        self._bar.update(self._task, completed=self.done, rate=rate, errors=self.errors)

    def say(self, message: str) -> None:
        """Print one line on the stream, above the bar when it runs."""
        if self._bar is not None:
            self._bar.console.print(message, markup=False, highlight=False, soft_wrap=True)
        else:
            self.stream.write(message + "\n")

    def count(self, item: object) -> None:
        if isinstance(item, IngestError):
            self.errors += 1
        else:
            self.done += 1
        if self._bar is not None:
            self._update()

    def track(self, items: Iterable[T]) -> Iterator[T]:
        for item in items:
            self.count(item)
            yield item
