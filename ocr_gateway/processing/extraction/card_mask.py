"""The last digits of a masked payment card are no amount.

Receipts and paid invoices print the card they were paid with as its last four digits
after a mask or a phrase: "**** **** **** 1234", "************1234", "XXXX1234",
"VISA ...1234", "•••• 4821", "Card ending 1234", "endet auf 1234", "se terminant par 1234",
"terminada en 1234". Under a "Total" column header such a number would otherwise read as
an amount of 1234 (``candidates.amount_candidates`` asks ``masked_card``).
"""

from __future__ import annotations

import re

_MASK = r"(?:[*xX•·.]\s?){3,}"
_PHRASE = (
    r"(?:ending|ending in|ends in|ends with|ending with|endet auf|endend auf|endend mit|"
    r"se terminant par|terminant par|terminada en|que termina en|terminante con|eindigend op)"
)
_BEFORE = re.compile(rf"(?:{_MASK}|(?<![^\W\d_]){_PHRASE}\s*[:#]?\s*)$", re.IGNORECASE)
_DIGITS = re.compile(r"\d{4}(?!\d)")


def masked_card(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` is four digits printed after a card mask or phrase."""
    return _DIGITS.fullmatch(text[start:end]) is not None and bool(_BEFORE.search(text[:start]))
