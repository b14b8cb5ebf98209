"""Single victims without a figure: one person who dies, named or described, counted as 1.

- `event_victim`: a noun naming one deadly event, "a fatal shooting", "the shooting death of a man",
  "the body of a farmer": 1 unless a figure is given;
- `named_object`: "killed journalist Mara Quell", "killed prominent writer Nahed Hattar";
- `pronoun_object`: "kidnapped a chief and later killed him";
- `subject_before`: the one victim a death verb follows: "The victim died", "A 31-year-old man died",
  "Tomas Berg, a 19-year-old man, died", "She was pronounced dead";
- `coordinated_aux`: "A man was shot on Elm Street and died": where the subject of the first verb is;
- `headline_subject`: "Girl shot at party dies", "Man shot, killed on the west side".
"A man was shot" alone is not a death: no rule here reads a wounding verb.
"""

from __future__ import annotations

from tollcheck.extract.mentions import STOP, Mention, read_group, singular_noun
from tollcheck.extract.sentence import Sent
from tollcheck.extract.tables import Tables

MAX_NAME = 4
MAX_PRE_NAME = 4  # "prominent Jordanian writer" before "Nahed Hattar"
MAX_APPOSITION = 14
MAX_HEADLINE_GAP = 8
PERSON_PRONOUNS = frozenset("he she".split())
OBJECT_PRONOUNS = frozenset("him her".split())
SINGLE_DETS = frozenset("a an the this that his her their its".split())
EVENT_MODIFIERS = frozenset("fatal deadly apparent latest weekend overnight 's".split())
HEADLINE_LINKS = frozenset(", and shot stabbed found wounded beaten hit fatally accidentally".split())
CLAUSE_STOP = frozenset(". ; : but when while because who which that said says".split())


def _name_end(sent: Sent, k: int, tables: Tables) -> int:
    """End of a person's name of two to four title-case words starting at k, else k."""
    words = tables.words
    j = k
    while j < len(sent.toks) and j - k < MAX_NAME and sent.is_title(j) and sent.toks[j] not in words["not_place"]:
        if sent.toks[j] in words["month"] or sent.toks[j] in words["weekday"]:
            break
        j += 1
    return j if j - k >= 2 else k


def _name_start(sent: Sent, end: int, tables: Tables) -> int:
    """Start of a name of two to four title-case words ending at end (exclusive), else end."""
    words = tables.words
    j = end
    while j > 0 and end - j < MAX_NAME and sent.is_title(j - 1) and sent.toks[j - 1] not in words["not_place"]:
        if sent.toks[j - 1] in words["month"] or sent.toks[j - 1] in words["weekday"]:
            break
        j -= 1
    if end - j < 2 or (j > 0 and sent.toks[j - 1] in words["place_prep"]):
        return end  # "in Dunmore Heights" is a place
    return j


def event_victim(sent: Sent, start: int, end: int, mentions: list[Mention]) -> Mention | None:
    """'a fatal shooting', 'the shooting death', 'Thursday's fatal stabbing': one victim, unless a figure
    stands right before the noun ('two fatal shootings')."""
    if any(m.fig is not None and m.end == start for m in mentions):
        return None
    k = start - 1
    while k >= 0 and sent.toks[k] not in SINGLE_DETS and (sent.toks[k] in EVENT_MODIFIERS or sent.is_title(k)):
        k -= 1  # "Thursday's fatal shooting", "the apparent murder"
    if k >= 0 and sent.toks[k] in SINGLE_DETS or (k < start - 1 and sent.toks[k + 1] == "'s"):
        return Mention(None, max(k, 0), end)
    return None


def named_object(sent: Sent, k: int, tables: Tables) -> Mention | None:
    """'killed journalist Mara Quell', 'killed Jordanian writer Nahed Hattar': a name after a few words."""
    for j in range(k, min(len(sent.toks), k + MAX_PRE_NAME + 1)):
        end = _name_end(sent, j, tables)
        if end > j:
            return Mention(None, k, end)
        t = sent.toks[j]
        if not t[:1].isalpha() or t in CLAUSE_STOP or t in STOP:
            return None
    return None


def bare_object(sent: Sent, k: int, tables: Tables, cue_tokens: set[int]) -> Mention | None:
    """'Police shot, killed suspect': a headline's singular person noun with no determiner."""
    grp = read_group(sent, k, tables, cue_tokens)
    if grp is None or grp[2] > k + 2 or not _one_person(sent.toks[grp[2] - 1], tables):
        return None
    return Mention(None, k, grp[2], grp[0], grp[1].side)


