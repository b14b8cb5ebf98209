"""The HTML report, without a browser: content, links, escaping, offline-ness, odd inputs.

All texts, places, outlets and people below are invented.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

from hypothesis import given
from hypothesis import strategies as st

from tollcheck.model import Claim, Comparison, Event, EventFigure, Report, SourceFigure, claim_id
from tollcheck.render.chart import figure_chart
from tollcheck.render.html import Anchors, highlight, render_html

R1 = "reports/vellmark-post/raid.txt"
R2 = "reports/kestrel wire/update #2.html"
R3 = "mirror/update-copy.txt"
R4 = "notes/ngo brief.txt"

TEXT1 = (
    "ORVENHOLT, April 2 - Gunmen attacked the market in Orvenholt on Tuesday, killing 12 people, "
    "district governor Amira Tessel said. At least 30 others were injured.\n\nResidents said the toll could rise."
)
TEXT2 = (
    'Toll rises <script>window.__pwned = 1</script> <img src=x onerror="window.__pwned=2"> "><svg onload=alert(1)>\n'
    "The death toll from the Orvenholt market attack rose to 19, the health ministry said on Thursday. "
    "Between 25 and 40 people were wounded. </textarea> end."
)
TEXT4 = "A local aid group, Lantern Relief, counted 21 dead and more than 50 injured in Orvenholt."
EVIL = '"><svg onload=alert(2)>'


def claim_in(doc: str, text: str, figure: str, sentence: str, **kw) -> Claim:
    """A claim whose spans are found in the text with str.find."""
    s = text.find(sentence)
    f = text.find(figure, s)
    assert s >= 0 and f >= 0, (figure, sentence)
    base = dict(doc=doc, quote=sentence, start=f, end=f + len(figure), sentence_start=s, sentence_end=s + len(sentence))
    base.update(kw)
    return Claim(**base)


def make_comparison() -> Comparison:
    s1 = "Gunmen attacked the market in Orvenholt on Tuesday, killing 12 people, district governor Amira Tessel said."
    s1b = "At least 30 others were injured."
    s2 = "The death toll from the Orvenholt market attack rose to 19, the health ministry said on Thursday."
    s2b = "Between 25 and 40 people were wounded."
    s4 = TEXT4
    c1 = [
        claim_in(R1, TEXT1, "12", s1, category="killed", low=12, high=12, value=12, source="Amira Tessel"),
        claim_in(R1, TEXT1, "At least 30", s1b, category="injured", low=30, high=None, value=30, qualifier="at_least"),
    ]
    c2 = [
        claim_in(R2, TEXT2, "19", s2, category="killed", low=19, high=19, value=19, source="health ministry"),
        claim_in(R2, TEXT2, "Between 25 and 40", s2b, category="injured", low=25, high=40, qualifier="range"),
    ]
    c3 = [_copy_claim(c, R3) for c in c2]
    c4 = [
        claim_in(R4, TEXT4, "21", s4, category="killed", low=21, high=21, value=21, source=EVIL),
        claim_in(R4, TEXT4, "more than 50", s4, category="injured", low=51, high=None, qualifier="more_than"),
    ]
    reports = [
        Report(
            R1,
            TEXT1,
            title="Market raid in Orvenholt",
            outlet="Vellmark Post",
            published="2031-04-02",
            url="https://vellmark.example/raid",
        ),
        Report(
            R2,
            TEXT2,
            title='<b>Toll rises</b> "><svg onload=alert(1)>',
            outlet="Kestrel <i>Wire</i>",
            published="2031-04-04T09:30:00Z",
        ),
        Report(R3, TEXT2, title="Toll rises (mirror)", outlet="Mirror Site"),
        Report(R4, TEXT4, title=None, outlet="Lantern Relief"),
    ]
    killed = EventFigure(
        12,
        19,
        21,
        "contested",
        "the latest official figure",
        sources=[
            SourceFigure(R1, "2031-04-02", "Vellmark Post", ["Amira Tessel"], 12, 12, 12, [claim_id(R1, 0)]),
            SourceFigure(
                R2,
                "2031-04-04T09:30:00Z",
                "Kestrel <i>Wire</i>",
                ["health ministry"],
                19,
                19,
                19,
                [claim_id(R2, 0)],
                copies=[R3],
            ),
            SourceFigure(R4, None, "Lantern Relief", [EVIL], 21, 21, 21, [claim_id(R4, 0)], flags=["hedged"]),
        ],
        conflicts=["Lantern Relief counts 21 <b>dead</b>, the ministry 19"],
    )
    injured = EventFigure(
        30,
        30,
        None,
        "corroborated",
        "the highest lower bound",
        sources=[
            SourceFigure(R1, "2031-04-02", "Vellmark Post", [], 30, 30, None, [claim_id(R1, 1)]),
            SourceFigure(R2, "2031-04-04T09:30:00Z", "Kestrel <i>Wire</i>", [], 25, None, 40, [claim_id(R2, 1)]),
            SourceFigure(R4, None, "Lantern Relief", [], 51, None, None, [claim_id(R4, 1)]),
        ],
    )
    event = Event(
        "ev/orvenholt market",
        "Orvenholt market attack",
        "incident",
        ["Orvenholt"],
        "2031-04-01",
        None,
        claims=[claim_id(d, i) for d in (R1, R2, R4) for i in range(2)],
        reports=[R1, R2, R4],
        totals={"killed": killed, "injured": injured},
        warnings=["<script>warn()</script> the mirror copy was counted once"],
    )
    return Comparison(reports, {R1: c1, R2: c2, R3: c3, R4: c4}, {}, [event], copies={R3: R2})


def _copy_claim(c: Claim, doc: str) -> Claim:
    d = c.to_dict()
    d.pop("type")
    d["doc"] = doc
    return Claim(**d)


class Parsed(HTMLParser):
    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: list[str] = []
        self.hrefs: list[str] = []
        self.srcs: list[str] = []
        self.tags: list[str] = []
        self.attrs_seen: list[tuple[str, str, str | None]] = []
        self.text: list[str] = []
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        for k, v in attrs:
            self.attrs_seen.append((tag, k, v))
            if k == "id" and v is not None:
                self.ids.append(v)
            if k == "href" and v is not None:
                self.hrefs.append(v)
            if k == "src":
                self.srcs.append(v or "")

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_page_has_every_figure_and_quote() -> None:
    comp = make_comparison()
    page = render_html(comp, title="Orvenholt check")
    for claims in comp.claims.values():
        for c in claims:
            assert html.escape(c.quote, quote=False) in page or html.escape(c.quote) in page
    text = "".join(Parsed(page).text)
    for fig in ("12", "19", "21", "at least 30", "25–40", "at least 51"):
        assert fig in text, fig
    assert "Orvenholt check" in text and "contested" in text and "corroborated" in text
    assert "the latest official figure" in text and "Lantern Relief counts 21 <b>dead</b>" in text


def test_every_internal_link_has_a_target_and_ids_are_unique() -> None:
    parsed = Parsed(render_html(make_comparison()))
    assert len(parsed.ids) == len(set(parsed.ids))
    internal = [h for h in parsed.hrefs if h.startswith("#")]
    assert len(internal) > 10
    for h in internal:
        assert h[1:] in parsed.ids, h
    for i in parsed.ids:
        assert re.fullmatch(r"[A-Za-z][A-Za-z0-9_-]*", i), i
    # each claim of each report is a mark in its text
    anchors = Anchors()
    comp = make_comparison()
    for r in comp.reports:
        anchors.report(r.id)
    for doc, claims in comp.claims.items():
        for i in range(len(claims)):
            assert anchors.claim(claim_id(doc, i)) in parsed.ids


def test_untrusted_text_is_escaped() -> None:
    page = render_html(make_comparison())
    assert "&lt;script&gt;window.__pwned = 1&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=" in page
    assert "<script" not in page.lower()
    assert "<img" not in page.lower()
    assert "<svg onload" not in page.lower()
    assert "</textarea>" not in page.lower() and "<textarea" not in page.lower()
    assert "<b>toll" not in page.lower() and "<i>wire" not in page.lower()
    parsed = Parsed(page)
    assert "script" not in parsed.tags and "img" not in parsed.tags and "iframe" not in parsed.tags
    assert not [a for a in parsed.attrs_seen if a[1].startswith("on")]
    assert parsed.tags.count("svg") == 2  # the two charts, nothing injected


def test_csp_and_offline() -> None:
    page = render_html(make_comparison())
    head = page[: page.index("</head>")]
    m = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', head)
    assert m
    csp = html.unescape(m.group(1))
    assert "default-src 'none'" in csp and "style-src 'unsafe-inline'" in csp and "img-src data:" in csp
    assert "script-src" not in csp
    assert head.index("Content-Security-Policy") < head.index("<style>")
    parsed = Parsed(page)
    assert parsed.srcs == []
    for h in parsed.hrefs:
        assert h.startswith("#") or h.startswith("data:"), h
    assert not re.search(r"""(?:src|href|action|xlink:href)\s*=\s*["']?\s*(?:https?:)?//""", page, re.I)
    assert "@import" not in page and "url(" not in page
    # the report's URL is shown, as text only
    assert "https://vellmark.example/raid" in "".join(parsed.text)


