"""The values that flow between stages: plain dataclasses, no spaCy.

ingest -> Report -> clean -> CleanReport -> extract -> Claim* -> tally -> ReportTotals
"""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from typing import Any

CATEGORIES = ("killed", "injured", "missing", "abducted", "detained", "displaced", "casualties")
QUALIFIERS = ("exact", "at_least", "more_than", "at_most", "approx", "range", "vague", "none")
SIDES = ("civilians", "security_forces", "armed_groups", "perpetrators", "unknown")


@dataclass(slots=True)
class Report:
    """One input report, as read. `id` is the path as given or the JSONL line's id."""

    id: str
    text: str
    title: str | None = None
    outlet: str | None = None
    author: str | None = None
    published: str | None = None
    url: str | None = None
    origin: dict[str, Any] = field(default_factory=dict)  # file, line, byte range
    metadata: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(slots=True)
class IngestError:
    """An input that could not be read: reported on one line, the batch goes on."""

    source: str  # file name, with ":LINE" where a line is known
    message: str

    def __str__(self) -> str:
        return f"{self.source}: {self.message}"


@dataclass(slots=True, frozen=True)
class Repair:
    """One change made by cleaning, with offsets in the original text."""

    kind: str  # digit_group | run_together | boilerplate
    start: int
    end: int
    before: str
    after: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(slots=True)
class CleanReport:
    """A report with its repaired text and a map from repaired offsets back to the original."""

    report: Report
    text: str
    repairs: list[Repair]
    # piecewise map: sorted (clean_offset, original_offset) anchors; see clean.offsets
    anchors: list[tuple[int, int]] = field(default_factory=list)

    def to_original(self, offset: int) -> int:
        from tollcheck.clean.offsets import map_offset

        return map_offset(self.anchors, offset)


@dataclass(slots=True)
class Claim:
    """One casualty claim: what happened to how many of whom, who says so, where, when, in which sentence."""

    doc: str
    category: str
    low: int | None
    high: int | None
    qualifier: str = "exact"
    value: int | None = None  # the figure as stated ("about 150" -> 150), None when vague
    group: str = "people"
    unit: str = "people"  # people | families | bodies
    side: str = "unknown"  # civilians | security_forces | armed_groups | perpetrators | unknown
    source: str | None = None
    place: str | None = None
    place_from: str | None = None  # sentence | paragraph | report: where the place was read
    date: str | None = None
    date_end: str | None = None
    date_from: str | None = None  # sentence | paragraph: where the date was read
    quote: str = ""
    start: int = 0  # character span of the figure in the original text
    end: int = 0
    sentence_start: int = 0  # character span of the quote in the original text
    sentence_end: int = 0
    flags: list[str] = field(default_factory=list)  # negated, hypothetical, hedged, subgroup, superseding...
    subgroup_of: int | None = None  # index of the claim (within its report) this one is part of
    statement: int = 0  # claims read from one statement (one cue, one list) share this number
    event: str | None = None
    rule: str = ""  # the extraction rule that read the figure ("figure before the verb", ...)
    # the gazetteer entry the place resolved to, set when claims are grouped into events (None: not found)
    place_id: str | None = None
    country: str | None = None
    region: str | None = None
    lat: float | None = None
    lon: float | None = None

    @property
    def counted(self) -> bool:
        if self.low is None and self.high is None:
            return False
        return "negated" not in self.flags and "hypothetical" not in self.flags

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["type"] = "claim"
        return d


@dataclass(slots=True)
class Figure:
    """A low / best / high for one category, with the side split where the report gives one."""

    low: int | None
    best: int | None
    high: int | None
    by_side: dict[str, int] = field(default_factory=dict)
    claims: list[int] = field(default_factory=list)  # indices of the claims behind it
    rule: str = ""
    # the victim ledger: one entry per statement, with its claims and how it entered the total
    # (total, added, merged, breakdown, superseded, background); see tally/ledger.py
    groups: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"low": self.low, "best": self.best, "high": self.high}
        if self.by_side:
            d["by_side"] = dict(self.by_side)
        d["claims"] = list(self.claims)
        d["rule"] = self.rule
        if self.groups:
            d["groups"] = [dict(g) for g in self.groups]
        return d


