"""Figures that are not counts of people: each cull is a named function, as in EpiTator.

A cull takes the sentence, the figure and the tables and returns the reason it is not a count
(`"age"`, `"year"`, ...) or None. `cull(sent, tables)` moves culled figures to `sent.culled`.
"""

from __future__ import annotations

from collections.abc import Callable

from tollcheck.extract.numbers import Figure
from tollcheck.extract.sentence import Sent
from tollcheck.extract.tables import Tables

YEARS = (1800, 2100)
EARLY_YEAR = 1000  # "In 1756, 123 prisoners died": four digits from here to 1800 after "in" are a year
MAX_AGE = 120
PART_WORDS = frozenset("including among mostly mainly all most both".split())  # "In Kelbar, 14, including 3 ..."


def _next(sent: Sent, k: int) -> str:
    return sent.toks[k] if k < len(sent.toks) else ""


def _prev(sent: Sent, k: int) -> str:
    return sent.toks[k] if k >= 0 else ""


def cull_year(sent: Sent, fig: Figure, tables: Tables) -> str | None:
    """1992, 2016, 1991-1994: four digits in the years' range, no thousands comma, no victims after."""
    tok = sent.texts[fig.core_start]
    digits = tok.replace("-", "").replace("–", "")
    if "," in tok or not digits.isdigit():
        return None
    bounds = [x for x in (fig.low, fig.high, fig.value) if x is not None]
    if bounds and all(YEARS[0] <= b <= YEARS[1] for b in bounds) and len(tok) >= 4:
        nxt = _next(sent, fig.end)
        if (nxt,) in tables.groups:
            return None
        return "year"
    return None


def cull_age(sent: Sent, fig: Figure, tables: Tables) -> str | None:
    """21-year-old, aged 60, age 60, 60 years old."""
    nxt = sent.toks[fig.end : fig.end + 4]
    if nxt[:1] == ["-"] and nxt[1:2] and nxt[1] in ("year", "years", "month", "months", "week", "day"):
        return "age"
    if nxt[:1] in (["year"], ["years"]) and nxt[1:2] == ["old"]:
        return "age"
    if nxt[:1] and nxt[0].endswith(("-year-old", "-years-old")):
        return "age"
    if _prev(sent, fig.start - 1) in ("aged", "age", "ages"):
        return "age"
    if _prev(sent, fig.start - 1) in ("and", "to", "-", ",") and _prev(sent, fig.start - 3) in ("aged", "ages"):
        return "age"  # "aged 60 and 62", "aged between 22 and 41"
    if _prev(sent, fig.start - 1) == "between" and _prev(sent, fig.start - 2) in ("aged", "ages"):
        return "age"
    return None


def cull_unit(sent: Sent, fig: Figure, tables: Tables) -> str | None:
    """six miles, 44-day, 1,700 square miles, 30 percent, 12 vehicles, for 30 years: a unit, not people."""
    k = fig.end
    if _next(sent, k) == "-":
        k += 1
    word = _next(sent, k)
    if word in tables.units:
        return tables.units[word]
    after = _next(sent, k + 1)
    if after in tables.units and tables.units[after] == "object" and word.isalpha() and (word,) not in tables.groups:
        return "object"  # "nine assault rifles", "three police vehicles"
    if word in tables.words["not_victim"]:
        return "object"  # "lawmakers killed 3 bills"
    for suffix in ("-day", "-week", "-month", "-year", "-hour", "-mile", "-km", "%"):
        if word.endswith(suffix) or sent.toks[fig.end - 1].endswith(suffix):
            return "duration" if suffix[1:] in ("day", "week", "month", "year", "hour") else "unit"
    return None


def cull_money(sent: Sent, fig: Figure, tables: Tables) -> str | None:
    """$5 million, 300 euros, US$ 20."""
    prev = _prev(sent, fig.core_start - 1)
    if prev in ("$", "us$", "€", "£", "¥", "usd", "eur", "rs", "n", "₦"):
        return "money"
    return None


def cull_ordinal_or_name(sent: Sent, fig: Figure, tables: Tables) -> str | None:
    """Route 6, No. 4, Resolution 2334, page 3, one of the ...: names and parts, not counts."""
    prev = _prev(sent, fig.start - 1)
    if prev in (
        "route",
        "highway",
        "no",
        "no.",
        "number",
        "article",
        "resolution",
        "page",
        "chapter",
        "platform",
        "gate",
        "room",
        "flight",
        "section",
        "paragraph",
        "line",
        "unit",
        "bus",
        "sector",
        "camp",
        "block",
        "phase",
        "case",
        "docket",
        "apartment",
        "apt",
        "suite",
        "exit",
        "interstate",
        "level",
        "grade",
        "version",
        "#",
    ):
        return "name"
    if sent.toks[fig.core_start] == "one" and _next(sent, fig.end) == "of" and fig.start == fig.core_start:
        return "one_of"
    return None


