"""Net and tax candidates the page implies beyond its labelled amounts.

- a tax summary's net and tax (``with_summary``, ``tax_summary``);
- totals of which a printed tax at its rate is the included share (``with_included_tax``);
- the sums of a net and tax printed only per rate (``with_per_rate``);
- CGST + SGST halves as one tax (``with_gst_halves``);
- a tax of 0.00 where the page says none is charged (``zero_taxes``);
- a tax printed only per rate as total - net (``derived_taxes``).

Each takes and returns ``amounts``' scored candidates per role.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Sequence
from decimal import Decimal

from ocr_gateway.processing.extraction import amount_context, gst, per_rate, tax_rate, tax_summary
from ocr_gateway.processing.extraction.amount_scored import CENT, ROUNDED_NET_FACTOR, Scored
from ocr_gateway.processing.extraction.candidates import Candidate
from ocr_gateway.processing.extraction.evidence import EvidenceFinder

INCLUDED_BONUS = 0.5  # a total whose share at a printed tax rate is a printed tax
SUMMARY_SCORE = 0.6  # a tax summary's net and tax, by their place in its rows
SUMMARY_BONUS = 0.3  # a total equal to the summary's net + tax
SUMMARY_TOTAL_SCORE = 0.4  # net + tax, printed nowhere else


def with_summary(
    scored: dict[str, list[Scored]],
    summary: tax_summary.TaxSummary,
    amounts: Sequence[Candidate],
    rounding: Sequence[tuple[Decimal, int]],
) -> dict[str, list[Scored]]:
    """What a tax summary says (``tax_summary``): its amounts are no totals, its net and tax
    are the receipt's (``SUMMARY_SCORE``), and a total of net + tax (after a cash rounding
    printed on the page) scores ``SUMMARY_BONUS`` more; with no total candidate at all,
    net + tax is the total (method ``arithmetic``, ``SUMMARY_TOTAL_SCORE``)."""
    nets, taxes = {c.key for c in summary.nets}, {c.key for c in summary.taxes}
    out = {
        "total": [
            s for s in scored["total"] if not s.candidate or s.candidate.line not in summary.lines
        ],
        "subtotal": [s for s in scored["subtotal"] if s.key not in taxes],
        "tax": [s for s in scored["tax"] if s.key not in nets],
    }
    one = len(summary.nets) == 1
    out["subtotal"].append(
        Scored(summary.nets[0] if one else None, summary.net, SUMMARY_SCORE, origin="summary net")
    )
    out["tax"].append(
        Scored(summary.taxes[0] if one else None, summary.tax, SUMMARY_SCORE, origin="summary tax")
    )
    values = tax_summary.totals(summary, [r for r, _ in rounding])
    matched = [
        dataclasses.replace(s, score=s.score + SUMMARY_BONUS) if s.value in values else s
        for s in out["total"]
    ]
    if not out["total"]:  # never a rival of a printed total: it adds up by construction
        matched.append(
            Scored(None, values[0], SUMMARY_TOTAL_SCORE, paid=True, origin="summary total")
        )
    out["total"] = sorted(matched, key=lambda s: -s.score)
    return out


def with_included_tax(scored: dict[str, list[Scored]], finder: EvidenceFinder) -> None:
    """Totals of which a tax printed with its rate is the included share (``tax_rate``)
    score ``INCLUDED_BONUS`` more; so does a "net" amount that includes it ("Nett Total"
    on a receipt whose prices include the tax), moved to the totals as a rounded one is."""
    taxes = [
        (s.value, tax_rate.rates(finder.page.lines[s.candidate.line].text))
        for s in scored["tax"]
        if s.candidate is not None
    ]
    if not any(found for _, found in taxes):
        return
    moved = [s for s in scored["subtotal"] if tax_rate.includes_any(s.value, taxes)]
    scored["subtotal"] = [s for s in scored["subtotal"] if s not in moved]
    totals = scored["total"] + [
        dataclasses.replace(s, score=s.score * ROUNDED_NET_FACTOR) for s in moved
    ]
    scored["total"] = [
        dataclasses.replace(s, score=s.score + INCLUDED_BONUS)
        if tax_rate.includes_any(s.value, taxes)
        else s
        for s in totals
    ]


def with_per_rate(
    scored: dict[str, list[Scored]], amounts: Sequence[Candidate], finder: EvidenceFinder
) -> None:
    """The sums of a net and tax printed only per rate (``per_rate``), when not printed."""
    found = per_rate.per_rate_parts(amounts, finder, [s.value for s in scored["total"]])
    for role, value in (("subtotal", found.net), ("tax", found.tax)) if found else ():
        if all(s.value != value for s in scored[role]):
            item = Scored(None, value, per_rate.PER_RATE_SCORE, origin=f"per-rate {role}")
            scored[role].append(item)


def with_gst_halves(
    scored: dict[str, list[Scored]], amounts: Sequence[Candidate], finder: EvidenceFinder
) -> None:
    """CGST + SGST as the tax (``gst``), the halves no tax on their own."""
    found = gst.halves(finder.page, amounts)
    if found is None:
        return
    halves = [s for s in scored["tax"] if s.key in found.keys]
    scored["tax"] = [s for s in scored["tax"] if s.key not in found.keys]
    if halves and all(s.value != found.tax for s in scored["tax"]):
        score = max(s.score for s in halves)
        scored["tax"].append(Scored(None, found.tax, score, origin="gst halves"))


def zero_taxes(scored: dict[str, list[Scored]], finder: EvidenceFinder) -> list[Scored]:
    """A tax of 0.00 where a page that says no tax is charged prints a net total equal to a
    total ("Subtotal €99.00", "Total €99.00", "Tax to be paid on reverse charge basis"), at
    ``ZERO_TAX_FACTOR`` of the weaker of the two; the combination's arithmetic decides."""
    if any(s.value == 0 for s in scored["tax"]) or not amount_context.says_no_tax(finder):
        return []
    pairs = [
        min(total.score, net.score)
        for total in scored["total"]
        for net in scored["subtotal"]
        if total.key != net.key and total.value == net.value and total.value > 0
    ]
    if not pairs:
        return []
    return [Scored(None, Decimal("0.00"), max(pairs) * amount_context.ZERO_TAX_FACTOR)]


def derived_taxes(scored: dict[str, list[Scored]]) -> list[Scored]:
    """Taxes printed only per rate: total - net, where two or three tax lines add up to it."""
    parts = [s for s in scored["tax"] if s.value > 0]
    out = []
    for total, net in itertools.product(scored["total"], scored["subtotal"]):
        gap = total.value - net.value
        if gap <= 0 or any(abs(s.value - gap) <= CENT for s in parts):
            continue
        sums = (c for size in (2, 3) for c in itertools.combinations(parts, size))
        match = next((c for c in sums if abs(sum(s.value for s in c) - gap) <= CENT), None)
        if match is not None:
            out.append(Scored(None, gap, min(s.score for s in match)))
    return out
