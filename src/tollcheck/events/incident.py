"""When a report's incident happened, as far as the report's own words tell, and whether it is follow-up.

- Relative incident dates in the text are resolved against the publication date: "Friday's massacre"
  (the last Friday before publication), "yesterday's bombing", "last week's attack" (the week before),
  "the 13 August attack" / "the August 13 attack" (that day, in the year before publication),
  "last August" (the latest August before the month of publication).
- Follow-up coverage (arrest, charges, trial, verdict, anniversary, funerals: `data/followup.tsv`)
  is told by its headline and first lines: its publication date says nothing of the incident's.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from importlib import resources

HEAD_CHARS = 600  # headline and lead, read for follow-up words
TEXT_CHARS = 6000  # the part of the text read for relative incident dates
FOLLOWUP_MIN = 2  # follow-up words needed in the lead
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = "january february march april may june july august september october november december".split()
INCIDENT = (
    r"(?:massacre|bombings?|attacks?|air ?strikes?|shelling|shootings?|blasts?|explosions?|raid|ambush|killings?|"
    r"murders?|fire|blaze|crash|collision|earthquake|quake|storm|riots?|clashes|stabbings?|rampage|escape|siege)"
)
WEEKDAY_OF = re.compile(rf"\b({'|'.join(WEEKDAYS)})(?:'s|’s| night's| night’s) (?:\w+ ){{0,2}}{INCIDENT}\b", re.I)
YESTERDAY_OF = re.compile(rf"\byesterday(?:'s|’s) (?:\w+ ){{0,2}}{INCIDENT}\b", re.I)
LAST_WEEK_OF = re.compile(rf"\blast week(?:'s|’s) (?:\w+ ){{0,2}}{INCIDENT}\b", re.I)
MONTH_NAME = "|".join(MONTHS)
LAST_MONTH = re.compile(rf"\blast ({MONTH_NAME})\b", re.I)
DAY_MONTH_OF = re.compile(
    rf"\bthe (?:(\d{{1,2}}) ({MONTH_NAME})|({MONTH_NAME}) (\d{{1,2}}))(?:,? (\d{{4}}))? (?:\w+ ){{0,2}}{INCIDENT}\b",
    re.I,
)


@lru_cache(maxsize=1)
def _followup() -> re.Pattern[str]:
    text = resources.files("tollcheck.events").joinpath("data", "followup.tsv").read_text(encoding="utf-8")
    words = [w.strip() for w in text.splitlines() if w.strip() and not w.startswith("#")]
    return re.compile(rf"\b(?:{'|'.join(w.lower() for w in words)})\b")


def is_followup(text: str, title: str | None = None) -> bool:
    """The headline and lead speak of arrests, charges, a trial, a verdict or an anniversary."""
    head = f"{title or ''}\n{text[:HEAD_CHARS]}".lower()
    return len({m.group(0).lower() for m in _followup().finditer(head)}) >= FOLLOWUP_MIN


def relative_incident(text: str, published: dt.date | None) -> tuple[dt.date, dt.date] | None:
    """The incident's day (or week) from the phrases reports use to refer back to it."""
    body = text[:TEXT_CHARS]
    m = DAY_MONTH_OF.search(body)
    if m:
        day = int(m.group(1) or m.group(4))
        month = MONTHS.index((m.group(2) or m.group(3)).lower()) + 1
        year = int(m.group(5)) if m.group(5) else (published.year if published else None)
        if year is not None:
            try:
                found = dt.date(year, month, day)
            except ValueError:
                found = None
            if found is not None:
                if published and not m.group(5) and found > published:
                    found = found.replace(year=year - 1) if not (month == 2 and day == 29) else found
                return found, found
    if published is None:
        return None
    m = WEEKDAY_OF.search(body)
    if m:
        back = (published.weekday() - WEEKDAYS.index(m.group(1).lower())) % 7 or 7
        day = published - dt.timedelta(days=back)
        return day, day
    if YESTERDAY_OF.search(body):
        day = published - dt.timedelta(days=1)
        return day, day
    if LAST_WEEK_OF.search(body):
        return published - dt.timedelta(days=13), published - dt.timedelta(days=1)
    m = LAST_MONTH.search(body)
    if m:  # "last August": the latest August before the month of publication
        month = MONTHS.index(m.group(1).lower()) + 1
        year = published.year if month < published.month else published.year - 1
        start = dt.date(year, month, 1)
        end = dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)
        return start, end
    return None
