"""What a receipt prints about its total besides labels: the payment and the rounding.

- **payment**: the cash tendered less the change is the amount paid (``paid_totals``), and
  so is the total a column-read block's arithmetic points at (``column_paid``);
- **lost labels**: an amount equal to a labelled net + tax is a total (``summed_totals``);
- **prepayments**: the balance due below a prepayment is not the gross total
  (``without_balances``);
- **rounding**: the page's rounding adjustments ("ROUNDING ADJ -0.02") and the lines they
  stand on (``rounding_values``, ``rounding_lines``), and whether a total is another total
  after one of them (``rounded_from``).

``amounts`` weighs these in its combination of total, net and tax.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from ocr_gateway.processing.extraction import amount_context
from ocr_gateway.processing.extraction.amount_scored import Scored
from ocr_gateway.processing.extraction.candidates import Candidate
from ocr_gateway.processing.extraction.evidence import EvidenceFinder
from ocr_gateway.processing.extraction.scoring import MIN_SCORE

PAID_BONUS = 0.35  # a total equal to the cash tendered less the change
PAID_SCORE = 0.8  # an amount equal to it without a total label (arithmetic beats a generic label)
SUMMED_SCORE = 0.4  # an amount without a total label equal to a labelled net + tax


def without_balances(totals: list[Scored], finder: EvidenceFinder) -> list[Scored]:
    """Totals, the balance due below a prepayment at ``BALANCE_FACTOR`` of its score
    (dropped below ``MIN_SCORE``): what is left to pay is not the gross total."""
    out = []
    for item in totals:
        if item.candidate is not None and amount_context.is_balance(item.candidate, finder):
            item = dataclasses.replace(item, score=item.score * amount_context.BALANCE_FACTOR)
        if item.score >= MIN_SCORE:
            out.append(item)
    return out


def rounded_from(
    item: Scored, values: set[Decimal], adjustments: set[Decimal], rounded: Sequence[int]
) -> bool:
    """Whether ``item`` is another total after the rounding adjustment printed above it
    ("TOTAL 31.02", "ROUNDING ADJ -0.02", "TOTAL 31.00")."""
    if item.candidate is None or not any(r < item.candidate.line for r in rounded):
        return False
    return any(item.value + sign * r in values for r in adjustments for sign in (1, -1))


def summed_totals(
    amounts: Sequence[Candidate],
    out: dict[str, list[Scored]],
    adjustments: Sequence[Decimal] = (),
) -> list[Scored]:
    """Amounts without a total label that equal a labelled net plus a labelled tax, or
    that plus one of the page's rounding ``adjustments`` (a receipt whose "TOTAL" label OCR
    lost, or that calls its total "NET TOTAL": "SUBTOTAL 179.00", "GST 10.74", "ROUNDING ADJ
    0.01", "NET TOTAL 189.75"): total candidates at ``SUMMED_SCORE``, method
    ``arithmetic``; the combination's consistency bonus does the rest. Only when no
    labelled total scores ``SUMMED_SCORE`` or more (a service charge makes a printed total
    more than net + tax)."""
    if any(s.score >= SUMMED_SCORE for s in out["total"]):
        return []
    nets = sorted(out["subtotal"], key=lambda s: -s.score)[:3]
    taxes = [t for t in sorted(out["tax"], key=lambda s: -s.score)[:3] if t.value > 0]
    sums = {
        n.value + t.value + a
        for n in nets
        for t in taxes
        for a in {Decimal(0), *adjustments}
        if n.key != t.key and n.value > t.value
    }
    known = {s.key for s in out["total"]}
    return [
        Scored(a, Decimal(a.normalized), SUMMED_SCORE, paid=True)
        for a in amounts
        if a.strong and a.key not in known and Decimal(a.normalized) in sums
    ]


def paid_totals(
    amounts: Sequence[Candidate], finder: EvidenceFinder, totals: list[Scored]
) -> list[Scored]:
    """Totals backed by the payment: the cash tendered less the change given ("CASH 50.00",
    "CHANGE 14.00": the total is 36.00). A labelled total of that value scores
    ``PAID_BONUS`` more; an amount of that value without a total label (a garbled "T0TL")
    becomes a total candidate at ``PAID_SCORE`` (method ``arithmetic``)."""
    tendered = _labelled(amounts, finder, TENDERED)
    change = _labelled(amounts, finder, CHANGE)
    if tendered is None or change is None:
        return totals
    paid = tendered.value - change.value
    if paid <= 0:
        return totals
    out = [
        dataclasses.replace(s, score=s.score + PAID_BONUS) if s.value == paid else s for s in totals
    ]
    known = {s.key for s in out}
    for amount in amounts:
        if amount.key in known or amount.key == tendered.candidate.key:
            continue
        if Decimal(amount.normalized) == paid and amount.strong:
            out.append(Scored(amount, Decimal(amount.normalized), PAID_SCORE, paid=True))
    return out


def column_paid(
    amounts: Sequence[Candidate], finder: EvidenceFinder, totals: list[Scored]
) -> list[Scored]:
    """Totals a column-read block's arithmetic says were paid (``column_pairs``: the cash
    less the change, or the total after the rounding adjustment) score ``PAID_BONUS`` more,
    unless ``paid_totals`` already gave it to their value."""
    keys = finder.columns().paid
    if not keys:
        return totals
    tendered = _labelled(amounts, finder, TENDERED)
    change = _labelled(amounts, finder, CHANGE)
    paid = tendered.value - change.value if tendered and change else None
    return [
        dataclasses.replace(s, score=s.score + PAID_BONUS)
        if s.candidate is not None and s.candidate.key in keys and s.value != paid
        else s
        for s in totals
    ]


@dataclass(frozen=True, slots=True)
class _Labelled:
    candidate: Candidate
    value: Decimal


def _labelled(
    amounts: Sequence[Candidate], finder: EvidenceFinder, phrases: frozenset[str]
) -> _Labelled | None:
    """The last amount, not negative, whose label is one of ``phrases`` (a receipt pays at
    its end; a negative number there is a slip or terminal number)."""
    found = None
    for amount in amounts:
        evidence = finder.evidence(amount)
        value = Decimal(amount.normalized)
        if not evidence or value < 0:
            continue
        if evidence[0].hit.label.phrase.casefold() in phrases:
            found = _Labelled(amount, value)
    return found


def rounding_lines(finder: EvidenceFinder) -> list[int]:
    """Lines with a rounding adjustment: the total printed below one is the rounded one."""
    return [
        i
        for i, hits in enumerate(finder.hits)
        if any(h.role == "otherAmount" and "round" in h.label.phrase for h in hits)
    ]


def rounding_values(
    amounts: Sequence[Candidate], finder: EvidenceFinder
) -> list[tuple[Decimal, int]]:
    """The page's rounding adjustments ("ROUNDING ADJ -0.02"), not zero, with their line."""
    return [(value, amount.line) for value, amount in adjustments(amounts, finder)]


def adjustments(
    amounts: Sequence[Candidate], finder: EvidenceFinder
) -> list[tuple[Decimal, Candidate]]:
    out = []
    for amount in amounts:
        evidence = finder.evidence(amount)
        value = Decimal(amount.normalized)
        if evidence and "round" in evidence[0].hit.label.phrase and 0 < abs(value) < 1:
            out.append((value, amount))
    return out


# What a receipt prints beside the money handed over and the money handed back.
TENDERED = frozenset(
    {"cash", "cash tendered", "tendered", "cash received", "amount tendered", "bar", "gegeben"}
    | {"especes", "entregado", "paid", "pay", "payment", "payment received", "tunai"}
)


CHANGE = frozenset(
    {"change", "change due", "rückgeld", "rendu", "cambio", "resto", "troco", "wisselgeld"}
    | {"baki"}
)
