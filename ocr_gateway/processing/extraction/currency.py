"""The invoice's currency, from the strongest evidence the page offers.

In order: a currency label with a code or sign after it ("Currency: USD", "Beträge in
EUR"; method ``label``); the sign or code printed with the chosen total, net or tax
(``amount``); the page's most frequent sign or code (``page``, 0.7); when the page shows none, the
country of a legal form printed on it ("SDN BHD": MYR, "Pty Ltd": AUD), of its VAT
numbers ("VAT Reg No GB 284 5512 90": GBP; ``vat_country``) or a language written in euro
countries (de, fr, nl, es, it, pt, fi) (``locale``, 0.3, so it is marked for review); the
template's default (``default``, 0). A bare "$" on a page whose legal form points to a
country without dollars gives way to that country's currency, and is that
country's dollar where it has one ("Pty Ltd": AUD), unless the page writes "USD" or "US$";
a bare "$" on a page that names one other dollar by its code ("Amount Due (CAD)") is that
dollar, on the same condition.
A "kr" (Swedish, Norwegian and Danish crowns alike) is the crown of the country whose words
the page prints (``vocabulary_more.crown``).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ocr_gateway.processing import normalize
from ocr_gateway.processing.extraction import vat_country, vocabulary_more
from ocr_gateway.processing.extraction.amounts import AmountChoice
from ocr_gateway.processing.extraction.labels import LabelHit
from ocr_gateway.processing.extraction.locale import EURO_LANGUAGES, PageLocale
from ocr_gateway.processing.extraction.page import PageText
from ocr_gateway.processing.result import Box

PAGE_CONFIDENCE = 0.7
LOCALE_CONFIDENCE = 0.3
AMOUNT_BONUS = 0.1  # the total's own sign is surer than the total's value
_US_DOLLAR = re.compile(r"\bUSD\b|\bUS\s?\$")
_DOLLAR_CODE = re.compile(
    rf"(?<![A-Za-z])({'|'.join(sorted(normalize.DOLLAR_CODES - {'USD'}))})(?![A-Za-z])"
)
CROWNS = frozenset({"SEK", "NOK", "DKK"})
LABEL_REACH = 3  # words after a currency label where its code may be
# Legal forms of a single country, with its currency.
LEGAL_FORM_CURRENCIES = {
    "sdn bhd": "MYR",
    "sdn. bhd": "MYR",
    "berhad": "MYR",
    "bhd": "MYR",  # Berhad, also when OCR garbles the "SDN" before it
    "s/b": "MYR",  # Sendirian Berhad
    "pte ltd": "SGD",
    "pte. ltd": "SGD",
    "pty ltd": "AUD",
    "pty. ltd": "AUD",
    "pvt ltd": "INR",
    "pvt. ltd": "INR",
}


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
    labelled = _labelled(page, hits)
    if labelled is not None:
        return labelled
    country = _legal_form_currency(page)
    found = _of_amounts(amounts)
    if found is None and locale.currencies:
        code = locale.currencies[0]
        found = CurrencyChoice(code, code, PAGE_CONFIDENCE, None, "page")
    if found is not None and found.code in CROWNS and "kr" in found.text.casefold():
        text = "\n".join(line.text for line in page.lines)
        found = dataclasses.replace(found, code=vocabulary_more.crown(text) or found.code)
    named = _named_dollar(found, page) if found is not None else None
    if found is not None and named is not None:
        return dataclasses.replace(found, code=named)
    if found is not None and country is not None and _local_dollar(found, country, page):
        return dataclasses.replace(found, code=country)
    if found is not None and not _bare_dollar_abroad(found, country):
        return found
    if country is not None:
        return CurrencyChoice("", country, LOCALE_CONFIDENCE, None, "locale")
    vat = vat_country.vat_currency(page)
    if vat is not None:
        return CurrencyChoice("", vat, LOCALE_CONFIDENCE, None, "locale")
    if locale.language in EURO_LANGUAGES:
        return CurrencyChoice("", "EUR", LOCALE_CONFIDENCE, None, "locale")
    return CurrencyChoice("", default, 0.0, None, "default") if default else None


def _bare_dollar_abroad(found: CurrencyChoice, country: str | None) -> bool:
    """A "$" on a page whose legal forms say the firm is in a country without dollars: OCR
    reads "S" and "5" as "$" far more often than such a firm bills in US dollars."""
    return found.code == "USD" and country is not None and country not in normalize.DOLLAR_CODES


def _local_dollar(found: CurrencyChoice, country: str, page: PageText) -> bool:
    """A bare "$" on a page whose legal form is of another dollar country ("Pty Ltd": AUD,
    "Pte Ltd": SGD): that country's dollar, unless the page writes "USD" or "US$"."""
    if found.code != "USD" or country == "USD" or country not in normalize.DOLLAR_CODES:
        return False
    return not any(_US_DOLLAR.search(line.text) for line in page.lines)


def _named_dollar(found: CurrencyChoice, page: PageText) -> str | None:
    """The one other dollar a page that prints a bare "$" names by its code ("Amount Due
    (CAD)", "Total (SGD)", "Moneda: MXN"): the "$" is that dollar, unless the page also writes
    "USD" or "US$"."""
    if found.code != "USD":
        return None
    text = "\n".join(line.text for line in page.lines)
    named: set[str] = set(_DOLLAR_CODE.findall(text))
    if len(named) != 1 or _US_DOLLAR.search(text):
        return None
    return named.pop()


def _legal_form_currency(page: PageText) -> str | None:
    """The currency of the one country a legal form on the page belongs to ("SDN BHD")."""
    text = " " + " ".join(line.text.lower() for line in page.lines) + " "
    for form, code in LEGAL_FORM_CURRENCIES.items():
        if f" {form} " in text or f" {form}." in text:
            return code
    return None


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
