"""Figures in text: digits, number words, vague amounts and the hedges before them, as ranges.

`read_figure(toks, i, tables)` reads the figure that starts at token `i` of a sentence (lowercased
token strings) and returns a `Figure` with its token span, its range and its qualifier, or None.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tollcheck.extract.tables import Tables

DIGITS = re.compile(r"^\d{1,3}(?:,\d{3})+$|^\d+$|^\d+\.\d+$")
DIGIT_RANGE = re.compile(r"^(\d[\d,]*)[-–](\d[\d,]*)$")
MAX_VAGUE = 4
# share of the stated figure that "about N" and "nearly N" leave either side (the contract allows a quarter)
APPROX_SHARE = 0.1


@dataclass(slots=True)
class Figure:
    start: int  # token span in the sentence, hedge included
    end: int
    low: int | None
    high: int | None
    value: int | None  # the stated figure; None for vague amounts
    qualifier: str  # exact | at_least | more_than | nearly | approx | at_most | less_than | range | vague
    core_start: int  # where the number itself starts (after the hedge)


def _digits(tok: str) -> float | None:
    if DIGITS.match(tok):
        return float(tok.replace(",", ""))
    return None


def _read_words(toks: list[str], i: int, tables: Tables) -> tuple[int, int] | None:
    """Number words: 'twenty - five', 'one hundred and twenty', 'a dozen', 'two million'."""
    words = tables.number_words
    j, total, current, seen = i, 0, 0, False
    if toks[j : j + 2] == ["half", "a"] and j + 2 < len(toks) and toks[j + 2] in ("million", "dozen", "thousand"):
        return j + 3, words[toks[j + 2]][0] // 2  # "half a million"
    if j < len(toks) and toks[j] in ("a", "an") and j + 1 < len(toks) and toks[j + 1] in words:
        if words[toks[j + 1]][1] == "scale" or toks[j + 1] == "dozen":
            current, j, seen = 1, j + 1, True
            if toks[j] == "dozen":
                return j + 1, 12
    while j < len(toks):
        t = toks[j]
        if t in words:
            value, kind = words[t]
            if kind == "scale":
                if not seen:
                    break
                current = max(current, 1) * value
                if value >= 1000:
                    total, current = total + current, 0
            elif not seen or current == 0 or (current % 100 == 0 and value < 100):
                current += value
            elif current % 10 == 0 and current % 100 >= 20 and value < 10:
                current += value
            else:
                break
            seen = True
            j += 1
        elif seen and t in ("-", "and") and j + 1 < len(toks) and toks[j + 1] in words:
            if t == "and" and not (current >= 100 or total):
                break
            j += 1
        else:
            break
    if not seen:
        return None
    return j, total + current


def _read_core(toks: list[str], i: int, tables: Tables) -> tuple[int, int, int | None, int | None, bool] | None:
    """(end, low, high, value, vague) for the number at i, hedge already read."""
    if i >= len(toks):
        return None
    for n in range(min(MAX_VAGUE, len(toks) - i), 0, -1):
        key = tuple(toks[i : i + n])
        if key in tables.vague:
            low, high = tables.vague[key]
            return i + n, low, high, None, True
    tok = toks[i]
    m = DIGIT_RANGE.match(tok)
    if m:
        a, b = int(m.group(1).replace(",", "")), int(m.group(2).replace(",", ""))
        if a < b:
            return i + 1, a, b, None, False
    num = _digits(tok)
    if num is not None:
        j = i + 1
        if j < len(toks) and toks[j] in tables.number_words and tables.number_words[toks[j]][1] == "scale":
            num *= tables.number_words[toks[j]][0]
            j += 1
        elif num != int(num):
            return None
        value = int(num)
        return j, value, value, value, False
    words = _read_words(toks, i, tables)
    if words:
        j, value = words
        return j, value, value, value, False
    return None


def _range_of(qualifier: str, value: int) -> tuple[int | None, int | None]:
    spread = max(1, round(value * APPROX_SHARE)) if value >= 5 else 0
    match qualifier:
        case "at_least":
            return value, None
        case "more_than":  # the stated figure is the floor the source commits to; WAD coders keep it too
            return value, None
        case "nearly":
            return max(value - spread, 0), value
        case "approx":
            return max(value - spread, 0), value + spread
        case "at_most":
            return None, value
        case "less_than":
            return None, max(value - 1, 0)
    return value, value


def read_figure(toks: list[str], i: int, tables: Tables) -> Figure | None:
    """The figure starting at token i (a hedge, a number, and a second number for ranges)."""
    qualifier, j = "exact", i
    if toks[i] == "between":
        j = i + 1
        qualifier = "range"
    else:
        for n in range(min(tables.max_hedge, len(toks) - i), 0, -1):
            q = tables.hedges.get(tuple(toks[i : i + n]))
            if q:
                qualifier, j = q, i + n
                break
    core = _read_core(toks, j, tables)
    if core is None:
        return None
    end, low, high, value, vague = core
    # a second figure: "10 to 15", "10-15", "between 10 and 15", "a few thousand or a few hundred"
    if end + 1 < len(toks) and toks[end] in ("to", "-", "–", "and", "or"):
        if toks[end] != "and" or qualifier == "range":
            nxt = end + 1
            if toks[end] == "or":  # "a few thousand or at least a few hundred"
                hedges = tables.hedges
                nxt += next((n for n in range(tables.max_hedge, 0, -1) if tuple(toks[nxt : nxt + n]) in hedges), 0)
            other = _read_core(toks, nxt, tables)
            if other is not None:
                o_end, o_low, o_high, o_value, o_vague = other
                lows = [x for x in (low, o_low) if x is not None]
                highs = [x for x in (high, o_high) if x is not None]
                if toks[end] == "or" or (value is not None and o_value is not None and o_value > value):
                    low, high = min(lows), (max(highs) if highs else None)
                    vague = vague or o_vague or toks[end] == "or"
                    value = None
                    end = o_end
                    if qualifier == "exact":
                        qualifier = "range"
    if end < len(toks) - 1 and toks[end] == "or" and toks[end + 1] in ("more", "over"):
        qualifier, end = "at_least", end + 2
    if vague or value is None:
        if qualifier in ("at_least", "more_than"):
            high = None
        elif qualifier in ("at_most", "less_than"):
            low = None
        if vague and qualifier in ("exact", "approx", "nearly"):
            qualifier = "vague"
        return Figure(i, end, low, high, None, qualifier, j)
    low, high = _range_of(qualifier, value)
    return Figure(i, end, low, high, value, qualifier, j)