def test_undated_sources_and_copies() -> None:
    page = render_html(make_comparison())
    text = " ".join(Parsed(page).text)
    assert "undated" in text
    assert "copy of" in text and "copied by" in text
    timeline = page[page.index('<ol class="timeline">') : page.index("</ol>", page.index('<ol class="timeline">'))]
    first_undated = timeline.index("<strong>undated</strong>")
    assert timeline.index("2031-04-04") < first_undated  # dated first, in order, then the undated
    assert timeline.index("2031-04-02") < timeline.index("2031-04-04")


def test_overlapping_and_broken_spans_do_not_crash() -> None:
    text = "In Brakmoor 7 people died and 3 children were among the 7 dead; 4 were hurt."
    i = text.find("7 people")
    claims = [
        Claim("b.txt", "killed", 7, 7, start=i, end=i + 8, sentence_start=0, sentence_end=len(text)),
        Claim("b.txt", "killed", 7, 7, start=i, end=i + 1, sentence_start=0, sentence_end=20),  # nested
        Claim("b.txt", "killed", 3, 3, start=i + 4, end=text.find("children") + 8, flags=["subgroup"]),  # crossing
        Claim("b.txt", "injured", 4, 4, start=200, end=190),  # past the end, reversed
        Claim("b.txt", "injured", 4, 4, start=-5, end=2, sentence_start=60, sentence_end=5),
        Claim("b.txt", "killed", 0, 0, start=30, end=30, flags=["negated"]),  # empty
    ]
    comp = Comparison([Report("b.txt", text)], {"b.txt": claims}, {}, [])
    page = render_html(comp)
    parsed = Parsed(page)
    anchors = Anchors()
    anchors.report("b.txt")
    for n in range(len(claims)):
        assert parsed.ids.count(anchors.claim(claim_id("b.txt", n))) == 1
    body = page[page.index('<div class="report-text">') :]
    body = body[len('<div class="report-text">') : body.index("</div>")]
    assert html.unescape(re.sub(r"<[^>]+>", "", body)) == text


