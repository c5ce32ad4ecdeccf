"""Field extraction on hand-built OCR results, noisy the way easyocr is noisy."""

from __future__ import annotations

from ocr_gateway.processing.builtin_templates import GENERIC_INVOICE_TEMPLATE
from ocr_gateway.processing.extraction import extract_fields
from ocr_gateway.processing.result import OcrLine, OcrResult, OcrWord


def page(*rows: str) -> OcrResult:
    """One OCR line per row, words spaced across the page, each read with 0.9 confidence."""
    lines = []
    for y, row in enumerate(rows):
        words, x = [], 40
        for text in row.split(" "):
            words.append(OcrWord(text, 0.9, (x, 40 + y * 40, x + 14 * len(text), 70 + y * 40)))
            x += 14 * len(text) + 12
        lines.append(OcrLine.of(words))
    return OcrResult.of(lines, width=1240, height=1754, timings={})


def values(result: OcrResult) -> dict[str, str | None]:
    return extract_fields(result, GENERIC_INVOICE_TEMPLATE).values()


def test_clean_invoice() -> None:
    found = values(
        page(
            "Acme Supplies Ltd",
            "Invoice No: INV_2024_0042",
            "Invoice Date: 2024-03-01",
            "Due Date: 2024-03-31",
            "Subtotal $1,000.00",
            "Tax $80.00",
            "Total $1,080.00",
        )
    )
    assert found["invoiceNumber"] == "INV_2024_0042"
    assert found["invoiceDate"] == "2024-03-01"
    assert found["dueDate"] == "2024-03-31"
    assert (found["subtotal"], found["tax"], found["total"]) == ("1000.00", "80.00", "1080.00")
    assert found["currency"] == "USD"


def test_dollar_read_as_s_and_dropped_comma() -> None:
    found = values(page("Invoice No: A-1", "Subtotal S4.11", "Tax S0.00", "Total S4.11"))
    assert found["total"] == "4.11"


def test_underscores_read_as_spaces_in_the_invoice_number() -> None:
    found = values(page("Invoice No: INV 2024 0042", "Total $5.00"))
    assert found["invoiceNumber"] in ("INV_2024_0042", "INV 2024 0042")


def test_a_currency_symbol_read_as_a_digit_is_repaired_by_the_arithmetic() -> None:
    result = extract_fields(
        page("Subtotal $1,992.00", "Sales Tax (8.25%) 9164.34", "Total $2,156.34"),
        GENERIC_INVOICE_TEMPLATE,
    )
    assert result.fields["tax"].normalized_value == "164.34"
    assert result.fields["tax"].method == "reconciled"


def test_amounts_that_add_up_are_left_alone() -> None:
    found = values(page("Subtotal $900.00", "Tax $9,100.00", "Total $10,000.00"))
    assert found["tax"] == "9100.00"


def test_missing_required_fields_are_reported_not_raised() -> None:
    result = extract_fields(page("Nothing useful here"), GENERIC_INVOICE_TEMPLATE)
    missing = {e.field for e in result.errors if e.code == "missing_required"}
    assert {"invoiceNumber", "total"} <= missing


def test_two_misread_symbols_are_repaired_together() -> None:
    found = values(page("Subtotal 51,992.00", "Sales Tax (8.25%) 9164.34", "Total $2,156.34"))
    assert (found["subtotal"], found["tax"]) == ("1992.00", "164.34")
