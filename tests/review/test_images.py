"""review.images: the byte-bounded LRU and the renderers' size caps."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from ocr_gateway.processing.fetch import FetchPolicy, TooLargeError
from ocr_gateway.processing.pdf import PdfError
from ocr_gateway.review.images import (
    ImageCache,
    RenderedImage,
    document_etag,
    render_image,
    render_pdf_page,
)
from tests.support.pdfs import text_pdf


def rendered(size: int, tag: str = '"x"') -> RenderedImage:
    return RenderedImage(b"x" * size, "image/png", tag, 1, 1)


class Clock:
    now = 0.0

    def __call__(self) -> float:
        return self.now


def test_the_least_recently_used_images_go_first_to_stay_under_the_byte_bound() -> None:
    cache = ImageCache(100)
    cache.put("a", rendered(40))
    cache.put("b", rendered(40))
    assert cache.get("a") is not None  # "b" is now the least recently used
    cache.put("c", rendered(40))
    assert (cache.get("a") is not None, cache.get("b"), cache.get("c") is not None) == (
        True,
        None,
        True,
    )
    assert cache.size == 80


def test_an_image_larger_than_the_cache_is_not_kept() -> None:
    cache = ImageCache(100)
    cache.put("a", rendered(60))
    cache.put("huge", rendered(101))
    assert (len(cache), cache.size, cache.get("huge")) == (1, 60, None)


def test_entries_with_a_lifetime_expire() -> None:
    clock = Clock()
    cache = ImageCache(100, clock=clock)
    cache.put("url", rendered(10), ttl_s=5)
    cache.put("document", rendered(10))
    clock.now = 5.0
    assert cache.get("url") is None
    assert cache.get("document") is not None
    assert cache.size == 10


def test_replacing_an_entry_counts_its_bytes_once() -> None:
    cache = ImageCache(100)
    cache.put("a", rendered(30))
    cache.put("a", rendered(50))
    assert (len(cache), cache.size) == (1, 50)


def test_a_document_etag_depends_on_the_content_page_and_size() -> None:
    tags = {
        document_etag("a" * 64, 0, 1600),
        document_etag("b" * 64, 0, 1600),
        document_etag("a" * 64, 1, 1600),
        document_etag("a" * 64, 0, 800),
    }
    assert len(tags) == 4


def test_a_pdf_page_is_rendered_within_the_long_side() -> None:
    data = text_pdf([[(20, 20, "Total 12.00", 12)]])
    image = render_pdf_page(data, 0, max_side=500, max_pages=10)
    decoded = Image.open(io.BytesIO(image.data))
    assert decoded.size == (image.width, image.height)
    assert max(decoded.size) <= 500


def test_a_missing_pdf_page_is_a_pdf_error() -> None:
    with pytest.raises(PdfError) as raised:
        render_pdf_page(text_pdf([[(20, 20, "one page", 12)]]), 3, max_side=500, max_pages=10)
    assert raised.value.code == "pdf_page_missing"


def test_an_image_is_shrunk_and_flattened_to_rgb() -> None:
    out = io.BytesIO()
    Image.new("RGBA", (900, 300), (255, 0, 0, 0)).save(out, format="PNG")
    image = render_image(out.getvalue(), max_side=300, policy=FetchPolicy(), url="data:")
    decoded = Image.open(io.BytesIO(image.data))
    assert (decoded.format, decoded.mode, decoded.size) == ("JPEG", "RGB", (300, 100))
    assert decoded.getpixel((150, 50)) == pytest.approx((255, 255, 255), abs=3)  # white


def test_an_image_over_the_pixel_limit_is_refused_before_decoding() -> None:
    out = io.BytesIO()
    Image.new("L", (400, 400)).save(out, format="PNG")
    with pytest.raises(TooLargeError):
        render_image(out.getvalue(), max_side=300, policy=FetchPolicy(max_pixels=1000), url="x")


def test_an_image_is_served_the_way_up_the_ocr_reads_it() -> None:
    # EXIF orientation 6 (rotate 90°): OCR boxes are in the upright image's pixels.
    exif = Image.Exif()
    exif[0x0112] = 6
    out = io.BytesIO()
    Image.new("RGB", (200, 100), "white").save(out, format="JPEG", exif=exif)
    image = render_image(out.getvalue(), max_side=1000, policy=FetchPolicy(), url="x")
    assert (image.width, image.height) == (100, 200)
