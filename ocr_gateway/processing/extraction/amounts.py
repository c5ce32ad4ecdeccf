"""Choose the total, net total and tax together, so that they add up.

Each amount on the page scores for each role by its labels (``evidence.py``; "Total TTC" and
"Brutto" for the total, "Total HT" and "Netto" for the net, "TVA" and "MwSt." for the tax).
Bare numbers without a currency or two decimals count 0.6 of that. The largest amount
labelled as a total gets a small bonus (a receipt's "TOTAL" comes before its "TOTAL
AMOUNT" as often as after; the gross total is the largest of them).

Then every combination of the best few total, net and tax candidates (the net and the tax
may be absent) is scored: the sum of their scores, plus ``CONSISTENT_BONUS`` when net + tax =
total to the cent (or net + tax less a tax withheld at source, or plus a tip or service
charge, printed above the total: ``amount_context.total_adjustments``), minus
``MISMATCH_PENALTY`` when they are all there and do not add up, and
minus ``IMPOSSIBLE_PENALTY`` for a net or a tax above the total; of several combinations that
add up (a sum per VAT rate, then the grand total) the one with the largest total gets
``GRAND_BONUS``. The best combination wins.
An amount that may begin with a currency sign OCR read as a digit ("9164.34") is also tried
without it, at a small cost (method ``reconciled``): the arithmetic decides. A tax printed
only per rate ("USt 7% 19,25", "USt 19% 37,62") is offered as total - net (method
``arithmetic``, no box) when two or three tax lines add up to it. A net total that is not printed, beside a
labelled total and tax ("Beitrag inkl. 19 % Versicherungsteuer 220,00 / enthaltene
Versicherungsteuer 35,13"), is implied as total - tax (method ``arithmetic``). A total
that is another one plus a balance carried from earlier bills is no total
(``carried_balance``); a page that carries its sum over to the next one has no amounts at
all (``page_carry``).

Receipts add evidence of their own:

- **rounding**: a total below a rounding adjustment ("ROUNDING ADJ -0.02") scores more, more
  still when it is an earlier total +- the adjustment (then even a "NETT TOTAL" there is the
  total), and net + tax + the adjustment = total adds up for a total printed below it;
- **payment**: the cash tendered less the change is the amount paid: a total of that value
  scores ``PAID_BONUS`` more, an amount of that value without a total label becomes a total
  candidate (method ``arithmetic``). Cash, change and "Total Qty" are never totals;
- **per-rate totals**: a total printed below the chosen one that is it plus one or two other
  totals ("TOTAL 6% SUPPLIES 15.26", "TOTAL 0% SUPPLIES 26.61", "TOTAL PAYABLE 41.87") is
  the grand total, with the net and tax that add up to it if any; of several sums that add
  up the largest in magnitude wins (a credit note's are negative);
- **lost labels**: with no convincing labelled total, an amount equal to a labelled net +
  tax is one (``arithmetic``); with no total at all, a net total with no tax on it is the
  total at half its confidence (so it is reviewed).
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from ocr_gateway.processing.extraction import (
    amount_context,
    amount_receipts,
    amount_taxes,
    carried_balance,
    page_carry,
    rounded_total,
    tax_summary,
)
from ocr_gateway.processing.extraction.amount_scored import CENT, ROUNDED_NET_FACTOR, Scored
from ocr_gateway.processing.extraction.candidates import Candidate
from ocr_gateway.processing.extraction.evidence import EvidenceFinder
from ocr_gateway.processing.extraction.scoring import MIN_SCORE, confidence, role_score
from ocr_gateway.processing.totals import SYMBOL_MISREADS

ROLES = ("total", "subtotal", "tax")
TOP = 10  # candidates per role tried in combination (11 x 11 x 11 at most)
WEAK_FACTOR = 0.6
LARGEST_BONUS = 0.1
ROUNDED_BONUS = 0.3
ROUNDED_MATCH_BONUS = 0.2  # and it is an earlier total plus or minus the adjustment
DERIVED_CONFIDENCE = 0.8
IMPLIED_MIN_SCORE = 0.6  # a tax labelled as such, near its value
IMPLIED_FACTOR = 0.8
REPAIR_COST = 0.15
BRACKET_COST = 0.1
CONSISTENT_BONUS = 0.6
GRAND_BONUS = 0.5  # the largest of several consistent sums: the grand total
ROUNDED_SUM_BONUS = 0.05  # net + tax + rounding = total: the rounded total beats the unrounded
MISMATCH_PENALTY = 0.3
IMPOSSIBLE_PENALTY = 1.0
NET_AS_TOTAL_FACTOR = 0.5  # below the default review threshold however sure the net is
GRAND_MIN = 0.5  # a grand total of per-rate sums is labelled at least this well


@dataclass(frozen=True, slots=True)
class AmountChoice:
    role: str
    candidate: Candidate | None  # None: derived
    value: Decimal
    confidence: float
    method: str  # label | arithmetic


def choose_amounts(amounts: Sequence[Candidate], finder: EvidenceFinder) -> dict[str, AmountChoice]:
    if page_carry.continues(finder.page):
        return {}  # the totals are on the last page
    out = _chosen(amounts, finder)
    if amount_context.is_credit_note(finder.hits):
        return {role: _as_credit(choice) for role, choice in out.items()}
    return out


def _as_credit(choice: AmountChoice) -> AmountChoice:
    """A credit note's amount as EN 16931 states it: positive (``amount_context``)."""
    return dataclasses.replace(choice, value=amount_context.magnitude(choice.value))


