"""A tax printed as included in the total, with its rate ("GST @6% included 0.43",
"*6% GST Included 1.87", "SR GST 6% 7.17 0.43"): the gross total T it belongs to satisfies
T x rate / (100 + rate) = tax to the cent. That holds for the right total and rarely for
another amount, so it is evidence for a total whose label OCR mangled or whose currency
sign it read as a digit ("$7.60" as "57.60": ``amounts._readings`` tries 7.60 too).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

_RATE = re.compile(r"(?<![\d.,])(\d{1,3}(?:[.,]\d{1,2})?)\s?%")
CENT = Decimal("0.01")


def rates(text: str) -> list[Decimal]:
    """Tax rates printed on a line ("@6%", "006%", "(6 %)"), between 0 and 30 percent."""
    out = []
    for match in _RATE.finditer(text):
        try:
            rate = Decimal(match[1].replace(",", "."))
        except InvalidOperation:  # pragma: no cover - the pattern only matches numbers
            continue
        if 0 < rate <= 30:
            out.append(rate)
    return out


def included(total: Decimal, tax: Decimal, rate: Decimal) -> bool:
    """Whether ``tax`` is the tax at ``rate`` included in ``total``."""
    if not (0 < tax < total):
        return False
    share = (total * rate / (100 + rate)).quantize(CENT, rounding=ROUND_HALF_UP)
    return share == tax


def includes_any(total: Decimal, taxes: Iterable[tuple[Decimal, list[Decimal]]]) -> bool:
    """Whether ``total`` includes one of ``taxes`` (value, rates on its line)."""
    return any(included(total, tax, rate) for tax, found in taxes for rate in found)
