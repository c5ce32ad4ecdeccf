"""Dates as OCR misreads them on thermal receipts, read back (``ocr_dates``).

easyocr reads a receipt's small digits with letters that look like them: "0l/02/2018",
"12/03/2O18", "2018-03-I8", "25/O4/2018", and sets a speck inside a date ("19/02/*2018").
A token shaped like a numeric date (one to four characters, a separator, one or two, the
same separator, two or four) whose only non-digits are such look-alikes (O o Q D -> 0,
I l | i -> 1, S s -> 5, B -> 8), at most two of them and at least four real digits, is read
with the digits; a year of four characters in a written date ("15 Jan 2O18") likewise; a
speck between a date's last separator and its year is dropped. A date counts only where the
text as printed gives none (``dates.find_dates`` runs first), so a date printed right is
never read otherwise. Offsets are those of the printed text (repairs keep the length).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ocr_gateway.processing.extraction import dates

MAX_LOOKALIKES = 2
MIN_DIGITS = 4
_DIGIT_FOR = str.maketrans(
    {"O": "0", "o": "0", "Q": "0", "D": "0", "I": "1", "l": "1", "|": "1", "i": "1"}
    | {"S": "5", "s": "5", "B": "8"}
)
_LOOKALIKES = frozenset("OoQDIl|iSsB")
_C = r"[0-9OoQDIl|iSsB]"
_NUMERIC = re.compile(rf"(?<![\w./-])({_C}{{1,4}})([./-])({_C}{{1,2}})\2({_C}{{2,4}})(?![\w])")
_NAMED_YEAR = re.compile(r"(?<=[A-Za-z][ .,-])([12][0-9OoQDIl]{3})(?![\w])")
_SPECK = re.compile(r"(?<![\d])(\d{1,2}([./-])\d{1,2}\2)[*'`~\"](\d{2,4})(?![\d])")


def ocr_dates(text: str, *, day_first: bool = True) -> Iterator[dates.FoundDate]:
    """Dates only the repaired ``text`` shows, at the printed offsets."""
    printed = list(dates.find_dates(text, day_first=day_first))
    fixed = repaired(text)
    if fixed == text:
        return
    for found in dates.find_dates(fixed, day_first=day_first):
        if fixed[found.start : found.end] == text[found.start : found.end]:
            continue  # not a repaired date
        if any(found.start < p.end and p.start < found.end for p in printed):
            continue
        yield found


def repaired(text: str) -> str:
    """``text`` with date look-alikes read as digits (same length)."""
    text = _NUMERIC.sub(_numeric, text)
    text = _NAMED_YEAR.sub(lambda m: _read(m[1], min_digits=2), text)
    return _SPECK.sub(lambda m: f"{m[1]}{m[3]} ", text)


def _numeric(match: re.Match[str]) -> str:
    return _read(match[0], min_digits=MIN_DIGITS)


def _read(token: str, *, min_digits: int) -> str:
    """``token`` with its look-alikes as digits, when it has one or two of them and at
    least ``min_digits`` real digits; else ``token``."""
    lookalikes = sum(c in _LOOKALIKES for c in token)
    digits = sum(c.isdigit() for c in token)
    if not 0 < lookalikes <= MAX_LOOKALIKES or digits < min_digits:
        return token
    return token.translate(_DIGIT_FOR)
