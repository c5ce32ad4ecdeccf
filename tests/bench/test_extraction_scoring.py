"""The bench's scorer: which printed forms of an expected value count as "text present"."""

from __future__ import annotations

import pytest

from bench.extraction_scoring import DocumentResult, tally, text_present


@pytest.mark.parametrize(
    ("expected", "text"),
    [
        (51.6, "Total paid with VAT 51.6 EUR"),  # one decimal printed for 51.60
        (51.6, "Summe 51,6 €"),
        (557, "PAY:557"),  # a whole amount without cents
        (1939, "Grand Total Rs 1939"),
        (1939, "Total Rs 1,939"),
        (1939, "Gesamt 1.939 €"),
        (1234.5, "Total 1 234.50"),  # space before a decimal point
        (1234.5, "Total CHF 1'234.50"),
        (1234.5, "Total 1.234,50"),  # the forms checked before still are
    ],
)
def test_amount_printed_in_a_short_or_grouped_form_is_present(expected: float, text: str) -> None:
    assert text_present("total", expected, text)


@pytest.mark.parametrize(
    ("expected", "text"),
    [
        (51.6, "Total 51.65"),  # a longer amount holds the short form
        (557, "Order 1557"),
        (557, "Tax 5.57"),
        (557, "557.25 due"),
        (43, "IBAN 4 43 12"),  # a group of a longer space-grouped number
        (51.65, "Total 51.6"),  # 51.65 is not printed as 51.6
    ],
)
def test_short_form_inside_another_number_is_not_present(expected: float, text: str) -> None:
    assert not text_present("total", expected, text)


@pytest.mark.parametrize(
    "text",
    [
        "Invoice Date: August 3 , 2014",
        "Date: Aug 3, 2014",
        "3rd August 2014",
        "Rechnungsdatum 3. August 2014",
        "Facture du 03 août 2014",
        "Fecha: 3 de agosto de 2014",
        "Order date: 3 Aug 14",
        "03.08.2014",  # the numeric forms checked before still are
    ],
)
def test_date_printed_with_its_month_name_is_present(text: str) -> None:
    assert text_present("invoiceDate", "2014-08-03", text)


@pytest.mark.parametrize(
    "text", ["August 31, 2014", "13 August 2014", "3 August 2015", "3 September 2014"]
)
def test_other_dates_with_month_names_are_not_present(text: str) -> None:
    assert not text_present("invoiceDate", "2014-08-03", text)


def test_german_month_with_umlaut_folds() -> None:
    assert text_present("dueDate", "2021-03-07", "Fällig am 7. März 2021")


def test_tally_counts_a_one_decimal_miss_as_text_present() -> None:
    doc = DocumentResult(
        doc_id="d1",
        group="g",
        split="dev",
        expected={"total": 51.6, "tax": 8.6},
        found={"total": "43", "tax": "8.60"},
        text="Total without VAT 43 EUR\nVAT Paid 8.6 EUR\nTotal paid with VAT 51.6 EUR",
    )
    total = tally([doc], "total")
    assert (total.right, total.misses, total.missing_with_text) == (0, 1, 1)
    assert tally([doc], "tax").right == 1
