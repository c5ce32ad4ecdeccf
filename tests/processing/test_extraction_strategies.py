"""Extraction strategies on hand-built OCR results: labels, regexes, regions, currencies."""

from __future__ import annotations

from typing import Any

import pytest

from ocr_gateway.processing.builtin_templates import GENERIC_INVOICE_TEMPLATE
from ocr_gateway.processing.extraction import extract_fields
from ocr_gateway.processing.result import OcrLine, OcrResult, OcrWord
from ocr_gateway.processing.template import TemplateError

Cell = tuple[int, str]  # (x where the text starts, text)


def page(*rows: list[Cell], confidence: float = 0.9) -> OcrResult:
    """Rows of cells; each cell's words are 12 px per character with 8 px spaces."""
    lines = []
    for y, row in enumerate(rows):
        words = []
        for x, text in row:
            for token in text.split():
                box = (x, 100 + 40 * y, x + 12 * len(token), 124 + 40 * y)
                words.append(OcrWord(token, confidence, box))
                x += 12 * len(token) + 8
        lines.append(OcrLine.of(words))
    return OcrResult.of(lines, width=1240, height=1754, timings={})


def template(**field: Any) -> dict[str, Any]:
    return {"fields": [{"name": "f", "type": "string", **field}], "options": {}}


def test_two_label_value_pairs_on_one_visual_line() -> None:
    result = page(
        [(90, "Bill To:"), (700, "Invoice No:"), (880, "INV_2024_0042")],
        [(90, "Contoso Ltd"), (700, "Invoice Date:"), (880, "March 01, 2024")],
        [(700, "Due Date:"), (880, "March 31, 2024")],
    )
    found = extract_fields(result, GENERIC_INVOICE_TEMPLATE)
    assert found.fields["invoiceNumber"].normalized_value == "INV_2024_0042"
    assert found.fields["invoiceDate"].normalized_value == "2024-03-01"
    assert found.fields["dueDate"].normalized_value == "2024-03-31"
    number = found.fields["invoiceNumber"]
    assert number.method == "label"
    assert number.box == (880, 100, 880 + 12 * 13, 124)
    assert number.confidence == pytest.approx(0.9)  # "Invoice No:" beside it, no rival


def test_a_value_below_its_label() -> None:
    result = page(
        [(100, "Invoice Date"), (500, "Due Date")], [(100, "2024-05-01"), (500, "2024-05-31")]
    )
    found = extract_fields(result, GENERIC_INVOICE_TEMPLATE).values()
    assert (found["invoiceDate"], found["dueDate"]) == ("2024-05-01", "2024-05-31")


def test_a_total_column_header_loses_to_the_total_line() -> None:
    result = page(
        [(100, "Item"), (900, "Total")],
        [(100, "Widget"), (900, "$40.00")],
        [(700, "Total"), (900, "$43.20")],
    )
    assert extract_fields(result, GENERIC_INVOICE_TEMPLATE).values()["total"] == "43.20"


def test_a_label_inside_a_phrase_is_not_a_label() -> None:
    # "Tax" in "Sales Tax" starts no cell; the "Sales Tax" label matches instead, and
    # "Tax ID" gives no money-looking value.
    result = page([(100, "Tax ID: 91-4412078")], [(100, "Sales Tax (8.25%)"), (900, "$164.34")])
    assert extract_fields(result, GENERIC_INVOICE_TEMPLATE).values()["tax"] == "164.34"


def test_european_amounts_and_dates() -> None:
    result = page(
        [(700, "Invoice Date:"), (880, "15.11.2024")],
        [(720, "Subtotal"), (1000, "2.446,20 €")],
        [(720, "VAT (19%)"), (1000, "464,78 €")],
        [(720, "Total"), (1000, "2.910,98 €")],
    )
    found = extract_fields(result, GENERIC_INVOICE_TEMPLATE).values()
    assert found["invoiceDate"] == "2024-11-15"
    assert (found["subtotal"], found["tax"], found["total"]) == ("2446.20", "464.78", "2910.98")
    assert found["currency"] == "EUR"  # from the page's currency signs


def test_pound_signs_read_as_e() -> None:
    result = page([(720, "Total"), (1000, "E483.00")])
    found = extract_fields(result, GENERIC_INVOICE_TEMPLATE)
    assert found.values()["total"] == "483.00"
    assert found.values()["currency"] == "GBP"
    assert found.fields["currency"].method == "amount"  # the total's own sign


