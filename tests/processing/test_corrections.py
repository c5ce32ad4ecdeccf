"""Corrections: each value checked and normalised for its field's type, and laid over the
extracted invoice data (``ocr_gateway.processing.corrections``)."""

from __future__ import annotations

from typing import Any

import pytest

from ocr_gateway.processing.corrections import (
    CorrectionError,
    apply_corrections,
    extracted_data,
    invoice_currency,
    lowest_confidence,
    minor_units,
    needs_review,
    normalize,
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("  INV-2023/03  0008 ", "INV-2023/03 0008"),
        ("Acme\tGmbH\n", "Acme GmbH"),
        ("Ünïcödé SARL", "Ünïcödé SARL"),
    ],
)
def test_strings_are_trimmed_and_their_spaces_folded(value: str, expected: str) -> None:
    assert normalize("string", value).normalized == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("   ", "must not be blank"),
        (42, "must be a string"),
        ("x" * 1001, "at most 1000 characters"),
        ("a\x00b", "control characters"),
    ],
)
def test_bad_strings_say_why(value: Any, message: str) -> None:
    with pytest.raises(CorrectionError, match=message):
        normalize("string", value)


def test_a_date_is_iso() -> None:
    assert normalize("date", "2024-02-29") == normalize("date", " 2024-02-29 ")
    assert normalize("date", "2024-02-29").normalized == "2024-02-29"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("03/01/2024", "YYYY-MM-DD"),
        ("1 March 2024", "YYYY-MM-DD"),
        ("2023-02-29", "not a day of the calendar"),
        ("1850-01-01", "year from 1900 to 2100"),
        (20240301, "YYYY-MM-DD"),
    ],
)
def test_a_date_that_is_not_iso_is_refused_not_guessed(value: Any, message: str) -> None:
    with pytest.raises(CorrectionError, match=message):
        normalize("date", value)


@pytest.mark.parametrize(
    ("value", "currency", "expected"),
    [
        ("1234.5", "EUR", "1234.50"),
        (1234.5, "EUR", "1234.50"),
        (12, "USD", "12.00"),
        ("1,234.50", "USD", "1234.50"),
        ("1 234 567.00", "EUR", "1234567.00"),
        ("-12.00", "GBP", "-12.00"),
        ("1234", "JPY", "1234"),
        ("1234.000", "JPY", "1234"),
        ("1.250", "BHD", "1.250"),
        ("1.5", None, "1.50"),
        ("1.2345", None, "1.2345"),
    ],
)
def test_amounts_are_decimals_with_the_currencys_places(
    value: Any, currency: str | None, expected: str
) -> None:
    assert normalize("amount", value, currency=currency).normalized == expected


@pytest.mark.parametrize(
    ("value", "currency", "message"),
    [
        ("12.345", "EUR", "EUR amounts have at most 2 decimals"),
        ("1234.50", "JPY", "JPY amounts have at most 0 decimals"),
        ("1.23456", None, "at most 4 decimals"),
        ("12,50", "EUR", "a point for decimals"),
        ("€12.50", "EUR", "no currency sign"),
        ("1,23,456.00", "INR", "decimal number"),
        ("12.50 USD", "USD", "decimal number"),
        ("1" * 16, "USD", "at most 15 digits"),
        (True, "USD", "string, a number or null"),
        ([1], "USD", "string, a number or null"),
    ],
)
def test_bad_amounts_say_why(value: Any, currency: str | None, message: str) -> None:
    with pytest.raises(CorrectionError, match=message):
        normalize("amount", value, currency=currency)


@pytest.mark.parametrize(("value", "expected"), [("12", "12"), ("12.50", "12.50"), (3, "3")])
def test_numbers(value: Any, expected: str) -> None:
    assert normalize("number", value).normalized == expected


@pytest.mark.parametrize(
    ("value", "expected"), [("eur", "EUR"), (" CHF ", "CHF"), ("€", "EUR"), ("Rs", "INR")]
)
def test_currencies_become_iso_codes(value: str, expected: str) -> None:
    assert normalize("currency", value).normalized == expected


@pytest.mark.parametrize("value", ["XYZ", "euro", "", 978])
def test_an_unknown_currency_is_refused(value: Any) -> None:
    with pytest.raises(CorrectionError, match="ISO 4217"):
        normalize("currency", value)


