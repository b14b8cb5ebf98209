"""A comparison as one self-contained HTML page: events, their figures and charts, and every report's text.

`render_html(comparison, title)` returns the page as a string. The page needs no network and runs no script:
inline CSS, inline SVG charts (`chart.figure_chart`), a strict Content-Security-Policy, every value escaped
(Jinja autoescape in the template, `markupsafe.escape` in the HTML built here). Report texts come from the
web: they are shown as text, with each claim's figure in a `<mark>` whose id is the claim's anchor.

Anchors: `Anchors` turns report ids (often file paths) into HTML ids: `r-<slug>` for a report,
`r-<slug>--c<i>` for claim i of it, `e-<slug>` for an event; slugs are `[a-z0-9-]` without "--", made
unique with a "-2", "-3" suffix, and the mapping is kept so that every link points at an element of the page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
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
        self.reports: dict[str, str] = {}
        self.events: dict[str, str] = {}

    def _unique(self, base: str) -> str:
        anchor, n = base, 2
        while anchor in self.used:
            anchor, n = f"{base}-{n}", n + 1
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


def _plain(text: str, start: int, end: int, sentences: list[tuple[int, int]]) -> str:
    """text[start:end] escaped, with the parts inside a claim's sentence in `<span class="sent">`."""
    out, pos = [], start
    for s, e in sentences:
        s, e = max(s, start), min(e, end)
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
        out.append(_plain(text, pos, g.start, sentences))
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
    out.append(_plain(text, pos, n, sentences))
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


class _Page:
    """The view of a comparison the template reads: anchors resolved, labels and charts made."""

    def __init__(self, comparison: Comparison) -> None:
        self.c = comparison
        self.anchors = Anchors()
        self.order = {r.id: i for i, r in enumerate(comparison.reports)}
        self.labels = {r.id: r.title or r.id for r in comparison.reports}
        for r in comparison.reports:
            self.anchors.report(r.id)
        self.targets: set[str] = {self.anchors.report(r.id) for r in comparison.reports}
        for r in comparison.reports:
            for i in range(len(comparison.claims.get(r.id, []))):
                self.targets.add(self.anchors.claim(f"{r.id}#c{i}"))

    def href(self, anchor: str) -> str | None:
        return "#" + anchor if anchor in self.targets else None

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

    def categories(self) -> list[str]:
        seen = {k for e in self.c.events for k in e.totals}
        return [k for k in CATEGORIES if k in seen] + sorted(seen - set(CATEGORIES))

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
        return {
            "ev": ev,
            "anchor": self.anchors.event(ev.id),
            "totals": totals,
            "timeline": [row for _, row in timeline],
            "reports": [self.report_ref(d) for d in ev.reports],
        }

    def _ordered(self, totals: dict[str, EventFigure]) -> list[tuple[str, EventFigure]]:
        rank = {k: i for i, k in enumerate(CATEGORIES)}
        return sorted(totals.items(), key=lambda kv: (rank.get(kv[0], len(rank)), kv[0]))

    def report(self, r: Report, events: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
        claims = self.c.claims.get(r.id, [])
        marked = [(self.anchors.claim(f"{r.id}#c{i}"), c) for i, c in enumerate(claims)]
        original = self.c.copies.get(r.id)
        copied_by = [d for d, o in self.c.copies.items() if o == r.id]
        return {
            "r": r,
            "anchor": self.anchors.report(r.id),
            "html": highlight(r.text or "", marked),
            "n_claims": len(claims),
            "copy_of": self.report_ref(original) if original else None,
            "copied_by": [self.report_ref(d) for d in copied_by],
            "events": events.get(r.id, []),
        }


def render_html(comparison: Comparison, title: str = "tollcheck report") -> str:
    """The comparison as one self-contained, script-free HTML page."""
    page = _Page(comparison)
    events = [page.event(ev) for ev in comparison.events]
    in_events: dict[str, list[dict[str, Any]]] = {}
    for ev in events:
        for doc in ev["ev"].reports:
            in_events.setdefault(doc, []).append({"href": "#" + ev["anchor"], "name": ev["ev"].name})
    reports = [page.report(r, in_events) for r in comparison.reports]
    return _template().render(
        title=title,
        csp=CSP,
        version=_version(),
        generated=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        categories=page.categories(),
        colours=CATEGORY_COLOURS,
        events=events,
        reports=reports,
        n_claims=sum(len(v) for v in comparison.claims.values()),
        n_copies=len(comparison.copies),
    )


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
