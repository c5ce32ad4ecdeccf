"""Page images for the review page: rendered, size-capped, encoded, and kept in memory.

- ``render_pdf_page(data, index, ...)``: a PDF page rendered by PDFium so that its long side
  is at most ``max_side`` pixels, as PNG (text stays sharp and white pages compress well);
- ``render_image(data, ...)``: an image page decoded under the fetch policy's pixel limit
  (EXIF orientation applied, as the OCR reads it), flattened to RGB, shrunk to ``max_side``
  and re-encoded as JPEG (scans and photos), never sent as the bytes that were fetched;
- ``ImageCache``: an in-process LRU bounded by the bytes it holds, entries optionally expiring.

Why the size of the served image need not be the size the field boxes were measured in:
both keep the page's aspect ratio, so the review page places boxes in fractions of the
page's ``imageProperties`` width and height (the boxes' pixel space: the page rendered at
150 dpi for a PDF text layer, at ``OCR_GATEWAY_PDF_RENDER_DPI`` for an OCRed PDF page, the
oriented image for an image page), whatever size the browser shows the image at.
"""

from __future__ import annotations

import hashlib
import io
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass

from PIL import Image

from ocr_gateway.processing.fetch import FetchPolicy, decode_bytes
from ocr_gateway.processing.page_image import to_rgb
from ocr_gateway.processing.pdf import POINTS_PER_INCH, open_pdf

PNG = "image/png"
JPEG = "image/jpeg"
JPEG_QUALITY = 85
# Bumped when the encoding changes, so that no browser keeps an image under an old ETag.
RENDER_VERSION = "1"


@dataclass(frozen=True, slots=True)
class RenderedImage:
    data: bytes
    media_type: str
    etag: str  # quoted, as the ETag header carries it
    width: int
    height: int


def document_etag(sha256: str, index: int, max_side: int) -> str:
    """The ETag of a stored document's page: known before anything is rendered."""
    digest = hashlib.sha256(f"{RENDER_VERSION}:{sha256}:{index}:{max_side}".encode()).hexdigest()
    return f'"{digest[:32]}"'


def render_pdf_page(
    data: bytes, index: int, *, max_side: int, max_pages: int, etag: str | None = None
) -> RenderedImage:
    """Page ``index`` of the PDF in ``data``; raises ``processing.pdf.PdfError``."""
    with open_pdf(data, max_pages=max_pages) as pdf:
        longest = max(pdf.page_size(index, dpi=POINTS_PER_INCH))
        dpi = max(1, int(POINTS_PER_INCH * max_side / longest))
        image = pdf.render(index, dpi=dpi, max_pixels=max_side * max_side)
    return _encoded(_shrunk(image, max_side), PNG, etag)


def render_image(data: bytes, *, max_side: int, policy: FetchPolicy, url: str) -> RenderedImage:
    """The image in ``data``, capped; raises ``NotAnImageError`` / ``TooLargeError``."""
    image, _properties = decode_bytes(data, policy, url)
    return _encoded(_shrunk(to_rgb(image), max_side), JPEG, None)


def _shrunk(image: Image.Image, max_side: int) -> Image.Image:
    if max(image.size) <= max_side:
        return image
    copy = image.copy()
    copy.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    return copy


def _encoded(image: Image.Image, media_type: str, etag: str | None) -> RenderedImage:
    out = io.BytesIO()
    if media_type == PNG:
        image.save(out, format="PNG", optimize=False, compress_level=6)
    else:
        image.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True)
    data = out.getvalue()
    tag = etag or f'"{hashlib.sha256(data).hexdigest()[:32]}"'
    return RenderedImage(data, media_type, tag, image.width, image.height)


@dataclass(slots=True)
class _Entry:
    image: RenderedImage
    expires_at: float | None


class ImageCache:
    """Least recently used images first out, so that at most ``max_bytes`` are held."""

    def __init__(self, max_bytes: int, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.max_bytes = max_bytes
        self.clock = clock
        self.size = 0
        self._entries: OrderedDict[Hashable, _Entry] = OrderedDict()

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: Hashable) -> RenderedImage | None:
        entry = self._entries.get(key)
        if entry is None:
            return None
        if entry.expires_at is not None and entry.expires_at <= self.clock():
            self._drop(key)
            return None
        self._entries.move_to_end(key)
        return entry.image

    def put(self, key: Hashable, image: RenderedImage, *, ttl_s: float | None = None) -> None:
        """Keep ``image`` (an image larger than the whole cache is not kept)."""
        if key in self._entries:
            self._drop(key)
        if len(image.data) > self.max_bytes:
            return
        expires_at = None if ttl_s is None else self.clock() + ttl_s
        self._entries[key] = _Entry(image, expires_at)
        self.size += len(image.data)
        while self.size > self.max_bytes:
            self._drop(next(iter(self._entries)))

    def _drop(self, key: Hashable) -> None:
        entry = self._entries.pop(key)
        self.size -= len(entry.image.data)
