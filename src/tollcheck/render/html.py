"""A comparison as one self-contained HTML page: events, their figures and charts, and every report's text.

`render_html(comparison, title)` returns the page as a string. The page needs no network and runs no script:
inline CSS, inline SVG charts (`chart.figure_chart`), a strict Content-Security-Policy, every value escaped
(Jinja autoescape in the template, `safe.html` in the HTML built here). Report texts come from the
web: they are shown as text, with each claim's figure in a `<mark>` whose id is the claim's anchor; control
and bidi formatting characters are shown as ⟨U+202E⟩ (`safe.visible`, Jinja's `finalize`), and names,
titles and quotes are isolated (`<bdi>`, `unicode-bidi: isolate`) so that right-to-left text in them cannot
reorder the rest of a line. A large comparison is written as several pages: see `render.site`.

Anchors: `Anchors` turns report ids (often file paths) into HTML ids: `r-<slug>` for a report,
`r-<slug>--c<i>` for claim i of it, `e-<slug>` for an event; slugs are `[a-z0-9-]` without "--", made
unique with a "-2", "-3" suffix, and the mapping is kept so that every link points at an element of the page.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property, lru_cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

from tollcheck.model import CATEGORIES, Claim, Comparison, Event, EventFigure, Report, SourceFigure
from tollcheck.render.chart import CATEGORY_COLOURS, figure_chart, figure_text, parse_published
from tollcheck.render.safe import bdi, finalize, html

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"


def slugify(text: str, prefix: str) -> str:
    """`prefix-` and the text lower-cased with every run of other characters than a-z0-9 as one "-"."""
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60].strip("-")
    return f"{prefix}-{slug}" if slug else prefix


def cat_class(category: str) -> str:
    """The CSS class of a category: `cat-killed`; anything odd becomes `cat-other`."""
    slug = slugify(str(category), "cat")
    return slug if slug != "cat" else "cat-other"


class Anchors:
    """HTML ids for reports, claims and events, unique within one page."""

    def __init__(self) -> None:
        self.used: set[str] = set()
        self.next_suffix: dict[str, int] = {}
        self.reports: dict[str, str] = {}
        self.events: dict[str, str] = {}

    def _unique(self, base: str) -> str:
        # the suffixes below the last one given for `base` are all taken (ids are only ever added): start
        # there, so that 20,000 reports whose slugs agree (a long common directory) are not quadratic
        anchor, n = base, self.next_suffix.get(base, 2)
        while anchor in self.used:
            anchor, n = f"{base}-{n}", n + 1
        self.next_suffix[base] = n
        self.used.add(anchor)
        return anchor

    def report(self, doc: str) -> str:
        if doc not in self.reports:
            self.reports[doc] = self._unique(slugify(doc, "r"))
        return self.reports[doc]

    def claim(self, cid: str) -> str:
        doc, _, index = cid.rpartition("#c")
        if not doc or not index.isdigit():
            doc, index = cid, "x"
        return f"{self.report(doc)}--c{index}"

    def event(self, eid: str) -> str:
        if eid not in self.events:
            self.events[eid] = self._unique(slugify(eid, "e"))
        return self.events[eid]


def _claim_title(claim: Claim) -> str:
    text = f"{claim.category}: {figure_text(claim.low, claim.value, claim.high)}"
    text += f" — {claim.source}" if claim.source else " — no speaker named"
    if claim.flags:
        text += f" [{', '.join(claim.flags)}]"
    return text


@dataclass
class _Group:
    start: int
    end: int
    members: list[tuple[str, Claim]] = field(default_factory=list)


def _union(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


def _plain(text: str, start: int, end: int, sentences: list[tuple[int, int]], ends: list[int]) -> str:
    """text[start:end] escaped, with the parts inside a claim's sentence in `<span class="sent">`.

    `sentences` are sorted and disjoint, `ends` their ends: only those overlapping start..end are visited
    (found by bisection), so a report with thousands of claims is rendered in linear time."""
    out, pos = [], start
    i = bisect_right(ends, start)
    while i < len(sentences) and sentences[i][0] < end:
        s, e = max(sentences[i][0], start), min(sentences[i][1], end)
        i += 1
        if s >= e:
            continue
        out.append(str(html(text[pos:s])))
        out.append(f'<span class="sent">{html(text[s:e])}</span>')
        pos = e
    out.append(str(html(text[pos:end])))
    return "".join(out)


def highlight(text: str, claims: list[tuple[str, Claim]]) -> Markup:
    """The text escaped, each claim's figure in a `<mark id=anchor>`, its sentence lightly highlighted.

    `claims` are (anchor, claim). Offsets are clamped to the text; a span that is empty or reversed becomes an
    empty mark (a link target still); figures that overlap are merged into one mark that carries the first
    claim's id, the others' ids on empty `<span>`s at its start.
    """
    n = len(text)

    def clamp(v: Any) -> int:
        try:
            return max(0, min(n, int(v)))
        except (TypeError, ValueError):
            return 0

    sentences = _union(
        [
            (clamp(c.sentence_start), clamp(c.sentence_end))
            for _, c in claims
            if clamp(c.sentence_end) > clamp(c.sentence_start)
        ]
    )
    ends = [e for _, e in sentences]
    groups: list[_Group] = []
    spans = sorted(((clamp(c.start), max(clamp(c.start), clamp(c.end)), a, c) for a, c in claims), key=lambda t: t[:2])
    for s, e, anchor, claim in spans:
        last = groups[-1] if groups else None
        if last and (s < last.end or s == last.start):
            last.end = max(last.end, e)
            last.members.append((anchor, claim))
        else:
            groups.append(_Group(s, e, [(anchor, claim)]))
    out, pos = [], 0
    for g in groups:
        out.append(_plain(text, pos, g.start, sentences, ends))
        classes = {"claim"} | {cat_class(c.category) for _, c in g.members}
        if len(g.members) > 1:
            classes.add("overlap")
        if not any(c.counted for _, c in g.members):
            classes.add("uncounted")
        if g.end == g.start:
            classes.add("empty")
        title = "; ".join(_claim_title(c) for _, c in g.members)
        extra = "".join(f'<span class="anchor" id="{escape(a)}"></span>' for a, _ in g.members[1:])
        out.append(
            f'<mark id="{escape(g.members[0][0])}" class="{escape(" ".join(sorted(classes)))}" '
            f'title="{html(title)}">{extra}{html(text[g.start : g.end])}</mark>'
        )
        pos = g.end
    out.append(_plain(text, pos, n, sentences, ends))
    return Markup("".join(out))


def _date_key(published: str | None, order: int) -> tuple[int, float, int]:
    when = parse_published(published)
    return (0, when.timestamp(), order) if when else (1, 0.0, order)


def _version() -> str:
    try:
        from importlib.metadata import version

        return version("tollcheck")
    except Exception:  # noqa: BLE001 - not installed: no version to show
        return ""


class PageView:
    """The view of a comparison the template reads: anchors resolved, labels and charts made.

    `local` holds the anchors on this page (a link to one is `#anchor`); `homes` maps anchors on other
    pages to their file (a link is `<prefix><file>#anchor`). One page: every report and claim is local.
    """

    def __init__(
        self,
        comparison: Comparison,
        anchors: Anchors | None = None,
        local: set[str] | None = None,
        homes: dict[str, str] | None = None,
        prefix: str = "",
    ) -> None:
        self.c = comparison
        self.order = {r.id: i for i, r in enumerate(comparison.reports)}
        self.labels = {r.id: r.title or r.id for r in comparison.reports}
        self.homes = homes or {}
        self.prefix = prefix
        if anchors is None:
            anchors = page_anchors(comparison)
        self.anchors = anchors
        if local is None:
            local = {self.anchors.event(ev.id) for ev in comparison.events}
            for r in comparison.reports:
                local.update(report_targets(self.anchors, r.id, len(comparison.claims.get(r.id, []))))
        self.targets = local
        self.by_report, self.copied_by = events_by_report(comparison), copies_by_original(comparison)

    def href(self, anchor: str) -> str | None:
        if anchor in self.targets:
            return "#" + anchor
        home = self.homes.get(anchor)
        return f"{self.prefix}{home}#{anchor}" if home else None

    def claim_href(self, cid: str) -> str | None:
        return self.href(self.anchors.claim(cid))

    def report_ref(self, doc: str) -> dict[str, Any]:
        return {"label": self.labels.get(doc, doc), "href": self.href(self.anchors.report(doc)), "id": doc}

    def quote(self, cid: str) -> str:
        try:
            return self.c.claim(cid).quote
        except (KeyError, IndexError, ValueError):
            return ""

    def source_link(self, s: SourceFigure) -> str | None:
        for cid in s.claims:
            if href := self.claim_href(cid):
                return href
        return self.href(self.anchors.report(s.report))

    @cached_property
    def categories(self) -> list[str]:
        seen = {k for e in self.c.events for k in e.totals}
        return [k for k in CATEGORIES if k in seen] + sorted(seen - set(CATEGORIES))

    @cached_property
    def n_claims(self) -> int:  # once for all pages: a paged report renders thousands of them
        return sum(len(v) for v in self.c.claims.values())

    def summary(self, ev: Event) -> dict[str, Any]:
        """An event's row in the summary table (no chart made)."""
        anchor = self.anchors.event(ev.id)
        return {"ev": ev, "anchor": anchor, "href": self.href(anchor)}

    def event(self, ev: Event) -> dict[str, Any]:
        totals: list[dict[str, Any]] = []
        timeline: list[tuple[tuple[int, float, int], dict[str, Any]]] = []
        for category, fig in self._ordered(ev.totals):
            has_figures = any(v is not None for s in fig.sources for v in (s.low, s.best, s.high))
            chart = figure_chart(fig.sources, category, link=self.source_link, total=fig) if has_figures else None
            totals.append({"category": category, "fig": fig, "chart": chart})
            for s in fig.sources:
                row = {
                    "published": s.published,
                    "category": category,
                    "figure": figure_text(s.low, s.best, s.high),
                    "speakers": s.speakers,
                    "outlet": s.outlet,
                    "report": self.report_ref(s.report),
                    "copies": [self.report_ref(d) for d in s.copies],
                    "flags": s.flags,
                    "claims": [{"href": self.claim_href(cid), "quote": self.quote(cid), "id": cid} for cid in s.claims],
                }
                timeline.append((_date_key(s.published, self.order.get(s.report, len(self.order))), row))
        timeline.sort(key=lambda t: t[0])
        return self.summary(ev) | {
            "totals": totals,
            "timeline": [row for _, row in timeline],
            "reports": [self.report_ref(d) for d in ev.reports],
        }

    def _ordered(self, totals: dict[str, EventFigure]) -> list[tuple[str, EventFigure]]:
        rank = {k: i for i, k in enumerate(CATEGORIES)}
        return sorted(totals.items(), key=lambda kv: (rank.get(kv[0], len(rank)), kv[0]))

    def report(self, r: Report) -> dict[str, Any]:
        claims = self.c.claims.get(r.id, [])
        marked = [(self.anchors.claim(f"{r.id}#c{i}"), c) for i, c in enumerate(claims)]
        original = self.c.copies.get(r.id)
        in_events = [
            {"href": self.href(self.anchors.event(ev.id)), "name": ev.name} for ev in self.by_report.get(r.id, [])
        ]
        return {
            "r": r,
            "anchor": self.anchors.report(r.id),
            "html": highlight(r.text or "", marked),
            "n_claims": len(claims),
            "copy_of": self.report_ref(original) if original else None,
            "copied_by": [self.report_ref(d) for d in self.copied_by.get(r.id, [])],
            "events": in_events,
        }


