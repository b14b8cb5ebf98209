"""The repairs: each a function from the original text to the fixes it would make.

A fix is a `Repair` (what is logged, with offsets in the original text) plus the minimal edits that
carry it out (so the offset anchors stay tight). The repairs read their rules from the tables in
``data/``, compiled once at import.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources
from typing import NamedTuple

from tollcheck.clean.offsets import Edit
from tollcheck.model import Repair


class Fix(NamedTuple):
    repair: Repair
    edits: tuple[Edit, ...]


# ---------------------------------------------------------------- data tables


def _data_lines(name: str) -> list[str]:
    """Non-blank, non-comment lines of a data file (line endings stripped, tabs kept)."""
    raw = resources.files("tollcheck.clean").joinpath("data", name).read_text(encoding="utf-8")
    return [line.rstrip("\r\n") for line in raw.splitlines() if line.strip() and not line.startswith("#")]


def _load_words() -> frozenset[str]:
    return frozenset(w.lower() for line in _data_lines("words.txt") for w in line.split())


def _load_months() -> frozenset[str]:
    return frozenset(w.lower() for line in _data_lines("months.txt") for w in line.split())


class _RunTogetherTable(NamedTuple):
    glued: dict[str, str]
    left: frozenset[str]
    right: frozenset[str]
    pair_only: frozenset[str]
    suffixes: tuple[tuple[str, str], ...]


def _load_runtogether() -> _RunTogetherTable:
    glued: dict[str, str] = {}
    left: set[str] = set()
    right: set[str] = set()
    pair_only: set[str] = set()
    suffixes: list[tuple[str, str]] = []
    for line in _data_lines("runtogether.tsv"):
        cols = line.split("\t")
        role, form = cols[0], cols[1]
        value = cols[2] if len(cols) > 2 else ""
        if role == "glued":
            glued[form.lower()] = value.lower()
        if role == "pair":
            pair_only.add(form.lower())
        if role in ("left", "both", "pair"):
            left.add(form.lower())
        if role in ("right", "both", "pair"):
            right.add(form.lower())
        if role == "suffix":
            suffixes.append((form, value))
    return _RunTogetherTable(glued, frozenset(left), frozenset(right), frozenset(pair_only), tuple(suffixes))


class _Boilerplate(NamedTuple):
    lines: re.Pattern[str]  # every "line" pattern, one named group each, MULTILINE
    tail: re.Pattern[str]  # every "tail" pattern, matched against one stripped line


def _load_boilerplate() -> _Boilerplate:
    by_scope: dict[str, list[str]] = {"line": [], "tail": []}
    for line in _data_lines("boilerplate.tsv"):
        name, scope, regex = line.split("\t", 2)
        padded = re.compile(rf"[^\S\n]*(?:{regex})[^\S\n]*")
        if any(padded.fullmatch(blank_line) for blank_line in ("", " ", "\t", " \t\r ")):
            raise ValueError(f"boilerplate pattern {name!r} matches a blank line")
        by_scope[scope].append(f"(?P<{name}>{regex})")
    blank = r"[^\S\n]*"
    # no pattern matches a blank line: the lookahead skips those at once (a page of line breaks is cheap)
    lines = re.compile(rf"^(?={blank}\S){blank}(?:{'|'.join(by_scope['line'])}){blank}$", re.MULTILINE)
    tail = re.compile(rf"(?:{'|'.join(by_scope['tail'])})")
    return _Boilerplate(lines, tail)


WORDS = _load_words()
MONTHS = _load_months()
RUN_TOGETHER = _load_runtogether()
BOILERPLATE = _load_boilerplate()
# A split has a glue word on one side and a glue word or a known word (maybe plus "s") on the other: so a
# left half is at most LEFT_MAX long, a right half at most RIGHT_MAX, and a longer token has no split.
_LEFT_MAX = max(map(len, RUN_TOGETHER.left), default=0)
_RIGHT_MAX = max(map(len, RUN_TOGETHER.right), default=0)
_WORD_MAX = max(map(len, WORDS), default=0) + 1
SPLIT_MAX = max(_LEFT_MAX + max(_RIGHT_MAX, _WORD_MAX), _RIGHT_MAX + _WORD_MAX)

# ---------------------------------------------------------------- 1. digit groups split by scanning

# A 1-3 digit number (maybe already grouped) then one or more ", ddd" groups; not preceded by a word
# character, a decimal point, a comma or "d, " (which would start us mid-list); not followed by a
# word character, a decimal part, or more comma-digit structure that is not a group of three.
# (It starts with a bare \d and checks what precedes it by lookbehind: that lets the regex engine
# skip quickly to the digits, about 3x faster than leading with the lookbehinds.)
_DIGIT_CHAIN = re.compile(r"\d(?<![\w.,]\d)(?<!\d, \d)\d{0,2}(?:,\d{3})*(?:, \d{3}(?:,\d{3})*)+(?!\w|\.\d|, ?\d)")
_LIST_AFTER = re.compile(r",? (?:and|or|to) \d")
_PART_AFTER = re.compile(r" (?:of|among) (?:them|whom|those|these|the)\b")  # "312, 140 of them": a total, a part
_WORD_BEFORE = re.compile(r"([A-Za-z]+)\.?[^\S\n]+$")


def digit_groups(text: str) -> list[Fix]:
    """`1, 700` -> `1,700`: a thousands separator followed by a space the scan put in."""
    fixes: list[Fix] = []
    for m in _DIGIT_CHAIN.finditer(text):
        start, end = m.span()
        chunk = m.group()
        before = _WORD_BEFORE.search(text, max(0, start - 16), start)
        if before and before.group(1).lower() in MONTHS:
            continue  # "May 5, 200 people": a date, then a number
        if chunk.count(", ") >= 2 and _LIST_AFTER.match(text, end):
            continue  # "100, 200, 300 and 400": a list of numbers
        if _PART_AFTER.match(text, end):
            continue  # "wounding 312, 140 of them by live fire": a figure, then a part of it
        edits = tuple((start + i + 1, start + i + 2, "") for i in _find_all(chunk, ", "))
        fixes.append(Fix(Repair("digit_group", start, end, chunk, chunk.replace(", ", ",")), edits))
    return fixes


def _find_all(s: str, sub: str) -> list[int]:
    out: list[int] = []
    i = s.find(sub)
    while i >= 0:
        out.append(i)
        i = s.find(sub, i + 1)
    return out


# ---------------------------------------------------------------- 2. words run together by OCR

_TOKEN = re.compile(r"[A-Za-z][a-z]{3,}")
_MIN_OTHER_HALF = 4  # a half that is not a glue word must be at least this long


def is_known(word: str) -> bool:
    """A word of the word list, directly or through a listed inflection (killings, stopped)."""
    if word in WORDS:
        return True
    for suffix, restore in RUN_TOGETHER.suffixes:
        if len(word) > len(suffix) + 2 and word.endswith(suffix):
            stem = word[: -len(suffix)]
            if stem + restore in WORDS:
                return True
            if not restore and len(stem) > 2 and stem[-1] == stem[-2] and stem[:-1] in WORDS:
                return True  # stopped -> stop
    return False


def _known_half(word: str) -> bool:
    return word in WORDS or (word.endswith("s") and word[:-1] in WORDS)


def _valid_split(left: str, right: str) -> bool:
    glue_left = left in RUN_TOGETHER.left
    glue_right = right in RUN_TOGETHER.right
    if glue_left and glue_right:
        return True
    pair_only = RUN_TOGETHER.pair_only
    if glue_left:
        return left not in pair_only and len(right) >= _MIN_OTHER_HALF and _known_half(right)
    if glue_right:
        return right not in pair_only and len(left) >= _MIN_OTHER_HALF and _known_half(left)
    return False


@lru_cache(maxsize=65536)
def split_token(token: str) -> str | None:
    """The repaired form of a token OCR ran together, or None to leave it alone.

    Capitalised tokens are only repaired from the table of known glued forms (names are not split).
    A general split needs: the token is not a known word; exactly one way to cut it in two where
    both halves are known and one is a glue word from the table.
    """
    lower = token.lower()
    glued = RUN_TOGETHER.glued.get(lower)
    if glued is not None:
        return _with_case(token, glued)
    if token != lower or len(lower) > SPLIT_MAX or is_known(lower):
        return None
    n = len(lower)  # a cut leaves a glue word on one side: only the first and last few cuts can be valid
    near = sorted({*range(2, min(_LEFT_MAX, n - 2) + 1), *range(max(2, n - _RIGHT_MAX), n - 1)})
    cuts = [i for i in near if _valid_split(lower[:i], lower[i:])]
    if len(cuts) != 1:
        return None
    return f"{token[: cuts[0]]} {token[cuts[0] :]}"


def _with_case(token: str, repaired: str) -> str:
    """Apply `repaired` (lowercase, with spaces) to `token`, keeping the token's letters."""
    if repaired.replace(" ", "") != token.lower():
        return repaired
    out: list[str] = []
    i = 0
    for part in repaired.split(" "):
        out.append(token[i : i + len(part)])
        i += len(part)
    return " ".join(out)


