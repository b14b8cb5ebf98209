"""A report's own totals, from its claims: one victim ledger per category.

1. Only counted claims of the report's main event: not negated, not hypothetical, with a figure. A
   statement whose words make it background (the occasion of the event: "protested over the death of",
   "sparked by the killing of"), an earlier event ("two days after 25 died", outside the first statement
   of its category) or a statistic ("600 died ... across the country last year") stays out, and so does a
   claim dated to another year than the main event's (the lede's own year when recent, else the most
   common). They are listed in the ledger as `background`, never counted (`_sort_out`).
2. Each statement (one cue and the figures listed with it) is a group of the ledger (`ledger.py`):
   disjoint parts of one statement add up ("killed 3 soldiers and 2 civilians" is 5), unless they are
   the apposition list of a total ("Nine people, three engineers and six guards"). Subgroups
   ("including 12 children") never add.
3. Groups in text order: a superseding figure replaces ("the toll rose to 40"); a group marked distinct
   ("also", "another", "more"), the attackers, another side than every group so far, another place
   (same voice, smaller figure), "N others" not relative to another category, or a companion of the
   only victim ("his passenger") adds; a repeat or a partial mention merges; a larger figure becomes
   the total. Later statements summing to the total are its breakdown.
4. `by_side` splits the total by the sides of its groups, its parts and the subgroups the report names
   (capped at the total); the rest is `unknown`. `low` / `high` are the lowest and highest figures the
   report gives for the toll; `rule` says how the total was made ("4 + 9: ...") and `groups` is the
   ledger, each group with its claims and how it entered the total.
"""

from __future__ import annotations

from tollcheck.model import Claim, Figure, ReportTotals
from tollcheck.tally.ledger import Group, combine, groups_of
from tollcheck.tally.signals import signals_of

UNDATED = "undated"
BACKGROUND = "background: the occasion or cause of the report's event ('protested over the death of')"
STATISTIC = "a statistic over a period or a country ('last year'), not one incident"
EARLIER = "an earlier event the report's own follows ('two days after')"
TRIAL = "an earlier death a court case is about ('accused of killing his wife in 2012')"
ANOTHER_YEAR = "dated to another year than the main event"


def main_event_claims(claims: list[Claim], published: str | None = None) -> list[int]:
    """Indices of the counted claims that are about the report's main event."""
    return _sort_out(claims, published)[0]


def _sort_out(claims: list[Claim], published: str | None) -> tuple[list[int], dict[int, str]]:
    """The counted claims of the main event, and the others with the reason they stay out.

    A statement whose words make it background ("two days after 25 died", "protested over the death
    of") or a statistic ("600 died in police shootings last year") is about another event; its
    subgroups follow it. Then each claim has a year: its own date's, or (undated) the publication year.
    The main event's year is the lede's (the first claim left) when its sentence dates it, else the most
    common year (the latest on a tie); a claim whose own date names another year is about another event
    ("since 2019, when a bomb killed 14"). Undated claims stay in.
    """
    counted = [i for i, c in enumerate(claims) if c.counted]
    out: dict[int, str] = {}
    first: dict[str, int] = {}  # the first statement of each category: its lede
    for i in counted:
        first.setdefault(claims[i].category, claims[i].statement)
    reasons: dict[int, str] = {}
    for i in counted:
        c = claims[i]
        if c.statement not in reasons:  # a statement's words are read at its first claim
            reasons[c.statement] = _reason(c, first[c.category] == c.statement, published)
    for i in counted:
        c = claims[i]
        why = out.get(c.subgroup_of, "") if c.subgroup_of is not None else reasons[c.statement]
        if why:
            out[i] = why
    rest = [i for i in counted if i not in out]
    # without a publication date an undated claim is "now": on a tie it wins over an explicit year,
    # which in a news report is more often background ("the first attack since a 2019 bombing")
    pub_year = published[:4] if published else UNDATED
    years = [claims[i].date[:4] if _own_date(claims[i]) else pub_year for i in rest]
    if not any(y != UNDATED for y in years):
        return rest, out
    # the most common year (the latest on a tie), or the lede's own year when it names one no older than a
    # year before publication ("Monday, December 15, 2014 ... was shot and killed")
    main_year = max(set(years), key=lambda y: (years.count(y), y == UNDATED, y))
    recent = not pub_year.isdigit() or years[0] >= str(int(pub_year) - 1)
    if _own_date(claims[rest[0]]) and recent:
        main_year = years[0]  # not a lede about an old event ("serving a sentence for the 1998 slaying")
    main = []
    for i, y in zip(rest, years, strict=True):
        if not _own_date(claims[i]) or y == main_year or (claims[i].date_end or "")[:4] == main_year:
            main.append(i)
        else:
            out[i] = ANOTHER_YEAR
    return main, out


