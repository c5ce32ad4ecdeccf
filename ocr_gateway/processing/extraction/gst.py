"""Indian GST: a sale within a state is taxed in two equal halves, central and state.

    Taxable Value     1,000.00          Taxable Value     1,000.00
    CGST @ 9%            90.00          IGST @ 18%          180.00
    SGST @ 9%            90.00          Total          Rs. 1,180.00
    Grand Total  Rs. 1,180.00

The tax is CGST + SGST (or UTGST in a union territory), never one half: a half alone
makes the net total - half, wrong by the other half. IGST, on a sale between states, is
the whole tax and needs nothing here. ``halves`` finds the lines of each half (the last
amount of a line is its tax: a row may print the taxable value first) and gives their
sum when the central and state sums are equal, as the law makes them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from ocr_gateway.processing.extraction.candidates import Candidate
from ocr_gateway.processing.extraction.page import PageText

CENT = Decimal("0.01")
_CENTRAL = re.compile(r"(?i)(?<![a-z])cgst(?![a-z])")
_STATE = re.compile(r"(?i)(?<![a-z])(?:sgst|utgst)(?![a-z])")


@dataclass(frozen=True, slots=True)
class Halves:
    tax: Decimal  # central + state
    keys: frozenset[tuple[str, int, int, int]]  # the halves' candidates: no tax on their own


def halves(page: PageText, amounts: Sequence[Candidate]) -> Halves | None:
    """CGST + SGST of the page, or None (no pair of equal, non-zero halves)."""
    central: list[Candidate] = []
    state: list[Candidate] = []
    for line in page.lines:
        is_central, is_state = bool(_CENTRAL.search(line.text)), bool(_STATE.search(line.text))
        if is_central == is_state:
            continue  # neither, or a header naming both ("CGST  SGST  IGST")
        found = [a for a in amounts if a.line == line.index and a.strong]
        if found:
            (central if is_central else state).append(max(found, key=lambda a: a.start))
    if not central or not state or len(central) != len(state):
        return None
    central_sum = sum((Decimal(a.normalized) for a in central), Decimal(0))
    state_sum = sum((Decimal(a.normalized) for a in state), Decimal(0))
    if central_sum <= 0 or abs(central_sum - state_sum) > CENT * len(central):
        return None
    return Halves(central_sum + state_sum, frozenset(a.key for a in central + state))
