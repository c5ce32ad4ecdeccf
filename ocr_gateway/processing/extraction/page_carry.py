"""A page that carries its sum over to the next page prints no totals of its own.

The first pages of a multi-page invoice end with the running sum of their lines, carried to
the next page ("Carried forward 464.00", "Übertrag 1.240,00", "À reporter", "Suma y sigue",
"A riportare"), and say which page they are ("Page 1 of 2", "Seite 1 von 3", "Page 1/2").
Such a page has no total, net or tax: the last page prints them, and the job's invoice takes
them from there. A page that opens with the sum brought from the page before ("Übertrag von
Seite 1" on page 2 of 2) is the last one and keeps its totals.
"""

from __future__ import annotations

import re

from ocr_gateway.processing.extraction.page import PageText

_CARRY = re.compile(
    r"(?i)(?<![a-zà-ü])(?:carried forward|carry forward|c/f|übertrag|ubertrag|à reporter|"
    r"a reporter|suma y sigue|a riportare|a transportar)(?![a-zà-ü])"
)
_PAGE = re.compile(
    r"(?i)(?<![a-zà-ü])(?:page|seite|pagina|página|pag\.|blatt|blad|side|sida|strona)"
    r"\s*(\d{1,2})\s*(?:of|von|/|de|di|sur|van|af|av|z)\s*(\d{1,2})(?!\d)"
)


def continues(page: PageText) -> bool:
    """Whether the page says it is not the last one and carries its sum to the next."""
    numbers = [
        (int(match[1]), int(match[2])) for line in page.lines for match in _PAGE.finditer(line.text)
    ]
    if not numbers or not all(number < count for number, count in numbers):
        return False
    return any(_CARRY.search(line.text) for line in page.lines)