@dataclass(slots=True)
class ReportTotals:
    """What one report says the toll of its main event is, per category."""

    doc: str
    totals: dict[str, Figure] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"type": "report", "doc": self.doc, "totals": {k: v.to_dict() for k, v in self.totals.items()}}


@dataclass(slots=True)
class SourceFigure:
    """One report's figure for one event and category (its own low / best / high), with who says so."""

    report: str
    published: str | None
    outlet: str | None
    speakers: list[str]
    low: int | None
    best: int | None
    high: int | None
    claims: list[str]  # claim ids ("doc#c3")
    copies: list[str] = field(default_factory=list)  # other reports that are copies of this one
    flags: list[str] = field(default_factory=list)  # contested, hedged ... of the claims behind it

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(slots=True)
class EventFigure:
    """Reconciled low / best / high for one event and category, with the rule that chose best."""

    low: int | None
    best: int | None
    high: int | None
    grade: str  # single source | corroborated | contested
    rule: str
    sources: list[SourceFigure] = field(default_factory=list)  # one per speaker in each report
    conflicts: list[str] = field(default_factory=list)
    by_report: list[SourceFigure] = field(default_factory=list)  # each report's own figure, in publication order

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["n_sources"] = len(self.sources)
        return d


@dataclass(slots=True)
class Event:
    """Claims of all reports about one incident (or one named period), with their reconciliation."""

    id: str
    name: str
    kind: str  # incident | period
    places: list[str]
    date_start: str | None
    date_end: str | None
    claims: list[str] = field(default_factory=list)  # claim ids
    reports: list[str] = field(default_factory=list)
    totals: dict[str, EventFigure] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    geo: list[dict[str, Any]] = field(default_factory=list)  # its places in the gazetteer: id, country, coordinates
    evidence: list[dict[str, Any]] = field(default_factory=list)  # what joined each report: place, dates, similarity

    def to_dict(self) -> dict[str, Any]:
        return {
            "type": "event",
            "id": self.id,
            "name": self.name,
            "kind": self.kind,
            "places": list(self.places),
            "date_start": self.date_start,
            "date_end": self.date_end,
            "reports": list(self.reports),
            "claims": list(self.claims),
            "totals": {k: v.to_dict() for k, v in self.totals.items()},
            "warnings": list(self.warnings),
            "geo": [dict(g) for g in self.geo],
            "evidence": [dict(e) for e in self.evidence],
        }


STDIN_KEY = "<stdin>"
KEY_FIELD = "key"  # origin["key"]: an identity already assigned (a report read back from a casebook)


def canonical_path(path: str) -> str:
    """The path with symbolic links, `.` and `..` resolved (cached: a file's reports arrive one after another)."""
    return _canonical("" if os.path.isabs(path) else os.getcwd(), path)


@lru_cache(maxsize=4096)
def _canonical(cwd: str, path: str) -> str:
    return os.path.realpath(os.path.join(cwd, path))


def report_key(report: Report) -> str:
    """A report's identity, scoped by its source: the file's canonical path (symbolic links and `./`
    resolved, so every spelling of one path is one file) with the part, row, record offset or JSONL id
    the report's `id` adds to it. Two JSONL files whose ids both start at "1" give two keys."""
    if KEY_FIELD in report.origin:
        return str(report.origin[KEY_FIELD])
    file = report.origin.get("file")
    if not file:
        return report.id
    canon = STDIN_KEY if file == "-" else canonical_path(file)
    if report.id == file:
        return canon
    if report.id.startswith(f"{file}#"):
        return canon + report.id[len(file) :]
    return f"{canon}#id={report.id}"  # a line's own id (JSONL)


def claim_id(doc: str, index: int) -> str:
    return f"{doc}#c{index}"


@dataclass(slots=True)
class Comparison:
    """Everything `compare` found: the reports, their claims and totals, the copies, and the events."""

    reports: list[Report]
    claims: dict[str, list[Claim]]  # by report id, in text order; claim i of report d has id claim_id(d, i)
    totals: dict[str, ReportTotals]
    events: list[Event]
    copies: dict[str, str] = field(default_factory=dict)  # copy's report id -> the original's

    def claim(self, cid: str) -> Claim:
        doc, _, index = cid.rpartition("#c")
        return self.claims[doc][int(index)]
