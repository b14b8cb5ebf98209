"""Statements: each casualty cue with the victims it counts, over one sentence.

`link(sent, cues, mentions, tables)` returns `Link`s: a cue, the mentions it counts (the statement),
the subgroups read with them, and the rule that attached them (`attach.py` finds the first victims):
- victims listed with the cue ("killed a mayor and his secretary") form its statement;
- figures listed with the one found ("106 women, 63 children and 70 older adults") join it, and so
  do the victims "along with" the first ("killed along with three of his bodyguards");
- a subgroup ("including 10 foreigners") is read with its total, flagged, and never added to it;
- parts in apposition that sum to the first figure are its subgroups ("Nine people, three engineers
  and six guards, were killed").
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tollcheck.extract.attach import (
    GROUP_NOUN_CATEGORIES,
    PASSIVE,
    CueMatch,
    attach,
)
from tollcheck.extract.lists import read_list, subject_list
from tollcheck.extract.mentions import Mention
from tollcheck.extract.sentence import Sent
from tollcheck.extract.tables import Tables

__all__ = ["CueMatch", "Link", "link"]


@dataclass(slots=True)
class Link:
    cue: CueMatch
    mentions: list[Mention] = field(default_factory=list)
    subgroups: list[Mention] = field(default_factory=list)
    negated: bool = False
    rule: str = ""  # the rule that attached the victims to the cue


def _along_with(
    sent: Sent, c: CueMatch, ln: Link, mentions: list[Mention], tables: Tables, cue_tokens: set[int]
) -> list[Mention]:
    """'A councillor was killed along with three of his bodyguards', 'killed a chief alongside his
    nephew': more victims of the same statement, after the cue or its object."""
    k = max([c.end] + [m.end for m in ln.mentions if m.start >= c.end])
    toks = sent.toks
    while k < len(toks) and (toks[k] in tables.words["weekday"] or toks[k] in ("on", "yesterday", "today")):
        k += 1  # "was killed Friday with four others"
    if sent.toks[k : k + 2] in (["along", "with"], ["together", "with"]):
        k += 2
    elif sent.toks[k : k + 1] == ["alongside"]:
        k += 1
    elif sent.toks[k : k + 1] == ["with"]:  # "killed with four others": only others, not "with a knife"
        m = next((m for m in mentions if m.start == k + 1 and not m.claimed and m.additive), None)
        return [m] if m is not None else []
    else:
        return []
    found = read_list(sent, k, [m for m in mentions if not m.claimed], tables, cue_tokens, names=True)
    kept = found[:1]
    for prev, m in zip(found, found[1:], strict=False):
        if m.fig is None and "and" not in sent.toks[prev.end : m.start]:
            break  # "his nephew, Emmanuel Tanko,": a name in apposition is the same victim
        kept.append(m)
    return kept


def _heads(m: Mention, c: CueMatch) -> bool:
    """The noun cue is the head of the figure's noun phrase ('42 refugees', '5 hostages')."""
    return c.cue.role == "noun" and m.fig is not None and m.fig.end <= c.start < m.end


def _coordinated(sent: Sent, m: Mention, mentions: list[Mention], cue_tokens: set[int]) -> list[Mention]:
    """Mentions listed with m: '106 women, 63 children and 70 older adults', '3 soldiers and 2 civilians'."""
    out = []
    i = mentions.index(m)
    for step in (1, -1):
        j, last = i + step, m
        while 0 <= j < len(mentions):
            nxt = mentions[j]
            lo, hi = (last.end, nxt.start) if step == 1 else (nxt.end, last.start)
            gap = sent.toks[lo:hi]
            if gap[-1:] in (["his"], ["her"], ["their"]) and nxt.fig is not None:
                gap = gap[:-1]  # "a shepherd and his two sons"
            if nxt.claimed or nxt.subgroup or gap not in ([","], ["and"], [",", "and"], ["or"], ["as", "well", "as"]):
                break
            if step == 1 and (_followed_by_cue(sent, nxt, cue_tokens) or _new_clause(sent, nxt)):
                break
            out.append(nxt)
            last, j = nxt, j + step
    return out


