"""Receipt dates OCR misread with look-alike letters, read back (``date_ocr.py``), and
Malay month names."""

from __future__ import annotations

import pytest

from ocr_gateway.processing.builtin_templates import GENERIC_INVOICE_TEMPLATE
from ocr_gateway.processing.extraction import extract_fields
from ocr_gateway.processing.extraction.date_ocr import ocr_dates, repaired
from tests.support.pages import page_of


def invoice_date(*rows: str, confidence: float = 0.9) -> str | None:
    page = page_of(list(rows), confidence=confidence)
    return extract_fields(page, GENERIC_INVOICE_TEMPLATE).values().get("invoiceDate")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("read", "meant"),
    [
        ("DATE: 0l/02/2018", "DATE: 01/02/2018"),
        ("DATE 12/03/2O18 14:02", "DATE 12/03/2018 14:02"),
        ("2018-03-I8", "2018-03-18"),
        ("25/O4/2018", "25/04/2018"),
        ("2S/04/2018", "25/04/2018"),
        ("Date: 15 Jan 2O18", "Date: 15 Jan 2018"),
        ("19/02/*2018", "19/02/2018 "),
    ],
)
def test_look_alike_letters_in_a_date_are_its_digits(read: str, meant: str) -> None:
    assert repaired(read) == meant


@pytest.mark.parametrize(
    "text",
    ["SOLD/BY/ISSB", "Tel 03-I234 5678", "DOC 12/OD/IIII", "1O/1O/1O", "INV 2OlS-1"],
)
def test_codes_and_words_are_no_dates(text: str) -> None:
    assert list(ocr_dates(text)) == []


def test_a_date_printed_right_is_read_as_printed() -> None:
    assert list(ocr_dates("DATE: 12/03/2018 0l:15")) == []


def test_a_receipt_dated_with_a_misread_digit() -> None:
    rows = ("KEDAI MAJU SDN BHD", "DATE: 0l/02/2018 12:17:26 PM", "TOTAL 12.50")
    assert invoice_date(*rows) == "2018-02-01"


def test_a_text_layer_is_never_repaired() -> None:
    rows = ("KEDAI MAJU SDN BHD", "DATE: 0l/02/2018 12:17:26 PM", "TOTAL 12.50")
    assert invoice_date(*rows, confidence=1.0) is None


@pytest.mark.parametrize(
    ("printed", "iso"),
    [("3 Mac 2018", "2018-03-03"), ("12 Ogos 2018", "2018-08-12"), ("5 Dis 2017", "2017-12-05")],
)
def test_malay_month_names(printed: str, iso: str) -> None:
    assert invoice_date("KEDAI MAJU SDN BHD", f"TARIKH {printed}", confidence=1.0) == iso
