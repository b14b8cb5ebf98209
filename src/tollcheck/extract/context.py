"""Who says so and where: the speaker and the place of a sentence's claims.

- `speaker(sent, tables)`: "according to X", "X said ...", "..., X said", "..., said X",
  "they say", a quote followed by its attribution; None when the report speaks in its own voice.
- `places(sent, tables)`: places as spelled in the text, with their token positions ("in Askeran",
  "the town of Khojaly", "victims of Khojali", "the Khojaly massacre").
"""

from __future__ import annotations

from tollcheck.extract.sentence import Sent
from tollcheck.extract.tables import Tables

MAX_SPEAKER = 10
SUBJECT_BOUNDARY = frozenset(", ; : ( “ ” \" ' as and that which who when while but because after – — - --".split())
SUBJECT_TRAILERS = frozenset(
    "continues continued continue to has have had would will also later yesterday today "
    "earlier again still now then first".split()
)
QUOTES = frozenset("” “ \" ''".split())
NOT_A_VERB_BEFORE = frozenset("was were been is are be being a an the no of".split())
SUBJECT_LEADERS = frozenset("later earlier meanwhile separately also but and so then however".split())
NOT_SPEAKERS = frozenset("it this which there that what".split())
PLACE_OF = frozenset("victims residents people villagers inhabitants outskirts centre center streets".split())
# "the ministry in Sorvan", "hospitals in Sorvan": where a speaker or the wounded are, not where it happened
SPEAKER_PLACE_BEFORE = frozenset(
    "ministry hospital hospitals office offices court embassy headquarters morgue clinic "
    "spokesman spokeswoman reporters conference".split()
)
EVENT_NOUNS = frozenset("massacre attack attacks bombing bombings killings blast explosion siege raid".split())
TIME_AFTER = frozenset("last this next on yesterday today earlier".split())


def _clean_phrase(sent: Sent, start: int, end: int) -> str | None:
    while start < end and sent.toks[start] in (",", "the", "“", "”", '"', "'"):
        start += 1
    while end > start and sent.toks[end - 1] in (",", "“", "”", '"', "'", "."):
        end -= 1
    if start >= end or end - start > MAX_SPEAKER:
        return None
    text = sent.text_of(start, end).strip()
    return text or None


def _subject_before(sent: Sent, v: int, tables: Tables) -> str | None:
    end = v
    toks = sent.toks
    # drop what stands between the subject and its verb: "continues to", "on Monday", "has"
    while end > 0 and (toks[end - 1] in SUBJECT_TRAILERS or toks[end - 1] in tables.words["weekday"]):
        end -= 1
        if end > 0 and toks[end - 1] in ("on", "last", "this"):
            end -= 1
    k = end - 1
    while k >= 0 and v - k <= MAX_SPEAKER and toks[k] not in SUBJECT_BOUNDARY and toks[k] not in QUOTES:
        k -= 1
    if k >= 0 and toks[k] in ("which", "who") and k >= 2 and toks[k - 1] == ",":
        return _subject_before(sent, k - 1, tables)  # "The ministry in Sorvan, which on Monday put ..."
    if k >= 1 and toks[k] in ("-", "—", "–") and sent.is_title(k - 1):
        pass  # a dateline: "WARENKO - Karvenia's health ministry"
    start = k + 1
    while start < end and toks[start] in SUBJECT_LEADERS:
        start += 1  # "Later police said" -> "police"
    if start < end and toks[start] in NOT_SPEAKERS:
        return None
    phrase = _clean_phrase(sent, start, end)
    if phrase and any(t.isdigit() for t in toks[start:end]):
        return None
    return phrase


def speaker(sent: Sent, tables: Tables) -> str | None:
    toks = sent.toks
    speech = tables.words["speech"]
    for k in range(len(toks) - 1):
        if toks[k] == "according" and toks[k + 1] == "to":
            j = k + 2
            while j < len(toks) and toks[j] not in (",", ".", ";", ":", "(", "that", "who") and j - k < MAX_SPEAKER:
                j += 1
            found = _clean_phrase(sent, k + 2, j)
            if found:
                return found
    for v, t in enumerate(toks):
        if t not in speech or (v and toks[v - 1] in NOT_A_VERB_BEFORE):
            continue  # "were reported", "an estimated 5,000", "no reports of"

        if toks[v + 1 : v + 2] == ["by"]:  # "estimates by Azerbaijan authorities put ..."
            j = v + 2
            while j < len(toks) and toks[j] not in speech and toks[j] not in (",", ".", ";") and j - v <= MAX_SPEAKER:
                j += 1
            found = _clean_phrase(sent, v + 2, j)
            if found:
                return found
            continue
        before = toks[v - 1] if v else ""
        if before == "," or before in QUOTES:  # "..., said Ahmed Ali, a police spokesman"
            j = v + 1
            while j < len(toks) and toks[j] not in (",", ".", ";") and j - v <= MAX_SPEAKER:
                j += 1
            found = _clean_phrase(sent, v + 1, j)
            if found and sent.is_title(v + 1):
                return found
            continue
        found = _subject_before(sent, v, tables)
        if found:
            return found
    return None


