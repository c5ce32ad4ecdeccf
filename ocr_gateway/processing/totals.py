"""Check that an invoice's amounts add up, and repair currency signs OCR read as digits.

easyocr's English model often reads a small ``$`` as ``9``, ``5``, ``8`` or ``3``:
"$164.34" comes back as "9164.34", which no pattern can tell from a real amount. The invoice's
own arithmetic can: when ``parts`` (subtotal, tax) do not add up to ``total``, readings that
drop such a leading digit are tried, and the single combination with the fewest changes that
balances the sum wins (method ``reconciled``, confidence lowered). A mismatch that no repair
fixes is left as read and reported as a warning.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ocr_gateway.processing.extraction.model import ExtractedField

SYMBOL_MISREADS = ("9", "5", "8", "3")
DEFAULT_TOTAL_CHECK: tuple[str, tuple[str, ...]] = ("total", ("subtotal", "tax"))
TOLERANCE = Decimal("0.01")
REPAIRED_CONFIDENCE = 0.9


def reconcile_totals(
    fields: Mapping[str, ExtractedField],
    check: tuple[str, Sequence[str]] = DEFAULT_TOTAL_CHECK,
) -> tuple[dict[str, ExtractedField], bool]:
    """``(fields, balanced)``: fields with repairs applied, and whether the sum now holds.

    ``balanced`` is True too when the check does not apply (a field is missing or not an
    amount), so only a real mismatch is reported.
    """
    total, parts = check
    names = (*parts, total)
    if not all(n in fields and fields[n].type == "amount" for n in names):
        return dict(fields), True
    readings = [_readings(fields[n]) for n in names]
    if any(not r for r in readings):
        return dict(fields), True
    fixes = [
        {n: v for n, v, r in zip(names, combo, readings, strict=True) if v != r[0]}
        for combo in itertools.product(*readings)
        if _adds_up(combo)
    ]
    if not fixes:
        return dict(fields), False
    fewest = min(len(f) for f in fixes)
    best = [f for f in fixes if len(f) == fewest]
    if len(best) != 1:
        return dict(fields), False  # ambiguous: leave the readings alone
    repaired = dict(fields)
    for name, value in best[0].items():
        repaired[name] = dataclasses.replace(
            fields[name],
            normalized_value=f"{value:f}",
            confidence=fields[name].confidence * REPAIRED_CONFIDENCE,
            method="reconciled",
        )
    return repaired, True


def _readings(field: ExtractedField) -> list[Decimal]:
    """The amount as read, then (if the raw text starts with a look-alike digit) without it."""
    value = _decimal(field.normalized_value)
    if value is None:
        return []
    readings = [value]
    text = field.normalized_value or ""
    raw = field.value.lstrip()
    if raw[:1] in SYMBOL_MISREADS and text[:1] == raw[:1] and len(text.split(".")[0]) > 1:
        shorter = _decimal(text[1:])
        if shorter is not None:
            readings.append(shorter)
    return readings


def _adds_up(values: Sequence[Decimal]) -> bool:
    *parts, total = values
    return abs(sum(parts, Decimal(0)) - total) <= TOLERANCE


def _decimal(value: str | None) -> Decimal | None:
    try:
        return Decimal(value) if value else None
    except InvalidOperation:
        return None
