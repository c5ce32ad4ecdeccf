"""Amount and number rules: a masked card's last digits are no amount (``card_mask.py``),
CGST + SGST is the tax (``gst.py``), "Total credit" is a total, another number's label starts no
invoice number, a number header under the title heads the invoice number."""

from __future__ import annotations

import pytest

from ocr_gateway.processing.builtin_templates import GENERIC_INVOICE_TEMPLATE
from ocr_gateway.processing.extraction import extract_fields
from ocr_gateway.processing.extraction.card_mask import masked_card
from tests.support.pages import page_of


def fields(*rows: object) -> dict[str, str]:
    return extract_fields(page_of(list(rows)), GENERIC_INVOICE_TEMPLATE).values()  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "text",
    [
        "**** **** **** 1234",
        "************1234",
        "VISA ...1234",
        "•••• 1234",
        "Card ending 1234",
        "Mastercard ending in: 1234",
        "Karte endet auf 1234",
        "carte se terminant par 1234",
        "tarjeta terminada en 1234",
    ],
)
def test_masked_card_digits(text: str) -> None:
    assert masked_card(text, len(text) - 4, len(text))


@pytest.mark.parametrize(
    ("text", "amount"),
    [("Total 1234", "1234"), ("Dots ... 1234.00", "1234.00"), ("Invoice 2024 1234", "1234")],
)
def test_not_a_masked_card(text: str, amount: str) -> None:
    start = text.rindex(amount)
    assert not masked_card(text, start, start + len(amount))


def test_a_masked_card_under_the_total_header_is_not_the_total() -> None:
    found = fields(
        [(600, "Grand Total")],
        [(1000, "**** 4821")],
        [(600, "Sales Tax"), (1000, "3.60")],
        [(600, "Paid"), (1000, "$48.60")],
    )
    assert found.get("total") != "4821.00"


def test_cgst_and_sgst_halves_sum_to_the_tax() -> None:
    found = fields(
        [(600, "CGST @ 9%"), (1000, "90.00")],
        [(600, "SGST @ 9%"), (1000, "90.00")],
        [(600, "Grand Total"), (1000, "Rs. 1,180.00")],
    )
    assert (found.get("tax"), found.get("total"), found.get("currency")) == (
        "180.00",
        "1180.00",
        "INR",
    )
    assert found.get("subtotal") != "1090.00"


def test_cgst_and_utgst_rows_with_the_taxable_value_first() -> None:
    found = fields(
        [(600, "Taxable Value"), (1000, "2,500.00")],
        [(300, "CGST 2.5%"), (700, "2,500.00"), (1000, "62.50")],
        [(300, "UTGST 2.5%"), (700, "2,500.00"), (1000, "62.50")],
        [(600, "Total"), (1000, "₹2,625.00")],
    )
    assert (found.get("subtotal"), found.get("tax"), found.get("total")) == (
        "2500.00",
        "125.00",
        "2625.00",
    )


def test_igst_alone_is_the_tax() -> None:
    found = fields(
        [(600, "Sub Total"), (1000, "1,000.00")],
        [(600, "IGST 18%"), (1000, "180.00")],
        [(600, "Total"), (1000, "₹1,180.00")],
    )
    assert (found.get("subtotal"), found.get("tax"), found.get("total")) == (
        "1000.00",
        "180.00",
        "1180.00",
    )


def test_a_registration_label_and_its_number_are_no_invoice_number() -> None:
    found = fields(
        [(60, "FACTURA")],
        [(60, "Nº Factura: A-2024/015"), (700, "CIF A87654321")],
        [(600, "Total factura"), (1000, "1.060,00 €")],
    )
    assert found.get("invoiceNumber") == "A-2024/015"


def test_a_credit_notes_total_credit_is_its_total() -> None:
    found = fields(
        [(60, "CREDIT NOTE")],
        [(600, "Net"), (1000, "-£200.00")],
        [(600, "VAT 20%"), (1000, "-£40.00")],
        [(600, "Total credit"), (1000, "-£240.00")],
    )
    assert found.get("total") == "240.00"


def test_a_number_header_row_right_under_the_title() -> None:
    found = fields(
        [(60, "FATTURA")],
        [(60, "Numero"), (300, "Data"), (600, "Codice cliente")],
        [(60, "112"), (300, "15/03/2024"), (600, "C0045")],
        [(600, "Totale fattura"), (1000, "976,00")],
    )
    assert found.get("invoiceNumber") == "112"


def test_a_number_header_row_far_from_any_title_is_not_enough() -> None:
    found = fields(
        [(60, "Studio Verdi")],
        [(60, "Numero"), (300, "Data"), (600, "Codice cliente")],
        [(60, "112"), (300, "15/03/2024"), (600, "C0045")],
        [(600, "Totale"), (1000, "976,00")],
    )
    assert found.get("invoiceNumber") is None
