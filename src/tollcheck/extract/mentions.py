"""Victim mentions: a figure with the noun it counts ("at least 13 people", "106 women", "a policeman").

`find_mentions(sent, cue_tokens, tables)` turns the sentence's figures into `Mention`s, reads their
group (and the side it counts for), marks subgroups ("including 12 children") and additions
("another 26").
"""

from __future__ import annotations

from dataclasses import dataclass

from tollcheck.extract.numbers import Figure
from tollcheck.extract.sentence import Sent
from tollcheck.extract.tables import Group, Tables

MAX_MODIFIERS = 4
MAX_PLAIN_NOUN = 3
SUBGROUP_BEFORE = (
    ("including",),
    ("among", "them"),
    ("among", "whom"),
    ("of", "whom"),
    ("of", "them"),
    ("among", "the", "dead"),
    ("among", "the", "victims"),
    ("among", "those"),
    ("mostly",),
    ("mainly",),
    ("included",),
    ("among", "the", "injured"),
    ("among", "the", "wounded"),
)
ADDITIVE_BEFORE = ("another", "further", "additional")
STOP = frozenset(
    "in at on by from with during near after before while when as into onto over under of for to and or but "
    "along alongside "
    "were was is are be been being have has had who which that whom whose , . ; : ( ) \" ' ” “ – —".split()
)
UNITS_OF_PEOPLE = {"families": "families", "family": "families", "households": "families", "bodies": "bodies"}
PEOPLE = Group("people", "unknown")
MAX_SUBJECT = 10
SUBJECT_STOP = frozenset(". ; : and but when after that said says who which while as".split())


@dataclass(slots=True)
class Mention:
    fig: Figure | None  # None for a singular victim ("a policeman"), counted as 1
    start: int
    end: int  # token after the group noun
    group: str = "people"
    side: str = "unknown"
    unit: str = "people"
    subgroup: bool = False
    parent: int | None = None  # index in the sentence's mention list
    additive: bool = False
    claimed: bool = False
    category: str | None = None  # of the cue that counted it
    rule: str = ""  # the rule that attached it to its cue (the claim's provenance)

    @property
    def low(self) -> int | None:
        return 1 if self.fig is None else self.fig.low

    @property
    def high(self) -> int | None:
        return 1 if self.fig is None else self.fig.high


def read_group(sent: Sent, k: int, tables: Tables, stop_at: set[int]) -> tuple[str, Group, int] | None:
    """The victim noun at or after token k, with the modifiers kept: ('azerbaijani civilians', Group, end)."""
    mods: list[str] = []
    j = k
    while j < len(sent.toks) and j - k <= MAX_MODIFIERS and j not in stop_at:
        t = sent.toks[j]
        for n in (3, 2, 1):
            if j + n > len(sent.toks):
                continue
            key = tuple(sent.toks[j : j + n])
            if sent.toks[j + n : j + n + 1] == ["'s"]:
                continue  # "the suspect's relatives": a possessive modifies the noun after it
            if key in tables.groups and not (set(range(j, j + n)) & stop_at):
                g = tables.groups[key]
                label = " ".join([*[m for m in mods if m[:1].isalpha()], g.label]) if mods else g.label
                return label, g, j + n
        if t in STOP or t in tables.units or not t[:1].isalpha():
            return None
        if sent.is_title(j) and t.endswith("s") and len(t) > 3:  # a demonym: "200 Armenians"
            nxt = sent.toks[j + 1] if j + 1 < len(sent.toks) else ""
            if (nxt,) not in tables.groups:
                return " ".join([*mods, t]), Group(t, "unknown"), j + 1
        if t.endswith("ly"):
            return None
        mods.append(t if sent.is_title(j) else "")
        j += 1
    return None


def _preceded_by(sent: Sent, start: int, phrases: tuple[tuple[str, ...], ...]) -> bool:
    k = start
    while k > 0 and sent.toks[k - 1] in (",", "(", "—", "–", "-"):
        k -= 1
    return any(tuple(sent.toks[max(0, k - len(p)) : k]) == p for p in phrases)