def run_together(text: str) -> list[Fix]:
    """`atleast` -> `at least`, `epidemicwill` -> `epidemic will`."""
    # _TOKEN finds a superset of the words (it may start or end inside a longer word); the few
    # tokens to repair are then located with str.find and checked to be whole words.
    tokens = set(_TOKEN.findall(text))
    tokens.difference_update(WORDS)
    targets = [(t, r) for t in tokens if (r := split_token(t)) is not None]
    if not targets:
        return []
    fixes: list[Fix] = []
    for token, repaired in targets:
        start = text.find(token)
        while start >= 0:
            end = start + len(token)
            if _whole_word(text, start, end):
                fixes.append(_run_together_fix(start, end, token, repaired))
            start = text.find(token, end)
    fixes.sort(key=lambda f: f.repair.start)
    return fixes


def _whole_word(text: str, start: int, end: int) -> bool:
    before = text[start - 1] if start else " "
    after = text[end] if end < len(text) else " "
    return not (before.isalnum() or before == "_" or after.isalnum() or after == "_")


def _run_together_fix(start: int, end: int, token: str, repaired: str) -> Fix:
    if repaired.replace(" ", "") == token:
        spaces = _find_all(repaired, " ")
        edits = tuple((start + i - k, start + i - k, " ") for k, i in enumerate(spaces))
    else:
        edits = ((start, end, repaired),)
    return Fix(Repair("run_together", start, end, token, repaired), edits)


