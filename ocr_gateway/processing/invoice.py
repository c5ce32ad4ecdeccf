"""A job's invoice data, assembled from the fields extracted on each of its pages.

Pure: takes what each page stored (``ExtractionResult.to_dict()``), returns the job's
``invoiceData`` (field name -> field) and the warnings found on the way. Rules:

1. **Amounts that add up win.** When pages between them offer a subtotal, a tax and a total
   with ``subtotal + tax = total`` (to the cent), the combination with the highest summed
   confidence is taken, whatever the confidence of a value that does not fit. When no
   combination adds up, each amount follows rule 2 and a ``totals_mismatch`` warning says so.
   A page whose total is its subtotal + tax less a tax withheld at source or plus a tip or
   service charge (its extraction's ``withheld`` / ``surcharge``: "Ritenuta d'acconto",
   "Retención IRPF", "Tip") adds up with it, and the total keeps that key and amount.
2. **Otherwise the most confident value.** Ties go to the first page for header fields
   (number, dates, vendor, currency) and to the last page for amounts (totals close an
   invoice: a "Total" on page 1 is often a carried-over sum).
3. **Review.** A field is marked ``needsReview`` when its confidence is below the threshold
   (the template's ``reviewThreshold``) or its page said so.

Each field keeps ``value``, ``normalizedValue``, ``confidence``, ``box``, ``method`` and
``needsReview`` as extracted, plus ``page`` (the page number) and ``pageId`` (when given).
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from ocr_gateway.processing.template import DEFAULT_REVIEW_THRESHOLD

AMOUNT_PARTS = ("subtotal", "tax")
AMOUNT_TOTAL = "total"
AMOUNT_FIELDS = frozenset({*AMOUNT_PARTS, AMOUNT_TOTAL})
TOLERANCE = Decimal("0.01")
WITHHELD, SURCHARGE = "withheld", "surcharge"  # as ``extraction.amount_context`` keys them


@dataclass(frozen=True, slots=True)
class PageFields:
    """What one page contributes: its number, its stored extraction, its id (if any)."""

    page_number: int
    extraction: Mapping[str, Any] | None  # ExtractionResult.to_dict(), or None if not processed
    page_id: str | None = None

    def fields(self) -> dict[str, dict[str, Any]]:
        found = (self.extraction or {}).get("fields") or {}
        out = {}
        for name, value in found.items():
            entry = {**value, "page": self.page_number}
            if self.page_id is not None:
                entry["pageId"] = self.page_id
            out[name] = entry
        return out


@dataclass(frozen=True, slots=True)
class AssembledInvoice:
    fields: dict[str, dict[str, Any]]  # the job's invoiceData
    warnings: tuple[dict[str, str], ...] = ()  # {"field", "code", "message"}


def assemble_invoice(
    pages: Sequence[PageFields], *, review_threshold: float = DEFAULT_REVIEW_THRESHOLD
) -> AssembledInvoice:
    """The job's invoice data from its pages (any order; see the module docstring)."""
    ordered = sorted(pages, key=lambda p: p.page_number)
    offers: dict[str, list[dict[str, Any]]] = {}
    for page in ordered:
        for name, entry in page.fields().items():
            offers.setdefault(name, []).append(entry)
    chosen = {name: _best(name, entries) for name, entries in offers.items()}
    warnings: list[dict[str, str]] = []
    adjusted = {page.page_number: _adjustment(page.extraction) for page in ordered}
    consistent = _consistent_amounts(offers, adjusted)
    if consistent is not None:
        chosen.update(consistent)
    elif all(name in chosen for name in AMOUNT_FIELDS):
        message = "subtotal + tax does not add up to total on any page or across pages"
        warnings.append({"field": AMOUNT_TOTAL, "code": "totals_mismatch", "message": message})
    fields = {name: _reviewed(entry, review_threshold) for name, entry in chosen.items()}
    return AssembledInvoice(fields, tuple(warnings))


def _best(name: str, entries: Sequence[dict[str, Any]]) -> dict[str, Any]:
    def rank(item: tuple[int, dict[str, Any]]) -> tuple[float, int]:
        index, entry = item
        order = index if name in AMOUNT_FIELDS else -index
        return (float(entry.get("confidence") or 0.0), order)

    return max(enumerate(entries), key=rank)[1]


def _consistent_amounts(
    offers: Mapping[str, list[dict[str, Any]]],
    adjusted: Mapping[int, tuple[str, Decimal] | None],
) -> dict[str, Any] | None:
    """The best-scored subtotal, tax and total that add up (or whose total is the two less
    the tax withheld, or plus the tip, on the total's page, kept on the total); None if
    none."""
    names = (*AMOUNT_PARTS, AMOUNT_TOTAL)
    if not all(offers.get(name) for name in names):
        return None
    best: tuple[float, tuple[dict[str, Any], ...]] | None = None
    for combo in itertools.product(*(offers[name] for name in names)):
        values = [_decimal(entry.get("normalizedValue")) for entry in combo]
        if any(v is None for v in values):
            continue
        subtotal, tax, total = values
        assert subtotal is not None
        assert tax is not None
        assert total is not None
        gap = total - subtotal - tax
        adjustment = adjusted.get(combo[2].get("page"))  # type: ignore[arg-type]
        if abs(gap) > TOLERANCE:
            if adjustment is None or abs(gap - _gap_of(adjustment)) > TOLERANCE:
                continue
            kind, value = adjustment
            combo = (*combo[:2], {**combo[2], kind: f"{value:f}"})
        score = sum(float(entry.get("confidence") or 0.0) for entry in combo)
        if best is None or score > best[0]:
            best = (score, combo)
    return dict(zip(names, best[1], strict=True)) if best else None


def _adjustment(extraction: Mapping[str, Any] | None) -> tuple[str, Decimal] | None:
    """A page's tax withheld at source or tip, as its extraction stored it."""
    for kind in (WITHHELD, SURCHARGE):
        value = _decimal((extraction or {}).get(kind))
        if value is not None:
            return kind, value
    return None


def _gap_of(adjustment: tuple[str, Decimal]) -> Decimal:
    """What the adjustment makes total - subtotal - tax."""
    kind, value = adjustment
    return value if kind == SURCHARGE else -value


def _reviewed(entry: dict[str, Any], threshold: float) -> dict[str, Any]:
    low = float(entry.get("confidence") or 0.0) < threshold
    return {**entry, "needsReview": bool(entry.get("needsReview")) or low}


def _decimal(value: Any) -> Decimal | None:
    try:
        return Decimal(str(value)) if value is not None else None
    except InvalidOperation:
        return None