def find_mentions(sent: Sent, cue_tokens: set[int], tables: Tables) -> list[Mention]:
    mentions: list[Mention] = []
    for fig in sent.figures:
        if mentions and fig.start >= 1 and sent.toks[fig.start - 1] == "of" and mentions[-1].end == fig.start - 1:
            continue  # "four members of one family", "the families of two soldiers"
        k = fig.end
        if k < len(sent.toks) and sent.toks[k] == "of" and sent.toks[k - 1] != "of":  # "150 of the 1,275 people"
            k += 1
        grp = read_group(sent, k, tables, cue_tokens)
        m = Mention(fig, fig.start, fig.end)
        if fig.start >= 2 and sent.toks[fig.start - 2 : fig.start] == ["family", "of"]:  # "a family of four"
            m.start = (
                fig.start - 3
                if fig.start >= 3 and sent.toks[fig.start - 3] in ("a", "the", "his", "her")
                else fig.start - 2
            )
        if grp:
            label, g, end = grp
            m.group, m.side, m.end = label, g.side, end
            m.unit = UNITS_OF_PEOPLE.get(sent.toks[end - 1], "people")
        elif k == fig.end:
            m.end = _plain_noun_end(sent, k, tables, cue_tokens)  # "three engineers", "two Turkish nationals"
        prev = mentions[-1] if mentions else None
        listed = (
            prev is not None and prev.subgroup and sent.toks[prev.end : fig.start] in (["and"], [","], [",", "and"])
        )
        partitive = sent.toks[fig.end : fig.end + 2] in (["of", "them"], ["of", "whom"], ["of", "those"], ["of", "the"])
        of_the = sent.toks[fig.end : fig.end + 2] == ["of", "the"]  # "of them" always points back
        if of_the and m.side in ("perpetrators", "armed_groups") and prev is not None and prev.side != m.side:
            partitive = False  # "killed 10 villagers before troops killed 4 of the attackers"
        if prev is not None and (_preceded_by(sent, fig.start, SUBGROUP_BEFORE) or listed or partitive):
            m.subgroup, m.parent = True, len(mentions) - 1
            while mentions[m.parent].subgroup and mentions[m.parent].parent is not None:
                m.parent = mentions[m.parent].parent
        if fig.start > 0 and sent.toks[fig.start - 1] in ADDITIVE_BEFORE:
            m.additive = True
        if "other" in sent.toks[fig.end : m.end] or "others" in sent.toks[fig.end : m.end + 1]:
            m.additive = True  # "two other civilians", "14 others"
        if "more" in sent.toks[fig.end : m.end + 1]:
            m.additive = True  # "another 3", "3 more died in hospital"
        mentions.append(m)
    return _with_listed_singulars(sent, mentions, cue_tokens, tables)


def _plain_noun_end(sent: Sent, k: int, tables: Tables, cue_tokens: set[int]) -> int:
    """End of a plain noun phrase of up to three words after a figure, not in groups.tsv ('engineers')."""
    words = tables.words
    j = k
    while j < len(sent.toks) and j - k < MAX_PLAIN_NOUN and j not in cue_tokens:
        t = sent.toks[j]
        if t in STOP or not t[:1].isalpha() or t in words["aux"] or t in words["speech"] or t in tables.units:
            break
        if t.endswith("ly") or t in tables.number_words:
            break
        j += 1
    if j > k and not sent.toks[j - 1].endswith("s"):
        return k  # a plural head only: "three engineers", not "three Kelbar"
    return j


def _with_listed_singulars(sent: Sent, mentions: list[Mention], cue_tokens: set[int], tables: Tables) -> list[Mention]:
    """'11 civilians and a soldier', '23 people, including the bomber': one victim listed with a figure."""
    parent_of: dict[int, Mention] = {id(m): mentions[m.parent] for m in mentions if m.parent is not None}
    out: list[Mention] = []
    for m in mentions:
        out.append(m)
        k = m.end
        gap = 2 if sent.toks[k : k + 2] in ([",", "and"], [",", "including"]) else 1
        including = sent.toks[k + gap - 1 : k + gap] == ["including"]
        if not (sent.toks[k : k + 1] in (["and"], ["including"]) or gap == 2) or k + gap >= len(sent.toks):
            continue
        if sent.toks[k + gap] not in ("a", "an", "his", "her", "their", "the"):
            continue
        found = singular_noun(sent, k + gap + 1, tables, cue_tokens)
        if found and not any(x.start <= found[2] - 1 < x.end for x in mentions):
            single = Mention(None, k + gap, found[2], found[0], found[1])
            if including:
                single.subgroup, parent_of[id(single)] = True, m
            elif m.subgroup:
                single.subgroup, parent_of[id(single)] = True, parent_of[id(m)]
            out.append(single)
    for m in out:
        if id(m) in parent_of:
            m.parent = out.index(parent_of[id(m)])
    return out


def _skip_age(sent: Sent, k: int) -> int:
    """Past an age written before a noun: '24 - year - old', '24-year-old'."""
    toks = sent.toks
    if k < len(toks) and toks[k][:1].isdigit():
        if toks[k + 1 : k + 5] == ["-", "year", "-", "old"]:
            return k + 5
        if toks[k].endswith("-year-old"):
            return k + 1
    return k


