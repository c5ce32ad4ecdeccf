from __future__ import annotations

import time

import pytest
from PIL import Image

from ocr_gateway.processing import pdf
from ocr_gateway.processing.pdf import PdfError, is_pdf, open_pdf, usable_text
from tests.support.pdfs import image_pdf, text_pdf

INVOICE = [
    (20, 20, "ACME Tools GmbH", 16),
    (20, 40, "Rechnungsnr.: RE-2024-0042", 10),
    (120, 40, "Datum: 05.03.2024", 10),
    (120, 200, "Gesamtbetrag: 1.234,56 EUR", 10),
]


def test_text_layer_words_have_boxes_in_page_pixels() -> None:
    with open_pdf(text_pdf([INVOICE])) as pdf:
        result = pdf.text(0, dpi=150)
    assert result is not None
    assert (result.width, result.height) == (1240, 1754)
    assert [line.text for line in result.lines][:2] == [
        "ACME Tools GmbH",
        "Rechnungsnr.: RE-2024-0042 Datum: 05.03.2024",
    ]
    number = next(w for w in result.words if w.text == "RE-2024-0042")
    # 20 mm + the width of "Rechnungsnr.: " from the left, 40 mm from the top at 150 dpi.
    assert 118 < number.box[0] < 260
    assert number.box[1] < 40 / 25.4 * 150 < number.box[3] + 5
    assert number.confidence == 1.0


def test_page_without_text_has_no_text_layer() -> None:
    scan = Image.new("RGB", (620, 877), "white")
    with open_pdf(image_pdf(scan)) as pdf:
        assert pdf.text(0) is None
        image = pdf.render(0, dpi=100, max_pixels=10_000_000)
    assert image.mode == "RGB"
    assert abs(image.width - 827) <= 1


def test_render_stays_under_the_pixel_cap() -> None:
    with open_pdf(text_pdf([INVOICE])) as pdf:
        image = pdf.render(0, dpi=600, max_pixels=1_000_000)
    assert image.width * image.height <= 1_000_000
    assert image.width > 800


def test_reading_a_text_page_is_fast() -> None:
    pages = [INVOICE * 20] * 3
    with open_pdf(text_pdf(pages)) as pdf:
        began = time.perf_counter()
        for index in range(pdf.page_count):
            assert pdf.text(index) is not None
        assert (time.perf_counter() - began) / pdf.page_count < 0.2


def test_glyph_ids_instead_of_text_are_not_usable() -> None:
    assert not usable_text("\x01\x04\x01\x05\x06\x07\x07\x08\t \n\x0b\x0c\x0e\x0f\x10")
    assert not usable_text("  \n ")
    assert usable_text("Invoice Number: AT-215508940 Date Issued: Dec 28, 2022")


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"%PDF-1.4 not really", "pdf_broken"),
        (b"", "pdf_broken"),
        (text_pdf([INVOICE], encrypt="secret"), "pdf_encrypted"),
    ],
)
def test_bad_documents_fail_with_a_code(data: bytes, code: str) -> None:
    with pytest.raises(PdfError) as caught, open_pdf(data):
        pass
    assert caught.value.code == code


def test_page_count_cap() -> None:
    with pytest.raises(PdfError) as caught, open_pdf(text_pdf([INVOICE] * 3), max_pages=2):
        pass
    assert caught.value.code == "pdf_too_many_pages"
    assert "3 pages" in caught.value.message


def test_missing_page() -> None:
    with open_pdf(text_pdf([INVOICE])) as pdf, pytest.raises(PdfError) as caught:
        pdf.text(1)
    assert caught.value.code == "pdf_page_missing"


def test_pdf_magic() -> None:
    assert is_pdf(text_pdf([INVOICE]))
    assert not is_pdf(b"\x89PNG\r\n")


def test_surrogate_pairs_make_one_character_and_lone_halves_a_replacement() -> None:
    # PDFium gives UTF-16 code units: an emoji is two of them; a broken font may give one
    units = [0xD83D, 0xDE00, 0x41, 0xD83D, 0x42, 0xDE00]
    chars = [pdf.character(units, i) for i in range(len(units))]
    assert chars == ["\U0001f600", None, "A", "\ufffd", "B", "\ufffd"]
    assert pdf.character([0xD83D], 0) == "\ufffd"  # a high half at the end