def _reason(c: Claim, first: bool, published: str | None) -> str:
    """Why a statement (read from its first claim) is about another event than the report's, or ''."""
    sig = signals_of(c)
    if sig.background:
        return BACKGROUND
    if sig.trial and published and _own_date(c) and (c.date or "")[:4] < published[:4]:
        return TRIAL
    if sig.period and (sig.scope or not first):
        return STATISTIC
    return EARLIER if sig.earlier and not first else ""


def _own_date(c: Claim) -> bool:
    return bool(c.date) and c.date_from == "sentence"


def _subgroup_sides(claims: list[Claim], indices: list[int], category: str, behind: set[int]) -> dict[str, int]:
    """The sides of the subgroups named for the claims behind the total ("including 12 children")."""
    sides: dict[str, int] = {}
    for i in indices:
        c = claims[i]
        if c.category != category or "subgroup" not in c.flags or c.value is None:
            continue
        if c.subgroup_of is None or c.subgroup_of in behind:
            sides[c.side] = max(sides.get(c.side, 0), c.value)
    return sides


def figure_of(claims: list[Claim], indices: list[int], category: str) -> Figure | None:
    """The report's figure for one category, from its victim ledger (`ledger.py`)."""
    groups = groups_of(claims, indices, category)
    if not groups:
        subs = [i for i in indices if claims[i].category == category]
        if not subs:
            return None
        # only subgroups are named ("among the dead were 5 children"): together they are a floor
        low = sum(claims[i].low or 0 for i in subs)
        return Figure(low, None, None, claims=subs, rule="only subgroups named: their sum is a floor")
    base, added = combine(groups)
    total = [base, *added]
    best = None if any(g.best is None for g in total) else sum(g.best or 0 for g in total)
    t_low = sum(g.low for g in total)
    t_high = None if any(g.high is None for g in total) else sum(g.high or 0 for g in total)
    behind = [i for g in total for i in g.claims]
    sides = _sides(claims, indices, category, groups, total, best)
    # low / high: the lowest and highest figures the report gives for this toll (UCDP's reliable range)
    merged = [g for g in groups if g.entered == "merged" and not g.partial]  # "12 still in hospital" is no toll
    low = min([t_low] + [g.low for g in merged if g.best is not None])
    highs = [t_high] + [g.high for g in merged]
    high = None if any(h is None for h in highs) else max(h for h in highs if h is not None)
    if best is not None and low > best:
        low = best
    return Figure(
        low,
        best,
        high,
        by_side=sides,
        claims=behind,
        rule=_rule(groups, base, added),
        groups=[g.to_dict() for g in groups],
    )


def _sides(
    claims: list[Claim], indices: list[int], category: str, groups: list[Group], total: list[Group], best: int | None
) -> dict[str, int]:
    sides: dict[str, int] = {}
    for g in total:
        for k, v in g.sides.items():
            sides[k] = sides.get(k, 0) + v
    parts: dict[str, int] = dict(_subgroup_sides(claims, indices, category, {i for g in total for i in g.claims}))
    for g in groups:
        if g.entered == "breakdown":
            for k, v in g.sides.items():
                parts[k] = parts.get(k, 0) + v
    for side, n in parts.items():
        if side != "unknown" and best is not None and sides.get(side, 0) < n <= best:
            sides[side] = n
    if best is None:
        return sides
    named = sum(v for k, v in sides.items() if k != "unknown")
    if named > best:  # parts that overshoot the total: keep the groups' own sides
        sides = {}
        for g in total:
            for k, v in g.sides.items():
                sides[k] = sides.get(k, 0) + v
        return sides
    sides["unknown"] = best - named
    return {k: v for k, v in sides.items() if v}


def _rule(groups: list[Group], base: Group, added: list[Group]) -> str:
    if added:
        terms = " + ".join(str(g.best) for g in [base, *added])
        return f"the main figure plus distinct groups ({terms}): " + "; ".join(g.why for g in added)
    if len(groups) == 1 and not base.parts:
        return "the only figure the report gives"
    if base.superseding:
        return "the latest figure, which supersedes the earlier ones"
    if any(g.entered == "breakdown" for g in groups) or base.parts:
        return "a total with its breakdown"
    return "largest figure the report gives; the others repeat it or are part of it"


def tally(doc: str, claims: list[Claim], published: str | None = None) -> ReportTotals:
    """The report line of the output contract: its own totals per category, each with its ledger."""
    indices, others = _sort_out(claims, published)
    totals = ReportTotals(doc)
    for category in dict.fromkeys(claims[i].category for i in indices):
        fig = figure_of(claims, indices, category)
        if fig is not None:
            totals.totals[category] = fig
    for i, why in others.items():  # claims about other events: in the ledger, out of the total
        fig = totals.totals.get(claims[i].category)
        if fig is not None:
            c = claims[i]
            entry = {
                "claims": [i],
                "parts": [],
                "count": c.value,
                "low": c.low,
                "high": c.high,
                "sides": {c.side: c.value} if c.value is not None else {},
                "place": c.place,
                "source": c.source,
                "entered": "background",
                "why": why,
            }
            fig.groups.append(entry)
    return totals