def _chosen(amounts: Sequence[Candidate], finder: EvidenceFinder) -> dict[str, AmountChoice]:
    scored = _scored(amounts, finder)
    summary = tax_summary.find_summary(finder.page, finder.hits, amounts)
    if summary is not None:
        scored = amount_taxes.with_summary(
            scored, summary, amounts, amount_receipts.rounding_values(amounts, finder)
        )
    amount_taxes.with_included_tax(scored, finder)
    amount_taxes.with_per_rate(scored, amounts, finder)
    amount_taxes.with_gst_halves(scored, amounts, finder)
    scored["tax"] += amount_taxes.derived_taxes(scored)
    scored["tax"] += amount_taxes.zero_taxes(scored, finder)
    best = _best_combination(
        scored,
        amount_receipts.rounding_values(amounts, finder),
        [(a.gap, a.line) for a in amount_context.total_adjustments(amounts, finder)],
    )
    if best is None:
        return {}
    chosen, consistent = best
    grand = _sum_of_totals(chosen[0], scored["total"])
    if grand is not None:
        # The chosen sum is one band of several ("TOTAL 6% SUPPLIES (INC. GST)"); its net
        # and tax are that band's, not the invoice's: those of the grand total, if printed.
        chosen, consistent = (grand, *_parts_of(grand, scored)), True
    out = {
        role: _choice(role, item, scored, consistent=consistent, complete=all(chosen))
        for role, item in zip(ROLES, chosen, strict=True)
        if item is not None
    }
    net = _implied_net(chosen)
    if net is not None:
        out["subtotal"] = net
    total = _total_of_net(out)
    if total is not None:
        out["total"] = total
    return out


def _total_of_net(out: dict[str, AmountChoice]) -> AmountChoice | None:
    """No total found, a net total and no tax on it (none printed, or 0.00): the total is
    the net total (a receipt whose "TOTAL" label OCR lost), method ``arithmetic``, at
    ``NET_AS_TOTAL_FACTOR`` of its confidence (marked for review at the default threshold)."""
    net, tax = out.get("subtotal"), out.get("tax")
    if "total" in out or net is None or net.candidate is None or net.value <= 0:
        return None
    if tax is not None and tax.value != 0:
        return None
    conf = net.confidence * NET_AS_TOTAL_FACTOR
    return AmountChoice("total", net.candidate, net.value, conf, "arithmetic")


def _parts_of(
    total: Scored, scored: dict[str, list[Scored]]
) -> tuple[Scored | None, Scored | None]:
    """The best-scored net and tax that add up to ``total``, or neither."""
    pairs = [
        (net, tax)
        for net in scored["subtotal"]
        for tax in scored["tax"]
        if net.key != tax.key and abs(net.value + tax.value - total.value) <= CENT
    ]
    if not pairs:
        return None, None
    return max(pairs, key=lambda pair: pair[0].score + pair[1].score)


def _sum_of_totals(total: Scored | None, totals: Sequence[Scored]) -> Scored | None:
    """A total printed below ``total`` that is ``total`` plus one or two other totals printed
    above the grand one ("TOTAL 6% SUPPLIES 15.26", "TOTAL 0% SUPPLIES 26.61", "TOTAL PAYABLE 41.87"): the
    grand total of per-rate sums, at least as well labelled as a generic "Total"."""
    if total is None or total.candidate is None:
        return None
    line = total.candidate.line
    for grand in totals:
        if grand.candidate is None or grand.candidate.line <= line or grand.score < GRAND_MIN:
            continue
        others = [
            s
            for s in totals
            if s.candidate and s.candidate.line < grand.candidate.line and s.key != total.key
        ]
        for size in (1, 2):
            for parts in itertools.combinations(others, size):
                values = {p.value for p in parts}
                if (
                    len(values) == size
                    and 0 not in values
                    and total.value + sum(values) == grand.value
                ):
                    return grand
    return None


