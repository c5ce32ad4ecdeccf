"""The OCR engine that ships (easyocr's models on ONNX Runtime) on rendered invoice pages."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from ocr_gateway.processing.builtin_templates import GENERIC_INVOICE_TEMPLATE
from ocr_gateway.processing.extraction import extract_fields
from ocr_gateway.processing.onnx_engine import OnnxOcrEngine
from tests.support.invoices import SAMPLE_INVOICES, RenderedInvoice
from tests.support.ocr import OcrCache

pytestmark = pytest.mark.slow
IDS = [spec.vendor_name for spec in SAMPLE_INVOICES]


@pytest.mark.parametrize("index", range(len(SAMPLE_INVOICES)), ids=IDS)
def test_every_generic_field_comes_out_right(
    ocr_results: OcrCache, invoices: list[RenderedInvoice], index: int
) -> None:
    found = extract_fields(ocr_results[index], GENERIC_INVOICE_TEMPLATE).values()
    expected = invoices[index].expected
    assert {name: found.get(name) for name in expected} == expected


@pytest.mark.parametrize("index", range(len(SAMPLE_INVOICES)), ids=IDS)
def test_the_text_reads_like_the_page(
    ocr_results: OcrCache, invoices: list[RenderedInvoice], index: int
) -> None:
    result = ocr_results[index]
    invoice = invoices[index]
    lines = result.text.splitlines()
    assert lines[0] == f"{invoice.spec.vendor_name} INVOICE"  # reading order: top, left to right
    assert f"Invoice No: {invoice.spec.invoice_number}" in result.text  # underscores kept
    # Nearly every string drawn on the page is in the text verbatim ("£" excepted: easyocr's
    # English model has no such glyph and reads "E").
    drawn = [t.replace("£", "E") for t in invoice.texts]
    flat = " ".join(result.text.split())
    verbatim = [t for t in drawn if " ".join(t.split()) in flat]
    assert len(verbatim) >= 0.75 * len(drawn)
    assert 0.6 < result.mean_confidence <= 1
    assert set(result.timings) >= {"prepare", "detect", "recognize", "layout"}


def test_boxes_are_in_original_page_pixels(ocr_results: OcrCache) -> None:
    result = ocr_results[0]
    assert (result.width, result.height) == (1240, 1754)
    assert all(0 <= w.box[0] < w.box[2] <= 1240 for w in result.words)
    assert all(0 <= w.box[1] < w.box[3] <= 1754 for w in result.words)
    number = next(w for w in result.words if w.text == "INV_2024_0042")
    # Drawn at x=880, y=290 in a 21 px font (see tests/support/invoices.py).
    assert abs(number.box[0] - 880) < 12
    assert abs(number.box[1] - 292) < 12


def test_a_page_over_the_pixel_cap_is_read_downscaled_with_boxes_in_its_own_pixels(
    onnx_models_dir: Path, ocr_results: OcrCache, invoices: list[RenderedInvoice]
) -> None:
    big = invoices[1].image.resize((2480, 3508), Image.Resampling.LANCZOS)  # 8.7 MP
    capped = OnnxOcrEngine(models_dir=onnx_models_dir, threads=2, max_pixels=2_200_000)
    result = capped.read(big, languages=["en"])
    assert (result.width, result.height) == (2480, 3508)
    found = extract_fields(result, GENERIC_INVOICE_TEMPLATE)
    assert found.fields["invoiceNumber"].normalized_value == "RE_2024_11_0815"
    small_box = extract_fields(ocr_results[1], GENERIC_INVOICE_TEMPLATE).fields["total"].box
    big_box = found.fields["total"].box
    assert small_box is not None
    assert big_box is not None
    for small, large in zip(small_box, big_box, strict=True):
        assert abs(large - 2 * small) < 16