def _new_clause(sent: Sent, m: Mention) -> bool:
    """'the toll had risen to 14, and 27 people were being treated': a mention that opens a clause."""
    return m.end < len(sent.toks) and sent.toks[m.end] in PASSIVE | {"have", "had", "has", "remain", "remained"}


def _followed_by_cue(sent: Sent, m: Mention, cue_tokens: set[int]) -> bool:
    k = m.end
    while k < len(sent.toks) and sent.toks[k] in PASSIVE | {"have", "had", "has", "also", "reportedly"}:
        k += 1
    return k in cue_tokens


def _negated(sent: Sent, c: CueMatch, tables: Tables, m: Mention | None = None) -> bool:
    # "no one was killed", "none of the 40 passengers was hurt";
    # the figure's own hedge ("no fewer than") is not negation
    window = sent.toks[max(0, c.start - 4) : c.start]
    if m is not None and m.start < c.start:
        window = sent.toks[max(0, m.start - 4) : m.start] + sent.toks[m.end : c.start]
    if any(reason == "corrected" and f.start < c.start for f, reason in sent.culled):
        window = [t for t in window if t != "not"]  # "not 500 but 50 were killed": a correction, not a negation
    return not tables.words["negation"].isdisjoint(window) or window[-2:] == ["no", "one"]


def _modifier(sent: Sent, c: CueMatch, mentions: list[Mention]) -> Mention | None:
    """A cue used as an adjective in a victims' noun phrase ('85 injured individuals', 'eight displaced
    people'): the mention it sits in."""
    if c.end - c.start != 1 or c.cue.role not in ("verb", "intrans"):
        return None
    return next((m for m in mentions if m.fig is not None and m.fig.end == c.start and m.end > c.end), None)


def _listed(sent: Sent, c: CueMatch, mentions: list[Mention], cue_tokens: set[int], tables: Tables) -> list[Mention]:
    """Victims listed with a single one: 'killed a mayor and his secretary', 'A chief and his wife were
    shot dead', 'killing a mother and four children'. Empty when the cue counts no such list."""
    if c.cue.role == "noun" and (sent.toks[c.end - 1] == "of" or sent.toks[c.end : c.end + 1] == ["of"]):
        k = c.end + (sent.toks[c.end - 1] != "of")  # "the bodies of a 70-year-old woman and her grandson"
        found = read_list(sent, k, [m for m in mentions if not m.claimed], tables, cue_tokens)
        if len(found) >= 2 and "and" in sent.toks[found[-1].start - 2 : found[-1].start]:
            return found
        return []
    if c.cue.role not in ("verb", "intrans"):
        return []
    b = c.start - 1
    while b > 0 and (sent.toks[b].endswith("ly") or sent.toks[b] in ("also", "reportedly", "allegedly")):
        b -= 1
    plural = sent.toks[b] in ("were", "are") or sent.toks[b - 1 : b + 1] in (["have", "been"], ["had", "been"])
    if b >= 1 and (plural and c.cue.role == "verb" or c.cue.role == "intrans"):
        if sent.toks[b] == "been":
            b -= 1
        found = subject_list(sent, b, [m for m in mentions if not m.claimed], tables, cue_tokens)
        if any(m.fig is None for m in found):
            return found
        return []
    k = c.end
    found = read_list(sent, k, [m for m in mentions if not m.claimed], tables, cue_tokens)
    if len(found) < 2 or "and" not in sent.toks[found[-1].start - 2 : found[-1].start]:
        return []
    return found if any(m.fig is None for m in found) else []


def _apposed_parts(sent: Sent, ln: Link) -> None:
    """'killed 11 people, 8 soldiers and 3 civilian drivers': parts that sum to the first are its subgroups."""
    ms = ln.mentions
    if len(ms) < 3 or any(m.fig is None or m.fig.value is None for m in ms[:1]):
        return
    rest = sum((m.fig.value if m.fig is not None and m.fig.value is not None else 1) for m in ms[1:])
    if (
        ms[0].fig is not None
        and rest == ms[0].fig.value
        and sent.toks[ms[0].end : ms[0].end + 1] in ([","], ["-"], ["--"], ["—"])
    ):
        ln.subgroups.extend(ms[1:])
        for m in ms[1:]:
            m.subgroup, m.rule = True, "parts that sum to the first figure"
        ln.mentions = ms[:1]