@given(
    st.text(alphabet="ab <>&\"'\n", max_size=40),
    st.lists(st.tuples(st.integers(-3, 45), st.integers(-3, 45), st.integers(-3, 45), st.integers(-3, 45)), max_size=6),
)
def test_highlight_keeps_the_text(text: str, spans: list[tuple[int, int, int, int]]) -> None:
    claims = [
        (f"a{i}", Claim("d", "killed", 1, 1, start=a, end=b, sentence_start=c, sentence_end=d))
        for i, (a, b, c, d) in enumerate(spans)
    ]
    out = str(highlight(text, claims))
    assert html.unescape(re.sub(r"<[^>]+>", "", out)) == text
    ids = re.findall(r'id="([^"]+)"', out)
    assert sorted(ids) == sorted(a for a, _ in claims)
    assert out.count("<mark") == out.count("</mark>") and out.count("<span") == out.count("</span>")


def test_empty_comparison_renders() -> None:
    page = render_html(Comparison([], {}, {}, []))
    assert "No events were found" in page and "<html" in page and "</html>" in page
    page = render_html(Comparison([Report("x.txt", "")], {"x.txt": []}, {}, []))
    assert "x.txt" in page


def test_event_without_figures_and_odd_names() -> None:
    ev = Event(
        "e1",
        "<i>Quiet</i> night",
        "period",
        [],
        None,
        None,
        totals={
            "killed": EventFigure(None, None, None, "single source", "no figure", sources=[]),
            "weird cat!": EventFigure(
                1,
                1,
                1,
                "odd grade",
                "r",
                sources=[SourceFigure("nowhere.txt", "not a date", None, [], 1, 1, 1, ["nowhere.txt#c9"])],
            ),
        },
    )
    page = render_html(Comparison([], {}, {}, [ev]))
    assert "&lt;i&gt;Quiet&lt;/i&gt; night" in page
    parsed = Parsed(page)
    for h in parsed.hrefs:
        assert h == "data:," or h[1:] in parsed.ids


def test_chart_alone() -> None:
    sources = [
        SourceFigure("a", "2031-01-01", "Outlet A", ["Mayor <Quill>"], 3, 3, 3, ["a#c0"]),
        SourceFigure("b", "2031-01-01", "Outlet B", [], 400, None, None, ["b#c0"]),
        SourceFigure("c", None, EVIL, [], 10, 12, 15, ["c#c0"]),
        SourceFigure("d", "2031-01-03", "Outlet D", [], None, None, None, ["d#c0"]),  # no number: not drawn
    ]
    svg = str(figure_chart(sources, "killed", link=lambda s: "#" + s.report))
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert svg.count('class="dot"') == 3 and svg.count("<title>") >= 4
    assert "log scale" in svg  # 400 / 3 > 50
    assert 'class="open"' in svg  # the open-ended 400+
    assert "undated" in svg and "Mayor &lt;Quill&gt;" in svg
    assert "<svg onload" not in svg and '"><svg' not in svg
    assert 'href="#a"' in svg
    linear = str(figure_chart(sources[:1], "injured", width=300, height=200))
    assert "log scale" not in linear and 'viewBox="0 0 300 200"' in linear and "<a " not in linear
    assert "no figures to plot" in str(figure_chart([], "missing"))
