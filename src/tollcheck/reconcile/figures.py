"""Reconcile one event: low / best / high per category, the sources behind them, a grade, conflicts.

Rules (from how trusted coders work; the rule that chose `best` is written next to it):
- each report contributes its own figure for the event and category (`tally.figure_of` over the
  event's claims in that report: parts add, subgroups and repeats do not); copies of one story
  count once, and a figure quoted again by another report from the same speaker is one figure;
- low = the lowest figure any source gives, high = the highest (UCDP's lowest and highest reliable
  estimates); vague amounts bound them but never become the best on their own;
- best = the figure of the latest report, when it lies within the range of the others (a later count
  usually revises earlier ones); without publication dates, the most conservative precise figure
  (ACLED);
- grade: `contested` when two sources' ranges do not overlap or the text disputes a figure,
  `corroborated` when independent sources agree, else `single source`.
"""

from __future__ import annotations

import os

from tollcheck.model import Claim, EventFigure, Report, SourceFigure, claim_id
from tollcheck.tally import figure_of

INF = float("inf")
FLAG_KEEP = ("contested", "hedged", "partial", "superseding")


def _source_figures(
    category: str,
    event_claims: dict[str, list[int]],
    claims: dict[str, list[Claim]],
    reports: dict[str, Report],
    copies: dict[str, str],
) -> tuple[list[SourceFigure], list[SourceFigure]]:
    """(one figure per speaker in each report, each report's own figure), copies counted once."""
    out: list[SourceFigure] = []
    whole: dict[str, SourceFigure] = {}
    for doc, indices in event_claims.items():
        if doc in copies:
            continue
        counted = [i for i in indices if claims[doc][i].category == category and claims[doc][i].counted]
        report_figure = _source_figure(doc, counted, category, claims[doc], reports.get(doc))
        if report_figure is None:
            continue
        whole[doc] = report_figure
        # one figure per speaker: a report quoting survivors, a minister and its own reporter gives three;
        # a speaker who only names a part ("among the dead were three police officers") gives none
        by_speaker: dict[str, list[int]] = {}
        for i in counted:
            by_speaker.setdefault((claims[doc][i].source or "").lower(), []).append(i)
        if len(by_speaker) == 1:  # one voice: its figure is the report's (the common case)
            out.append(_copy(report_figure))
            continue
        mine: list[SourceFigure] = []
        for group in by_speaker.values():
            if len(by_speaker) > 1 and all("subgroup" in claims[doc][i].flags for i in group):
                continue
            sf = _source_figure(doc, group, category, claims[doc], reports.get(doc))
            if sf is None:
                continue
            same = next((m for m in mine if (m.low, m.best, m.high) == (sf.low, sf.best, sf.high)), None)
            if same is not None:  # the reporter repeating the governor's 31 is one figure with two voices
                same.speakers += [x for x in sf.speakers if x not in same.speakers]
                same.claims += sf.claims
            else:
                mine.append(sf)
        out.extend(mine)
    by_doc: dict[str, list[SourceFigure]] = {}
    for sf in out:
        by_doc.setdefault(sf.report, []).append(sf)
    for copy, original in copies.items():
        if original in whole and copy in event_claims:
            whole[original].copies.append(copy)
            for sf in by_doc.get(original, []):
                sf.copies.append(copy)
    by_report = sorted(whole.values(), key=lambda s: (s.published or "9999", s.report))
    return _merge_quoted(out), by_report


def _copy(s: SourceFigure) -> SourceFigure:
    return SourceFigure(
        s.report,
        s.published,
        s.outlet,
        list(s.speakers),
        s.low,
        s.best,
        s.high,
        list(s.claims),
        list(s.copies),
        list(s.flags),
    )


def _source_figure(
    doc: str, counted: list[int], category: str, claims: list[Claim], report: Report | None
) -> SourceFigure | None:
    fig = figure_of(claims, counted, category)
    if fig is None:
        return None
    behind = fig.claims or counted
    speakers = list(dict.fromkeys(claims[i].source for i in behind if claims[i].source))
    flags = sorted({f for i in counted for f in claims[i].flags if f in FLAG_KEEP})
    if not all("partial" in claims[i].flags for i in behind):
        flags = [f for f in flags if f != "partial"]
    return SourceFigure(
        report=doc,
        published=report.published if report else None,
        outlet=report.outlet if report else None,
        speakers=speakers,  # type: ignore[arg-type]
        low=fig.low,
        best=fig.best,
        high=fig.high,
        claims=[claim_id(doc, i) for i in behind],
        flags=flags,
    )


