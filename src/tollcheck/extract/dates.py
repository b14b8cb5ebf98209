"""When a claim's event happened, from the date words of its sentence, resolved against publication.

Date spans are found with token rules (a month name with its day and year, a year after "in",
weekdays, "yesterday", "last week", "N years ago"); explicit spans are parsed with dateparser
(cached), relative ones by date arithmetic on the report's publication date. The precision is kept
in the ISO form: "1992", "1992-02", "1992-02-26"; a span gets `date_end`.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from tollcheck.extract.sentence import Sent
from tollcheck.extract.tables import Tables

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# the words `_relative_at` reads a date from: other words are passed over without a call
RELATIVE_WORDS = frozenset(WEEKDAYS) | frozenset("yesterday today tonight this last ago".split())
MONTHS = {
    m: i + 1
    for i, m in enumerate(
        (
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        )
    )
} | {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
NUMBER_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "a": 1,
}


def _published(published: str | None) -> dt.date | None:
    if not published:
        return None
    return _parse_iso(published[:10])


@lru_cache(maxsize=4096)
def _parse_iso(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return _dateparser(text)


@lru_cache(maxsize=4096)
def _dateparser(text: str) -> dt.date | None:
    import dateparser

    parsed = dateparser.parse(text, settings={"PREFER_DAY_OF_MONTH": "first", "REQUIRE_PARTS": ["year"]})
    return parsed.date() if parsed else None


def _year(tok: str) -> int | None:
    return int(tok) if tok.isdigit() and len(tok) == 4 and 1800 <= int(tok) <= 2100 else None


def _day(tok: str) -> int | None:
    tok = tok.rstrip(",").removesuffix("st").removesuffix("nd").removesuffix("rd").removesuffix("th")
    return int(tok) if tok.isdigit() and 1 <= int(tok) <= 31 else None


Found = tuple[int, str, str | None]  # token position, date, date_end


def _explicit(toks: list[str], pub: dt.date | None) -> list[Found]:
    """February 26, 1992 / 26 February 1992 / February 1992 / in 1990 / 1991-1994."""
    out: list[Found] = []
    for k, t in enumerate(toks):
        month = MONTHS.get(t.rstrip(".")) if t[:1].isalpha() else None
        if month and (
            t != "may"
            or (k > 0 and _day(toks[k - 1]) is not None)
            or (k + 1 < len(toks) and (_day(toks[k + 1]) or _year(toks[k + 1])))
        ):
            nxt = [x for x in toks[k + 1 : k + 5] if x != "."][:3]
            day = _day(nxt[0]) if nxt else None
            prev_day = _day(toks[k - 1]) if k else None
            year = next((y for y in (_year(x) for x in nxt[:3]) if y), None)
            day = day or prev_day
            if year is None and pub is not None and day:
                year = pub.year if (month, day) <= (pub.month, pub.day) else pub.year - 1
            if year is None:
                continue
            try:
                out.append((k, dt.date(year, month, day).isoformat() if day else f"{year:04d}-{month:02d}", None))
            except ValueError:
                out.append((k, f"{year:04d}-{month:02d}", None))
            continue
        if not t[:1].isdigit():
            continue
        y = _year(t)
        if y and k and toks[k - 1] in ("in", "since", "of", "during", "the", "a", "an"):
            if k + 2 < len(toks) and toks[k + 1] in ("-", "–", "to") and _year(toks[k + 2]):
                out.append((k, str(y), toks[k + 2]))
            elif not (k >= 2 and MONTHS.get(toks[k - 2].rstrip("."))):
                out.append((k, str(y), None))
        elif "-" in t and len(t.split("-")) == 2 and all(_year(p) for p in t.split("-")):
            a, b = t.split("-")
            out.append((k, a, b))
    return out


def first_full_date(toks: list[str]) -> str | None:
    """The first date with at least a month ("February 26, 1992", "February 1992") in a sentence."""
    if MONTHS.keys().isdisjoint(toks):
        return None
    return next((date for _, date, end in _explicit(toks, None) if len(date) >= 7 and end is None), None)


def _relative(toks: list[str], pub: dt.date) -> list[Found]:
    out: list[Found] = []
    for k, t in enumerate(toks):
        found = _relative_at(toks, k, t, pub) if t in RELATIVE_WORDS else None
        if found:
            out.append((k, *found))
    return out


def _relative_at(toks: list[str], k: int, t: str, pub: dt.date) -> tuple[str, str | None] | None:
    if t in WEEKDAYS:
        back = (pub.weekday() - WEEKDAYS.index(t)) % 7
        if k and toks[k - 1] == "last" and back == 0:
            back = 7
        return (pub - dt.timedelta(days=back)).isoformat(), None
    if t == "yesterday":
        return (pub - dt.timedelta(days=1)).isoformat(), None
    if t in ("today", "tonight") or (t == "this" and toks[k + 1 : k + 2] == ["morning"]):
        return pub.isoformat(), None
    if t == "last" and toks[k + 1 : k + 2] == ["night"]:
        return (pub - dt.timedelta(days=1)).isoformat(), None
    if t == "last" and toks[k + 1 : k + 2] == ["week"]:
        monday = pub - dt.timedelta(days=pub.weekday() + 7)  # the calendar week before the published one
        return monday.isoformat(), (monday + dt.timedelta(days=6)).isoformat()
    if t == "ago" and k >= 2 and toks[k - 1] in ("years", "year"):
        n = NUMBER_WORDS.get(toks[k - 2]) or (int(toks[k - 2]) if toks[k - 2].isdigit() else None)
        if n:
            return str(pub.year - n), None
    return None


def resolve_date(sent: Sent, published: str | None, tables: Tables, near: int = 0) -> tuple[str | None, str | None]:
    """The date the sentence gives nearest to token `near` (explicit dates first, then relative ones)."""
    key = (published or "",)
    found = sent.cache.get(key)
    if found is None:
        pub = _published(published)
        found = _explicit(sent.toks, pub) + (_relative(sent.toks, pub) if pub is not None else [])
        sent.cache[key] = found
    if not found:
        return None, None
    _, date, date_end = min(found, key=lambda f: abs(f[0] - near))
    return date, date_end