def test_null_means_the_document_has_none() -> None:
    for field_type in ("string", "date", "amount", "number", "currency"):
        checked = normalize(field_type, None)
        assert (checked.value, checked.normalized) == (None, None)


def test_minor_units() -> None:
    assert [minor_units(c) for c in ("EUR", "JPY", "KWD", None, "XYZ")] == [2, 0, 3, 4, 4]


EXTRACTED = {
    "total": {
        "name": "total",
        "type": "amount",
        "value": "$1O5.50",
        "normalizedValue": "105.50",
        "confidence": 0.31,
        "box": [1, 2, 3, 4],
        "page": 1,
        "method": "label",
        "needsReview": True,
    },
    "currency": {"name": "currency", "normalizedValue": "USD", "needsReview": False},
}
CORRECTION = {
    "field": "total",
    "type": "amount",
    "value": "1005.50",
    "normalizedValue": "1005.50",
    "correctedBy": "ap-clerk",
    "correctedAt": "2026-12-02T10:00:00+00:00",
}


def test_the_corrected_value_wins_and_keeps_what_was_extracted() -> None:
    data = apply_corrections(EXTRACTED, [CORRECTION])
    total = data["total"]
    assert total["normalizedValue"] == "1005.50"
    assert (total["method"], total["confidence"], total["needsReview"]) == ("manual", 1.0, False)
    assert total["correctedBy"] == "ap-clerk"
    assert total["extracted"] == EXTRACTED["total"]
    assert data["currency"] == EXTRACTED["currency"]
    assert needs_review(EXTRACTED)
    assert not needs_review(data)


def test_applying_again_replaces_the_earlier_correction() -> None:
    once = apply_corrections(EXTRACTED, [CORRECTION])
    again = apply_corrections(once, [{**CORRECTION, "normalizedValue": "99.00"}])
    assert again["total"]["normalizedValue"] == "99.00"
    assert again["total"]["extracted"] == EXTRACTED["total"]
    assert apply_corrections(once, []) == EXTRACTED


def test_a_field_extraction_missed_can_be_corrected_and_removed() -> None:
    due = {**CORRECTION, "field": "dueDate", "type": "date", "normalizedValue": "2024-04-01"}
    data = apply_corrections(EXTRACTED, [due])
    assert data["dueDate"]["extracted"] is None
    assert extracted_data(data) == EXTRACTED


def test_amounts_follow_the_invoice_currency_else_the_templates() -> None:
    assert invoice_currency(EXTRACTED, "EUR") == "USD"
    assert invoice_currency({}, "EUR") == "EUR"
    assert invoice_currency({"currency": {"normalizedValue": None}}, None) is None


def test_the_lowest_confidence_is_the_least_sure_field() -> None:
    data = {
        "invoiceNumber": {"normalizedValue": "RE-2026-17", "confidence": 0.93},
        "vendorName": {"normalizedValue": "Müller Bürobedarf GmbH", "confidence": 0.42},
        "total": {"normalizedValue": "119.00", "confidence": 0.88},
    }
    assert lowest_confidence(data) == 0.42


def test_a_corrected_field_counts_as_sure() -> None:
    currency = {**CORRECTION, "field": "currency", "type": "currency", "normalizedValue": "USD"}
    assert lowest_confidence(EXTRACTED) == 0.0  # currency has no confidence: never hidden
    assert lowest_confidence(apply_corrections(EXTRACTED, [currency])) == 0.31
    assert lowest_confidence(apply_corrections(EXTRACTED, [currency, CORRECTION])) == 1.0


@pytest.mark.parametrize(
    ("confidence", "expected"),
    [
        (None, 0.0),
        ("0.9", 0.0),
        (True, 0.0),
        (float("nan"), 0.0),
        (1.7, 1.0),
        (-0.2, 0.0),
        (1, 1.0),
    ],
)
def test_a_confidence_that_is_not_a_number_in_range_is_bounded(
    confidence: Any, expected: float
) -> None:
    assert lowest_confidence({"total": {"confidence": confidence}}) == expected


def test_no_fields_no_lowest_confidence() -> None:
    assert lowest_confidence({}) is None
    assert lowest_confidence({"note": "not a field"}) is None
