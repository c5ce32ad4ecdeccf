"""The detection resolution follows the page's text height, within bounds."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

from ocr_gateway.processing.detect_scale import (
    PIXEL_CAP_SIDE,
    detection_scale,
    largest_scale,
    median_text_height,
    upscale_factor,
)
from ocr_gateway.processing.onnx_engine import OnnxOcrEngine


def page_with_text(size: tuple[int, int], font_size: int) -> Image.Image:
    image = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=font_size)
    for row in range(40, size[1] - 2 * font_size, 2 * font_size):
        draw.text((40, row), "Invoice number 2024 total amount due", fill="black", font=font)
    return image


@pytest.mark.parametrize("font_size", [14, 28])
def test_the_text_height_is_measured_from_the_glyphs(font_size: int) -> None:
    measured = median_text_height(page_with_text((1240, 1754), font_size))
    assert measured is not None
    # Lower-case glyphs dominate: about half to three quarters of the font size.
    assert 0.45 * font_size <= measured <= 0.8 * font_size


def test_bigger_print_is_detected_at_a_lower_resolution() -> None:
    bounds = {"text_height": 10.0, "min_side": 640, "max_side": 1536}
    small = detection_scale(page_with_text((1240, 1754), 14), **bounds)
    large = detection_scale(page_with_text((1240, 1754), 28), **bounds)
    assert large < small
    assert 640 <= 1754 * large <= 1754 * small <= 1536


def test_a_small_scan_with_small_print_is_upscaled() -> None:
    scale = detection_scale(
        page_with_text((460, 600), 10), text_height=10.0, min_side=640, max_side=1536
    )
    assert scale > 1


def test_a_blank_page_is_detected_at_the_largest_size() -> None:
    blank = Image.new("RGB", (2480, 3508), "white")
    assert median_text_height(blank) is None
    scale = detection_scale(blank, text_height=10.0, min_side=640, max_side=1536)
    assert scale == pytest.approx(1536 / 3508)


def test_without_a_text_height_the_long_side_is_capped_only() -> None:
    page = page_with_text((1240, 1754), 14)
    assert detection_scale(page, text_height=None, min_side=640, max_side=1536) == 1536 / 1754
    assert detection_scale(page, text_height=None, min_side=640, max_side=2000) == 1.0


def test_small_print_is_enlarged_to_the_wanted_height() -> None:
    factor = upscale_factor(12.0, (460, 950), text_height=24.0, max_pixels=12_000_000)
    assert factor == pytest.approx(2.0)


def test_print_high_enough_is_not_enlarged_nor_shrunk() -> None:
    assert upscale_factor(30.0, (1240, 1754), text_height=24.0, max_pixels=12_000_000) == 1.0


def test_enlarging_stops_at_the_pixel_cap() -> None:
    factor = upscale_factor(6.0, (1000, 2000), text_height=24.0, max_pixels=8_000_000)
    assert factor == pytest.approx(2.0)  # 2000 x 4000 = 8 MP, not 4x
    assert upscale_factor(6.0, (4000, 3000), text_height=24.0, max_pixels=8_000_000) == 1.0


@pytest.mark.parametrize("measured", [None, 0.0])
def test_an_unmeasured_page_or_no_target_is_left_alone(measured: float | None) -> None:
    assert upscale_factor(measured, (460, 950), text_height=24.0, max_pixels=12_000_000) == 1.0
    assert upscale_factor(10.0, (460, 950), text_height=None, max_pixels=12_000_000) == 1.0


def test_a_measured_height_given_is_not_measured_again() -> None:
    page = page_with_text((1240, 1754), 14)
    bounds = {"text_height": 16.0, "min_side": 640, "max_side": 4000}
    assert detection_scale(page, measured=8.0, **bounds) == pytest.approx(2.0)
    assert detection_scale(page, measured=None, **bounds) == 1.0


def test_the_receipt_knobs_enter_the_settings_only_when_set(tmp_path: Path) -> None:
    # Result caches key on settings(): a default engine must key as it did before the knobs.
    default = OnnxOcrEngine(models_dir=tmp_path).settings()
    assert not {"upscale_text_height", "autocontrast", "contrast_ths"} & default.keys()
    tuned = OnnxOcrEngine(models_dir=tmp_path, upscale_text_height=24.0).settings()
    assert tuned["upscale_text_height"] == 24.0
    assert {k: v for k, v in tuned.items() if k != "upscale_text_height"} == default


def test_a_pixel_budget_lets_a_tall_receipt_reach_the_text_height() -> None:
    receipt = page_with_text((936, 2779), 28)
    measured = median_text_height(receipt)
    assert measured is not None
    assert measured * 1536 / 2779 < 16  # capped at 1536 px long side, the print is too small
    bounds = {"text_height": 16.0, "min_side": 960, "max_side": 1536, "measured": measured}
    capped = detection_scale(receipt, **bounds)
    budget = detection_scale(receipt, max_pixels=1_670_000, **bounds)
    assert capped == pytest.approx(1536 / 2779)
    assert budget > capped
    assert measured * budget == pytest.approx(16.0) or budget**2 * 936 * 2779 > 1_600_000
    assert 936 * 2779 * budget**2 <= 1_670_000 * 1.001


def test_a_pixel_budget_leaves_an_a4_page_and_never_lowers_the_side_cap() -> None:
    a4 = (1240, 1754)
    assert largest_scale(a4, max_side=1536, max_pixels=1_670_000) == pytest.approx(
        1536 / 1754, rel=0.01
    )
    letter = (1275, 1650)  # more pixels than the budget at 1536 px: the side cap stays
    assert largest_scale(letter, max_side=1536, max_pixels=1_670_000) == 1536 / 1650
    assert largest_scale(a4, max_side=1536, max_pixels=None) == 1536 / 1754


def test_a_pixel_budget_stops_at_the_longest_side() -> None:
    strip = (200, 8000)  # 1.6 MP: the budget alone would allow 8000+ px
    assert largest_scale(strip, max_side=1536, max_pixels=100_000_000) == PIXEL_CAP_SIDE / 8000


def test_the_pixel_budget_enters_the_settings_only_when_set(tmp_path: Path) -> None:
    assert "detect_max_pixels" not in OnnxOcrEngine(models_dir=tmp_path).settings()
    tuned = OnnxOcrEngine(models_dir=tmp_path, detect_max_pixels=1_670_000).settings()
    assert tuned["detect_max_pixels"] == 1_670_000
