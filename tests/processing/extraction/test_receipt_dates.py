"""A receipt's date: the one the till printed with its clock time, not an item code's digits."""

from __future__ import annotations

from ocr_gateway.processing.builtin_templates import GENERIC_INVOICE_TEMPLATE
from ocr_gateway.processing.extraction import extract_fields
from tests.support.pages import page_of


def invoice_date(*rows: str) -> str | None:
    found = extract_fields(page_of(list(rows)), GENERIC_INVOICE_TEMPLATE).values()  # type: ignore[arg-type]
    return found.get("invoiceDate")


def test_a_date_with_the_time_beside_it_beats_the_first_date() -> None:
    assert (
        invoice_date(
            "BOOK FAIR @ CONVENTION HALL",
            "12 MAY - 20 MAY 2019",
            "14/05/19 18:02",
            "SLIP NO.: 8810001",
            "TOTAL RM 12.00",
        )
        == "2019-05-14"
    )


def test_a_time_glued_to_the_date_counts() -> None:
    rows = ("VALID 01/07/2021", "03/06/2021-19:44:02-11-AMINAH", "TOTAL 8.80")
    assert invoice_date(*rows) == "2021-06-03"


def test_a_date_glued_to_the_letters_of_an_item_code_is_no_date() -> None:
    rows = ("HOME STORE SDN BHD", "KT05-06-07 - 5/40", "SCREWDRIVER SET 12.90", "TOTAL 12.90")
    assert invoice_date(*rows, "02-10-19 10:15 SH01") == "2019-10-02"
    assert invoice_date(*rows, "Printed 02-10-2019") == "2019-10-02"


def test_a_date_label_ocr_glued_to_the_date_still_dates_it() -> None:
    assert invoice_date("RECEIPT", "DATE15/09/2017", "TOTAL 24.00") == "2017-09-15"
