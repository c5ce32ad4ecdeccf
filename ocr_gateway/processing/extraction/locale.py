"""The document's locale, inferred from the page itself.

- **Decimal separator**: the separator before the last two digits of the page's amounts
  ("1.005,55", "46,68" -> ","; "1,234.50" -> "."); a tie keeps the template's.
- **Language**: the language with the most label hits (``labels.find_labels``).
- **Currency hint**: codes and symbols printed on the page, most frequent first; a "$"
  that is only OCR's look-alike repair of an "S" before digits ("LOT S319", "SO00022185")
  is no dollar (``normalize.repair_digits`` reads it so for amounts, "S7.10");
- **Date order**: numeric dates that can only be read one way vote ("25/12/2023" is
  day-first); without votes, month-first only for an English page whose money is in US
  dollars or that is otherwise American (``us_locale``: a state and ZIP, "Sales Tax", a
  month-first written date), day-first everywhere else (most of the world, and every
  language here but US English).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from ocr_gateway.processing import normalize
from ocr_gateway.processing.extraction import dates, us_locale
from ocr_gateway.processing.extraction.labels import LabelHit
from ocr_gateway.processing.extraction.page import PageText

# Languages whose invoices are in euros when the page shows no currency at all.
EURO_LANGUAGES = frozenset({"de", "fr", "nl", "es", "it", "pt", "fi"})
_DECIMAL = re.compile(r"(?<![\d.,])\d{1,3}(?:([.,' ])\d{3})*([.,])(\d{2})(?![\d.,]?\d)")


@dataclass(frozen=True, slots=True)
class PageLocale:
    decimal_separator: str
    day_first: bool
    language: str | None
    currencies: tuple[str, ...]  # ISO codes seen on the page, most frequent first


def infer_locale(
    page: PageText,
    hits: Sequence[Sequence[LabelHit]],
    *,
    decimal_separator: str | None = None,
    languages: Sequence[str] = (),
) -> PageLocale:
    text = "\n".join(line.text for line in page.lines)
    language = _language(hits, languages)
    currencies = _currencies(text)
    separator = decimal_separator or _decimal_separator(text)
    return PageLocale(separator, _day_first(text, language, currencies), language, currencies)


def _decimal_separator(text: str) -> str:
    votes: Counter[str] = Counter()
    for match in _DECIMAL.finditer(dates_removed(text)):
        grouping, decimal = match.group(1), match.group(2)
        if grouping and grouping == decimal:
            continue  # "1.234.567": grouping only
        votes[decimal] += 1
    if votes[","] > votes["."]:
        return ","
    return "."


def dates_removed(text: str) -> str:
    """``text`` with numeric dates blanked out ("05.03.2013" is no amount)."""
    out = list(text)
    for found in dates.find_dates(text):
        out[found.start : found.end] = " " * (found.end - found.start)
    return "".join(out)


def _language(hits: Sequence[Sequence[LabelHit]], preferred: Sequence[str]) -> str | None:
    votes: Counter[str] = Counter()
    for line in hits:
        for hit in line:
            if hit.label.language != "template":
                votes[hit.label.language] += len(hit.label.phrase)
    if not votes:
        return preferred[0] if preferred else None
    return votes.most_common(1)[0][0]


def _currencies(text: str) -> tuple[str, ...]:
    repaired = normalize.repair_digits(text)
    counts = Counter(
        found.normalized
        for found in normalize.find_currencies(text)
        if repaired[found.start : found.end] == text[found.start : found.end]  # printed so
    )
    return tuple(code for code, _ in counts.most_common())


def _day_first(text: str, language: str | None, currencies: Sequence[str]) -> bool:
    day, month = dates.order_votes(text)
    if day != month:
        return day > month
    english = language in (None, "en")
    return not (english and (currencies[:1] == ("USD",) or us_locale.american(text)))
