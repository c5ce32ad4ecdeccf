"""The invoice's currency, from the strongest evidence the page offers.

In order: a currency label with a code or sign after it ("Currency: USD", "Beträge in
EUR"; method ``label``); the sign or code printed with the chosen total, net or tax
(``amount``); the page's most frequent sign or code (``page``, 0.7); a language that is
written in euro countries (de, fr, nl, es, it, pt) when the page shows none (``locale``,
0.3, so it is marked for review); the template's default (``default``, 0).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ocr_gateway.processing import normalize
from ocr_gateway.processing.extraction.amounts import AmountChoice
from ocr_gateway.processing.extraction.labels import LabelHit
from ocr_gateway.processing.extraction.locale import EURO_LANGUAGES, PageLocale
from ocr_gateway.processing.extraction.page import PageText
from ocr_gateway.processing.result import Box

PAGE_CONFIDENCE = 0.7
LOCALE_CONFIDENCE = 0.3
AMOUNT_BONUS = 0.1  # the total's own sign is surer than the total's value
LABEL_REACH = 3  # words after a currency label where its code may be


@dataclass(frozen=True, slots=True)
class CurrencyChoice:
    text: str  # as printed ("" when inferred)
    code: str
    confidence: float
    box: Box | None
    method: str  # label | amount | page | locale | default


def choose_currency(
    page: PageText,
    hits: Sequence[Sequence[LabelHit]],
    locale: PageLocale,
    amounts: Mapping[str, AmountChoice],
    *,
    default: str | None,
) -> CurrencyChoice | None:
    found = _labelled(page, hits) or _of_amounts(amounts)
    if found is not None:
        return found
    if locale.currencies:
        code = locale.currencies[0]
        return CurrencyChoice(code, code, PAGE_CONFIDENCE, None, "page")
    if locale.language in EURO_LANGUAGES:
        return CurrencyChoice("", "EUR", LOCALE_CONFIDENCE, None, "locale")
    return CurrencyChoice("", default, 0.0, None, "default") if default else None


def _labelled(page: PageText, hits: Sequence[Sequence[LabelHit]]) -> CurrencyChoice | None:
    for hit in (h for line in hits for h in line if h.role == "currency"):
        line = page.lines[hit.line]
        end = min(hit.end + LABEL_REACH, len(line.words))
        found = next(iter(normalize.find_currencies(line.words_text(hit.end, end))), None)
        if found is not None:
            conf = line.confidence_of(hit.end, end)
            return CurrencyChoice(
                found.normalized, found.normalized, conf, line.box_of(hit.end, end), "label"
            )
    return None


def _of_amounts(amounts: Mapping[str, AmountChoice]) -> CurrencyChoice | None:
    for role in ("total", "subtotal", "tax"):
        chosen = amounts.get(role)
        if chosen and chosen.candidate and chosen.candidate.currency:
            c = chosen.candidate
            conf = min(1.0, chosen.confidence + AMOUNT_BONUS)
            assert c.currency is not None
            return CurrencyChoice(c.text, c.currency, conf, c.box, "amount")
    return None
