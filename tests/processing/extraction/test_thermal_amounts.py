"""Amounts as thermal-print OCR reads them: spaced points, commas, letters in the cents."""

from __future__ import annotations

import pytest

from ocr_gateway.processing.builtin_templates import GENERIC_INVOICE_TEMPLATE
from ocr_gateway.processing.extraction import extract_fields
from ocr_gateway.processing.extraction.candidates import amount_candidates
from ocr_gateway.processing.extraction.labels import Vocabulary
from ocr_gateway.processing.extraction.locale import PageLocale
from ocr_gateway.processing.extraction.page import PageText
from tests.support.pages import page_of

DOT = PageLocale(".", True, "en", ("MYR",))


def amounts(text: str) -> list[str]:
    return [c.normalized for c in amount_candidates(PageText.of(page_of([text])), DOT)]


def total(*rows: object) -> str | None:
    found = extract_fields(page_of(list(rows)), GENERIC_INVOICE_TEMPLATE).values()  # type: ignore[arg-type]
    return found.get("total")


@pytest.mark.parametrize(
    ("printed", "value"),
    [
        ("TOTAL 30 .90", "30.90"),
        ("TOTAL 86 . 00", "86.00"),
        ("TOTAL 48. 16", "48.16"),
        ("TOTAL RM 12 .40", "12.40"),
        ('SUBTOTAL ; 43 , " 90', "43.90"),
    ],
)
def test_a_point_with_spaces_or_quotes_beside_it_is_joined(printed: str, value: str) -> None:
    assert amounts(printed) == [value]


def test_two_numbers_apart_are_not_joined_into_one() -> None:
    assert amounts("QTY 3 SR 12.40") == ["3.00", "12.40"]
    assert amounts("12 .5") == ["12.00"]  # one decimal: not a price


def test_a_rate_is_not_joined_into_an_amount() -> None:
    page = PageText.of(page_of(["GST 6 .00 % 1.20"]))
    strong = [c.normalized for c in amount_candidates(page, DOT) if c.strong]
    assert strong == ["1.20"]


def test_a_glued_currency_prefix_is_read() -> None:
    page = PageText.of(page_of(["TOTAL RM30.90"]))
    assert [(c.normalized, c.currency) for c in amount_candidates(page, DOT)] == [("30.90", "MYR")]


def test_a_comma_for_the_point_on_a_point_page_is_the_decimal() -> None:
    assert (
        total(
            [(60, "SUBTOTAL"), (500, "41.40")],
            [(60, "GST 6%"), (500, "2.50")],
            [(60, "TOTAL"), (500, "43,90")],
        )
        == "43.90"
    )


def test_zeros_read_as_letters_in_the_cents_are_zeros() -> None:
    assert amounts("Cash 512.Q0") == ["512.00"]
    assert amounts("Rounding 0.OO") == ["0.00"]
    assert amounts("Ref SQ.OO") == []  # no digit before the point: not an amount


def test_a_trailing_minus_still_stands_alone() -> None:
    assert amounts("Change RM: 6.00-") == ["6.00"]


def test_the_change_with_a_trailing_minus_confirms_the_paid_total() -> None:
    assert (
        total(
            "Total Amount 24.10",
            "TOTAL RM 24.40",
            "CASH 30.40",
            "Change RM: 6.00-",
        )
        == "24.40"
    )


def test_a_five_letter_label_with_one_inner_letter_misread() -> None:
    vocab = Vocabulary.builtin()
    labels, exact = vocab.lookup("totel")
    assert not exact
    assert {label.role for label in labels} == {"total"}
    assert vocab.lookup("xotal") == ([], False)  # the first letter must be right


def test_a_receipt_total_with_its_label_and_cents_misread() -> None:
    assert (
        total(
            [(60, "Saving"), (500, "0.00")],
            [(60, "Totel"), (500, "41.20")],
            [(60, "Cash"), (500, "512.Q0")],
            [(60, "Change"), (500, "470.80")],
        )
        == "41.20"
    )


def test_cents_after_a_currency_sign_whose_point_ocr_lost() -> None:
    assert amounts("TOTAL RM 1 38") == ["1.38"]
    assert amounts("TOTAL RM1 38") == ["1.38"]
    assert "12345.00" in amounts("RM 12 345")  # three digits: a thousands group, no cents


@pytest.mark.parametrize(
    ("printed", "value"),
    [
        ("ROUNDING .02", "0.02"),
        ("ROUNDING -.01", "-0.01"),
        ("@10 X RM .90", "0.90"),
        (".00", "0.00"),
    ],
)
def test_cents_printed_without_their_zero_are_amounts(printed: str, value: str) -> None:
    assert value in amounts(printed)


def test_a_point_inside_a_code_or_number_starts_no_amount() -> None:
    assert amounts("REF No.02 1.05") == ["1.05"]
    assert amounts("ITEM A.25") == []


def test_a_column_read_block_pairs_a_value_without_its_zero() -> None:
    # labels first, then their values in the same order; the change is ".40"
    rows = ("KEDAI MAJU", "TOTAL SALES RM", "CASH RM", "CHANGE RM", "13.60", "14.00", ".40")
    assert total(*rows) == "13.60"


def test_the_cents_of_a_spaced_rate_are_no_amount() -> None:
    assert "0.00" not in amounts("SR 6 .00 %")
