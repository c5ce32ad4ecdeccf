"""A receipt's tax summary ("GST SUMMARY  Amount  Tax"): its rows are the net and the tax,
never the total, and net + tax is the total when OCR garbled the total's own line."""

from __future__ import annotations

from ocr_gateway.processing.builtin_templates import GENERIC_INVOICE_TEMPLATE
from ocr_gateway.processing.extraction import extract_fields
from ocr_gateway.processing.extraction.candidates import amount_candidates
from ocr_gateway.processing.extraction.labels import Vocabulary, find_labels
from ocr_gateway.processing.extraction.locale import PageLocale
from ocr_gateway.processing.extraction.page import PageText
from ocr_gateway.processing.extraction.tax_summary import find_summary
from tests.support.pages import page_of

DOT = PageLocale(".", True, "en", ("MYR",))
Rows = list[object]


def values(rows: Rows) -> dict[str, str | None]:
    return extract_fields(page_of(rows), GENERIC_INVOICE_TEMPLATE).values()  # type: ignore[arg-type]


def summary_of(rows: Rows) -> tuple[str, str] | None:
    page = PageText.of(page_of(rows))  # type: ignore[arg-type]
    found = find_summary(
        page, find_labels(page, Vocabulary.builtin()), list(amount_candidates(page, DOT))
    )
    return (str(found.net), str(found.tax)) if found else None


GARBLED_TOTAL: Rows = [
    "KEDAI PERKAKAS MAJU ENTERPRISE",
    "RECEIPT NO: CS2201",
    [(20, "IOTAL"), (600, "24 VQ")],
    [(20, "CAsh"), (600, "S0-UQ")],
    "GST SUMMARY",
    [(20, "CODE"), (300, "AMOUNT"), (600, "TAX")],
    [(20, "SR"), (300, "22.64"), (600, "1.36")],
    [(20, "Tax Total:"), (600, "1.36")],
]


def test_the_summary_s_net_and_tax_make_the_total_when_its_line_is_garbled() -> None:
    found = values(GARBLED_TOTAL)
    assert (found.get("total"), found.get("subtotal"), found.get("tax")) == (
        "24.00",
        "22.64",
        "1.36",
    )


def test_after_a_rounding_adjustment_the_total_is_a_multiple_of_five_cents() -> None:
    rows: Rows = [
        "TED BOOK STATIONERY",
        [(20, "SUB-TOTAL (EX)"), (600, "144.88")],
        [(20, "ROUNDING"), (600, "0.01")],
        [(20, "CASH TOTAL"), (600, ":2diu")],
        "GST SUMMARY",
        [(20, "TAX CODE"), (200, "%"), (300, "AMOUNT"), (600, "TAX")],
        [(300, "(RM)"), (600, "(RM)")],
        [(20, "SR"), (200, "6.00"), (300, "144.68"), (600, "8.68")],
        [(20, "TOTAL :"), (300, "144.68"), (600, "8.68")],
    ]
    assert values(rows).get("total") == "153.35"


def test_a_total_row_of_the_summary_is_not_the_receipt_s_total() -> None:
    rows: Rows = [
        "KEDAI PERKAKAS MAJU ENTERPRISE",
        [(20, "TOTAL SALES (INCL GST)"), (600, "13.25")],
        [(20, "CASH"), (600, "20.00")],
        [(20, "CHANGE"), (600, "6.75")],
        "GST SUMMARY",
        [(20, "Tax Code"), (200, "%"), (300, "Amt (RM)"), (600, "Tax (RM)")],
        [(20, "SR"), (200, "6"), (300, "12.50"), (600, "0.75")],
        [(20, "Total"), (300, "12.50"), (600, "0.75")],
    ]
    found = values(rows)
    assert (found.get("total"), found.get("subtotal"), found.get("tax")) == (
        "13.25",
        "12.50",
        "0.75",
    )


def test_the_rows_of_a_summary_add_up_and_ocr_s_garbled_header_counts() -> None:
    rows: Rows = [
        "GST Sunwary",
        [(20, "Code"), (300, "Anount(RM)"), (600, "Tax(RM)")],
        [(20, "SR @ 6%"), (300, "77.76"), (600, "4.67")],
        [(20, "Z @ 0%"), (300, "35.92"), (600, "0.00")],
        "THANK YOU PLEASE COME AGAIN",
        [(20, "SR"), (300, "1.00"), (600, "2.00")],
    ]
    assert summary_of(rows) == ("113.68", "4.67")


def test_no_summary_without_its_header_or_its_rows() -> None:
    assert summary_of(["Order summary", [(20, "Total"), (600, "30.00")]]) is None
    assert summary_of([[(20, "SR"), (300, "77.76"), (600, "4.67")]]) is None
    assert summary_of(["GST SUMMARY", [(20, "SR 6"), (300, "77"), (600, "4.67")]]) is None