def cull_population(sent: Sent, fig: Figure, tables: Tables) -> str | None:
    """a population of 170,000; a town of 7,000; home to 40,000; 2,000 survivors."""
    before = sent.toks[max(0, fig.start - 3) : fig.start]
    if "population" in before or "inhabitants" in before or before[-2:] == ["home", "to"]:
        return "population"
    if (
        _next(sent, fig.end) in ("inhabitants", "survivors", "residents")
        and "of" not in sent.toks[fig.end + 1 : fig.end + 2]
    ):
        if sent.toks[fig.end] != "residents":
            return "population"
    return None


def cull_time_or_date(sent: Sent, fig: Figure, tables: Tables) -> str | None:
    """February 26, 26 February, 3:30, at 3 pm: dates and clock times."""
    words = tables.words
    if _prev(sent, fig.start - 1) in words["month"] or _next(sent, fig.end) in words["month"]:
        return "date"
    if ":" in sent.texts[fig.core_start] or _next(sent, fig.end) in (":", "/"):
        return "time"
    k = fig.start
    if _prev(sent, k - 1) in ("/", "-") and k >= 2 and sent.toks[k - 2].isdigit() and k == fig.core_start:
        if sent.idx[k - 1] + 1 == sent.idx[k]:  # "2024-12", "12/05": joined, not "2024 - At least 12"
            return "date"
    return None


def cull_family_size(sent: Sent, fig: Figure, tables: Tables) -> str | None:
    """a father of six, a mother of four: the size of a family, not a count of victims."""
    before = sent.toks[max(0, fig.start - 2) : fig.start]
    if (
        len(before) == 2
        and before[1] == "of"
        and before[0] in ("father", "mother", "parent", "grandmother", "grandfather")
    ):
        return "family_size"
    return None


def cull_both(sent: Sent, fig: Figure, tables: Tables) -> str | None:
    """'both' counts two only before a victim noun ('both bombers'), not in 'both aged 60', 'both sides'."""
    if sent.toks[fig.core_start] == "both" and (_next(sent, fig.end),) not in tables.groups:
        return "not_a_count"
    return None


def cull_early_year(sent: Sent, fig: Figure, tables: Tables) -> str | None:
    """'In 1756, 123 prisoners died': a year before 1800 after 'in', 'since', 'by' ..., not a count."""
    tok = sent.toks[fig.core_start]
    if fig.start != fig.core_start or not (tok.isdigit() and len(tok) == 4) or not EARLY_YEAR <= int(tok) < YEARS[0]:
        return None
    if _prev(sent, fig.start - 1) in tables.words["year_prep"] and (_next(sent, fig.end),) not in tables.groups:
        return "year"
    return None


def _name_before(sent: Sent, k: int, tables: Tables) -> bool:
    """A person's name or a person noun ends at token k: 'Sara Lind', 'Taylor', 'the victim'."""
    if k < 0:
        return False
    if (sent.toks[k],) in tables.groups:
        return True
    if not sent.is_title(k) or sent.toks[k] in tables.words["month"] or sent.toks[k] in tables.words["weekday"]:
        return False
    j = k
    while j > 0 and sent.is_title(j - 1):
        j -= 1
    return j == 0 or sent.toks[j - 1] not in tables.words["place_prep"]  # "In Kelbar, 14, including ..."


def cull_age_after_name(sent: Sent, fig: Figure, tables: Tables) -> str | None:
    """'Sara Lind, 34, was shot', 'Tomas Berg, 19 - Metro', 'Lind (34)', 'Taylor, 23, of Dunmore':
    an age between commas or brackets after a name, not a count."""
    if fig.value is None or fig.start != fig.core_start or fig.end - fig.start != 1 or not 0 < fig.value < MAX_AGE:
        return None
    prev, nxt = _prev(sent, fig.start - 1), _next(sent, fig.end)
    if prev not in (",", "(") or not _name_before(sent, fig.start - 2, tables):
        return None
    after = _next(sent, fig.end + 1)
    if nxt in (")", "-", "–", "—", "") or (nxt == "," and after not in PART_WORDS):
        return "age"
    if nxt in ("of", "and") and fig.end + 1 < len(sent.toks) and sent.is_title(fig.end + 1):
        return "age"  # "Taylor, 23, of Memphis", "Evans, 23, and Stephanie Mejia, 29"
    return None