def test_the_default_currency_when_the_page_shows_none() -> None:
    found = extract_fields(page([(720, "Total"), (1000, "483.00")]), GENERIC_INVOICE_TEMPLATE)
    assert found.fields["currency"].normalized_value == "USD"
    assert found.fields["currency"].method == "default"
    assert found.fields["currency"].confidence == 0
    assert found.fields["currency"].box is None


def test_vendor_name_from_the_top_of_the_page() -> None:
    result = page(
        [(90, "Northwind Traders"), (900, "INVOICE")],
        [(90, "1200 Harbor Way")],
        [(700, "Invoice No:"), (880, "A-17")],
    )
    found = extract_fields(result, GENERIC_INVOICE_TEMPLATE).fields["vendorName"]
    assert found.normalized_value == "Northwind Traders"
    assert found.method == "layout"
    assert 0 < found.confidence < 0.9  # no label and no legal form: less than the OCR's


def test_regex_only_field_takes_the_first_group() -> None:
    result = page([(100, "Order ref PO-7781 dated today")])
    found = extract_fields(result, template(regex=r"\b(PO-\d+)")).fields["f"]
    assert (found.value, found.method) == ("PO-7781", "regex")
    assert found.confidence == pytest.approx(0.72)


def test_region_only_field() -> None:
    result = page([(100, "top left")], [(1000, "right side")])
    region = {"x": 0.5, "y": 0, "width": 0.5, "height": 0.5}
    found = extract_fields(result, template(region=region)).fields["f"]
    assert (found.normalized_value, found.method) == ("right side", "region")


def test_a_region_restricts_labels_too() -> None:
    result = page([(100, "Total"), (300, "$1.00")], [(700, "Total"), (900, "$2.00")])
    region = {"x": 0.5, "y": 0, "width": 0.5, "height": 1}
    fields = {"fields": [{"name": "t", "type": "amount", "labels": ["Total"], "region": region}]}
    assert extract_fields(result, fields).values() == {"t": "2.00"}


def test_noisy_labels_still_match() -> None:
    result = page([(100, "lnvoice N0:"), (300, "X-1")], [(100, "Subtota1"), (300, "$1.00")])
    found = extract_fields(result, GENERIC_INVOICE_TEMPLATE).values()
    assert (found["invoiceNumber"], found["subtotal"]) == ("X-1", "1.00")


def test_inconsistent_totals_are_a_warning() -> None:
    result = page(
        [(100, "Subtotal"), (900, "$10.00")],
        [(100, "Tax"), (900, "$1.00")],
        [(100, "Total"), (900, "$12.00")],
    )
    found = extract_fields(result, GENERIC_INVOICE_TEMPLATE)
    assert found.values()["total"] == "12.00"
    assert [w.code for w in found.warnings] == ["totals_mismatch"]
    assert found.to_dict()["warnings"][0]["field"] == "total"


def test_an_invalid_template_raises() -> None:
    with pytest.raises(TemplateError):
        extract_fields(page([(0, "x")]), {"fields": [{"name": "a", "type": "colour"}]})


def test_result_to_dict() -> None:
    found = extract_fields(page([(700, "Total"), (900, "$5.00")]), GENERIC_INVOICE_TEMPLATE)
    data = found.to_dict()
    total = data["fields"]["total"]
    assert total == {
        "name": "total",
        "type": "amount",
        "value": "$5.00",
        "normalizedValue": "5.00",
        "confidence": total["confidence"],
        "box": [900, 100, 960, 124],
        "method": "label",
        "needsReview": False,
    }
    assert 0.5 < total["confidence"] <= 0.9  # a generic "Total" label, OCR read at 0.9
    assert {e["field"] for e in data["errors"]} == {"invoiceNumber", "invoiceDate"}


def test_an_unreadable_value_beside_a_label_does_not_borrow_the_line_below() -> None:
    result = page(
        [(700, "Invoice Date:"), (880, "March 2024")],  # the day was lost
        [(700, "Due Date:"), (880, "March 31, 2024")],
    )
    found = extract_fields(result, GENERIC_INVOICE_TEMPLATE).values()
    assert "invoiceDate" not in found
    assert found["dueDate"] == "2024-03-31"
