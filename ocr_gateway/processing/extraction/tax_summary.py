"""A receipt's tax summary: the small table a till prints below the payment.

    GST SUMMARY           Amount(RM)   Tax(RM)
    SR @ 6%                  22.64       1.36
    Z  @ 0%                   5.00       0.00

Its header names the tax and says "summary" (OCR-tolerantly: "GST Sunwary", "8st
SUMMARY", "GST Stmary"); its rows, up to ``MAX_ROWS`` lines below, print a tax code, a
rate, the amount without tax and the tax: of two or more amounts on a row, the last is the
tax and the one before it the net (a rate printed as "6.00" comes first; numbers without
two decimals are rates or codes, never one of the two). A "Total" row
sums the rows above it; otherwise the rows add up. None of these amounts is the receipt's
total: net + tax is (``amounts.py`` scores what the summary says).
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from ocr_gateway.processing.extraction.candidates import Candidate
from ocr_gateway.processing.extraction.labels import LabelHit, cached_fold
from ocr_gateway.processing.extraction.page import PageText

MAX_ROWS = 5
SUMMARY_RATIO = 0.7  # "sunwary", "stmary", "summan" are OCR's "summary"
_TAX_WORDS = frozenset({"gst", "sst", "vat", "tax", "taxes", "mwst", "tva", "iva", "btw"})


@dataclass(frozen=True, slots=True)
class TaxSummary:
    lines: frozenset[int]  # the header and its rows
    nets: tuple[Candidate, ...]
    taxes: tuple[Candidate, ...]

    @property
    def net(self) -> Decimal:
        return sum((Decimal(c.normalized) for c in self.nets), Decimal(0))

    @property
    def tax(self) -> Decimal:
        return sum((Decimal(c.normalized) for c in self.taxes), Decimal(0))


def find_summary(
    page: PageText, hits: Sequence[Sequence[LabelHit]], amounts: Sequence[Candidate]
) -> TaxSummary | None:
    """The page's tax summary, or None (no header, or no row of net and tax below it)."""
    header = next((line.index for line in page.lines if _is_header(page, line.index)), None)
    if header is None:
        return None
    by_line: dict[int, list[Candidate]] = {}
    for amount in amounts:
        by_line.setdefault(amount.line, []).append(amount)
    rows: list[tuple[Candidate, Candidate]] = []
    lines = {header}
    for index in range(header + 1, min(header + 1 + MAX_ROWS, len(page.lines))):
        text = page.lines[index].text
        if rows and not any(c.isdigit() for c in text) and sum(c.isalpha() for c in text) > 2:
            break  # the rows end; before them, column headers ("Tax Code | % | Amt", "(RM)")
        lines.add(index)
        found = sorted((c for c in by_line.get(index, []) if c.strong), key=lambda c: c.start)
        if len(found) < 2:
            continue
        if _total_row(hits[index]):
            rows = [(found[-2], found[-1])]  # the summary's own total of its rows
            break
        rows.append((found[-2], found[-1]))
    if not rows:
        return None
    return TaxSummary(frozenset(lines), tuple(n for n, _ in rows), tuple(t for _, t in rows))


def _is_header(page: PageText, index: int) -> bool:
    words = [cached_fold(w.text) for w in page.lines[index].words]
    if not any(_summary_word(w) for w in words):
        return False
    nearby = words + [
        cached_fold(w.text)
        for w in (page.lines[index + 1].words if index + 1 < len(page.lines) else ())
    ]
    return any(_tax_word(w) for w in nearby)


def _summary_word(word: str) -> bool:
    if word == "summary":
        return True
    return (
        len(word) >= 5 and difflib.SequenceMatcher(None, word, "summary").ratio() >= SUMMARY_RATIO
    )


def _tax_word(word: str) -> bool:
    """A tax's name, also with OCR's first letter wrong ("8st", "iax") or glued to "(RM)"."""
    return any(
        word == t or (len(word) == len(t) == 3 and word[1:] == t[1:]) for t in _TAX_WORDS
    ) or any(word.startswith(t) and len(word) <= len(t) + 4 for t in ("tax", "gst", "vat"))


def _total_row(hits: Sequence[LabelHit]) -> bool:
    return any(h.role == "total" for h in hits)


CASH_STEP = Decimal("0.05")  # cash rounding: to five cents (MYR, CHF, AUD, CAD, ...)


def totals(summary: TaxSummary, rounding: Sequence[Decimal]) -> list[Decimal]:
    """The totals the summary implies, the one paid first: net + tax moved by a rounding
    adjustment printed on the page to a multiple of ``CASH_STEP`` ("144.68 + 8.68",
    "ROUNDING 0.01": 153.35), then net + tax itself (printed too, above the rounding)."""
    total = summary.net + summary.tax
    rounded = [
        value
        for adjustment in rounding
        for value in (total + abs(adjustment), total - abs(adjustment))
        if value > 0 and value % CASH_STEP == 0 and total % CASH_STEP != 0
    ]
    return [*dict.fromkeys(rounded), total]
