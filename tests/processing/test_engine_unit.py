"""EasyOcrEngine's image handling, without running a model (no torch needed)."""

from __future__ import annotations

from PIL import Image

from ocr_gateway.processing.engine import EasyOcrEngine, OcrEngine, _pad


def test_pages_over_the_pixel_cap_are_downscaled() -> None:
    engine = EasyOcrEngine(max_pixels=1_000_000)
    page, scale = engine._prepare(Image.new("L", (4000, 3000), 255))
    assert page.mode == "RGB"
    assert page.width * page.height <= 1_000_000
    assert abs(scale - page.width / 4000) < 1e-9
    small, unchanged = engine._prepare(Image.new("RGB", (800, 600), "white"))
    assert (small.size, unchanged) == ((800, 600), 1.0)


def test_transparency_is_flattened_onto_white() -> None:
    page, _ = EasyOcrEngine()._prepare(Image.new("RGBA", (4, 4), (0, 0, 0, 0)))
    assert page.getpixel((0, 0)) == (255, 255, 255)


def test_sixteen_bit_greyscale_keeps_its_contrast() -> None:
    image = Image.new("I;16", (2, 1))
    image.putpixel((0, 0), 65535)
    page, _ = EasyOcrEngine()._prepare(image)
    assert page.getpixel((0, 0)) == (255, 255, 255)
    assert page.getpixel((1, 0)) == (0, 0, 0)


def test_detected_boxes_are_mapped_back_and_padded_by_text_height() -> None:
    page = Image.new("RGB", (1000, 1000))
    # A 20 px high box found at half scale -> 40 px high at full size.
    assert _pad([100, 200, 50, 70], 0.5, (0.1, 0.1, 0.25), page) == [196, 404, 96, 150]
    assert _pad([0, 500, 0, 10], 0.5, (0.5, 0.5, 0.5), page) == [0, 1000, 0, 30]


def test_the_recognition_image_is_darkened() -> None:
    grey = EasyOcrEngine(recognize_gamma=2.0)._grey(Image.new("RGB", (1, 1), (128, 128, 128)))
    assert grey.getpixel((0, 0)) == 64
    plain = EasyOcrEngine(recognize_gamma=None)._grey(Image.new("RGB", (1, 1), (128, 128, 128)))
    assert plain.getpixel((0, 0)) == 128


def test_it_is_an_ocr_engine() -> None:
    engine = EasyOcrEngine(gpu=False)
    assert isinstance(engine, OcrEngine)
    assert engine.name == "easyocr"
    assert engine.version[0].isdigit()
    assert engine.settings()["detect_max_side"] == "auto"
