"""Label matching: folding, compounds, longest match, OCR noise, template labels."""

from __future__ import annotations

import pytest

from ocr_gateway.processing.extraction.labels import Vocabulary, find_labels, fold, modifiers
from ocr_gateway.processing.extraction.page import PageText
from tests.support.pages import page_of

BUILTIN = Vocabulary.builtin()


def roles_on(text: str, vocab: Vocabulary = BUILTIN) -> list[str]:
    page = PageText.of(page_of([text]))
    return [hit.role for hit in find_labels(page, vocab)[0]]


@pytest.mark.parametrize(
    ("word", "folded"),
    [
        ("Fälligkeit", "falligkeit"),
        ("N°", "no"),
        ("Nº", "no"),
        ("Tota]", "total"),
        ("Subtota1", "subtotal"),
        ("Tota/", "total"),
        ("S/B", "sb"),
        ("Straße", "strasse"),
        ("Invoice#:", "invoice#"),
        ("2024", "2024"),
    ],
)
def test_fold(word: str, folded: str) -> None:
    assert fold(word) == folded


@pytest.mark.parametrize("text", ["Rechnungs-Nr. 4711", "Rechnungs Nr. 4711", "Rechnungsnr 4711"])
def test_a_compound_label_matches_however_it_is_split(text: str) -> None:
    assert roles_on(text)[0] == "invoiceNumber"


def test_the_longest_label_wins() -> None:
    assert roles_on("Total Qty: 25,80") == ["otherAmount"]
    assert roles_on("Invoice Date: 2024-01-01") == ["invoiceDate"]


def test_garbled_labels_still_match() -> None:
    assert roles_on("Net Tota] 10.00") == ["subtotal"]
    assert roles_on("lnvoice No: X-1") == ["invoiceNumber"]  # one letter substituted
    assert roles_on("Rechnungsnumer 4711") == ["invoiceNumber"]  # one word, fuzzy


def test_several_words_never_match_by_insertion() -> None:
    assert "tax" not in roles_on("TOTAL AT CHECKOUT 119.95")  # not "Total VAT"


def test_labels_in_every_language() -> None:
    assert roles_on("Factuurnummer 2024-17")[0] == "invoiceNumber"
    assert roles_on("Número de factura 17")[0] == "invoiceNumber"
    assert roles_on("Data di scadenza 01/02/2024")[0] == "dueDate"
    assert roles_on("Data de vencimento 01/02/2024")[0] == "dueDate"
    assert roles_on("Facture n° FA-1")[0] == "invoiceNumber"
    assert roles_on("BTW 21% 12,60")[0] == "tax"


def test_a_german_compound_ending_in_a_title_is_a_title() -> None:
    assert roles_on("Mietrechnung (387) Nr. 17")[0] == "heading"


def test_template_labels_join_the_vocabulary() -> None:
    vocab = Vocabulary.builtin({"invoiceNumber": ["Nr faktury"]})
    assert roles_on("Nr faktury FV/2024/7", vocab)[0] == "invoiceNumber"


def test_modifiers() -> None:
    assert modifiers(["Summe", "netto"]) == {"net"}
    assert modifiers(["Total", "(Inclueive", "of", "GST)"]) == {"gross"}  # OCR typo
    assert modifiers(["zzgl.", "MwSt."]) == {"plus"}


def test_a_labels_own_words_are_not_read_fuzzily_as_modifiers() -> None:
    # "Tota| (Exc luding GST)": OCR split "Excluding"; "luding" is not a misread "including".
    assert modifiers(["Tota|", "(Exc", "luding"], exact_before=3) == set()
    assert "gross" in modifiers(["Tota|", "(Exc", "luding"])  # without the rule
    assert modifiers(["Total", "(Inclueive", "GST)"], exact_before=1) == {"gross"}
