"""The HTML report of a large comparison: an index and a folder of pages, every link resolving, self-contained.

The corpus is the benchmark's invented short reports (invented places and speakers) plus reports with no
claim, compared at test time; the page size is made small so that a few hundred reports need many pages.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from test_html import Parsed, make_comparison  # tests/ is on sys.path, see conftest

from tollcheck.api import compare_results, extract_reports
from tollcheck.bench import make_short
from tollcheck.model import Comparison, Report
from tollcheck.render.site import folder_for, write_html

PER_PAGE = 12


@lru_cache(maxsize=1)
def large_comparison() -> Comparison:
    reports = list(make_short(160, seed=7))
    reports += [Report(f"quiet/{i}.txt", f"The council met on day {i} to discuss the budget.") for i in range(30)]
    comparison, errors = compare_results(extract_reports(reports))
    assert not errors
    return comparison


def _pages(tmp_path: Path, comparison: Comparison, per_page: int = PER_PAGE) -> tuple[Path, list[Path]]:
    index = tmp_path / "out" / "report.html"
    written = write_html(comparison, index, title="Large check", per_page=per_page)
    return index, written


def test_a_small_comparison_stays_one_page(tmp_path: Path) -> None:
    index, written = _pages(tmp_path, make_comparison(), per_page=200)
    assert written == [index] and not folder_for(index).exists()


def test_a_large_comparison_is_paged(tmp_path: Path) -> None:
    comp = large_comparison()
    assert len(comp.events) > 3
    index, written = _pages(tmp_path, comp)
    folder = folder_for(index)
    assert written[0] == index and all(p.parent == folder for p in written[1:])
    names = {p.name for p in written[1:]}
    assert sum(n.startswith("e-") for n in names) == len(comp.events)
    assert any(n.startswith("reports-") for n in names)
    # no page holds more than PER_PAGE report texts, and every report's text is on exactly one page
    shown: list[str] = []
    for p in written:
        html = p.read_text(encoding="utf-8")
        assert html.count('<article class="report"') <= PER_PAGE
        shown += [a for a in Parsed(html).ids if a.startswith("r-") and "--c" not in a]
    assert len(shown) == len(set(shown)) == len(comp.reports)
    # the index has the summary of every event and no report text
    index_html = index.read_text(encoding="utf-8")
    assert index_html.count("<tr><td><a href=") == len(comp.events)
    assert '<article class="report"' not in index_html


def _check_links(written: list[Path]) -> int:
    """Every href of every page points at an existing page and an id on it; nothing from the network."""
    ids = {p.resolve(): set(Parsed(p.read_text(encoding="utf-8")).ids) for p in written}
    checked = 0
    for p in written:
        parsed = Parsed(p.read_text(encoding="utf-8"))
        assert parsed.srcs == []
        for href in parsed.hrefs:
            if href == "data:,":  # the empty icon, so that the browser asks for no favicon
                continue
            url = urlsplit(href)
            assert not url.scheme and not url.netloc, href
            target = (p.parent / unquote(url.path)).resolve() if url.path else p.resolve()
            assert target in ids, href
            if url.fragment:
                assert url.fragment in ids[target], (p.name, href)
            checked += 1
    return checked


def test_every_link_of_every_page_resolves(tmp_path: Path) -> None:
    _, written = _pages(tmp_path, large_comparison())
    assert _check_links(written) > 500
    event_page = next(p for p in written if p.name.startswith("e-"))
    assert 'class="dot-link"' in event_page.read_text(encoding="utf-8")  # chart dots link to quotes


def test_stale_pages_are_removed_and_other_files_kept(tmp_path: Path) -> None:
    index, _ = _pages(tmp_path, large_comparison())
    folder = folder_for(index)
    (folder / "reports-999.html").write_text("old", encoding="utf-8")
    (folder / "notes.txt").write_text("mine", encoding="utf-8")
    _pages(tmp_path, large_comparison())
    assert not (folder / "reports-999.html").exists()
    assert (folder / "notes.txt").read_text(encoding="utf-8") == "mine"


@pytest.mark.parametrize("per_page", [1, 2, 3])
def test_tiny_pages_still_link(tmp_path: Path, per_page: int) -> None:
    # one event of three reports (one a copy of another) and a copy in no event: links cross pages
    _, written = _pages(tmp_path, make_comparison(), per_page=per_page)
    assert len(written) > 2
    assert _check_links(written) > 10
    for p in written:
        html = p.read_text(encoding="utf-8")
        assert "Content-Security-Policy" in html and "<script" not in html.replace("&lt;script", "")


def test_a_report_with_thousands_of_claims_renders_every_mark() -> None:
    # each mark's plain text used to be checked against every sentence: 20,000 claims, 400 million steps
    from tollcheck.model import Claim
    from tollcheck.render.html import highlight

    sentence = "Gunmen killed 12 people. "
    n = 20_000
    text = sentence * n
    claims = [
        (
            f"c{i}",
            Claim(
                doc="d",
                category="killed",
                low=12,
                high=12,
                start=i * len(sentence) + 14,
                end=i * len(sentence) + 16,
                sentence_start=i * len(sentence),
                sentence_end=(i + 1) * len(sentence) - 1,
            ),
        )
        for i in range(n)
    ]
    html = str(highlight(text, claims))
    assert html.count('<mark id="c') == n and html.count('<span class="sent">') == 2 * n
    assert html.count(">12</mark>") == n


def test_many_reports_with_one_slug_get_distinct_anchors() -> None:
    from tollcheck.render.html import Anchors

    anchors = Anchors()
    long_dir = "/data/" + "d" * 80  # the slug keeps 60 characters: every report's slug is the same
    ids = [anchors.report(f"{long_dir}/report-{i}.txt") for i in range(20_000)]
    assert len(set(ids)) == len(ids)
    assert ids[:3] == [ids[0], f"{ids[0]}-2", f"{ids[0]}-3"] and ids[-1] == f"{ids[0]}-20000"
    assert anchors.report(f"{long_dir}/report-7.txt") == ids[7]  # the same report, the same anchor