def link(sent: Sent, cues: list[CueMatch], mentions: list[Mention], tables: Tables) -> list[Link]:
    modifiers = {id(c): m for c in cues if (m := _modifier(sent, c, mentions)) is not None}
    cue_tokens = {k for c in cues if id(c) not in modifiers for k in range(c.start, c.end)}
    links: list[Link] = []
    # cues used as adjectives go last: they count their noun phrase only when no other cue does; before
    # them, a noun cue that is the head of a figure's noun phrase ("42 refugees have been killed")
    heads = {id(c) for c in cues if c.cue.category in GROUP_NOUN_CATEGORIES and any(_heads(m, c) for m in mentions)}
    for c in sorted(cues, key=lambda c: (id(c) in modifiers, id(c) in heads)):
        listed = [] if id(c) in modifiers else _listed(sent, c, mentions, cue_tokens, tables)
        if listed:
            for x in listed:
                if x not in mentions:
                    mentions.append(x)
                x.claimed, x.category = True, c.cue.category
                x.rule = x.rule or "victims listed with the cue"
            link_ = Link(c, listed, negated=_negated(sent, c, tables, listed[0]), rule="victims listed with the cue")
            _apposed_parts(sent, link_)
            links.append(link_)
            continue
        if id(c) in modifiers:
            m, rule = modifiers[id(c)], "cue as an adjective of the figure's noun"
        else:
            m, rule = attach(sent, c, mentions, cue_tokens, tables)
        if m is None:
            if _negated(sent, c, tables):
                links.append(Link(c, negated=True, rule="negated cue without a figure"))
            continue
        if m.claimed and m.fig is not None:
            continue
        if m.subgroup and m.parent is not None:
            parent = mentions[m.parent]
            if parent.claimed:  # counted already: "46 have died, after two of the wounded died" stays a part;
                # "kidnapped 190 passengers and killed 9 of the passengers" is a statement of its own
                m.subgroup = parent.category == c.cue.category
            else:
                m.claimed = True
                m, rule = parent, f"{rule}, read as its total"
        if m.fig is None and m not in mentions:
            mentions.append(m)
        m.claimed, m.category, m.rule = True, c.cue.category, rule
        link_ = Link(c, [m], negated=_negated(sent, c, tables, m), rule=rule)
        for other in _coordinated(sent, m, mentions, cue_tokens) if m in mentions else []:
            other.claimed, other.rule = True, "figure listed with the counted one"
            link_.mentions.append(other)
        for other in _along_with(sent, c, link_, mentions, tables, cue_tokens):
            other.claimed, other.category, other.rule = True, c.cue.category, "victims along with the first"
            if other not in mentions:
                mentions.append(other)
            link_.mentions.append(other)
        link_.mentions.sort(key=lambda x: x.start)
        _apposed_parts(sent, link_)
        for s in mentions:
            if (
                s.subgroup
                and s.parent is not None
                and mentions[s.parent] in link_.mentions
                and not any(
                    k in cue_tokens and not c.start <= k < c.end for k in range(mentions[s.parent].end, s.start)
                )
            ):
                s.claimed = True
                s.rule = s.rule or "part of the statement's total (subgroup)"
                link_.subgroups.append(s)
        links.append(link_)
    return links + _among(sent, cues, mentions)


def _among(sent: Sent, cues: list[CueMatch], mentions: list[Mention]) -> list[Link]:
    """'Three journalists were among the dead', 'Six children were among the 22 wounded': a part of the
    victims counted by the cue after 'among the', read as a subgroup."""
    out = []
    for m in mentions:
        if m.claimed or m.fig is None:
            continue
        k = m.end
        if sent.toks[k : k + 3] not in (["were", "among", "the"], ["was", "among", "the"], ["are", "among", "the"]):
            continue
        after = k + 3
        nxt = next((x for x in mentions if x.start == after), None)
        after = nxt.fig.end if nxt is not None and nxt.fig is not None else after
        cue = next((c for c in cues if c.start == after), None)
        if cue is not None:
            m.claimed, m.subgroup, m.category = True, True, cue.cue.category
            m.rule = "'N were among the' + cue: a part"
            out.append(Link(cue, [m], rule=m.rule))
    return out
