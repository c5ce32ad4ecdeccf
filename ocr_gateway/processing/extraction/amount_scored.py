"""An amount scored for one role (total, net, tax), shared by ``amounts`` and the modules
that add evidence to its candidates (``amount_receipts``, ``amount_taxes``)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ocr_gateway.processing.extraction.candidates import Candidate

CENT = Decimal("0.01")
ROUNDED_NET_FACTOR = 0.8  # a net-labelled amount that is the rounded total, as a total


@dataclass(frozen=True, slots=True)
class Scored:
    candidate: Candidate | None  # None: a tax derived from its rate lines
    value: Decimal
    score: float
    repaired: bool = False  # read without a leading digit that was a currency sign
    paid: bool = False  # no total label: cash less change, or net + tax
    origin: str = "derived"  # what a value without a candidate was derived from

    @property
    def key(self) -> tuple[str, int, int, int]:
        return self.candidate.key if self.candidate else (self.origin, -1, 0, 0)
