"""Candidate values: amounts that stand alone, ids, dates, with their words and boxes."""

from __future__ import annotations

from ocr_gateway.processing.extraction.candidates import (
    amount_candidates,
    date_candidates,
    id_candidates,
)
from ocr_gateway.processing.extraction.locale import PageLocale
from ocr_gateway.processing.extraction.page import PageText
from tests.support.pages import page_of

DOT = PageLocale(".", True, "en", ())
COMMA = PageLocale(",", True, "de", ())


def amounts(text: str, locale: PageLocale = DOT) -> list[str]:
    return [c.normalized for c in amount_candidates(PageText.of(page_of([text])), locale)]


def ids(text: str) -> list[str]:
    page = PageText.of(page_of([text]))
    return [c.normalized for c in id_candidates(page, list(date_candidates(page, DOT)))]


def test_amounts_stand_alone() -> None:
    assert amounts("Invoice RE-20170509/505") == []
    assert amounts("Time 20:05 Total 12.50") == ["12.50"]
    assert amounts("VAT 19% 3.80") == ["3.80"]
    assert amounts("Date 05.03.2013 Total 9.90") == ["9.90"]


def test_amounts_in_the_page_locale() -> None:
    assert amounts("Summe 1.005,55", COMMA) == ["1005.55"]
    assert amounts("Netto 198,00 USt 37,62", COMMA) == ["198.00", "37.62"]


def test_spaced_decimals_from_ocr_are_joined() -> None:
    assert amounts("Total RM 88. 17") == ["88.17"]
    assert amounts("Visa RM 88 . 17") == ["88.17"]


def test_registration_numbers_are_not_amounts() -> None:
    assert amounts("GST No : 000689913856") == []
    assert amounts("Ref 1234567890123") == []


def test_currency_signs_of_many_countries() -> None:
    page = PageText.of(
        page_of(["TOTAL RM29.30", "Total Rs. 1,250.00", "Total ₹ 99.00", "CHF 12.50"])
    )
    found = [(c.normalized, c.currency) for c in amount_candidates(page, DOT)]
    assert found == [("29.30", "MYR"), ("1250.00", "INR"), ("99.00", "INR"), ("12.50", "CHF")]


def test_ids_need_a_digit_and_are_not_dates_or_amounts() -> None:
    assert ids("Invoice INV/2023/03/0008") == ["INV/2023/03/0008"]
    assert ids("Date March 01, 2024 Total 12.50") == []


def test_an_upper_case_run_split_by_ocr_is_one_candidate() -> None:
    assert "INV 2024 0042" in ids("Invoice No: INV 2024 0042")


def test_two_amounts_a_text_layer_glued_together_are_both_candidates() -> None:
    assert amounts("Steuerbetrag 163,16183,14", COMMA) == ["163.16", "183.14"]
    assert amounts("Tax 1,234.5612.00") == ["1234.56", "12.00"]


def test_one_amount_with_grouping_is_not_two() -> None:
    assert amounts("Gesamt 1.234,56", COMMA) == ["1234.56"]
    assert amounts("Total 1,234,567.00") == ["1234567.00"]
