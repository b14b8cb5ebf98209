"""Report keys within one run: a report is known by its source-scoped key (`model.report_key`)."""

from __future__ import annotations

from tollcheck.model import Report, canonical_path, report_key


class RunKeys:
    """The source keys one `add` run meets, file by file (memory bounded by one file's reports plus the
    list of files): a file named twice (`./r/a.txt`, `r/a.txt`) is read once, and a key repeated inside
    one file with other content (a JSONL file repeating an id) is scoped by its line, never stored over."""

    def __init__(self) -> None:
        self.file = ""
        self.keys: dict[str, str] = {}  # key -> content hash, for the current file
        self.done: set[str] = set()

    def read_before(self, report: Report) -> bool:
        file = str(report.origin.get("file") or "")
        canon = canonical_path(file) if file and file != "-" else file
        if canon != self.file:
            self.done.add(self.file)
            self.file, self.keys = canon, {}
        return bool(canon) and file != "-" and canon in self.done

    def key(self, report: Report, h: str) -> tuple[str | None, bool]:
        """(the report's key, whether it was scoped apart); None when the same report was met already."""
        key = report_key(report)
        scoped = False
        if key in self.keys:
            if self.keys[key] == h:
                return None, False
            where = report.origin.get("line") or report.origin.get("record_offset") or report.origin.get("part")
            base = f"{key}@{where}" if where is not None else f"{key}@"
            key, n = base, 1
            while key in self.keys:
                n += 1
                key = f"{base}~{n}"
            scoped = True
        self.keys[key] = h
        return key, scoped
