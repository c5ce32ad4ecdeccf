"""Net and tax printed only per VAT rate: their sums are the invoice's net and tax.

An invoice with goods at two rates may print no overall net or tax line, only a VAT
breakdown, as labelled lines or as a table row per rate:

    Base imponible 10 %   100,00        19%   Netto 100,00   MwSt 19,00
    IVA 10 %               10,00         7%          50,00         3,50
    Base imponible 21 %    50,00
    IVA 21 %               10,50        Gesamtbetrag             172,50
    TOTAL                 170,50 €

Each line that prints one rate gives that rate a net, a tax, or both: a row of two or more
amounts gives the pair whose tax is the rate of the net (to ``TOLERANCE``: the gross beside
them is no part of it); a line with one amount gives a net (its label says net or tax base)
or a tax (its label says tax). A rate counts when its tax is its rate of its net. The sums
of the nets and of the taxes (of one rate or more: a breakdown table's single row too) are
offered (``per_rate_parts``) only when they add up to a printed total: the arithmetic is
the evidence, never the layout alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from ocr_gateway.processing.extraction import tax_rate
from ocr_gateway.processing.extraction.candidates import Candidate
from ocr_gateway.processing.extraction.evidence import EvidenceFinder

PER_RATE_SCORE = 0.6  # as a tax summary's sums: the arithmetic, not a label
TOLERANCE = Decimal("0.02")  # a tax rounded per line, summed per rate
CENT = Decimal("0.01")
_NET_ROLES = ("subtotal", "taxBase")


@dataclass(frozen=True, slots=True)
class PerRate:
    """The sums over the rates of the nets and the taxes, and what each rate printed."""

    net: Decimal
    tax: Decimal
    rates: tuple[Decimal, ...]


def per_rate_parts(
    amounts: Sequence[Candidate], finder: EvidenceFinder, totals: Sequence[Decimal]
) -> PerRate | None:
    """The per-rate sums, when the rates' nets and taxes add up to one of ``totals``."""
    nets: dict[Decimal, Decimal] = {}
    taxes: dict[Decimal, Decimal] = {}
    by_line: dict[int, list[Candidate]] = {}
    for amount in amounts:
        if amount.strong:
            by_line.setdefault(amount.line, []).append(amount)
    for index, found in sorted(by_line.items()):
        rates = set(tax_rate.rates(finder.page.lines[index].text))
        if len(rates) != 1:
            continue
        rate = rates.pop()
        values = [Decimal(c.normalized) for c in sorted(found, key=lambda c: c.start)]
        if len(values) >= 2:
            pair = _net_and_tax(values, rate)
            if pair is not None:
                nets[rate] = nets.get(rate, Decimal(0)) + pair[0]
                taxes[rate] = taxes.get(rate, Decimal(0)) + pair[1]
            continue
        role = _role(finder, found[0])
        target = nets if role == "net" else taxes if role == "tax" else None
        if target is not None:
            target[rate] = target.get(rate, Decimal(0)) + values[0]
    matched = [r for r in nets if r in taxes and abs(_share(nets[r], r) - taxes[r]) <= TOLERANCE]
    if not matched:
        return None
    net = sum((nets[r] for r in matched), Decimal(0))
    tax = sum((taxes[r] for r in matched), Decimal(0))
    if not any(abs(net + tax - total) <= CENT for total in totals):
        return None
    return PerRate(net, tax, tuple(sorted(matched)))


def _share(net: Decimal, rate: Decimal) -> Decimal:
    return (net * rate / 100).quantize(CENT)


def _net_and_tax(values: Sequence[Decimal], rate: Decimal) -> tuple[Decimal, Decimal] | None:
    """The first pair of a row, in print order, whose second is the rate of the first."""
    for i, net in enumerate(values):
        for tax in values[i + 1 :]:
            if net > 0 and tax > 0 and abs(_share(net, rate) - tax) <= TOLERANCE:
                return net, tax
    return None


def _role(finder: EvidenceFinder, amount: Candidate) -> str | None:
    """ "net" or "tax" by the amount's strongest label, or None."""
    scores = finder.role_scores(amount)
    net = max(scores.get(role, 0.0) for role in _NET_ROLES)
    tax = scores.get("tax", 0.0)
    if max(net, tax) <= 0 or net == tax:
        return None
    return "net" if net > tax else "tax"
