"""A receipt's own number, and the numbers that are not it: the shop's registration number,
the cashier's, a label glued into a run of capitals."""

from __future__ import annotations

from ocr_gateway.processing.builtin_templates import GENERIC_INVOICE_TEMPLATE
from ocr_gateway.processing.extraction import extract_fields
from tests.support.pages import page_of


def number(*rows: str) -> str | None:
    found = extract_fields(page_of(list(rows)), GENERIC_INVOICE_TEMPLATE).values()  # type: ignore[arg-type]
    return found.get("invoiceNumber")


def test_a_bracketed_registration_number_is_no_invoice_number() -> None:
    assert number("KEDAI BUKU MAJU SDN BHD", "(CO. NO. 204817-K)", "TOTAL 12.00") is None
    assert number("KEDAI BUKU MAJU SDN BHD (204817-K)", "TOTAL 12.00") is None


def test_the_number_after_co_no_is_the_company_s() -> None:
    assert number("TAX INVOICE", "Bayu Makan Sdn Bhd", "Co No 772301-T") is None
    assert number("TAX INVOICE", "Bayu Makan Sdn Bhd", "Co. Reg. No: 201801012345") is None
    assert number("BAYU MAKAN SDN BHD", "CO NO 201801012345", "TOTAL 9.00") is None


def test_the_receipt_number_stays_beside_a_registration_number() -> None:
    rows = ("KEDAI BUKU MAJU SDN BHD", "(CO. NO. 204817-K)", "RECEIPT NO: CS10045", "TOTAL 8.00")
    assert number(*rows) == "CS10045"


def test_a_cashier_label_and_its_number_are_no_invoice_number() -> None:
    assert number("TAX INVOICE", "CASHIER: 212", "TOTAL 50.00") is None


def test_a_run_of_capitals_stops_before_a_label_and_a_date() -> None:
    # without the stop, "CS00771 DATE: 31/03/2017" was read as one number
    assert number("TAX INVOICE", "RECEIPT #: CS00771 DATE: 31/03/2017", "TOTAL 4.90") == "CS00771"