def singular_noun(sent: Sent, k: int, tables: Tables, cue_tokens: set[int]) -> tuple[str, str, int] | None:
    """A singular noun phrase from token k (after its determiner): (group, side, end), or None.

    The head is the last word before a preposition, punctuation or verb; it must not be plural,
    a unit or thing (`units.tsv`), or a vague amount.
    """
    k = _skip_age(sent, k)  # "the 24-year-old groom", "a 70-year-old woman"
    grp = read_group(sent, k, tables, cue_tokens)
    if grp:
        return (grp[0], grp[1].side, grp[2]) if _singular(grp[0], sent.toks[grp[2] - 1]) else None
    j = k
    while j < len(sent.toks) and j - k < MAX_MODIFIERS + 1 and j not in cue_tokens:
        t = sent.toks[j]
        if t in STOP or not (t[:1].isalpha() or t == "-") or t in tables.words["aux"] or t in tables.words["speech"]:
            break
        j += 1
    if j == k:
        return None
    head = sent.toks[j - 1]
    if head in tables.units or not _singular(head, head) or head in ("number", "total", "lot", "few", "couple"):
        return None
    return "people", "unknown", j


def singular_right(sent: Sent, k: int, tables: Tables, cue_tokens: set[int]) -> Mention | None:
    """'killed a village chief', 'shot dead his brother', 'killed Ahmed Ali': one victim after the cue."""
    words = tables.words
    if k >= len(sent.toks):
        return None
    if sent.toks[k] == "another" and (k + 1 == len(sent.toks) or not sent.toks[k + 1][:1].isalnum()):
        return Mention(None, k, k + 1)  # "killing one and wounding another"
    if sent.toks[k] in words["det"] or sent.toks[k] in words["possessive"]:
        found = singular_noun(sent, k + 1, tables, cue_tokens)
        if found:
            return Mention(None, k, found[2], found[0], found[1])
        return None
    if k + 1 < len(sent.toks) and sent.is_title(k) and sent.is_title(k + 1) and sent.toks[k] not in words["not_place"]:
        return Mention(None, k, k + 2, "people", "unknown")
    return None


def singular_left(sent: Sent, k: int, tables: Tables, cue_tokens: set[int]) -> Mention | None:
    """'a policeman was shot dead', 'Pascal Ndayi was killed': one victim before 'was' + cue (k = 'was')."""
    if k >= 0 and sent.toks[k] == "another":  # "a teacher was killed and another wounded"
        return Mention(None, k, k + 1)
    if k >= 1 and sent.toks[k] not in ("was", "is", "been"):  # "A soldier died": det + noun right before
        for start in range(k, max(-1, k - 5), -1):
            if sent.toks[start] in ("a", "an", "the", "his", "her", "their"):
                grp = read_group(sent, start + 1, tables, cue_tokens)  # a victim noun, not "the massacre"
                if grp and grp[2] == k + 1 and _singular(grp[0], sent.toks[k]):
                    return Mention(None, start, k + 1, grp[0], grp[1].side)
                break
        return None
    if k < 1:
        return None
    j = k - 1
    if sent.toks[k] == "been" and j >= 0 and sent.toks[j] in ("has", "had"):
        j -= 1
    end = j + 1
    # "a policeman", "the village chief", "her husband"
    for start in range(end - 1, max(-1, end - 5), -1):
        if sent.toks[start] in tables.words["det"] or sent.toks[start] in tables.words["possessive"]:
            grp = read_group(sent, start + 1, tables, cue_tokens)
            if grp and grp[2] == end and _singular(grp[0], sent.toks[end - 1]):
                return Mention(None, start, end, grp[0], grp[1].side)
            break
    # a proper name, or any subject: 'was' + cue says one victim ("A muezzin -- ... -- was shot dead"),
    # unless the subject is "nobody", "no one", "none"
    if end >= 1 and (sent.toks[end - 1] in tables.words["negation"] or sent.toks[end - 2 : end] == ["no", "one"]):
        return None
    head = sent.toks[end - 1] if end >= 1 else ""
    start = end
    while start > 0 and end - start < MAX_SUBJECT and sent.toks[start - 1] not in SUBJECT_STOP:
        start -= 1
    person = any((t,) in tables.groups for t in sent.toks[start:end])  # "A man carrying two handguns was"
    if (head in tables.units and not person) or head in tables.words["not_victim"]:
        return None  # "the deal was killed", "the economy was hurt", "the building was destroyed"
    while end > start + 1 and not sent.toks[end - 1][:1].isalnum():
        end -= 1  # "Tomas Aldvik, a local teacher," -> without the comma
    return Mention(None, start, end, "people", "unknown")


def _singular(label: str, noun: str) -> bool:
    return not noun.endswith("s") or noun in ("police", "boss", "witness", "actress", "hostess")