def _implied_net(chosen: tuple[Scored | None, ...]) -> AmountChoice | None:
    """A net total that is only implied: total - tax, when both are printed and labelled."""
    total, net, tax = chosen
    if net is not None or total is None or tax is None or tax.candidate is None:
        return None
    if total.candidate is None:
        return None
    # A tax of 0.00 ("VAT (19%) 0.00", "No VAT charged") leaves the net equal to the total.
    if not (0 <= tax.value < total.value) or tax.score < IMPLIED_MIN_SCORE:
        return None
    assert total.candidate is not None
    ocr = min(total.candidate.confidence, tax.candidate.confidence)
    conf = confidence(min(total.score, tax.score), 0.0, ocr) * IMPLIED_FACTOR
    return AmountChoice("subtotal", None, total.value - tax.value, conf, "arithmetic")


def _choice(
    role: str, item: Scored, scored: dict[str, list[Scored]], *, consistent: bool, complete: bool
) -> AmountChoice:
    rivals = [s.score for s in scored[role] if s.value != item.value]
    score = item.score + (0.3 if consistent else 0.0)
    ocr = item.candidate.confidence if item.candidate else DERIVED_CONFIDENCE
    conf = confidence(score, max(rivals, default=0.0), ocr)
    if not consistent and complete:
        conf *= 0.6
    method = "label" if item.candidate and not item.paid else "arithmetic"
    return AmountChoice(
        role, item.candidate, item.value, conf, "reconciled" if item.repaired else method
    )


def _scored(amounts: Sequence[Candidate], finder: EvidenceFinder) -> dict[str, list[Scored]]:
    out: dict[str, list[Scored]] = {role: [] for role in ROLES}
    for amount in amounts:
        scores = finder.role_scores(amount)
        for value, repaired, cost in _readings(amount):
            for role in ROLES:
                score = role_score(scores, role) * (1.0 if amount.strong else WEAK_FACTOR)
                score -= cost
                if score >= MIN_SCORE:
                    out[role].append(Scored(amount, value, score, repaired))
    out["total"] = amount_receipts.without_balances(out["total"], finder)
    out["total"] = carried_balance.without_carried(out["total"], finder.page, amounts)
    out["total"] += [  # "ROUNDING 42.35" under "ROUNDING ADJ .02": the total after it
        Scored(c, value, score)
        for c, value, score in rounded_total.rounded_totals(
            amounts,
            finder,
            [(s.value, s.score) for s in out["total"]],
            amount_receipts.adjustments(amounts, finder),
        )
    ]
    # the payment backs a rounded total as it backs a labelled one
    out["total"] = amount_receipts.paid_totals(amounts, finder, out["total"])
    out["total"] += amount_receipts.summed_totals(
        amounts, out, [r for r, _ in amount_receipts.rounding_values(amounts, finder)]
    )
    out["total"] = amount_receipts.column_paid(amounts, finder, out["total"])
    totals = out["total"]
    if totals:
        rounded = amount_receipts.rounding_lines(finder)
        adjustments = {abs(r) for r, _ in amount_receipts.rounding_values(amounts, finder)}
        values = {s.value for s in totals}
        # A "net" amount below the rounding adjustment that is a total +- the adjustment is
        # the rounded total ("TOTAL AMOUNT 8.48", "ROUNDING 0.02", "NETT TOTAL 8.50").
        moved = [
            s
            for s in out["subtotal"]
            if amount_receipts.rounded_from(s, values, adjustments, rounded)
        ]
        totals += [dataclasses.replace(s, score=s.score * ROUNDED_NET_FACTOR) for s in moved]
        out["subtotal"] = [s for s in out["subtotal"] if s not in moved]
        largest = max(s.value for s in totals)
        out["total"] = [
            dataclasses.replace(
                s,
                score=s.score
                + (LARGEST_BONUS if s.value == largest else 0)
                + (
                    ROUNDED_BONUS
                    if s.candidate and any(r < s.candidate.line for r in rounded)
                    else 0
                )
                + (
                    ROUNDED_MATCH_BONUS
                    if amount_receipts.rounded_from(s, values, adjustments, rounded)
                    else 0
                ),
            )
            for s in totals
        ]
    return {role: sorted(items, key=lambda s: -s.score)[:TOP] for role, items in out.items()}


