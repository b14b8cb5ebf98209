"""Lists of victims: 'a mayor and his secretary', 'a mother and four children', 'The mayor and a council
member ... were gunned down', 'Abdul Razzak and his brother were killed'.

`read_list(sent, k, ...)` reads noun phrases joined by 'and' / ',' from token k: each a figure's
mention, a determiner or possessive with a singular noun (one victim), or a proper name (one victim).
"""

from __future__ import annotations

from tollcheck.extract.mentions import Mention, singular_noun
from tollcheck.extract.sentence import Sent
from tollcheck.extract.tables import Tables

JOINERS = (["and"], [","], [",", "and"])
DETS = frozenset("a an the his her their its one".split())
MAX_TAIL = 12  # words between the list and its verb ("... of an indigenous village, in the north, were")
MAX_NAME = 4


def _np_at(
    sent: Sent, j: int, mentions: list[Mention], tables: Tables, cue_tokens: set[int], names: bool
) -> Mention | None:
    m = next((m for m in mentions if m.start == j), None)
    if m is not None:
        return m
    t = sent.toks[j] if j < len(sent.toks) else ""
    if t in DETS:
        if t in tables.words["possessive"]:  # "his two sons"
            m = next((m for m in mentions if m.start == j + 1), None)
            if m is not None:
                return m
        found = singular_noun(sent, j + 1, tables, cue_tokens)
        if found:
            return Mention(None, j, found[2], found[0], found[1])
        return None
    words = tables.words
    if (
        names
        and sent.is_title(j)
        and not any(t in words[w] for w in ("not_place", "weekday", "month", "place_prep", "clause_break"))
        and t not in ("on", "in", "at", "by", "for", "after", "during")
    ):
        end = j
        while end < len(sent.toks) and end - j < MAX_NAME and sent.is_title(end):
            end += 1
        return Mention(None, j, end)
    return None


def read_list(
    sent: Sent, k: int, mentions: list[Mention], tables: Tables, cue_tokens: set[int], names: bool = False
) -> list[Mention]:
    """The noun phrases listed from token k (the first one included), in order."""
    out: list[Mention] = []
    j = k
    while j < len(sent.toks):
        m = _np_at(sent, j, mentions, tables, cue_tokens, names or bool(out))
        if m is None:
            break
        out.append(m)
        j = m.end
        for joiner in JOINERS[::-1]:
            if sent.toks[j : j + len(joiner)] == joiner:
                j += len(joiner)
                break
        else:
            break
    return out


def subject_list(sent: Sent, aux: int, mentions: list[Mention], tables: Tables, cue_tokens: set[int]) -> list[Mention]:
    """Two or more victims listed as the subject of 'were/have been ... <cue>' (aux = that verb's index)."""
    starts = [0] + [k + 1 for k in range(aux) if sent.toks[k] == ","]
    breaks = tables.words["clause_break"]
    for s in starts:
        found = read_list(sent, s, mentions, tables, cue_tokens, names=True)
        if len(found) < 2 or "and" not in sent.toks[found[-1].start - 2 : found[-1].start]:
            continue
        tail = sent.toks[found[-1].end : aux]
        if len(tail) <= MAX_TAIL and not any(t in breaks or t == "and" for t in tail):
            return found
    return []
