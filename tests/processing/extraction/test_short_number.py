"""Single-digit invoice numbers: yielded right after an invoice-number label only."""

from __future__ import annotations

from ocr_gateway.processing.extraction.labels import Vocabulary, find_labels
from ocr_gateway.processing.extraction.page import PageText
from ocr_gateway.processing.extraction.short_number import labelled_digits
from tests.support.pages import page_of

BUILTIN = Vocabulary.builtin()


def digits_on(rows: list[str | list[tuple[int, str]]]) -> list[str]:
    page = PageText.of(page_of(rows))
    return [c.normalized for c in labelled_digits(page, find_labels(page, BUILTIN))]


def test_a_digit_after_the_label_is_the_number() -> None:
    assert digits_on(["Fattura n. 3 del 05/03/2024"]) == ["3"]
    assert digits_on(["Rechnung Nr. 7"]) == ["7"]
    assert digits_on(["Invoice No. #5"]) == ["5"]


def test_a_lone_digit_elsewhere_is_no_number() -> None:
    assert digits_on(["Menge 3", "Seite 1 von 2", "Invoice No."]) == []


def test_a_digit_across_a_column_gap_is_another_columns() -> None:
    assert digits_on([[(60, "Invoice No."), (700, "2")]]) == []


def test_a_label_does_not_swallow_the_digit_as_a_misread_letter() -> None:
    """ "Fattura n. 3" read as "fattura n°" one letter off would hide the number."""
    page = PageText.of(page_of(["Fattura n. 3"]))
    [hit] = find_labels(page, BUILTIN)[0]
    assert (hit.role, hit.start, hit.end) == ("invoiceNumber", 0, 2)