def _readings(amount: Candidate) -> list[tuple[Decimal, bool, float]]:
    """``(value, repaired, cost)``: the amount as read; when it may start with a currency
    sign OCR read as a digit ("$164.34" -> "9164.34"), without that digit; when it is in
    brackets, also as an aside rather than a negative ("(35,13 €)")."""
    value = Decimal(amount.normalized)
    readings = [(value, False, 0.0)]
    raw = amount.text.lstrip()
    whole = amount.normalized.lstrip("-").split(".")[0]
    if amount.currency is None and raw[:1] in SYMBOL_MISREADS and len(whole) > 1:
        readings.append((Decimal(amount.normalized.replace(raw[0], "", 1)), True, REPAIR_COST))
    if value < 0 and amount.bracketed:
        readings.append((-value, False, BRACKET_COST))
    return readings


def _best_combination(
    scored: dict[str, list[Scored]],
    rounding: Sequence[tuple[Decimal, int]] = (),
    adjusted: Sequence[tuple[Decimal, int]] = (),
) -> tuple[tuple[Scored | None, ...], bool] | None:
    totals: list[Scored | None] = [*scored["total"]] or [None]
    combos = [
        (combo, *_objective(combo, rounding, adjusted))
        for combo in itertools.product(totals, [*scored["subtotal"], None], [*scored["tax"], None])
        if any(combo)
    ]
    if not combos:
        return None
    # Of several sums that add up (one per VAT rate, then the grand one), the largest; a
    # total that adds up only after the rounding adjustment is the one paid, below it.
    sums = [c[0].value for c, _, ok, _ in combos if ok and c[0] is not None]
    grand = max(sums, key=abs, default=None)  # a credit note's grand total is the most negative
    best = max(combos, key=lambda item: _ranked(item, grand))
    return best[0], best[2]


def _ranked(
    item: tuple[tuple[Scored | None, ...], float, bool, bool], grand: Decimal | None
) -> float:
    combo, value, consistent, rounded = item
    total = combo[0]
    grand_total = consistent and total is not None and (total.value == grand or rounded)
    return value + (GRAND_BONUS if grand_total else 0.0) + (ROUNDED_SUM_BONUS if rounded else 0.0)


def _objective(
    combo: tuple[Scored | None, ...],
    rounding: Sequence[tuple[Decimal, int]] = (),
    adjusted: Sequence[tuple[Decimal, int]] = (),
) -> tuple[float, bool, bool]:
    """``(score, consistent, consistent only with the rounding adjustment)``; a total below a
    tax withheld at source or a tip (``adjusted``: what each makes total - net - tax, and
    its line) may be net + tax less or plus it."""
    total, net, tax = combo
    value = sum(s.score for s in combo if s is not None)
    keys = [s.key for s in combo if s is not None]
    if len(set(keys)) < len(keys) and not (tax is None and net is not None and total is not None):
        return value - IMPOSSIBLE_PENALTY, False, False
    if total is None:
        return value, False, False
    if net is not None and tax is not None:
        gap = total.value - net.value - tax.value
        below = [r for r, line in rounding if total.candidate and total.candidate.line > line]
        # The rounding first: a total a cent off net + tax below a one-cent adjustment is
        # the rounded one ("112.36", "ROUNDING ADJ -0.01", "TOTAL 112.35"), not a slip.
        if gap != 0 and any(abs(abs(gap) - abs(r)) < CENT / 2 for r in below):
            return value + CONSISTENT_BONUS, True, True
        if abs(gap) <= CENT:
            return value + CONSISTENT_BONUS, True, False
        line = total.candidate.line if total.candidate else -1
        for made, above in adjusted:
            if above >= line:
                continue
            if abs(gap - made) <= CENT:
                return value + CONSISTENT_BONUS, True, False
            # A service charge and then the rounding ("SERV. CHARGE (10%) 5.62", "ROUNDING
            # ADJ 0.02", "TOTAL 65.55"): the rounded total, as without the charge.
            if any(abs(abs(gap - made) - abs(r)) < CENT / 2 for r in below):
                return value + CONSISTENT_BONUS, True, True
        value -= MISMATCH_PENALTY
    for part in (net, tax):
        if part is not None and abs(part.value) > abs(total.value) + CENT:
            value -= IMPOSSIBLE_PENALTY
        elif part is not None and part.value * total.value < 0:
            value -= IMPOSSIBLE_PENALTY  # a negative tax on a positive total
    return value, False, False
