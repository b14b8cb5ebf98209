"""A report's victim ledger: each statement becomes a group; repeats merge, distinct groups add.

Groups are read in text order. The first precise figure is the report's total so far; each later group
enters the ledger one way, with the reason written next to it:

- `superseded`: an earlier figure a later one replaces ("the toll rose to 40");
- `added`: a group distinct from those counted: words that say so ("another 3", "9 insurgents were also
  killed"), the attackers killed (never among their victims), another side than every group so far
  ("4 policemen died ... 9 insurgents"), another place of the event with a smaller figure, or "N
  others" that are not "other than the dead" of another category in the same sentence;
- `merged`: a repeat (the same figure, or the sum so far restated) or a partial mention, which never
  exceeds the total it repeats; a larger figure without such words becomes the total and the earlier
  ones are merged into it;
- `breakdown`: parts of a total ("Nine people, three engineers and six guards", later statements whose
  sum is the total: "At least 17 died. A headman and four others ... 12 others ..."); they fill `by_side`.

`background` entries (claims about another event) are added by `tally`, outside this module.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tollcheck.model import Claim
from tollcheck.tally.signals import Signals, signals_of

APPOSITION = ",(:—–-"  # a total followed by these opens a list of its parts: "21 people (13 civilians and 8 soldiers)"


@dataclass(slots=True)
class Group:
    """One statement's victims: its claims, count, sides, place, speaker, and how it entered the total."""

    claims: list[int]
    low: int
    high: int | None
    best: int | None
    sides: dict[str, int]
    place: str | None
    date: str | None
    source: str | None
    sentence: int  # where its quote starts
    superseding: bool
    partial: bool  # a count of part of the victims ("12 are still in hospital", "her five sons")
    signals: Signals
    other_category_before: bool  # "killed 4 and wounded 17 others": "others" means other than the dead
    parts: list[int] = field(default_factory=list)  # claims of the statement that break its total down
    entered: str = "total"
    why: str = ""

    @property
    def attackers(self) -> bool:
        return bool(self.sides) and set(self.sides) == {"perpetrators"}

    @property
    def known_sides(self) -> set[str]:
        return {s for s in self.sides if s != "unknown"}

    def to_dict(self) -> dict[str, Any]:
        return {
            "claims": list(self.claims),
            "parts": list(self.parts),
            "count": self.best,
            "low": self.low,
            "high": self.high,
            "sides": dict(self.sides),
            "place": self.place,
            "source": self.source,
            "entered": self.entered,
            "why": self.why,
        }


def _apposition_parts(claims: list[Claim], members: list[int]) -> list[int]:
    """'Six people, two Turks and four Somalis, were killed': the parts after a total, not more victims."""
    if len(members) < 2:
        return []
    head = claims[members[0]]
    rest = [claims[i] for i in members[1:]]
    if head.value is None or head.side != "unknown" or any(c.value is None for c in rest):
        return []
    if sum(c.value or 0 for c in rest) > head.value:
        return []
    after = head.quote[max(0, head.end - head.sentence_start) :].lstrip()
    return members[1:] if after[:1] and after[0] in APPOSITION else []


def _group(claims: list[Claim], members: list[int], other_before: bool, read: bool) -> Group:
    parts = _apposition_parts(claims, members)
    counted = [i for i in members if i not in parts]
    low, high, best = 0, 0, 0
    sides: dict[str, int] = {}
    sig = Signals()
    for i in counted:
        c = claims[i]
        low += c.low or 0
        high = None if high is None or c.high is None else high + c.high
        best = None if best is None or c.value is None else best + c.value
        if c.value is not None:
            sides[c.side] = sides.get(c.side, 0) + c.value
    for i in members if read else []:  # a lone statement needs no reading of its words
        s = signals_of(claims[i])
        alone = len(members) == 1
        sig = Signals(
            adds=sig.adds or s.adds,
            other=sig.other or s.other,
            named=s.named and alone,
            companion=s.companion and alone,
        )
    if parts and best is not None:
        part_sides: dict[str, int] = {}
        for i in parts:
            part_sides[claims[i].side] = part_sides.get(claims[i].side, 0) + (claims[i].value or 0)
        named = {k: v for k, v in part_sides.items() if k != "unknown"}
        sides = dict(named)
        if sum(named.values()) < best:
            sides["unknown"] = best - sum(named.values())
    first = claims[members[0]]
    return Group(
        claims=counted,
        low=low,
        high=high,
        best=best,
        sides=sides,
        place=first.place if first.place_from == "sentence" else None,
        date=first.date if first.date_from == "sentence" else None,
        source=first.source,
        sentence=first.sentence_start,
        superseding=any("superseding" in claims[i].flags for i in members),
        partial=all("partial" in claims[i].flags for i in members),
        signals=sig,
        other_category_before=other_before,
        parts=parts,
    )


