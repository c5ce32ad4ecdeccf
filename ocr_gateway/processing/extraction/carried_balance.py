"""A balance carried over from earlier bills is no part of this bill's total.

A utility or telecom bill prints what is still unpaid from the last one ("Previous
balance", "Past due amount", "Balance forward", "Saldo Vormonat", "Solde précédent") above
this period's charges, and an amount due that adds the two:

    Past Due Amount        $64.20
    Current Charges        $80.00
    Total Amount Due      $144.20

The bill's gross total is its current charges (EN 16931 BT-112); the amount due is what
is left to pay (BT-115). ``without_carried`` drops a total candidate that is another total
candidate plus an amount printed on a carried-balance line (to the cent, that amount not
zero): the arithmetic is the evidence, never the label alone. A previous balance that a
payment cleared ("Payment received -£45.00", "Balance forward $0.00") adds nothing and
changes nothing. A page's carry of its line items ("Übertrag", "Carried forward") is part
of the total and no carried balance.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal

from ocr_gateway.processing.extraction.amount_scored import CENT, Scored
from ocr_gateway.processing.extraction.candidates import Candidate
from ocr_gateway.processing.extraction.page import PageText

_CARRIED = re.compile(
    r"(?i)\bprevious (?:balance|bill)|\bbalance forward\b|\bpast due\b|\boverdue\b|"
    r"\barrears\b|\bunpaid balance\b|\boutstanding balance\b|\bsaldo vormonat\b|"
    r"\bvorsaldo\b|\balter saldo\b|\bsolde pr[eé]c[eé]dent\b|\bsolde ant[eé]rieur\b|"
    r"\bsaldo anterior\b|\bsaldo precedente\b|\bvorig saldo\b"
)


def carried(page: PageText, amounts: Sequence[Candidate]) -> set[Decimal]:
    """The non-zero amounts the page prints last on a carried-balance line."""
    out = set()
    for line in page.lines:
        if not _CARRIED.search(line.text):
            continue
        found = [a for a in amounts if a.line == line.index and a.strong]
        if found:
            value = Decimal(max(found, key=lambda a: a.start).normalized)
            if value != 0:
                out.add(value)
    return out


def without_carried(
    totals: list[Scored], page: PageText, amounts: Sequence[Candidate]
) -> list[Scored]:
    """``totals`` less those that are another of them plus a carried balance."""
    balances = carried(page, amounts)
    if not balances:
        return totals
    return [
        item
        for item in totals
        if not any(
            other.key != item.key and abs(item.value - other.value - balance) <= CENT / 2
            for other in totals
            for balance in balances
        )
    ]