# ---------------------------------------------------------------- 3. web boilerplate lines


def _line_removal(text: str, start: int, end: int) -> Fix:
    """Remove a whole line [start, end) and its newline; the previous newline keeps lines apart."""
    stop = end + 1 if end < len(text) and text[end] == "\n" else end
    removed = text[start:stop]
    return Fix(Repair("boilerplate", start, stop, removed, ""), ((start, stop, ""),))


def boilerplate(text: str) -> list[Fix]:
    """Whole lines of page furniture (`Loading...`, `READ MORE: ...`, photo credits...)."""
    fixes: list[Fix] = []
    for m in BOILERPLATE.lines.finditer(text):
        if "\n" in m.group():
            continue  # a pattern that strayed over a line break: not a whole line
        fixes.append(_line_removal(text, m.start(), m.end()))
    return _tail_lines(text, fixes)


def _tail_lines(text: str, fixes: list[Fix]) -> list[Fix]:
    """Short furniture lines (`Route 6`) allowed only after the last line of real text."""
    removed = {f.repair.start for f in fixes}
    tail: list[Fix] = []
    end = len(text)
    while end > 0:
        start = text.rfind("\n", 0, end) + 1
        line = text[start:end]
        stripped = line.strip()
        if stripped and start not in removed:
            if not BOILERPLATE.tail.fullmatch(stripped) or start == 0:
                break
            tail.append(_line_removal(text, start, end))
        end = start - 1
    if not tail:
        return fixes
    return sorted(fixes + tail, key=lambda f: f.repair.start)


# ---------------------------------------------------------------- 4. overlong runs without a space

# The tokenizer strips a word's leading and trailing punctuation one mark at a time, each time looking at
# the whole rest of the word: its time grows with the square of a word's length ("x" and 20,000 closing
# brackets take minutes). A space every LONG_RUN characters of a run without whitespace, and every
# PUNCT_RUN characters of a run of punctuation, bounds the cost of each word; no real word is that long.
LONG_RUN = 200
PUNCT_RUN = 32
_LONG_RUNS = (
    (re.compile(rf"\S{{{LONG_RUN + 1},}}"), LONG_RUN),
    (re.compile(rf"[^\w\s]{{{PUNCT_RUN + 1},}}"), PUNCT_RUN),
)


def long_runs(text: str) -> list[Fix]:
    """`x))))…` 50,000 characters long -> a space inserted every LONG_RUN (PUNCT_RUN) characters."""
    cuts: set[int] = set()
    for pattern, step in _LONG_RUNS:
        for m in pattern.finditer(text):
            cuts.update(range(m.start() + step, m.end(), step))
    return [Fix(Repair("long_run", at, at, "", " "), ((at, at, " "),)) for at in sorted(cuts)]
