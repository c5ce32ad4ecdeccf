"""A receipt's rounded total printed under a rounding label.

Cash tills round the total to five cents and print three lines: the total, the adjustment
and the total after it. The last is often labelled only "ROUNDING" (or "Rounded"), like the
adjustment above it:

    TOTAL SALES (INCLUSIVE GST)   42.33
    ROUNDING ADJUSTMENT             .02
    ROUNDING                      42.35

An amount of one or more under a rounding label is no adjustment (those are below one):
when it is a total on the page plus or minus a printed adjustment labelled apart (one
label names one amount: "ROUNDING -0.02" then "RM7.40" under it is the adjustment and a
payment line, not a rounded total), it is the total after rounding, the one paid, and ``amounts.py`` offers it as a total that scores
``ROUNDED_LEAD`` more than the total it was rounded from.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal

from ocr_gateway.processing.extraction.candidates import Candidate
from ocr_gateway.processing.extraction.evidence import EvidenceFinder
from ocr_gateway.processing.extraction.labels import LabelHit

ROUNDED_LEAD = 0.05


def rounded_totals(
    amounts: Sequence[Candidate],
    finder: EvidenceFinder,
    totals: Iterable[tuple[Decimal, float]],
    adjustments: Iterable[tuple[Decimal, Candidate]],
) -> list[tuple[Candidate, Decimal, float]]:
    """``(candidate, value, score)`` of each amount labelled as a rounding, of one or more,
    that is one of ``totals`` (``(value, score)``) moved by one of ``adjustments`` (value
    and candidate) printed under another label."""
    known = list(totals)
    out = []
    for amount in amounts:
        hit = _rounding_hit(amount, finder)
        value = Decimal(amount.normalized)
        if hit is None or value < 1:
            continue
        steps = {abs(a) for a, c in adjustments if a != 0 and _rounding_hit(c, finder) != hit}
        sources = [
            score
            for total, score in known
            if total != value and any(abs(total - value) == step for step in steps)
        ]
        if sources:
            out.append((amount, value, max(sources) + ROUNDED_LEAD))
    return out


def _rounding_hit(amount: Candidate, finder: EvidenceFinder) -> LabelHit | None:
    evidence = finder.evidence(amount)
    if not evidence or "round" not in evidence[0].hit.label.phrase:
        return None
    return evidence[0].hit
