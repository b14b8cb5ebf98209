"""A report's own totals, from its claims (the rules are in the README, "How a report is totalled").

1. Only counted claims of the report's main event: not negated, not hypothetical, with a figure, and
   not about another place or year than the main event (`main_event_claims`).
2. Claims read from one statement (one cue and the figures listed with it) are disjoint parts and
   add up: "killed 3 soldiers and 2 civilians" is 5. Subgroups ("including 12 children") never add.
3. A statement that adds to an earlier one ("another 3 died in hospital") extends the running sum.
4. Across statements the largest total wins, since repeated and partial mentions never exceed the
   total they repeat; a statement flagged superseding ("the toll rose to 40") wins over the earlier.
5. `by_side` splits the chosen total by the sides of its parts and of the subgroups the report names
   (capped at the total); the rest is `unknown`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tollcheck.model import Claim, Figure, ReportTotals


@dataclass(slots=True)
class Statement:
    claims: list[int] = field(default_factory=list)
    low: int = 0
    high: int | None = 0
    best: int | None = 0
    superseding: bool = False
    additive: bool = False
    sides: dict[str, int] = field(default_factory=dict)

    def add(self, i: int, c: Claim) -> None:
        self.claims.append(i)
        self.low += c.low or 0
        self.high = None if self.high is None or c.high is None else self.high + c.high
        self.best = None if self.best is None or c.value is None else self.best + c.value * _unit_size(c)
        if c.value is not None:
            self.sides[c.side] = self.sides.get(c.side, 0) + c.value
        self.superseding = self.superseding or "superseding" in c.flags
        self.additive = self.additive or "additive" in c.flags


def _unit_size(c: Claim) -> int:
    return 1  # families and households are counted as stated; their people are not guessed


UNDATED = "undated"


def main_event_claims(claims: list[Claim], published: str | None = None) -> list[int]:
    """Indices of the counted claims that are about the report's main event.

    Each claim has a year: its own date's, or (undated) the publication year. The main event's year is
    the most common of them (the latest on a tie); a claim whose own date names another year is about
    another event ("since 2019, when a bomb killed 14"). Undated claims are never left out.
    """
    counted = [i for i, c in enumerate(claims) if c.counted]
    # without a publication date an undated claim is "now": on a tie it wins over an explicit year,
    # which in a news report is more often background ("the first attack since a 2019 bombing")
    pub_year = published[:4] if published else UNDATED
    years = [claims[i].date[:4] if _own_date(claims[i]) else pub_year for i in counted]
    if not any(y != UNDATED for y in years):
        return counted
    main_year = max(set(years), key=lambda y: (years.count(y), y == UNDATED, y))
    return [
        i
        for i, y in zip(counted, years, strict=True)
        if not _own_date(claims[i]) or y == main_year or (claims[i].date_end or "")[:4] == main_year
    ]


def _own_date(c: Claim) -> bool:
    return bool(c.date) and c.date_from == "sentence"


def _statements(claims: list[Claim], indices: list[int], category: str) -> list[Statement]:
    out: dict[int, Statement] = {}
    for i in indices:
        c = claims[i]
        if c.category != category or "subgroup" in c.flags:
            continue
        out.setdefault(c.statement, Statement()).add(i, c)
    return [out[k] for k in sorted(out)]


def _subgroup_sides(claims: list[Claim], indices: list[int], category: str) -> dict[str, int]:
    sides: dict[str, int] = {}
    for i in indices:
        c = claims[i]
        if c.category == category and "subgroup" in c.flags and c.value is not None:
            sides[c.side] = max(sides.get(c.side, 0), c.value)
    return sides


def _plus(a: Statement, b: Statement) -> Statement:
    return Statement(
        a.claims + b.claims,
        a.low + b.low,
        None if a.high is None or b.high is None else a.high + b.high,
        None if a.best is None or b.best is None else a.best + b.best,
        sides={k: a.sides.get(k, 0) + b.sides.get(k, 0) for k in {*a.sides, *b.sides}},
    )


def figure_of(claims: list[Claim], indices: list[int], category: str) -> Figure | None:
    if len(indices) == 1:  # one claim: its own figure (the common case in compare)
        c = claims[indices[0]]
        if c.category == category and "subgroup" not in c.flags:
            sides = {c.side: c.value} if c.value is not None else {}
            return Figure(
                c.low, c.value, c.high, by_side=sides, claims=list(indices), rule="the only figure the report gives"
            )
    return _figure_of(claims, indices, category)


def _figure_of(claims: list[Claim], indices: list[int], category: str) -> Figure | None:
    statements = _statements(claims, indices, category)
    if not statements:
        subs = [i for i in indices if claims[i].category == category]
        if not subs:
            return None
        # only subgroups are named ("among the dead were 5 children"): together they are a floor
        low = sum(claims[i].low or 0 for i in subs)
        return Figure(low, None, None, claims=subs, rule="only subgroups named: their sum is a floor")
    running: Statement | None = None
    candidates: list[tuple[Statement, str]] = []
    for st in statements:
        if st.additive and running is not None:
            merged = running = _plus(running, st)
            candidates.append((merged, "earlier figure plus the one added to it"))
        else:
            running = st
        candidates.append((st, "largest figure the report gives"))
    attackers = [s for s in statements if set(s.sides) == {"perpetrators"}]
    victims = [c for c in candidates if c[0] not in attackers] or candidates
    superseding = [s for s in statements if s.superseding and s not in attackers]
    if superseding:
        chosen, rule = superseding[-1], "the latest figure, which supersedes the earlier ones"
    else:
        # vague amounts bound the range but never become the best on their own
        precise = [v for v in victims if v[0].best is not None] or victims
        chosen, rule = max(precise, key=lambda x: (x[0].best if x[0].best is not None else x[0].low, x[0].low))
        if len(precise) == 1 and len(victims) == 1:
            rule = "the only figure the report gives"
    if attackers and chosen not in attackers:
        # attackers killed are never among their victims: their figures add to the victims' total
        for a in attackers:
            chosen = _plus(chosen, a)
        rule += ", plus the attackers killed"
    best = chosen.best
    sides = dict(chosen.sides)
    for side, n in _subgroup_sides(claims, indices, category).items():
        if side != "unknown" and best is not None and sides.get(side, 0) < n <= best:
            sides[side] = n
    if best is not None:
        named = sum(v for k, v in sides.items() if k != "unknown")
        if named > best:
            sides = {k: v for k, v in chosen.sides.items()}
        else:
            sides["unknown"] = best - named
            sides = {k: v for k, v in sides.items() if v}
    # low / high: the lowest and highest figures the report gives for this toll (UCDP's reliable range)
    others = [s for s in statements if s not in attackers and not s.additive]
    low = min([chosen.low] + [s.low for s in others if s.best is not None])
    highs = [chosen.high] + [s.high for s in others]
    high = None if any(h is None for h in highs) else max(h for h in highs if h is not None)
    if best is not None and low > best:
        low = best
    return Figure(low, best, high, by_side=sides, claims=chosen.claims, rule=rule)


def tally(doc: str, claims: list[Claim], published: str | None = None) -> ReportTotals:
    """The report line of the output contract: its own totals per category."""
    indices = main_event_claims(claims, published)
    totals = ReportTotals(doc)
    for category in dict.fromkeys(claims[i].category for i in indices):
        fig = figure_of(claims, indices, category)
        if fig is not None:
            totals.totals[category] = fig
    return totals
