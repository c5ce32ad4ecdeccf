"""Typed values in noisy OCR text: amounts, numbers, dates, currencies."""

from __future__ import annotations

import pytest

from ocr_gateway.processing.normalize import (
    find_amounts,
    find_currencies,
    find_dates,
    find_numbers,
    parse_decimal,
    repair_digits,
)


def first_amount(text: str, **options: str) -> tuple[str, str | None, str]:
    found = next(find_amounts(text, **options))
    return found.normalized, found.currency, text[found.start : found.end]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("$2,156.34", ("2156.34", "USD", "$2,156.34")),
        ("S4.11", ("4.11", "USD", "S4.11")),  # "$" read as "S"
        ("s18.75", ("18.75", "USD", "s18.75")),
        ("1234.50", ("1234.50", None, "1234.50")),  # dropped thousands separator
        ("l,2O4.5O", ("1204.50", None, "l,2O4.5O")),  # l/1 and O/0 look-alikes
        ("1.480,00 €", ("1480.00", "EUR", "1.480,00 €")),
        ("464,78 €", ("464.78", "EUR", "464,78 €")),
        ("1 234,50 €", ("1234.50", "EUR", "1 234,50 €")),
        ("E42.00", ("42.00", "GBP", "E42.00")),  # easyocr's English model has no "£"
        ("USD 1,234.50", ("1234.50", "USD", "USD 1,234.50")),
        ("(12.00)", ("-12.00", None, "12.00")),
        ("Sales Tax (8.25%) $164.34", ("164.34", "USD", "$164.34")),  # a rate is no amount
        ("Total 12", ("12.00", None, "12")),
        # A dash for the cents: whole euros or francs, whatever the page's separator.
        ("Summe 1.234,- EUR", ("1234.00", "EUR", "1.234,- EUR")),
        ("50,– €", ("50.00", "EUR", "50,– €")),  # noqa: RUF001 (an en dash, as printed)
        ("Fr. 12.-", ("12.00", "CHF", "Fr. 12.-")),
        ("CHF 1'250.-", ("1250.00", "CHF", "CHF 1'250.-")),
    ],
)
def test_amounts(text: str, expected: tuple[str, str | None, str]) -> None:
    assert first_amount(text) == expected


def test_a_dollar_follows_the_default_currency_when_it_is_a_dollar_too() -> None:
    assert first_amount("$5.00", default_currency="CAD")[1] == "CAD"
    assert first_amount("$5.00", default_currency="EUR")[1] == "USD"


def test_money_is_told_from_bare_numbers() -> None:
    found = list(find_amounts("Tax ID: 91-4412078 and 12 $18.75"))
    assert [(f.normalized, f.strong) for f in found] == [
        ("91.00", False),
        ("-4412078.00", False),
        ("12.00", False),
        ("18.75", True),
    ]


def test_a_dash_for_the_cents_is_money_and_a_range_is_not() -> None:
    assert [(f.normalized, f.strong) for f in find_amounts("Betrag 10,--")] == [("10.00", True)]
    assert [(f.normalized, f.strong) for f in find_amounts("12-15")] == [
        ("12.00", False),
        ("-15.00", False),
    ]


def test_an_identifier_glued_to_letters_is_not_an_amount() -> None:
    assert list(find_amounts("VAT No: DE284511907")) == []


@pytest.mark.parametrize(
    ("number", "separator", "expected"),
    [
        ("1,234", ".", "1234"),
        ("1,234", ",", "1.234"),
        ("1.234,5", ".", "1234.5"),
        ("12,50", ".", "12.50"),  # a comma with two decimals is a decimal comma
        ("1,234,567", ".", "1234567"),
    ],
)
def test_decimal_separator_ties(number: str, separator: str, expected: str) -> None:
    assert str(parse_decimal(number, decimal_separator=separator)) == expected


def test_numbers() -> None:
    assert [f.normalized for f in find_numbers("Qty 10 and 2.50")] == ["10", "2.50"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("March 01, 2024", "2024-03-01"),
        ("March 01 2024", "2024-03-01"),  # comma dropped
        ("March 01, - 2024", "2024-03-01"),  # stray mark between boxes
        ("15.11.2024", "2024-11-15"),
        ("09 Jan 2025", "2025-01-09"),
        ("2O24-O3-0l", "2024-03-01"),
        ("due 03/31/2024", "2024-03-31"),
        ("31st March 2024", "2024-03-31"),
        ("Sept 5, 2024", "2024-09-05"),
    ],
)
def test_dates(text: str, expected: str) -> None:
    assert next(find_dates(text)).normalized == expected


def test_date_formats_decide_ambiguous_dates() -> None:
    assert next(find_dates("03/04/2024", formats=["%d/%m/%Y"])).normalized == "2024-04-03"
    assert next(find_dates("03/04/2024", formats=["%m/%d/%Y"])).normalized == "2024-03-04"


def test_impossible_dates_are_skipped() -> None:
    assert list(find_dates("31.02.2024 or 2024-13-01", formats=["%d.%m.%Y", "%Y-%m-%d"])) == []


def test_currencies() -> None:
    found = [f.normalized for f in find_currencies("2.910,98 € or $5, GBP, ALL the best")]
    assert found == ["EUR", "USD", "GBP"]


def test_repair_keeps_length_and_only_touches_numeric_tokens() -> None:
    text = "Invoice 1O0 S4.11 Sales lOl"
    repaired = repair_digits(text)
    assert len(repaired) == len(text)
    assert repaired == "Invoice 100 $4.11 Sales lOl"  # "lOl": more look-alikes than digits


def test_letter_currency_signs() -> None:
    found = [(f.normalized, f.currency) for f in find_amounts("RM29.30 Rs. 1,250.00 100 kr CHF 5")]
    assert found == [("29.30", "MYR"), ("1250.00", "INR"), ("100.00", "SEK"), ("5.00", "CHF")]


def test_a_sign_before_a_currency_code() -> None:
    assert [f.normalized for f in find_amounts("Payment Received: -USD 47.90")] == ["-47.90"]


def test_mrs_is_no_swiss_franc() -> None:
    assert list(find_currencies("Fr. Müller")) == []


def test_runs_of_digits_too_long_for_money_are_skipped() -> None:
    assert [f.normalized for f in find_amounts("1234567890123456789 and 12.50")] == ["12.50"]


def test_an_amount_takes_its_currency_from_one_side_only() -> None:
    # A row of amounts with their signs before them: each sign is its own amount's.
    text = "Total €50.40 €9.58 €59.98"
    found = [(text[f.start : f.end], f.normalized) for f in find_amounts(text)]
    assert found == [("€50.40", "50.40"), ("€9.58", "9.58"), ("€59.98", "59.98")]
    text = "EUR 5.00 EUR 6.00"
    assert [text[f.start : f.end] for f in find_amounts(text)] == ["EUR 5.00", "EUR 6.00"]
