"""A job's invoice data from its pages: best values, cross-page arithmetic, review flags."""

from __future__ import annotations

from typing import Any

from ocr_gateway.processing.invoice import PageFields, assemble_invoice


def field(value: str, confidence: float, **extra: Any) -> dict[str, Any]:
    return {
        "value": value,
        "normalizedValue": value,
        "confidence": confidence,
        "box": [0, 0, 10, 10],
        "method": "label",
        "needsReview": False,
        **extra,
    }


def page(number: int, page_id: str | None = None, **fields: dict[str, Any]) -> PageFields:
    return PageFields(number, {"fields": fields, "errors": [], "warnings": []}, page_id)


def test_the_most_confident_value_per_field_with_its_page() -> None:
    invoice = assemble_invoice(
        [
            page(1, "p1", invoiceNumber=field("A-1", 0.9), total=field("10.00", 0.4)),
            page(2, "p2", invoiceNumber=field("A-7", 0.5), total=field("12.00", 0.8)),
        ]
    )
    assert invoice.fields["invoiceNumber"]["normalizedValue"] == "A-1"
    assert (invoice.fields["invoiceNumber"]["page"], invoice.fields["invoiceNumber"]["pageId"]) == (
        1,
        "p1",
    )
    assert invoice.fields["total"]["normalizedValue"] == "12.00"
    assert invoice.fields["total"]["box"] == [0, 0, 10, 10]


def test_ties_go_to_the_first_page_for_headers_and_the_last_for_amounts() -> None:
    invoice = assemble_invoice(
        [
            page(2, invoiceDate=field("2024-01-02", 0.7), total=field("99.00", 0.7)),
            page(1, invoiceDate=field("2024-01-01", 0.7), total=field("50.00", 0.7)),
        ]
    )
    assert invoice.fields["invoiceDate"]["normalizedValue"] == "2024-01-01"
    assert invoice.fields["total"]["normalizedValue"] == "99.00"


def test_amounts_that_add_up_across_pages_win() -> None:
    invoice = assemble_invoice(
        [
            page(
                1, subtotal=field("100.00", 0.9), tax=field("19.00", 0.9), total=field("5.00", 0.95)
            ),
            page(2, total=field("119.00", 0.6)),
        ]
    )
    assert invoice.fields["total"]["normalizedValue"] == "119.00"
    assert invoice.warnings == ()


def test_amounts_that_never_add_up_are_a_warning() -> None:
    invoice = assemble_invoice(
        [
            page(
                1,
                subtotal=field("100.00", 0.9),
                tax=field("19.00", 0.9),
                total=field("120.00", 0.9),
            )
        ]
    )
    assert [w["code"] for w in invoice.warnings] == ["totals_mismatch"]


def test_review_below_the_threshold_or_when_the_page_said_so() -> None:
    invoice = assemble_invoice(
        [
            page(
                1,
                total=field("12.00", 0.4),
                vendorName=field("Acme", 0.9),
                currency=field("EUR", 0.9, needsReview=True),
            )
        ],
        review_threshold=0.5,
    )
    assert invoice.fields["total"]["needsReview"]
    assert not invoice.fields["vendorName"]["needsReview"]
    assert invoice.fields["currency"]["needsReview"]


def test_unprocessed_pages_contribute_nothing() -> None:
    invoice = assemble_invoice([PageFields(1, None), page(2, total=field("5.00", 0.9))])
    assert list(invoice.fields) == ["total"]
    assert invoice.fields["total"]["page"] == 2
    assert "pageId" not in invoice.fields["total"]