def _merge_quoted(sources: list[SourceFigure]) -> list[SourceFigure]:
    """'the agency's count of 85' quoted by a second report is the agency's figure once, not two."""
    kept: list[SourceFigure] = []
    first: dict[tuple[int, str], SourceFigure] = {}  # (figure, speaker) -> the earliest source giving it
    for s in sorted(sources, key=lambda s: (s.published or "9999", s.report)):
        keys = [(s.best, x.lower()) for x in s.speakers] if s.best is not None else []
        same = next((first[k] for k in keys if k in first), None)
        if same is not None and same.report != s.report:
            same.copies.append(s.report)
            same.claims.extend(s.claims)
            same.flags = sorted(set(same.flags) | set(s.flags))  # a dispute in the repeating report stays
            continue
        kept.append(s)
        for k in keys:
            first.setdefault(k, s)  # type: ignore[arg-type]
    return kept


def _interval(s: SourceFigure) -> tuple[float, float]:
    """The range a source commits to: from its stated figure up (to its high, or open), else its bounds."""
    if s.best is not None:
        return float(s.best), (INF if s.high is None else float(max(s.high, s.best)))
    return float(s.low or 0), (INF if s.high is None else float(s.high))


def _label(s: SourceFigure) -> str:
    who = ", ".join(s.speakers) or "the report itself"
    when = f", {s.published}" if s.published else ""
    return f"{s.outlet or os.path.basename(s.report)} ({who}{when})"


def _figure_text(s: SourceFigure) -> str:
    if s.best is not None:
        return f"{s.best:,}"
    if s.high is None:
        return f"at least {s.low:,}"
    return f"{s.low or 0:,}–{s.high:,}"


MAX_CONFLICTS = 10


def _update(a: SourceFigure, b: SourceFigure) -> bool:
    """The later of two figures updates the earlier rather than disputing it: it says the count rose or
    was revised ("the toll rose to 17"), or the same speaker gives a higher count on a later day (a toll
    that rises day by day from one ministry: 12, then 15, then 19)."""
    if not (a.published and b.published and a.published != b.published):
        return False
    earlier, later = sorted((a, b), key=lambda s: s.published or "")
    if "superseding" in later.flags:
        return True
    same_voice = {x.lower() for x in a.speakers} & {x.lower() for x in b.speakers}
    return bool(same_voice) and _interval(later)[0] >= _interval(earlier)[0]


def _non_overlapping(sources: list[SourceFigure]) -> list[str]:
    """Pairs of sources whose ranges do not overlap, found in one sweep (sorted by lower bound): each
    source is compared with the lowest ceiling seen so far, not with every other source."""
    out: list[str] = []
    ordered = sorted(sources, key=lambda s: _interval(s)[0])
    floor_src: SourceFigure | None = None
    for s in ordered:
        lo, hi = _interval(s)
        if (
            floor_src is not None
            and _interval(floor_src)[1] < lo
            and len(out) < MAX_CONFLICTS
            and not _update(floor_src, s)
        ):
            a = floor_src
            out.append(f"{_figure_text(a)} from {_label(a)} and {_figure_text(s)} from {_label(s)} do not overlap")
        if floor_src is None or hi < _interval(floor_src)[1]:
            floor_src = s
    return out


def reconcile_category(
    category: str,
    event_claims: dict[str, list[int]],
    claims: dict[str, list[Claim]],
    reports: dict[str, Report],
    copies: dict[str, str],
) -> EventFigure | None:
    sources, by_report = _source_figures(category, event_claims, claims, reports, copies)
    if not sources:
        return None
    # one family's dead ("her five sons") are listed but are not an estimate of the toll
    estimates = [s for s in sources if "partial" not in s.flags] or sources
    lows = [s.best if s.best is not None else s.low for s in estimates]
    low = min((x for x in lows if x is not None), default=None)
    tops = [s.high if s.high is not None else (s.best if s.best is not None else s.low) for s in estimates]
    high = max((x for x in tops if x is not None), default=None)
    precise = [s for s in estimates if s.best is not None]
    # the latest report's own figure (its total for this event, not one of the older figures it quotes)
    dated = [s for s in by_report if s.published and s.best is not None and "partial" not in s.flags]
    if dated and (low is None or dated[-1].best >= low) and (high is None or dated[-1].best <= high):  # type: ignore[operator]
        latest = dated[-1]
        best = latest.best
        rule = f"best = {latest.best:,}: the figure of the latest report ({_label(latest)}), within the others' range"
    elif precise:
        cons = min(precise, key=lambda s: s.best)  # type: ignore[arg-type, return-value]
        best, rule = (
            cons.best,
            (
                f"best = {cons.best:,}: the most conservative precise figure ({_label(cons)}); "
                "no publication dates order the reports"
            ),
        )
    else:
        best, rule = None, "no best: only vague or open-ended figures, which bound the range but are not a count"
    conflicts = _non_overlapping(estimates)
    disputed = [s for s in sources if "contested" in s.flags]
    for s in disputed:
        conflicts.append(f"the text disputes the figures of {_label(s)}")
    independent = {(s.report, tuple(sorted(x.lower() for x in s.speakers))) for s in estimates}
    if conflicts:
        grade = "contested"
    elif len(independent) >= 2 and len({s.report for s in estimates}) >= 2:
        grade = "corroborated"
    else:
        grade = "single source"
    return EventFigure(low, best, high, grade, rule, sources, conflicts, by_report)
