"""The HTML report as files: one page for a small comparison, an index and pages for a large one.

Up to `PAGE_REPORTS` reports, `write_html(comparison, path)` writes the single page of `html.render_html`.
Beyond, one page would be tens of megabytes and take a minute to open, so it writes
- `path`: the index, with the summary table of every event, each linking to its page;
- `<stem>_files/<event anchor>.html`: one page per event, its figures, charts and timeline, and the texts
  of its reports (at most `PAGE_REPORTS` of them; a report in several events is shown on the first);
- `<stem>_files/reports-N.html`: the texts of the reports no event page shows, `PAGE_REPORTS` a page.
Every page is self-contained (inline style, no script, no network) and every link resolves: a figure or
a report shown on another page is linked by that page's file name and its anchor.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from tollcheck.model import Comparison, Event, Report
from tollcheck.render.html import PageView, page_anchors, render_html, render_page, report_targets

PAGE_REPORTS = 200
OWN_FILES = ("e-", "reports-")  # the page names this module writes in its folder


def folder_for(path: str | Path) -> Path:
    path = Path(path)
    return path.with_name(f"{path.stem}_files")


def _layout(comparison: Comparison, per_page: int) -> tuple[list[tuple[Event, list[Report]]], list[list[Report]]]:
    """Which report texts go on which page: each event's page takes its reports not shown yet (up to
    `per_page`); the rest fill report pages of `per_page`."""
    by_id = {r.id: r for r in comparison.reports}
    shown: set[str] = set()
    events: list[tuple[Event, list[Report]]] = []
    for ev in comparison.events:
        here: list[Report] = []
        for doc in ev.reports:
            if doc in by_id and doc not in shown and len(here) < per_page:
                here.append(by_id[doc])
                shown.add(doc)
        events.append((ev, here))
    rest = [r for r in comparison.reports if r.id not in shown]
    return events, [rest[i : i + per_page] for i in range(0, len(rest), per_page)]


def render_pages(
    comparison: Comparison, title: str, index_name: str, folder_name: str, per_page: int = PAGE_REPORTS
) -> Iterator[tuple[str, str]]:
    """(relative path, HTML) for the index (`index_name`) and every page in `folder_name`, one at a time."""
    anchors = page_anchors(comparison)
    events, rest = _layout(comparison, per_page)
    n_claims = {r.id: len(comparison.claims.get(r.id, [])) for r in comparison.reports}
    homes: dict[str, str] = {}
    pages: list[tuple[str, Event | None, list[Report]]] = []
    for ev, reports in events:
        name = f"{anchors.event(ev.id)}.html"
        pages.append((name, ev, reports))
    for i, reports in enumerate(rest, 1):
        pages.append((f"reports-{i}.html", None, reports))
    for name, ev, reports in pages:
        if ev is not None:
            homes[anchors.event(ev.id)] = name
        for r in reports:
            homes.update(dict.fromkeys(report_targets(anchors, r.id, n_claims[r.id]), name))
    page = PageView(comparison, anchors, set(), homes, prefix=f"{folder_name}/")
    report_pages = [
        {"href": f"{folder_name}/{name}", "label": name.removeprefix("reports-").removesuffix(".html")}
        for name, ev, _ in pages
        if ev is None
    ]
    nav: dict[str, Any] = {"index": None, "pages": report_pages}
    yield index_name, render_page(page, title, summary=comparison.events, events=[], reports=[], nav=nav)
    page.prefix = ""
    up = os.path.relpath(index_name, folder_name)
    for name, ev, reports in pages:
        page.targets = {t for r in reports for t in report_targets(anchors, r.id, n_claims[r.id])}
        if ev is not None:
            page.targets.add(anchors.event(ev.id))
        label = ev.name if ev is not None else f"Reports, page {name.removeprefix('reports-').removesuffix('.html')}"
        html = render_page(
            page,
            f"{label} — {title}",
            summary=None,
            events=[ev] if ev is not None else [],
            reports=reports,
            nav={"index": up, "pages": []},
        )
        yield f"{folder_name}/{name}", html


def write_html(
    comparison: Comparison, path: str | Path, title: str = "tollcheck report", per_page: int = PAGE_REPORTS
) -> list[Path]:
    """Write the report (one page, or an index and its folder of pages); return the files written."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if len(comparison.reports) <= per_page:
        path.write_text(render_html(comparison, title), encoding="utf-8")
        return [path]
    folder = folder_for(path)
    folder.mkdir(exist_ok=True)
    written: list[Path] = []
    for rel, html in render_pages(comparison, title, path.name, folder.name, per_page):
        target = path.parent / rel
        target.write_text(html, encoding="utf-8")
        written.append(target)
    keep = set(written)
    for old in folder.glob("*.html"):  # pages of an earlier, larger report
        if old.name.startswith(OWN_FILES) and old not in keep:
            old.unlink()
    return written