def _title_run(sent: Sent, k: int, tables: Tables) -> int:
    """End of a run of title-case tokens starting at k ('Sadr City', 'Nagorno-Karabakh')."""
    j = k
    while j < len(sent.toks) and j - k < 4:
        if sent.is_title(j) and sent.toks[j] not in tables.words["not_place"]:
            j += 1
        elif sent.toks[j] == "-" and j > k and j + 1 < len(sent.toks) and sent.is_title(j + 1):
            j += 1
        else:
            break
    return j


def _ok_place(sent: Sent, k: int, end: int, tables: Tables) -> bool:
    words = tables.words
    first = sent.toks[k]
    return end > k and first not in words["month"] and first not in words["weekday"] and first not in words["not_place"]


def places(sent: Sent, tables: Tables) -> list[tuple[int, str]]:
    """(token position, place) for each place named in the sentence, in order."""
    words = tables.words
    found: list[tuple[int, str]] = []
    toks = sent.toks
    dateline = _dateline(sent)
    if dateline:
        found.append((0, dateline))
    for k, t in enumerate(toks):
        start = None
        if t == "of" and k and (toks[k - 1] in words["place_noun"] or toks[k - 1] in PLACE_OF):
            start = k + 1
        elif t in words["place_prep"] or (t == "on" and toks[k + 1 : k + 2] == ["nearby"]):
            if k and toks[k - 1] in SPEAKER_PLACE_BEFORE:
                continue
            start = k + 1
            if start < len(toks) and toks[start] == "nearby":
                start += 1
        elif k and t in EVENT_NOUNS and sent.is_title(k - 1) and not found:
            j = k - 1
            while j > 0 and sent.is_title(j - 1) and k - j < 3:
                j -= 1
            if j == 0 or toks[j - 1] in ("a", "an", "-") or sent.is_title(j - 1):
                continue  # "Bus bombing kills 12": a headline's first word is not a place
            if _ok_place(sent, j, k, tables):
                found.append((j, sent.text_of(j, k)))
            continue
        if start is None or start >= len(toks):
            continue
        end = _title_run(sent, start, tables)
        if _ok_place(sent, start, end, tables):
            text = sent.text_of(start, end)
            if text.endswith("'s"):
                text = text[:-2]
            found.append((start, text))
    return found


def _dateline(sent: Sent) -> str | None:
    """'JARDAK - At least 11 ...', 'VARENKO, Karvenia -': the place of a dateline, in title case."""
    texts = sent.texts
    if len(texts) < 3 or not (texts[0].isupper() and texts[0].isalpha() and len(texts[0]) > 2):
        return None
    k = 1
    while k < len(texts) and k < 4 and texts[k].isupper() and texts[k].isalpha():
        k += 1
    rest = texts[k : k + 4]
    if rest[:1] in (["-"], ["—"], ["–"], ["--"]) or (
        rest[:1] == [","] and any(t in ("-", "—", "–", "--") for t in rest)
    ):
        return " ".join(t.title() for t in texts[:k])
    return None


def place_near(found: list[tuple[int, str]], k: int) -> str | None:
    """The place named nearest to token k in the sentence (after it when two are as near)."""
    if not found:
        return None
    return min(found, key=lambda pos_place: (abs(pos_place[0] - k), pos_place[0] < k))[1]


def _month_may(sent: Sent, k: int) -> bool:
    """'the May 2 attack', 'in May': the month, not the modal verb."""
    return sent.texts[k] == "May" and (k > 0 or (k + 1 < len(sent.toks) and sent.toks[k + 1][:1].isdigit()))


def flags(sent: Sent, cue_start: int, tables: Tables, figure_start: int | None = None) -> list[str]:
    """hypothetical (a modal before the cue or between it and its figure), hedged (reportedly, feared),
    contested (the text disputes it)."""
    out = []
    lo = max(0, cue_start - 4)
    window = [t for k, t in enumerate(sent.toks[lo:cue_start], lo) if not _month_may(sent, k)]
    if figure_start is not None and figure_start > cue_start:
        window += [t for k, t in enumerate(sent.toks[cue_start:figure_start], cue_start) if not _month_may(sent, k)]
    if not tables.words["modal"].isdisjoint(window) or "?" in sent.toks[cue_start:]:
        out.append("hypothetical")  # "could kill hundreds"; a question ("what's the death of a son?")
    if not tables.words["hedge_word"].isdisjoint(sent.toks[max(0, cue_start - 6) : cue_start + 2]):
        out.append("hedged")
    if not tables.words["dispute"].isdisjoint(sent.toks):
        out.append("contested")
    return out
