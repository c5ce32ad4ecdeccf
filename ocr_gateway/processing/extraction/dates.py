"""Dates as invoices print them, in seven languages and Malay, read without a format list.

Numeric dates: ``2024-03-05``, ``05.03.2024``, ``5/3/24``, ``05-03-2024``, ``2024/03/05``;
a four-digit first part is a year; otherwise the order is day-first or month-first, taken
from the date itself when a part is above 12 and from the page's locale (``day_first``)
when not. Two-digit years are 20yy below 70, else 19yy. Dates with month names:
``28 déc. 2022``, ``5. März 2024``, ``02 APR 2018``, ``28-Dec-2022``, ``1er janvier 2024``,
``5 de marzo de 2024``, ``Dec 28, 2022``, ``October 31st 2023``, ``August 3 , 2014`` (a
space before the comma), ``3rd of August 2014``. A time after the date
("09/01/2019 8:01:11 PM") is left alone; a separator OCR doubled on a thermal receipt
("05--03-2018") counts once; a slash or dash with a space on each side, the same on both
("22 / 11 / 2024", as design tools print it), is a separator too.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

_MONTH_NAMES = {
    1: "january jan januar jänner janvier janv janvier enero ene gennaio gen januari jan janeiro",
    2: "february feb februar feber fevrier fevr fev febrero gennaio_ febbraio febr februari "
    "fevereiro fev",
    3: "march mar marz maerz mrz mars marzo maart mrt marco mac",
    4: "april apr avril avr abril abr aprile",
    5: "may mai mayo maggio mag mei maio",
    6: "june jun juni juin junio giugno giu junho",
    7: "july jul juli juillet juil julio luglio lug julho julai",
    8: "august aug aout agosto ago augustus ogos",
    9: "september sep sept septembre septiembre setiembre settembre set setembro",
    10: "october oct oktober okt octobre octubre ottobre ott outubro out",
    11: "november nov novembre noviembre novembre novembro",
    12: "december dec dezember dez decembre diciembre dic dicembre dezembro dis disember",
}
MONTHS: dict[str, int] = {
    name: number
    for number, names in _MONTH_NAMES.items()
    for name in names.split()
    if not name.endswith("_")
}
_MONTH = r"(?P<mon>[^\W\d_]{3,10})\.?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th|er|\.|º)?"
_YEAR = r"(?<!\d)(?P<year>(?:19|20)\d{2}|'?\d{2})(?!\d)"
_NUMERIC = re.compile(
    r"(?<![\d.,/-])(?P<a>\d{1,4})(?P<sep>[./-]| [/-] )(?P=sep)?(?P<b>\d{1,2})(?P=sep){1,2}"
    r"(?P<c>\d{4}|\d{2})(?![\d]|[.,]\d)"  # a separator OCR doubled ("05--03-2018") is one
)
_DAY_MONTH_YEAR = re.compile(
    rf"(?<![\w.]){_DAY}\s*[-/ ]?\s*(?:de\s+|of\s+)?{_MONTH}\s*[-/, ]?\s*(?:de\s+)?{_YEAR}", re.I
)
_MONTH_DAY_YEAR = re.compile(rf"(?<![\w]){_MONTH}\s*[-/ ]?\s*{_DAY}\s?,?\s*[-/ ]?\s*{_YEAR}", re.I)


@dataclass(frozen=True, slots=True)
class FoundDate:
    start: int
    end: int
    iso: str
    ambiguous: bool = False  # day and month could be swapped (both <= 12, not equal)


def find_dates(text: str, *, day_first: bool = True) -> Iterator[FoundDate]:
    """Dates in ``text``, left to right, non-overlapping."""
    hits: list[FoundDate] = []
    for finder in (_numeric, _named):
        for found in finder(text, day_first):
            if not any(found.start < h.end and h.start < found.end for h in hits):
                hits.append(found)
    yield from sorted(hits, key=lambda h: h.start)


def order_votes(text: str) -> tuple[int, int]:
    """``(day_first, month_first)``: numeric dates in ``text`` that can only be read one way."""
    day = month = 0
    for match in _NUMERIC.finditer(text):
        a, b = int(match["a"]), int(match["b"])
        if len(match["a"]) == 4 or _time_like(match):
            continue
        day += a > 12 >= b
        month += b > 12 >= a
    return day, month


def _time_like(match: re.Match[str]) -> bool:
    """ "09.28.00" is more likely a time than the 28th month: it casts no vote."""
    a, b, c = int(match["a"]), int(match["b"]), match["c"]
    return match["sep"] == "." and len(c) == 2 and a <= 23 and b <= 59 and int(c) <= 59


def _numeric(text: str, day_first: bool) -> Iterator[FoundDate]:
    for match in _NUMERIC.finditer(text):
        a, b, c = match["a"], match["b"], match["c"]
        if len(a) == 4:
            parts = [(int(a), int(b), int(c))] if len(c) <= 2 else []
            ambiguous = False
        elif len(a) <= 2:
            year = _year(c)
            d_m = (year, int(b), int(a))
            m_d = (year, int(a), int(b))
            parts = [d_m, m_d] if day_first else [m_d, d_m]
            ambiguous = int(a) <= 12 and int(b) <= 12 and a != b
        else:
            continue
        day = _first_valid(parts)
        if day is not None:
            yield FoundDate(match.start(), match.end(), day.isoformat(), ambiguous)


_PRICE_END = re.compile(r"\d[.,]\d{2}$")


def _named(text: str, day_first: bool) -> Iterator[FoundDate]:
    for pattern in (_DAY_MONTH_YEAR, _MONTH_DAY_YEAR):
        for match in pattern.finditer(text):
            month = MONTHS.get(_plain(match["mon"]))
            if month is None or _PRICE_END.search(match[0]):
                continue  # "SET 12.90" is a set meal's price, not 12 September 1990
            day = _first_valid([(_year(match["year"]), month, int(match["day"]))])
            if day is not None:
                yield FoundDate(match.start(), match.end(), day.isoformat())


def _year(text: str) -> int:
    digits = int(text.lstrip("'"))
    if len(text.lstrip("'")) == 4:
        return digits
    return 2000 + digits if digits < 70 else 1900 + digits


def _first_valid(parts: list[tuple[int, int, int]]) -> dt.date | None:
    for year, month, day in parts:
        try:
            return dt.date(year, month, day)
        except ValueError:
            continue
    return None


def _plain(word: str) -> str:
    text = unicodedata.normalize("NFKD", word.casefold())
    return "".join(c for c in text if not unicodedata.combining(c)).rstrip(".")