def groups_of(claims: list[Claim], indices: list[int], category: str) -> list[Group]:
    """One group per statement of the category (subgroups are not groups: they attach to their total)."""
    members: dict[int, list[int]] = {}
    for i in indices:
        c = claims[i]
        if c.category == category and "subgroup" not in c.flags:
            members.setdefault(c.statement, []).append(i)
    read = len(members) > 1
    starts: dict[int, list[int]] = {}  # sentence -> where claims of other categories start in it
    for o in claims if read else []:
        if o.category != category:
            starts.setdefault(o.sentence_start, []).append(o.start)
    out = []
    for key in sorted(members, key=lambda k: min(members[k])):
        first = claims[members[key][0]]
        other_before = any(s < first.start for s in starts.get(first.sentence_start, []))
        out.append(_group(claims, members[key], other_before, read))
    return out


def _same_place(a: str | None, b: str | None) -> bool:
    if not a or not b:
        return True
    a, b = a.lower(), b.lower()
    return a in b or b in a


def _running(base: Group, added: list[Group]) -> int | None:
    if base.best is None or any(g.best is None for g in added):
        return None
    return base.best + sum(g.best or 0 for g in added)


def _relation(g: Group, base: Group, added: list[Group]) -> tuple[str, str]:
    """How a later group enters a ledger whose total is `base` plus `added` (base precise)."""
    running = _running(base, added)
    if g.superseding:
        return "supersedes", "a later figure that replaces the earlier ones"
    if g.attackers and not base.attackers:
        if any(a.attackers and a.best == g.best for a in added):
            return "merged", "the attackers killed, repeated"
        return "added", "the attackers killed are never among their victims"
    if g.signals.named and g.best == 1 and (running or 0) >= 2:
        return "merged", "a named victim, one of those counted"
    if g.partial and g.best is not None and running is not None and g.best <= running:
        return "merged", "a count of part of the victims ('still in hospital')"
    if g.signals.companion and g.best == 1 and running == 1 and not base.signals.companion:
        return "added", "one victim described through another ('his passenger', 'one of his aides')"
    if g.signals.adds:
        return "added", "a group the text marks as distinct ('also', 'another', 'more')"
    if g.best in (base.best, running):
        return "merged", "a repeat of the figure counted"
    own_voice = g.source is None or g.source == base.source  # another speaker's figure is an estimate
    if g.signals.other and not g.other_category_before and own_voice:
        return "added", "'other' victims, in addition to those counted"
    known = base.known_sides.union(*(a.known_sides for a in added))
    if g.known_sides and known and not (g.known_sides & known) and "unknown" not in base.sides:
        return "added", "victims of another side than every group counted"
    if g.best is not None and base.best is not None and g.best < base.best and not _same_place(g.place, base.place):
        if own_voice and g.sentence != base.sentence and (g.date is None or base.date is None or g.date == base.date):
            return "added", "victims at another place of the event"
    if g.best is not None and running is not None and g.best > running:
        return "larger", "a larger total, which includes the earlier figures"
    return "merged", "a partial or repeated mention, never above the total"


def _breakdown(base: Group, later: list[Group], added: list[Group]) -> list[Group]:
    """Later statements whose figures sum to the total are its parts, not more victims.

    "At least 17 died. A headman and four others died in the first raid. 12 others in the second";
    "22 were killed. 16 civilians died in clashes while six more were killed by police". The parts are
    a run of at least two claims after the total, smaller than it, that holds every group added.
    """
    if base.best is None or not added or any(a.attackers for a in added):
        return []
    run: list[Group] = []
    for g in later:
        if g.best is None or g.best >= base.best or g.attackers or g.superseding:
            run = []
            continue
        run.append(g)
        while sum(x.best or 0 for x in run) > base.best:
            run.pop(0)
        total = sum(x.best or 0 for x in run)
        if total == base.best and sum(len(x.claims) for x in run) >= 2 and all(a in run for a in added):
            return run
    return []


def combine(groups: list[Group]) -> tuple[Group, list[Group]]:
    """The total's base group and the groups added to it; every group's `entered` and `why` are set."""
    base = groups[0]
    base.entered, base.why = "total", "the first figure"
    added: list[Group] = []
    for g in groups[1:]:
        if g.best is None and not g.superseding:
            g.entered, g.why = "merged", "a vague amount: it bounds the range, never the total"
            continue
        if base.best is None:
            base.entered, base.why = "merged", "a vague amount, replaced by a precise figure"
            base, added = g, []
            g.entered, g.why = "total", "the first precise figure"
            continue
        how, why = _relation(g, base, added)
        if how in ("supersedes", "larger"):
            for old in [base, *added]:
                old.entered = "superseded" if how == "supersedes" else "merged"
                old.why = "replaced by a later figure" if how == "supersedes" else "part of a larger total"
            base, added = g, []
            g.entered, g.why = "total", why
        else:
            g.entered, g.why = how, why
            if how == "added":
                added.append(g)
    later = groups[groups.index(base) + 1 :]
    parts = _breakdown(base, later, added)
    for a in parts:
        a.entered, a.why = "breakdown", "parts that sum to the total"
    added = [a for a in added if a not in parts]
    return base, added
