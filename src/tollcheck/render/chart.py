"""One inline SVG chart per event and category: each source's figure against its publication date.

`figure_chart(sources, category)` is a pure function returning `Markup` (an `<svg>` element, no script, no
external resource). Every piece of text put in it (outlet, speakers, dates, the category) is escaped with
`safe.html` (control characters shown, then escaped), attribute values included.

Layout
- x axis: publication date on a linear time scale; sources of the same day are spread a few pixels apart.
  Sources whose report has no (parseable) publication date go in a separate "undated" column at the right.
- y axis: linear from 0 to a rounded maximum (1, 2, 2.5 or 5 times a power of ten). When the largest figure is
  more than 50 times the smallest non-zero one the axis is logarithmic (decades), so that "4" and "900" can both
  be read; the axis label then says "log scale" and zeros are drawn on the baseline.
- each source: its best figure as a dot (hollow when the source gives no best, only bounds), its low..high as
  a vertical bar; an open-ended figure ("at least 40", no high) is a dashed bar to the top ending in an arrow.
  Each dot carries a `<title>` tooltip (outlet, speakers, figure, date) and, when `link` gives a target, is
  wrapped in a link to it (the claim's quote in the page).
- `total`, when given, is drawn as a light band (reconciled low..high) with a dashed line at the best figure.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from datetime import UTC, date, datetime

from markupsafe import Markup

from tollcheck.model import EventFigure, SourceFigure
from tollcheck.render.safe import html

CATEGORY_COLOURS: dict[str, str] = {
    "killed": "#b2182b",
    "injured": "#d6604d",
    "missing": "#762a83",
    "abducted": "#8c510a",
    "detained": "#01665e",
    "displaced": "#2166ac",
    "casualties": "#4d4d4d",
}
DEFAULT_COLOUR = "#555555"
LOG_RATIO = 50  # max / min (non-zero) above which the y axis is logarithmic

MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = 58, 16, 34, 46
UNDATED_WIDTH = 80
DODGE = 11  # px between sources of the same day


def colour(category: str) -> str:
    return CATEGORY_COLOURS.get(category, DEFAULT_COLOUR)


def parse_published(value: str | None) -> datetime | None:
    """A datetime for an ISO-like publication date ("2024-05-04", "2024-05-04T10:00Z"), else None."""
    if not value:
        return None
    text = value.strip()
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        m = re.match(r"(\d{4})-(\d{2})-(\d{2})", text)
        if not m:
            return None
        try:
            parsed = datetime.combine(date(int(m[1]), int(m[2]), int(m[3])), datetime.min.time())
        except ValueError:
            return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def figure_text(low: int | None, best: int | None, high: int | None) -> str:
    """ "12", "10–14 (best 12)", "at least 40", "at most 9", or "no number"."""
    if low is None and high is None:
        return f"about {best:,}" if best is not None else "no number"
    if high is None:
        text = f"at least {low:,}"
    elif low is None:
        text = f"at most {high:,}"
    elif low == high:
        return f"{low:,}"
    else:
        text = f"{low:,}–{high:,}"
    if best is not None and best not in (low, high):
        text += f" (best {best:,})"
    return text


def _point(s: SourceFigure) -> int | None:
    for v in (s.best, s.low, s.high):
        if v is not None:
            return v
    return None


def _nice(x: float) -> float:
    """The smallest of 1, 2, 2.5, 5, 10 times a power of ten that is >= x."""
    if x <= 0:
        return 1.0
    exp = 10 ** math.floor(math.log10(x))
    for m in (1, 2, 2.5, 5, 10):
        if m * exp >= x - 1e-9:
            return m * exp
    return 10 * exp


class _YScale:
    def __init__(self, values: list[int], top: float, bottom: float) -> None:
        self.top, self.bottom = top, bottom
        vmax = max(values, default=0)
        positive = [v for v in values if v > 0]
        vmin = min(positive, default=0)
        self.log = bool(positive) and vmax / vmin > LOG_RATIO
        if self.log:
            self.lo = 10 ** math.floor(math.log10(vmin))
            self.hi = 10 ** math.ceil(math.log10(vmax * 1.05))
            decades = round(math.log10(self.hi / self.lo))
            steps = (1, 2, 5) if decades <= 2 else (1,)
            self.ticks = [
                m * 10**e
                for e in range(round(math.log10(self.lo)), round(math.log10(self.hi)) + 1)
                for m in steps
                if self.lo <= m * 10**e <= self.hi
            ]
        else:
            step = max(1.0, _nice(max(vmax, 1) * 1.05 / 5))
            self.lo, self.hi = 0, step * math.ceil(max(vmax, 1) * 1.05 / step)
            self.ticks = [step * i for i in range(int(round(self.hi / step)) + 1)]

    def __call__(self, v: float) -> float:
        span = self.bottom - self.top
        if self.log:
            if v <= 0:
                return self.bottom
            f = (math.log10(v) - math.log10(self.lo)) / (math.log10(self.hi) - math.log10(self.lo))
        else:
            f = (v - self.lo) / (self.hi - self.lo)
        return self.bottom - max(0.0, min(1.0, f)) * span


def _spread(xs: list[float], lo: float, hi: float) -> list[float]:
    """Positions of sources sorted by x, nudged apart so that dots of one day don't sit on each other."""
    out: list[float] = []
    i = 0
    while i < len(xs):
        j = i
        while j + 1 < len(xs) and xs[j + 1] - xs[i] < DODGE:
            j += 1
        n = j - i + 1
        centre = sum(xs[i : j + 1]) / n
        centre = min(max(centre, lo + (n - 1) * DODGE / 2), hi - (n - 1) * DODGE / 2)
        out.extend(centre + (k - (n - 1) / 2) * DODGE for k in range(n))
        i = j + 1
    return out


