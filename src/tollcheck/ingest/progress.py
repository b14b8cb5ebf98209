"""A progress bar on standard error for long runs: reports done, reports per second, errors so far, and
(when the total is known) how far the run is and an estimate of the time left.

Shown only when standard error is a terminal (and not `--quiet`); a pipe or a file gets nothing. The
bar counts the items of the result stream as they pass: results are reports, IngestErrors failures.
Messages printed while the bar runs go through `Progress.say`, above the bar.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator
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


def time_left(work: float, total: float, elapsed: float) -> str:
    """An estimate of the time left at the pace so far ("about 2 min left"); empty until there is a pace."""
    if total <= 0 or work <= 0 or work >= total or elapsed < 1:
        return ""
    fraction = work / total
    left = elapsed * (1 - fraction) / fraction
    if left < 60:
        return f"about {max(1, round(left))} s left"
    if left < 3600:
        return f"about {round(left / 60)} min left"
    return f"about {left / 3600:.1f} h left"


class Progress:
    """``with Progress(enabled) as bar: for item in bar.track(items): ...`` — silent when not enabled.

    With a `total` (reports, or any measure of the work such as input bytes, with `work` giving the
    work done once an item has passed), the bar shows how far it is and an estimate of the time left."""

    def __init__(
        self,
        enabled: bool,
        stream: TextIO | None = None,
        console: Any = None,
        total: float | None = None,
        work: Callable[[object], float] | None = None,
    ) -> None:
        self.enabled = enabled
        self.stream = stream if stream is not None else sys.stderr
        self.done = 0
        self.errors = 0
        self.total = total
        self.worked = 0.0
        self._work = work
        self._finished = False
        self._console = console
        self._bar: Any = None
        self._task: Any = None

    def __enter__(self) -> Progress:
        if self.enabled:
            from rich.console import Console
            from rich.progress import BarColumn, SpinnerColumn, TextColumn, TimeElapsedColumn
            from rich.progress import Progress as RichProgress

            console = self._console or Console(file=self.stream, stderr=self.stream is sys.stderr)
            ahead = [BarColumn(bar_width=20), TextColumn("{task.fields[left]}")] if self.total else []
            self._bar = RichProgress(
                SpinnerColumn(),
                TextColumn("{task.fields[done]:,} reports"),
                TextColumn("{task.fields[rate]}"),
                TextColumn("{task.fields[errors]:,} errors", style="red"),
                TimeElapsedColumn(),
                *ahead,
                console=console,
                transient=False,
                refresh_per_second=REFRESH_PER_SECOND,
                redirect_stdout=False,
                redirect_stderr=False,
            )
            self._bar.start()
            self._task = self._bar.add_task("reading", total=self.total, rate="", errors=0, done=0, left="")
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, traceback: TracebackType | None
    ) -> None:
        if self._bar is not None:
            self._finished = kind is None  # all the work is done, whatever the estimate said
            self._update()
            self._bar.stop()
            self._bar = None

    def _update(self) -> None:
        if self._bar is None:
            return
        task = self._bar.tasks[0]
        elapsed = task.elapsed or 0.0
        speed = (None if self._work else task.speed) or (self.done / elapsed if elapsed else None)
        rate = f"{speed:,.0f} reports/s" if speed else ""
        work = self.worked if self._work else self.done
        if self._finished and self.total:
            work = self.total
        left = time_left(work, self.total, elapsed) if self.total else ""
        completed = min(work, self.total) if self.total else self.done
        self._bar.update(self._task, completed=completed, done=self.done, rate=rate, errors=self.errors, left=left)

    def say(self, message: str) -> None:
        """Print one line on the stream, above the bar when it runs; file names and ids in it come from the
        input, so escape sequences are shown, never obeyed."""
        from tollcheck.render.safe import terminal

        message = terminal(message)
        if self._bar is not None:
            self._bar.console.print(message, markup=False, highlight=False, soft_wrap=True)
        else:
            self.stream.write(message + "\n")

    def count(self, item: object) -> None:
        if isinstance(item, IngestError):
            self.errors += 1
        else:
            self.done += 1
        if self._work is not None:
            self.worked = self._work(item)
        if self._bar is not None:
            self._update()

    def track(self, items: Iterable[T]) -> Iterator[T]:
        for item in items:
            self.count(item)
            yield item
