"""The text-layer detector: real text passes, glyph ids and glyph soup do not (PDFs made here)."""

from __future__ import annotations

import random

import pytest

from ocr_gateway.processing.pdf import open_pdf
from ocr_gateway.processing.text_quality import text_problem, word_like
from tests.support.einvoices import printed_items
from tests.support.pdfs import text_pdf, unmapped_font_pdf


def page_text(pdf: bytes) -> str:
    with open_pdf(pdf) as document:
        textpage = document._page(0).get_textpage()
        try:
            return str(textpage.get_text_range())
        finally:
            textpage.close()


def soup(rng: random.Random, letters: str, words: int = 80) -> str:
    return " ".join(
        "".join(rng.choice(letters) for _ in range(rng.randint(4, 9))) for _ in range(words)
    )


def test_a_printed_invoice_is_usable_text() -> None:
    pdf = text_pdf([printed_items()])
    assert text_problem(page_text(pdf)) is None
    with open_pdf(pdf) as document:
        assert document.text(0) is not None


def test_a_font_without_a_unicode_map_gives_unmapped_glyphs() -> None:
    pdf = unmapped_font_pdf()
    assert text_problem(page_text(pdf)) == "unmapped_glyphs"
    with open_pdf(pdf) as document:
        assert document.text(0) is None


def test_letters_in_random_case_without_vowels_are_not_words() -> None:
    rng = random.Random(5)
    lines = soup(rng, "bcdfghjklmnpqrstvwxzBCDFGHJKLMNPQRSTVWXZ").split(" ")
    items = [(20, 20 + 6 * (i // 8), " ".join(lines[i : i + 8]), 9) for i in range(0, 80, 8)]
    pdf = text_pdf([items])
    assert text_problem(page_text(pdf)) == "not_words"
    with open_pdf(pdf) as document:
        assert document.text(0) is None


def test_a_page_of_punctuation_is_symbol_soup() -> None:
    rng = random.Random(9)
    assert text_problem(soup(rng, "!\"#$%&'()*+,-./:;<=>?@[]^_{|}~")) == "symbol_soup"


@pytest.mark.parametrize(
    "text",
    [
        "Rechnungsnummer 2024-117 Geschäftsstelle Lieferantenstraße Gesamtbetrag Mehrwertsteuer",
        "Facture n° F20180027 Total TTC Montant HT TVA Échéance Société Générale Réglement",
        "Factuurnummer BTW Totaal Vervaldatum Omschrijving Bedrag Leverancier Klantnummer",
        "K O S T E N R E C H N U N G Seite 1 GLN 4333741000005 Lief-Nr 2014-11 Betrag EUR",
    ],
)
def test_real_words_in_european_languages_pass(text: str) -> None:
    assert text_problem(text * 3) is None


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("GmbH", True),
        ("McDonald", True),
        ("BTW", True),
        ("Angstschweiß", False),
        ("xQzvKt", False),
        ("bcdfgh", False),
    ],
)
def test_word_like(word: str, expected: bool) -> None:
    assert word_like(word) is expected


def test_greek_text_is_not_judged_by_latin_rules() -> None:
    assert text_problem("Τιμολόγιο αριθμός Σύνολο ΦΠΑ Ημερομηνία " * 5) is None


def test_too_little_text() -> None:
    assert text_problem("  1 \n") == "too_little_text"