def cull_address(sent: Sent, fig: Figure, tables: Tables) -> str | None:
    """'1200 Elm Street', '79 S. 5th Ave', '2810 W. Arkansas Blvd': a street number, not a count."""
    if fig.start != fig.core_start:
        return None
    words = tables.words
    for k in range(fig.end, min(len(sent.toks), fig.end + 4)):
        t = sent.toks[k]
        if t in words["street"] and k > fig.end:
            return "address"
        if not (sent.is_title(k) or t in words["compass"] or t[:1].isdigit()):
            return None
    return None


def cull_contact_or_case(sent: Sent, fig: Figure, tables: Tables) -> str | None:
    """'call 555-1234', 'Crime Stoppers at (414) 935-7360', '555-1234': a phone number, not a count."""
    if not tables.words["contact"].isdisjoint(sent.toks[max(0, fig.start - 6) : fig.start]):
        return "phone"
    k = fig.core_start
    tok = sent.toks[k]
    joined = tok.isdigit() and len(tok) == 3 and _next(sent, k + 1) == "-" and _next(sent, k + 2).isdigit()
    if joined and len(sent.toks[k + 2]) == 4 and sent.idx[k + 2] == sent.idx[k] + 4:
        return "phone"
    return None


def cull_share(sent: Sent, fig: Figure, tables: Tables) -> str | None:
    """'two-thirds of the 300 passengers', '20 per cent of 10,000 residents': the whole a share is of,
    and the share itself ('two-thirds', 'two thirds')."""
    nxt = _next(sent, fig.end + 1) if _next(sent, fig.end) == "-" else _next(sent, fig.end)
    if nxt in tables.words["share"] and nxt not in ("per", "percent", "%"):
        return "share"
    k = fig.start - 1
    if _prev(sent, k) == "the":
        k -= 1
    if _prev(sent, k) != "of":
        return None
    before = sent.toks[max(0, k - 3) : k]
    if any(t in tables.words["share"] or t.endswith("%") for t in before):
        return "share"
    return None


def cull_corrected(sent: Sent, fig: Figure, tables: Tables) -> str | None:
    """'not 500 but 50', '50, not 500': the figure a correction sets aside."""
    if _prev(sent, fig.start - 1) != "not":
        return None
    if _prev(sent, fig.start - 2) in (",", "and") or "but" in sent.toks[fig.end : fig.end + 3]:
        return "corrected"
    return None


CULLS: tuple[Callable[[Sent, Figure, Tables], str | None], ...] = (
    cull_year,
    cull_early_year,
    cull_age_after_name,
    cull_address,
    cull_contact_or_case,
    cull_share,
    cull_corrected,
    cull_age,
    cull_unit,
    cull_money,
    cull_ordinal_or_name,
    cull_population,
    cull_time_or_date,
    cull_family_size,
    cull_both,
)


def changed_to(sent: Sent, fig: Figure, tables: Tables) -> Figure | None:
    """'rose from 120 to 150', 'revised from 40 to 38': a change, read as the figure it ends at."""
    if fig.qualifier != "range" or fig.high is None or _prev(sent, fig.start - 1) != "from":
        return None
    if tables.words["change_from"].isdisjoint(sent.toks[max(0, fig.start - 5) : fig.start - 1]):
        return None
    return Figure(fig.start, fig.end, fig.high, fig.high, fig.high, "exact", fig.core_start)


def _cull_reason(sent: Sent, fig: Figure, tables: Tables) -> str | None:
    """The first cull's reason that the figure is not a count of people, or None."""
    for c in CULLS:
        reason = c(sent, fig, tables)
        if reason:
            return reason
    return None


def cull(sent: Sent, tables: Tables) -> None:
    """Move the figures that are not counts of people from `sent.figures` to `sent.culled`, and read
    changes ('rose from 120 to 150') as the figure they end at."""
    sent.figures = [changed_to(sent, f, tables) or f for f in sent.figures]
    kept = []
    for fig in sent.figures:
        reason = _cull_reason(sent, fig, tables)
        if reason:
            sent.culled.append((fig, reason))
        else:
            kept.append(fig)
    sent.figures = kept
