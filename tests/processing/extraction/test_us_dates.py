"""Dates: US month-first (``us_locale.py``), written dates with a spaced comma or "of", a
receipt dated by its payment, a due date from a direct-debit sentence (``direct_debit.py``)."""

from __future__ import annotations

import pytest

from ocr_gateway.processing.builtin_templates import GENERIC_INVOICE_TEMPLATE
from ocr_gateway.processing.extraction import extract_fields
from ocr_gateway.processing.extraction.dates import find_dates
from ocr_gateway.processing.extraction.us_locale import american
from tests.support.pages import page_of


def invoice_date(*rows: object) -> str | None:
    found = extract_fields(page_of(list(rows)), GENERIC_INVOICE_TEMPLATE).values()  # type: ignore[arg-type]
    return found.get("invoiceDate")


@pytest.mark.parametrize(
    "text",
    ["August 3 , 2014", "3rd August 2014", "the 3rd of August 2014", "Aug 3rd , 2014"],
)
def test_written_dates(text: str) -> None:
    assert [d.iso for d in find_dates(text)] == ["2014-08-03"]


@pytest.mark.parametrize(
    "text",
    [
        "88 Pine Ave, Portland, OR 97204",
        "San Jose, CA 95112-4401",
        "Sales Tax (8.25%)",
        "Ship date: August 5, 2014",
    ],
)
def test_american_evidence(text: str) -> None:
    assert american(text)


@pytest.mark.parametrize(
    "text",
    [
        "Hauptstraße 5, 10115 Berlin",
        "VAT 20%",
        "Delivered 5 August 2014",
        "Unit 4, 2000 Sydney NSW",
        "OR 12345678",  # eight digits: no ZIP code
    ],
)
def test_not_american(text: str) -> None:
    assert not american(text)


def test_a_us_address_reads_an_ambiguous_date_month_first() -> None:
    assert (
        invoice_date(
            [(60, "Pine Street Plumbing")],
            [(60, "88 Pine Ave, Portland, OR 97204")],
            [(60, "Invoice Date:"), (300, "08/03/2014")],
            [(700, "Total"), (1000, "250.00")],
        )
        == "2014-08-03"
    )


def test_sales_tax_reads_an_ambiguous_date_month_first() -> None:
    assert (
        invoice_date(
            [(60, "Invoice Date:"), (300, "08/03/2014")],
            [(700, "Sales Tax"), (1000, "20.00")],
            [(700, "Total"), (1000, "270.00")],
        )
        == "2014-08-03"
    )


def test_without_us_evidence_an_english_date_stays_day_first() -> None:
    assert (
        invoice_date(
            [(60, "Invoice Date:"), (300, "08/03/2014")],
            [(700, "VAT 20%"), (1000, "20.00")],
            [(700, "Total"), (1000, "£120.00")],
        )
        == "2014-03-08"
    )


def test_an_unambiguous_date_still_decides_over_us_evidence() -> None:
    assert (
        invoice_date(
            [(60, "88 Pine Ave, Portland, OR 97204")],
            [(60, "Invoice Date:"), (300, "08/03/2014")],
            [(60, "Delivered:"), (300, "25/02/2014")],
        )
        == "2014-03-08"
    )


def test_a_receipt_dated_only_by_its_payment_date() -> None:
    assert (
        invoice_date(
            [(60, "Receipt")],
            [(60, "Receipt number"), (400, "2291-4412")],
            [(60, "Date paid"), (400, "March 3, 2024")],
            [(700, "Amount paid"), (1000, "$49.00")],
        )
        == "2024-03-03"
    )


def test_an_invoice_is_not_dated_by_a_payment_date_alone() -> None:
    assert (
        invoice_date(
            [(60, "Invoice")],
            [(60, "Invoice number"), (400, "INV-0012")],
            [(60, "Date paid"), (400, "March 3, 2024")],
            [(700, "Total"), (1000, "$49.00")],
        )
        is None
    )


def due_date(*rows: object) -> str | None:
    found = extract_fields(page_of(list(rows)), GENERIC_INVOICE_TEMPLATE).values()  # type: ignore[arg-type]
    return found.get("dueDate")


@pytest.mark.parametrize(
    "sentence",
    [
        "We'll collect £60.00 by Direct Debit on or after 26 March 2024.",
        "Der Betrag wird am 26.03.2024 von Ihrem Konto abgebucht.",
        "Le montant sera prélevé le 26/03/2024 sur votre compte.",
        "Het bedrag wordt op 26-03-2024 automatisch afgeschreven.",
    ],
)
def test_a_direct_debit_sentence_dates_the_payment(sentence: str) -> None:
    assert (
        due_date(
            [(60, "Invoice date:"), (400, "05.03.2024")],
            [(700, "Total"), (1000, "60,00")],
            [(60, sentence)],
        )
        == "2024-03-26"
    )


def test_a_sentence_without_a_debit_is_no_due_date() -> None:
    assert (
        due_date(
            [(60, "Invoice date:"), (400, "05.03.2024")],
            [(700, "Total"), (1000, "60,00")],
            [(60, "Our offices are closed on 26.03.2024.")],
        )
        is None
    )
