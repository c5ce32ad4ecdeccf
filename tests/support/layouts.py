"""A stress suite of invoice layouts, written for the tests (no document of any data set).

Each ``Layout`` is one page as a real PDF text layer (``pdfs.text_pdf``: ``(x_mm, y_mm,
text, size)`` items, read back with PDFium) and the eight fields of the generic template that
the layout *means*, written down before any extraction ran: ``total`` is the gross total
(not what is left to pay after a prepayment), ``subtotal`` the net total, ``tax`` the tax
total, ``dueDate`` the printed due or direct-debit date (where none is printed: the invoice
date plus a printed payment period, "Net 30"), ``vendorName`` the seller's name as printed;
``None`` where the page does not print it. ``score(layouts)`` counts fields right
(``bench/layout_stress.py`` prints it per field and per layout).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pytest

from ocr_gateway.processing.builtin_templates import GENERIC_INVOICE_TEMPLATE
from ocr_gateway.processing.extraction import ROLES, ExtractionResult, extract_fields
from ocr_gateway.processing.pdf import open_pdf
from tests.support.pdfs import TextItem, text_pdf

Expected = dict[str, str | None]


@dataclass(frozen=True)
class Layout:
    name: str
    items: Sequence[TextItem]
    expected: Expected

    def extraction(self) -> ExtractionResult:
        """The page read from its PDF text layer, extracted with the generic template."""
        with open_pdf(text_pdf([self.items])) as pdf:
            result = pdf.text(0)
        assert result is not None
        return extract_fields(result, GENERIC_INVOICE_TEMPLATE)

    def extracted(self) -> Expected:
        """The page's fields as the generic template extracts them (absent ones ``None``)."""
        values = self.extraction().values()
        return {role: values.get(role) for role in ROLES}

    def wrong(self) -> dict[str, tuple[str | None, str | None]]:
        """``{field: (expected, extracted)}`` for the fields extracted wrong."""
        got = self.extracted()
        return {
            role: (self.expected.get(role), got[role])
            for role in ROLES
            if got[role] != self.expected.get(role)
        }


def expected(
    number: str | None,
    date: str | None,
    due: str | None,
    total: str | None,
    net: str | None,
    tax: str | None,
    currency: str | None,
    vendor: str | None,
) -> Expected:
    """The eight fields in the order of ``ROLES``."""
    values = (number, date, due, total, net, tax, currency, vendor)
    return dict(zip(ROLES, values, strict=True))


def cases(layouts: Sequence[Layout], open_fields: Mapping[str, str]) -> list[object]:
    """``layouts`` as pytest parameters; those named in ``open_fields`` (name -> the fields
    still extracted wrong, and why) are expected to fail, strictly."""
    return [
        pytest.param(
            layout,
            id=layout.name,
            marks=[pytest.mark.xfail(reason=open_fields[layout.name], strict=True)]
            if layout.name in open_fields
            else [],
        )
        for layout in layouts
    ]
