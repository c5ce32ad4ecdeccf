"""The printed forms of an expected amount or date, for the scorer's "text present" check.

``bench/extraction_scoring.py`` counts a miss as "text present" when the expected value is
printed in the page text: these are the forms it looks for. Full forms (``1.234,50``,
``03.08.2014``) are matched as substrings, as before; short forms (``51.6``, ``557``) only as
a whole number, since they are often part of a longer one.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import Decimal


def amount_forms(value: Decimal) -> list[str]:
    whole, _, cents = f"{abs(value):.2f}".partition(".")
    grouped = f"{int(whole):,}"
    return [
        f"{whole}.{cents}",
        f"{whole},{cents}",
        f"{grouped}.{cents}",
        f"{grouped.replace(',', '.')},{cents}",
        f"{grouped.replace(',', ' ')},{cents}",
    ]


def short_amount_forms(value: Decimal) -> list[str]:
    """Forms printed without full cents: ``51.6`` / ``51,6`` for 51.60, ``557`` / ``1,939``
    / ``1.939`` / ``1 939`` / ``1'939`` for a whole amount, and grouped forms with a space or an
    apostrophe before a decimal point (``1 234.50``, ``1'234.50``). Matched only as a whole
    number (``standalone``), since a short form is often part of a longer one."""
    whole, _, cents = f"{abs(value):.2f}".partition(".")
    grouped = f"{int(whole):,}"
    forms = [f"{grouped.replace(',', sep)}.{cents}" for sep in (" ", "'")]
    if cents.endswith("0"):
        forms += [f"{whole}.{cents[0]}", f"{whole},{cents[0]}"]
    if cents == "00":
        forms += [whole, *(grouped.replace(",", sep) for sep in (",", ".", " ", "'"))]
    return list(dict.fromkeys(forms))


def standalone(form: str, text: str) -> bool:
    """``form`` in ``text`` with no digit, and no decimal mark followed by a digit, either side."""
    pattern = rf"(?<![\d.,'])(?<![\d][ ]){re.escape(form)}(?![\d])(?![.,'][\d])(?![ ][\d])"
    return re.search(pattern, text) is not None


MONTHS = {
    1: ("january", "jan", "januar", "janvier", "janv", "enero", "ene", "jänner"),
    2: ("february", "feb", "februar", "fevrier", "fevr", "fev", "febrero"),
    3: ("march", "mar", "marz", "maerz", "mars", "marzo"),
    4: ("april", "apr", "avril", "avr", "abril", "abr"),
    5: ("may", "mai", "mayo"),
    6: ("june", "jun", "juni", "juin", "junio"),
    7: ("july", "jul", "juli", "juillet", "juil", "julio"),
    8: ("august", "aug", "aout", "agosto", "ago"),
    9: ("september", "sep", "sept", "septembre", "septiembre"),
    10: ("october", "oct", "oktober", "okt", "octobre", "octubre"),
    11: ("november", "nov", "novembre", "noviembre"),
    12: ("december", "dec", "dezember", "dez", "decembre", "diciembre", "dic"),
}


def month_name_present(day: dt.date, text: str) -> bool:
    """A date printed with its month's name (en/de/fr/es, full or short, accents folded):
    ``3 August 2014``, ``7. Mai 2014``, ``02 Juillet 2015``, ``28 Jan 15``, ``August 3 , 2014``,
    ``Jan 1, 2022``, ``1er janvier 2022``, ``5 de mayo de 2021``."""
    plain = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    month = "|".join(sorted(MONTHS[day.month], key=len, reverse=True))
    year = f"(?:{day.year}|'?{day.year % 100:02d})"
    d = rf"0?{day.day}(?:\.|er|st|nd|rd|th)?"
    sep = r"[\s.,/-]*(?:de\s+)?"
    patterns = (
        rf"(?<!\d){d}{sep}(?:{month})\b\.?{sep}{year}(?!\d)",
        rf"\b(?:{month})\b\.?\s*{d}\s*,?\s*{year}(?!\d)",
    )
    return any(re.search(pattern, plain) for pattern in patterns)


def date_forms(day: dt.date) -> list[str]:
    forms = [day.isoformat()]
    for year in (f"{day.year}", f"{day.year % 100:02d}"):
        for d, m in ((f"{day.day:02d}", f"{day.month:02d}"), (str(day.day), str(day.month))):
            forms += [f"{d}.{m}.{year}", f"{d}/{m}/{year}", f"{m}/{d}/{year}", f"{d}-{m}-{year}"]
    return forms
