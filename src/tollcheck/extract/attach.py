"""Which victims does one casualty cue count? The attachment rules, tried in order, each with a name.

`attach(sent, cue, mentions, cue_tokens, tables)` returns the mention the cue counts and the name of
the rule that found it (a claim's `rule`):
- a verb with a figure right after it counts it ("killed 14 civilians", "wounding 80 more");
- otherwise the nearest figure before it, over auxiliaries and the words of the victims' noun phrase
  ("at least 13 people were killed"), or the figure opening the clause of its passive;
- one victim without a figure: a singular noun, a name or a pronoun after the verb, the subject of
  "was" + verb, a person before a death verb, a headline's bare subject (`victims.py`);
- a noun counts the figure right before it ("42 bodies") or after "of" ("the massacre of 613
  civilians"); a toll counts the first figure after it ("the death toll rose to 40").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from tollcheck.extract.lemmas import lemma
from tollcheck.extract.mentions import STOP, Mention, singular_left, singular_right
from tollcheck.extract.sentence import Sent
from tollcheck.extract.tables import Cue, Tables
from tollcheck.extract.victims import (
    CLAUSE_STOP,
    bare_object,
    coordinated_aux,
    event_victim,
    headline_subject,
    named_object,
    pronoun_object,
    subject_before,
)

MAX_LEFT_GAP = 16
PLACE_PREPS = frozenset("from in at near across inside outside".split())
MAX_ADJECTIVES = 2  # "nine mutilated bodies", "12 charred bodies"
MAX_RIGHT_SKIP = 4  # "killed a total of 14 villagers"
MAX_TOLL_GAP = 25
MAX_APPOSITION = 14
CLOSERS = {",": ",", ")": "(", "--": "--", "—": "—", "–": "–", "-": "-"}
SUBGROUP_WORDS = frozenset("including mostly mainly among many all both".split())
RIGHT_SKIP = frozenset("another a further an additional all some of the at least total".split())
REFLEXIVE = frozenset("themselves himself herself".split())  # "killing themselves and five other people"
# nouns naming people by what befell them, who may still be killed or wounded ("42 refugees were killed")
GROUP_NOUN_CATEGORIES = frozenset("displaced abducted detained".split())
CLAUSE_OPENERS = (CLAUSE_STOP - {".", "who", "which"}) | {"after"}  # where a clause (and its subject) begins
FOUND = frozenset("found discovered".split())
RELATIVE = frozenset("who whom whose".split())
PASSIVE = frozenset("were was been being are is be get got".split())
PUT_AT = frozenset("put puts putting placed places estimated estimates estimate".split())
ADVERBS = frozenset("also reportedly allegedly later subsequently eventually then".split())
# clause breaks; "|" is a page title's furniture ("... | 6abc.com")
BREAK = frozenset(";:|") | frozenset(("and", "but", "or", "while", "when", "after", "before", "because"))


Try = tuple[str, Callable[[], "Mention | None"]]  # a rule's name and the attempt


@dataclass(slots=True)
class CueMatch:
    start: int
    end: int
    cue: Cue


def _mention_starting(mentions: list[Mention], k: int) -> Mention | None:
    return next((m for m in mentions if m.start == k), None)


def _right(sent: Sent, c: CueMatch, mentions: list[Mention]) -> Mention | None:
    k = c.end
    if sent.toks[k : k + 1] and sent.toks[k] in REFLEXIVE and sent.toks[k + 1 : k + 2] == ["and"]:
        k += 2  # the attackers themselves, then their victims
    thing = next((f for f, reason in sent.culled if f.start == k and reason == "object"), None)
    if thing is not None and sent.toks[thing.end + 1 : thing.end + 2] == ["and"]:
        k = thing.end + 2  # "killed 200 goats and five herders": things, then people
    first = k
    while k < len(sent.toks) and k - first < MAX_RIGHT_SKIP:
        m = _mention_starting(mentions, k)
        if m is not None:
            return m
        if sent.toks[k] not in RIGHT_SKIP:
            return None
        k += 1
    return None


def _apposition(sent: Sent, k: int, mentions: list[Mention]) -> Mention | None:
    """At a closing ',', ')' or dash at k: the mention right before the matching opener, if any.

    'Eleven people, including a national and three minors, were killed' -> 'Eleven people'.
    """
    opener = CLOSERS[sent.toks[k]]
    for j in range(k - 1, max(-1, k - MAX_APPOSITION), -1):
        if sent.toks[j] == opener:
            return next((m for m in mentions if m.end == j and not m.subgroup), None)
    return None


def _and_passable(sent: Sent, k: int, mentions: list[Mention], culled_starts: set[int]) -> bool:
    """'and' inside the victims' noun phrase: 'nine civilians including women and children were killed',
    'twenty herdsmen and 83 cows were killed'."""
    if k + 1 < len(sent.toks) and (k + 1 in culled_starts or any(m.start == k + 1 for m in mentions)):
        return True
    return not SUBGROUP_WORDS.isdisjoint(sent.toks[max(0, k - 6) : k])


def _left(sent: Sent, c: CueMatch, mentions: list[Mention], cue_tokens: set[int], tables: Tables) -> Mention | None:
    culled_starts = {f.start for f, _ in sent.culled}
    k = c.start - 1
    while k >= 0 and c.start - k <= MAX_LEFT_GAP + 1:
        m = next((m for m in mentions if m.start <= k < m.end), None)
        if (
            m is not None
            and m.start > 0
            and sent.toks[m.start - 1] in PLACE_PREPS
            and any(x.fig is not None and x.end < m.start for x in mentions)
        ):
            k = m.start - 2  # "Six traders from one village were killed": a figure after a preposition
            continue
        if m is not None:
            # "a journalist who wrote for two weeklies was killed": a figure inside a relative clause
            return None if RELATIVE.intersection(sent.toks[max(0, m.start - 6) : m.start]) else m
        t = sent.toks[k]
        if t in CLOSERS and k < c.start - 1 or t in ("--", "—", ")"):
            outer = _apposition(sent, k, mentions)
            if outer is not None:
                return outer
        if t == "and" and _and_passable(sent, k, mentions, culled_starts):
            k -= 1
            continue
        adjacent = k == c.start - 1 or (k == c.start - 2 and sent.toks[k + 1] == "then")
        j = k - 1 if t == "and" and adjacent else -1
        if j >= 0 and j in cue_tokens:  # "was stabbed and then beheaded": verbs joined, one subject
            while j in cue_tokens:
                j -= 1
            k = j
            continue
        if k in cue_tokens or t in BREAK or t in tables.words["clause_break"]:
            return None
        k -= 1
    return None


def _sentence_subject(sent: Sent, c: CueMatch, mentions: list[Mention], tables: Tables) -> Mention | None:
    """'About 150 of the 1,275 people that they captured remain missing': the figure opening the sentence."""
    first = next((m for m in mentions if m.fig is not None), None)
    if first is None or first.claimed or first.start > 2 or first.end > c.start:
        return None
    between = sent.toks[first.end : c.start]
    if any(t in BREAK or t in tables.words["clause_break"] for t in between):
        return None
    return first


def _of_right(sent: Sent, c: CueMatch, mentions: list[Mention]) -> Mention | None:
    """'bodies of 42 fishermen', 'graves to 75 victims', 'massacre of 613 civilians'."""
    k = c.end
    if k < len(sent.toks) and sent.toks[k] in ("of", "to", "for"):
        k += 1
    if k < len(sent.toks) and sent.toks[k] in ("the", "some", "at", "least"):
        return (
            _mention_starting(mentions, k) or _mention_starting(mentions, k + 1) or _mention_starting(mentions, k + 2)
        )
    return _mention_starting(mentions, k)


def _toll_right(sent: Sent, c: CueMatch, mentions: list[Mention], cue_tokens: set[int]) -> Mention | None:
    for m in mentions:
        if m.start >= c.end and m.start - c.end <= MAX_TOLL_GAP:
            if any(k in cue_tokens for k in range(c.end, m.start)):
                return None
            if m.end in cue_tokens and c.cue.category == "casualties":
                continue  # "casualty figures rose to 37 dead and 57 wounded": each figure has its own cue
            return m
    return None


def _put_at(sent: Sent, c: CueMatch, mentions: list[Mention]) -> Mention | None:
    """'put the number of X killed in the war at over 30,000'."""
    if PUT_AT.isdisjoint(sent.toks[: c.start]):
        return None
    for m in mentions:
        if (
            m.start > c.end
            and sent.toks[m.start - 1] == "at"
            or (m.start > c.end and sent.toks[m.start - 2 : m.start - 1] == ["at"])
        ):
            return m
    return None


def attach(
    sent: Sent, c: CueMatch, mentions: list[Mention], cue_tokens: set[int], tables: Tables
) -> tuple[Mention | None, str]:
    """The victims the cue counts, and the name of the rule that found them."""
    role = c.cue.role
    b = c.start - 1
    while b > 0 and (sent.toks[b].endswith("ly") or sent.toks[b] in ADVERBS):
        b -= 1  # "was slightly injured", "were reportedly killed", "was later pronounced dead"
    if b > 1 and sent.toks[b] in FOUND and sent.toks[b - 1] in PASSIVE:
        b -= 1  # "has been found hacked to death", "was found beaten to death"
    before = sent.toks[b] if b >= 0 else ""
    if role == "verb" and "number" in sent.toks[max(0, c.start - 4) : c.start]:
        role = "toll"  # "the number of people killed ... rose to 32"
    if role == "verb" and sent.toks[c.end : c.end + 1] == ["of"]:
        role = "noun"  # "the hacking to death of a professor", "the shooting dead of two men"
    det = tables.words["det"]
    if role == "verb":
        tries: list[Try] = [("figure after the verb", lambda: _right(sent, c, mentions))]
        if before not in PASSIVE:
            tries.append(("one victim after the verb", lambda: singular_right(sent, c.end, tables, cue_tokens)))
        # "go ahead and kill him", "to kill Mara Quell": a verb in its base form reports no death
        if before not in PASSIVE and lemma(sent.toks[c.start]) != sent.toks[c.start]:
            tries += [
                ("pronoun after the verb", lambda: pronoun_object(sent, c.end)),
                ("name after the verb", lambda: named_object(sent, c.end, tables)),
            ]
            if c.cue.category == "killed" and before not in det:  # not "the killed farmer"
                tries.append(
                    ("headline: bare noun after the verb", lambda: bare_object(sent, c.end, tables, cue_tokens))
                )
        tries.append(("figure before the verb", lambda: _left(sent, c, mentions, cue_tokens, tables)))
        if before in PASSIVE:
            tries.append(("figure opening the clause of 'were' + verb", lambda: _clause_subject(sent, b, mentions)))
        if before in PASSIVE or before == "another":
            tries.append(("one victim: subject of 'was' + verb", lambda: singular_left(sent, b, tables, cue_tokens)))
        if sent.toks[:1] == ["among"]:  # "Among those killed were 106 women, ..."
            tries.append(("among those + verb: figure after", lambda: _toll_right(sent, c, mentions, cue_tokens)))
        tries.append(("put the number at", lambda: _put_at(sent, c, mentions)))
        return _first(tries + _lone_subject(sent, c, b, mentions, tables, cue_tokens))
    if role == "intrans":
        # "is hospitalized", "was found dead": the cue may hold its own 'was'
        k = c.start if sent.toks[c.start] in ("was", "is", "been") else b
        tries = [("figure before the verb", lambda: _left(sent, c, mentions, cue_tokens, tables))]
        if c.start >= 1:
            tries.append(("one victim: subject of the verb", lambda: singular_left(sent, k, tables, cue_tokens)))
        tries.append(("figure opening the sentence", lambda: _sentence_subject(sent, c, mentions, tables)))
        if c.cue.category == "killed" and sent.toks[c.start] not in PASSIVE:
            tries.append(
                ("one victim: person before the verb", lambda: subject_before(sent, b + 1, tables, cue_tokens))
            )
        return _first(tries + _lone_subject(sent, c, b, mentions, tables, cue_tokens))
    if role == "event":
        tries = [("figure before the event noun", lambda: _figure_before(c, mentions))]
        if sent.toks[c.end : c.end + 1] == ["of"]:  # "the fatal shooting of a man"
            tries += [
                ("figure after the event noun + of", lambda: _of_right(sent, c, mentions)),
                ("one victim after the event noun + of", lambda: singular_right(sent, c.end + 1, tables, cue_tokens)),
                ("name after the event noun + of", lambda: named_object(sent, c.end + 1, tables)),
            ]
        tries.append(("one victim: a single deadly event", lambda: event_victim(sent, c.start, c.end, mentions)))
        return _first(tries)
    if role == "noun" and sent.toks[:1] == ["among"] and c.start <= 3:  # "Among the dead were five children"
        return _first([("among the + noun: figure after", lambda: _toll_right(sent, c, mentions, cue_tokens))])
    if role == "noun":
        tries = [
            ("figure before the noun", lambda: _figure_before(c, mentions, whole=True, sent=sent)),
            ("figure after the noun + of", lambda: _of_right(sent, c, mentions)),
        ]
        if sent.toks[c.end - 1] == "of":  # "the murder of a Christian convert"
            tries.append(("one victim after the noun + of", lambda: singular_right(sent, c.end, tables, cue_tokens)))
        elif sent.toks[c.end : c.end + 1] == ["of"]:
            tries.append(
                ("one victim after the noun + of", lambda: singular_right(sent, c.end + 1, tables, cue_tokens))
            )
        return _first(tries)
    if role == "toll":
        return _first([("figure after the toll", lambda: _toll_right(sent, c, mentions, cue_tokens))])
    return None, ""


def _clause_subject(sent: Sent, aux: int, mentions: list[Mention]) -> Mention | None:
    """'At least seven civilians on the Indian side of the line ... were killed', 'said that six civilians in
    two villages had been killed': the figure opening the clause whose verb is the passive at `aux`,
    however long its noun phrase."""
    k = aux - 1
    while k > 0 and sent.toks[k - 1] not in CLAUSE_OPENERS and sent.toks[k] not in PASSIVE:
        k -= 1
    if sent.toks[k] in PASSIVE and k != aux:
        return None  # another verb in between: not this clause's subject
    first = next((m for m in mentions if m.fig is not None and k <= m.start < aux), None)
    if first is None or first.claimed or first.subgroup or first.start - k > 2:
        return None
    return first


def _first(tries: list[Try]) -> tuple[Mention | None, str]:
    """The first rule that finds the victims, with its name (the claim's provenance)."""
    for rule, attempt in tries:
        m = attempt()
        if m is not None:
            return m, rule
    return None, ""


def _figure_before(
    c: CueMatch, mentions: list[Mention], whole: bool = False, sent: Sent | None = None
) -> Mention | None:
    """'two fatal shootings', '42 bodies', '12 people dead', 'nine mutilated bodies': the figure (or its
    noun phrase) right before, or one or two adjectives before (`sent` given)."""
    for m in mentions:
        if m.fig is None:
            continue
        if c.start in (m.fig.end, m.end) if whole else m.end == c.start:
            return m
        between = sent.toks[m.end : c.start] if sent is not None else []
        if 0 < len(between) <= MAX_ADJECTIVES and all(t.isalpha() and t not in STOP for t in between):
            return m
    return None


def _lone_subject(
    sent: Sent, c: CueMatch, b: int, mentions: list[Mention], tables: Tables, cue_tokens: set[int]
) -> list[Try]:
    """One victim of a death verb whose subject stands apart: 'A man was shot on Elm Street and died',
    'Girl shot at party dies' (a headline)."""
    if c.cue.category not in ("killed", "injured"):
        return []
    if b >= 0 and sent.toks[b] == "and":
        aux = coordinated_aux(sent, b)
        if aux is None:
            return []
        return [
            ("figure opening the clause of 'were' before 'and'", lambda: _clause_subject(sent, aux, mentions)),
            ("one victim: subject of 'was' before 'and'", lambda: singular_left(sent, aux, tables, cue_tokens)),
        ]
    return [("headline: bare subject", lambda: headline_subject(sent, c.start, tables, cue_tokens))]