def _tooltip(s: SourceFigure, category: str) -> str:
    who = ", ".join(s.speakers) if s.speakers else "no speaker named"
    text = f"{s.outlet or s.report} — {who}: {figure_text(s.low, s.best, s.high)} {category}"
    text += f" ({s.published or 'undated'})"
    if s.copies:
        text += f"; repeated by {len(s.copies)} cop{'y' if len(s.copies) == 1 else 'ies'}"
    if s.flags:
        text += f"; {', '.join(s.flags)}"
    return text


def _fmt(v: float) -> str:
    return f"{int(v):,}" if float(v).is_integer() else f"{v:g}"


def figure_chart(
    sources: list[SourceFigure],
    category: str,
    width: int = 640,
    height: int = 280,
    *,
    link: Callable[[SourceFigure], str | None] | None = None,
    total: EventFigure | None = None,
) -> Markup:
    """An SVG chart of the sources' figures for one category (see the module docstring)."""
    e = html
    col = colour(category)
    plotted = [s for s in sources if _point(s) is not None]
    dated: list[tuple[datetime, SourceFigure]] = []
    undated: list[SourceFigure] = []
    for s in plotted:
        when = parse_published(s.published)
        if when is None:
            undated.append(s)
        else:
            dated.append((when, s))
    dated.sort(key=lambda p: p[0])
    left, right = MARGIN_LEFT, width - MARGIN_RIGHT
    top, bottom = MARGIN_TOP, height - MARGIN_BOTTOM
    split = right - UNDATED_WIDTH if undated else right
    values = [v for s in plotted for v in (s.low, s.best, s.high) if v is not None]
    if total is not None:
        values += [v for v in (total.low, total.best, total.high) if v is not None]
    y = _YScale(values, top + 8, bottom)
    label = f"{category}: figures of {len(plotted)} source{'s' if len(plotted) != 1 else ''} by publication date"
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" role="img" aria-label="{e(label)}" font-family="sans-serif" font-size="11">',
        f"<title>{e(label)}</title>",
        f'<text x="{left}" y="14" font-size="13" font-weight="bold" fill="{col}">{e(category)}</text>',
        f'<g transform="translate({right},14)" text-anchor="end" fill="#333">'
        f'<text x="0" y="0">● best   ○ no best   ┃ low–high   ⇡ no upper bound</text></g>',
    ]
    # y axis and grid
    for t in y.ticks:
        yt = y(t)
        parts.append(f'<line x1="{left}" x2="{right}" y1="{yt:.1f}" y2="{yt:.1f}" stroke="#e4e4e4"/>')
        parts.append(f'<text x="{left - 6}" y="{yt + 4:.1f}" text-anchor="end" fill="#444">{_fmt(t)}</text>')
    # reconciled band
    if total is not None and total.low is not None:
        y_low, y_high = y(total.low), (y(total.high) if total.high is not None else top)
        parts.append(
            f'<rect class="band" x="{left}" y="{y_high:.1f}" width="{split - left}" '
            f'height="{max(y_low - y_high, 1.5):.1f}" fill="{col}" fill-opacity="0.08"/>'
        )
    if total is not None and total.best is not None:
        yb = y(total.best)
        parts.append(
            f'<line x1="{left}" x2="{split}" y1="{yb:.1f}" y2="{yb:.1f}" stroke="{col}" '
            f'stroke-dasharray="5 4" stroke-opacity="0.7">'
            f"<title>reconciled best: {total.best:,}</title></line>"
        )
    parts.append(f'<line x1="{left}" x2="{left}" y1="{top}" y2="{bottom}" stroke="#888"/>')
    parts.append(f'<line x1="{left}" x2="{right}" y1="{bottom}" y2="{bottom}" stroke="#888"/>')
    ylabel = "people" + (" (log scale)" if y.log else "")
    parts.append(
        f'<text transform="translate(14,{(top + bottom) / 2:.0f}) rotate(-90)" text-anchor="middle" '
        f'fill="#444">{e(ylabel)}</text>'
    )
    # x positions
    positions: list[tuple[float, SourceFigure]] = []
    if dated:
        t0, t1 = dated[0][0].timestamp(), dated[-1][0].timestamp()
        lo, hi = left + 24, split - 24
        raw = [(lo + hi) / 2 if t1 == t0 else lo + (d.timestamp() - t0) / (t1 - t0) * (hi - lo) for d, _ in dated]
        xs = _spread(raw, left + 6, split - 6)
        positions += list(zip(xs, (s for _, s in dated), strict=True))
        last_label = -1e9
        for (d, _), xr in zip(dated, raw, strict=True):
            if xr - last_label >= 74:
                last_label = xr
                parts.append(f'<line x1="{xr:.1f}" x2="{xr:.1f}" y1="{bottom}" y2="{bottom + 4}" stroke="#888"/>')
                parts.append(
                    f'<text x="{xr:.1f}" y="{bottom + 16}" text-anchor="middle" fill="#444">'
                    f"{e(d.date().isoformat())}</text>"
                )
    if undated:
        parts.append(f'<line x1="{split}" x2="{split}" y1="{top}" y2="{bottom}" stroke="#aaa" stroke-dasharray="3 3"/>')
        cx = (split + right) / 2
        parts.append(f'<text x="{cx:.1f}" y="{bottom + 16}" text-anchor="middle" fill="#444">undated</text>')
        xs = _spread([cx] * len(undated), split + 6, right - 6)
        positions += list(zip(xs, undated, strict=True))
    parts.append(
        f'<text x="{(left + split) / 2:.0f}" y="{height - 8}" text-anchor="middle" fill="#444">publication date</text>'
    )
    if not plotted:
        parts.append(
            f'<text x="{(left + right) / 2:.0f}" y="{(top + bottom) / 2:.0f}" text-anchor="middle" '
            f'fill="#777">no figures to plot</text>'
        )
    # the sources
    for x, s in positions:
        point = _point(s)
        assert point is not None
        g = ['<g class="source">']
        if s.low is not None or s.high is not None:
            y1 = y(s.low) if s.low is not None else bottom
            y2 = y(s.high) if s.high is not None else top
            dash = ' stroke-dasharray="4 3"' if s.high is None or s.low is None else ""
            g.append(
                f'<line class="range" x1="{x:.1f}" x2="{x:.1f}" y1="{y1:.1f}" y2="{y2:.1f}" stroke="{col}" '
                f'stroke-width="3" stroke-opacity="0.45"{dash}/>'
            )
            for yy, present in ((y1, s.low is not None), (y2, s.high is not None)):
                if present:
                    g.append(
                        f'<line x1="{x - 4:.1f}" x2="{x + 4:.1f}" y1="{yy:.1f}" y2="{yy:.1f}" '
                        f'stroke="{col}" stroke-width="1.5"/>'
                    )
            if s.high is None:
                g.append(
                    f'<path class="open" d="M{x - 5:.1f},{top + 7} L{x:.1f},{top} L{x + 5:.1f},{top + 7} Z" '
                    f'fill="{col}"><title>no upper bound</title></path>'
                )
        fill = col if s.best is not None else "#ffffff"
        dot = (
            f'<circle class="dot" cx="{x:.1f}" cy="{y(point):.1f}" r="5" fill="{fill}" stroke="{col}" '
            f'stroke-width="2"><title>{e(_tooltip(s, category))}</title></circle>'
        )
        href = link(s) if link else None
        g.append(f'<a href="{e(href)}" class="dot-link">{dot}</a>' if href else dot)
        g.append("</g>")
        parts.append("".join(g))
    parts.append("</svg>")
    return Markup("\n".join(parts))
