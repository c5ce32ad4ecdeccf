"""The page's own locale: decimal separator, date order, language, currencies."""

from __future__ import annotations

from ocr_gateway.processing.extraction.labels import Vocabulary, find_labels
from ocr_gateway.processing.extraction.locale import PageLocale, infer_locale
from ocr_gateway.processing.extraction.page import PageText
from tests.support.pages import page_of


def locale_of(*rows: str, decimal_separator: str | None = None) -> PageLocale:
    page = PageText.of(page_of(list(rows)))
    hits = find_labels(page, Vocabulary.builtin())
    return infer_locale(page, hits, decimal_separator=decimal_separator)


def test_a_decimal_comma_from_the_amounts() -> None:
    assert locale_of("Total HT 46,68", "Total TTC 56,02").decimal_separator == ","
    assert locale_of("Summe 1.005,55").decimal_separator == ","
    assert locale_of("Total 1,234.50").decimal_separator == "."


def test_dates_are_not_amounts() -> None:
    assert locale_of("Datum 05.03.2013", "Total 12.50").decimal_separator == "."


def test_the_template_separator_wins() -> None:
    assert locale_of("Total 46,68", decimal_separator=".").decimal_separator == "."


def test_the_date_order_from_other_dates_on_the_page() -> None:
    assert locale_of("Invoice date 02/03/2024", "Due 25/03/2024").day_first
    assert not locale_of("Invoice date 02/03/2024", "Due 03/25/2024").day_first


def test_the_date_order_from_language_and_currency() -> None:
    assert not locale_of("Invoice date 02/03/2024", "Total $5.00").day_first
    assert locale_of("Invoice date 02/03/2024", "TOTAL RM 5.00").day_first
    assert locale_of("Rechnungsdatum 02/03/2024", "Gesamtbetrag $5.00").day_first


def test_language_and_currencies() -> None:
    found = locale_of("Rechnungsnummer 4711", "Rechnungsdatum 05.03.2024", "Gesamtbetrag 12,00 €")
    assert found.language == "de"
    assert found.currencies == ("EUR",)
    assert locale_of("Total Rs. 450.00").currencies == ("INR",)


def test_an_s_before_digits_is_no_dollar_sign() -> None:
    # OCR's "S" repaired to "$" reads amounts ("S7.10"); a lot or document number with an
    # "S" says nothing about the currency, nor that dates are month-first.
    found = locale_of("LOT S319, JALAN 1", "DOC NO: SO00022185", "DATE: 06/03/2018")
    assert found.currencies == ()
    assert found.day_first