def page_anchors(comparison: Comparison) -> Anchors:
    """Anchors for every report and event, made in a fixed order so that every page agrees on them."""
    anchors = Anchors()
    for r in comparison.reports:
        anchors.report(r.id)
    for ev in comparison.events:
        anchors.event(ev.id)
    return anchors


def report_targets(anchors: Anchors, doc: str, n_claims: int) -> list[str]:
    """The anchors a report's text carries: the report's and each of its claims'."""
    return [anchors.report(doc)] + [anchors.claim(f"{doc}#c{i}") for i in range(n_claims)]


def events_by_report(comparison: Comparison) -> dict[str, list[Event]]:
    out: dict[str, list[Event]] = {}
    for ev in comparison.events:
        for doc in ev.reports:
            out.setdefault(doc, []).append(ev)
    return out


def copies_by_original(comparison: Comparison) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for doc, original in comparison.copies.items():
        out.setdefault(original, []).append(doc)
    return out


def render_page(
    page: PageView,
    title: str,
    *,
    summary: list[Event] | None,
    events: list[Event],
    reports: list[Report],
    nav: dict[str, Any] | None = None,
) -> str:
    """One page: the summary table of `summary`, the full sections of `events`, the texts of `reports`."""
    c = page.c
    return _template().render(
        title=title,
        csp=CSP,
        version=_version(),
        generated=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        categories=page.categories,
        colours=CATEGORY_COLOURS,
        summary=None if summary is None else [page.summary(ev) for ev in summary],
        events=[page.event(ev) for ev in events],
        reports=[page.report(r) for r in reports],
        nav=nav,
        n_reports=len(c.reports),
        n_events=len(c.events),
        n_claims=page.n_claims,
        n_copies=len(c.copies),
    )


def render_html(comparison: Comparison, title: str = "tollcheck report") -> str:
    """The comparison as one self-contained, script-free HTML page."""
    page = PageView(comparison)
    return render_page(page, title, summary=comparison.events, events=comparison.events, reports=comparison.reports)


def _num(v: int | None) -> str:
    return "—" if v is None else f"{v:,}"


@lru_cache(maxsize=1)
def _template() -> Any:
    env = Environment(
        loader=PackageLoader("tollcheck.render", "templates"),
        autoescape=select_autoescape(enabled_extensions=("html", "j2"), default_for_string=True, default=True),
        undefined=StrictUndefined,
        finalize=finalize,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["num"] = _num
    env.filters["slug"] = lambda s, prefix="x": slugify(str(s), prefix)
    env.filters["cat"] = cat_class
    env.filters["bdi"] = bdi
    env.globals["figure_text"] = figure_text
    return env.get_template("report.html.j2")