def _one_person(noun: str, tables: Tables) -> bool:
    """A singular person noun of groups.tsv: its group label is a plural ('man' -> men, 'victim' ->
    people), so a noun that is its own label ('people', 'police', 'militia') is not one person."""
    g = tables.groups.get((noun,))
    return g is not None and g.label != noun and not noun.endswith("s")


def pronoun_object(sent: Sent, k: int) -> Mention | None:
    """'later killed him', 'shot her dead': one victim, already named before."""
    if k < len(sent.toks) and sent.toks[k] in OBJECT_PRONOUNS:
        nxt = sent.toks[k + 1] if k + 1 < len(sent.toks) else ""
        if not nxt[:1].isalpha() or nxt in ("in", "on", "at", "near", "outside", "after", "and", "with", "while"):
            return Mention(None, k, k + 1)
    return None


def _described(sent: Sent, end: int, tables: Tables, cue_tokens: set[int]) -> Mention | None:
    """A determiner and a singular person noun ending at `end`: 'the victim', 'a 31-year-old man'."""
    for start in range(end - 1, max(-1, end - 6), -1):
        if sent.toks[start] in SINGLE_DETS:
            found = singular_noun(sent, start + 1, tables, cue_tokens)
            grp = read_group(sent, start + 1, tables, cue_tokens) if found is None else None
            if found is not None and found[2] == end and found[0] != "people":
                return Mention(None, start, end, found[0], found[1])
            if found is not None and found[2] == end and (sent.toks[end - 1],) in tables.groups:
                g = tables.groups[(sent.toks[end - 1],)]
                return Mention(None, start, end, g.label, g.side)
            if grp is not None and grp[2] == end:
                return Mention(None, start, end, grp[0], grp[1].side)
            return None
    return None


def subject_before(sent: Sent, end: int, tables: Tables, cue_tokens: set[int]) -> Mention | None:
    """The one victim right before a death verb (end = the verb's index): a described person, a name,
    a name with an apposition ('Tomas Berg, a 19-year-old man,'), 'he' or 'she'."""
    if end < 1:
        return None
    if sent.toks[end - 1] in PERSON_PRONOUNS:
        return Mention(None, end - 1, end)
    if sent.toks[end - 1] == ",":  # an apposition closes: the name before its opening comma
        for j in range(end - 2, max(-1, end - MAX_APPOSITION), -1):
            if sent.toks[j] == ",":
                start = _name_start(sent, j, tables)
                return Mention(None, start, j) if start < j else None
        return None
    described = _described(sent, end, tables, cue_tokens)
    if described is not None:
        return described
    start = _name_start(sent, end, tables)
    return Mention(None, start, end) if start < end else None


def coordinated_aux(sent: Sent, and_at: int) -> int | None:
    """'A man was shot on Elm Street and died': the 'was' (or 'been') of the verb before the 'and' at
    `and_at`, whose subject is the one victim; None when a clause boundary comes first."""
    for k in range(and_at - 1, -1, -1):
        t = sent.toks[k]
        if t in CLAUSE_STOP or t == "and":
            return None
        if t in ("was", "is", "were", "are") or (t == "been" and k and sent.toks[k - 1] in ("has", "had", "have")):
            return k
    return None


def headline_subject(sent: Sent, cue_start: int, tables: Tables, cue_tokens: set[int]) -> Mention | None:
    """'Girl shot at party dies', 'Man shot, killed on west side', 'Teen found dead': a headline's bare
    singular subject at the start of the sentence, a few words before the death verb."""
    k = 1 if sent.toks[:1] and sent.toks[0] in SINGLE_DETS else 0
    found = singular_noun(sent, k, tables, cue_tokens)
    if found is None or not _one_person(sent.toks[found[2] - 1], tables):
        return None
    between = sent.toks[found[2] : cue_start]
    if between and between[0] not in HEADLINE_LINKS:
        return None  # "Suspect in gas station murder ...": the noun is not the subject of the death
    if len(between) > MAX_HEADLINE_GAP or any(t in CLAUSE_STOP or t[:1].isdigit() for t in between):
        return None
    return Mention(None, 0, found[2], found[0], found[1])
