"""The currency of the country whose VAT numbers a page prints, for a page without any.

A VAT registration number begins with its country's code: "VAT Reg No GB 284 5512 90",
"USt-IdNr. DE298765432", "UID-Nr. ATU12345678", "BTW NL001234567B01", "TVA FR12
345678901", "CHE-123.456.789 MWST". An invoice that prints no currency sign or code is
billed in its seller's currency, and the seller's number is on the page (the law asks for
it). Only numbers on a line with a VAT word count (a "GB" or "DE" elsewhere is no country);
where the page's numbers are of countries with different currencies (a British seller, a
German buyer) none is taken.
"""

from __future__ import annotations

import re

from ocr_gateway.processing.extraction.page import PageText

_EURO = "AT BE CY DE EE ES FI FR GR HR IE IT LT LU LV MT NL PT SI SK"
CURRENCIES = dict.fromkeys(_EURO.split(), "EUR") | {
    "GB": "GBP",
    "CHE": "CHF",
    "SE": "SEK",
    "DK": "DKK",
    "NO": "NOK",
    "PL": "PLN",
    "CZ": "CZK",
    "HU": "HUF",
    "RO": "RON",
    "BG": "BGN",
}
_CODES = "|".join(sorted(CURRENCIES, key=len, reverse=True))
_NUMBER = re.compile(rf"(?<![A-Za-z])({_CODES})(?:U|[\s.-])?(?:[\s.]?\d){{7,12}}(?!\d)")
_VAT_WORDS = re.compile(
    r"(?i)(?<![a-z])(?:vat|tva|btw|ust|mwst|mva|iva|moms|dph|nip|alv|uid|p\.? ?iva|"
    r"ust-?idnr|uid-nr)(?![a-z])"
)


def vat_currency(page: PageText) -> str | None:
    """The one currency of the countries of the page's VAT numbers, or None."""
    found = set()
    for line in page.lines:
        if _VAT_WORDS.search(line.text):
            found |= {CURRENCIES[m.group(1)] for m in _NUMBER.finditer(line.text)}
    return found.pop() if len(found) == 1 else None
