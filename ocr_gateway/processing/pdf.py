"""PDF documents: open one safely, read a page's text layer, render a page, list its attachments.

Everything goes through ``open_pdf(data, max_pages=...)``, a context manager that holds a
process-wide lock while the document is open: PDFium is not thread-safe, and the API process
reads PDFs from worker threads (``asyncio.to_thread``). The ``Pdf`` it yields offers:

- ``page_count``;
- ``text(index, dpi=...)``: the page's text layer as an ``OcrResult`` (words and lines with
  boxes in pixels of the page rendered at ``dpi``, confidence 1), or ``None`` when the page
  has no usable text layer (no text, or text that is not text: fonts without a Unicode map
  give control characters, broken encodings glyph soup; see ``text_quality``);
- ``render(index, dpi=..., max_pixels=...)``: the page as an RGB image, the resolution lowered
  when it would exceed ``max_pixels``;
- ``attachments()``: the embedded files, ``(name, bytes)`` (e-invoice XML travels this way).

Errors are ``PdfError`` with a machine-readable ``code`` and a message safe to show:
``pdf_encrypted`` (a user password is needed), ``pdf_broken`` (not a readable PDF),
``pdf_empty`` (no pages), ``pdf_too_many_pages``, ``pdf_page_missing``.
"""

from __future__ import annotations

import ctypes
import math
import re
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from PIL import Image

from ocr_gateway.processing.layout import TextRun, group_lines
from ocr_gateway.processing.result import OcrResult
from ocr_gateway.processing.text_quality import text_problem, usable_text

__all__ = ["Pdf", "PdfError", "is_pdf", "open_pdf", "text_problem", "usable_text"]

PDF_MAGIC = b"%PDF-"
DEFAULT_DPI = 150
POINTS_PER_INCH = 72
# A gap between two glyphs wider than this share of the font height separates two words
# even when the PDF has no space character there (text positioned glyph by glyph).
WORD_GAP = 0.3

_LOCK = threading.RLock()
_PAGE_TREE = re.compile(rb"/Type\s*/Pages\b")
_PAGE_OBJECT = re.compile(rb"/Type\s*/Page(?![A-Za-z])|/ObjStm\b")
_PASSWORD_ERRORS = (pdfium_c.FPDF_ERR_PASSWORD, pdfium_c.FPDF_ERR_SECURITY)


class PdfError(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def is_pdf(data: bytes) -> bool:
    """Whether ``data`` starts like a PDF (the header may follow up to 1 KB of junk)."""
    return PDF_MAGIC in data[:1024]


@contextmanager
def open_pdf(data: bytes, *, max_pages: int | None = None) -> Iterator[Pdf]:
    """The document in ``data``, open while the block runs; raises ``PdfError``."""
    with _LOCK:
        try:
            document = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as exc:
            raise _load_error(exc, data) from exc
        try:
            pdf = Pdf(document)
            if pdf.page_count == 0:
                raise PdfError("pdf_empty", "the PDF has no pages")
            if max_pages is not None and pdf.page_count > max_pages:
                raise PdfError(
                    "pdf_too_many_pages",
                    f"the PDF has {pdf.page_count} pages, more than the limit of {max_pages}",
                )
            yield pdf
        finally:
            document.close()


def _load_error(exc: pdfium.PdfiumError, data: bytes) -> PdfError:
    if _PAGE_TREE.search(data) and not _PAGE_OBJECT.search(data):
        # PDFium refuses a document whose page tree holds no page, without an error code of
        # its own (the last error is left as it was), so the file itself is asked, first:
        # after an encrypted PDF, that stale code would call this one encrypted too.
        return PdfError("pdf_empty", "the PDF has no pages")
    if exc.err_code in _PASSWORD_ERRORS:
        return PdfError("pdf_encrypted", "the PDF is encrypted (it needs a password to open)")
    return PdfError("pdf_broken", "the content is not a readable PDF document")


@dataclass(frozen=True, slots=True)
class _Glyph:
    char: str
    box: tuple[float, float, float, float]  # x0, y0, x1, y1 in device pixels


class Pdf:
    """An open document (see ``open_pdf``); page indexes start at 0."""

    def __init__(self, document: pdfium.PdfDocument) -> None:
        self._document = document
        self.page_count = len(document)

    def attachments(self) -> list[tuple[str, bytes]]:
        files = []
        for index in range(self._document.count_attachments()):
            attachment = self._document.get_attachment(index)
            try:
                files.append((attachment.get_name(), bytes(attachment.get_data())))
            except pdfium.PdfiumError:
                continue  # an attachment without data is no e-invoice
        return files

    def page_size(self, index: int, *, dpi: int = DEFAULT_DPI) -> tuple[int, int]:
        """Pixel size of page ``index`` rendered at ``dpi`` (its rotation applied)."""
        width, height = self._page(index).get_size()
        scale = dpi / POINTS_PER_INCH
        return max(1, round(width * scale)), max(1, round(height * scale))

    def render(self, index: int, *, dpi: int = DEFAULT_DPI, max_pixels: int) -> Image.Image:
        """Page ``index`` as RGB at ``dpi``, or at the highest resolution under ``max_pixels``."""
        width, height = self._page(index).get_size()
        scale = dpi / POINTS_PER_INCH
        if (width * scale + 1) * (height * scale + 1) > max_pixels:
            # +1: PDFium rounds the bitmap's size up.
            scale = math.sqrt(max_pixels / ((width + 1) * (height + 1)))
        bitmap = self._page(index).render(scale=scale, may_draw_forms=True)
        image: Image.Image = bitmap.to_pil().convert("RGB")
        return image

    def text(self, index: int, *, dpi: int = DEFAULT_DPI) -> OcrResult | None:
        """The text layer of page ``index`` (see the module docstring), or None."""
        page = self._page(index)
        width, height = self.page_size(index, dpi=dpi)
        textpage = page.get_textpage()
        try:
            glyphs = list(_glyphs(page, textpage, width, height))
        finally:
            textpage.close()
        if text_problem("".join(g.char for g in glyphs)) is not None:
            return None
        return OcrResult.of(
            group_lines(list(_words(glyphs))), width=width, height=height, timings={}
        )

    def _page(self, index: int) -> pdfium.PdfPage:
        if not 0 <= index < self.page_count:
            raise PdfError(
                "pdf_page_missing",
                f"the PDF has {self.page_count} pages; page {index + 1} does not exist",
            )
        return self._document[index]


def _glyphs(
    page: pdfium.PdfPage, textpage: pdfium.PdfTextPage, width: int, height: int
) -> Iterator[_Glyph]:
    """Every character of the page with its box in device pixels (rotation applied)."""
    codes = [pdfium_c.FPDFText_GetUnicode(textpage, i) for i in range(textpage.count_chars())]
    for index in range(len(codes)):
        char = character(codes, index)
        if char is None:  # the second half of a surrogate pair, joined to the first
            continue
        if char.isspace() or pdfium_c.FPDFText_IsGenerated(textpage, index) == 1:
            yield _Glyph(" ", (0, 0, 0, 0))
            continue
        try:
            left, bottom, right, top = textpage.get_charbox(index, loose=True)
        except pdfium.PdfiumError:
            continue
        corners = [_to_device(page, width, height, x, y) for x, y in ((left, top), (right, bottom))]
        (ax, ay), (bx, by) = corners
        yield _Glyph(char, (min(ax, bx), min(ay, by), max(ax, bx), max(ay, by)))


def character(codes: Sequence[int], index: int) -> str | None:
    """The character at ``index`` of PDFium's UTF-16 code units: a surrogate pair (an emoji,
    say) is one character at its first unit and None at its second; a lone surrogate, which
    no text encoding can store, is U+FFFD."""
    code = codes[index]
    if 0xD800 <= code <= 0xDBFF:
        low = codes[index + 1] if index + 1 < len(codes) else 0
        if 0xDC00 <= low <= 0xDFFF:
            return chr(0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00))
        return "\ufffd"
    if 0xDC00 <= code <= 0xDFFF:
        return None if index > 0 and 0xD800 <= codes[index - 1] <= 0xDBFF else "\ufffd"
    return chr(code) if 0 < code < 0x110000 else "\ufffd"


def _to_device(
    page: pdfium.PdfPage, width: int, height: int, x: float, y: float
) -> tuple[float, float]:
    device_x, device_y = ctypes.c_int(), ctypes.c_int()
    pdfium_c.FPDF_PageToDevice(
        page, 0, 0, width, height, 0, x, y, ctypes.byref(device_x), ctypes.byref(device_y)
    )
    return float(device_x.value), float(device_y.value)


def _words(glyphs: list[_Glyph]) -> Iterator[TextRun]:
    """Glyphs joined into words: a word ends at a space, a line break, a wide gap or a jump."""
    word: list[_Glyph] = []
    for glyph in glyphs:
        if glyph.char == " ":
            yield from _run(word)
            word = []
            continue
        if word and _breaks(word[-1], glyph):
            yield from _run(word)
            word = []
        word.append(glyph)
    yield from _run(word)


def _breaks(previous: _Glyph, glyph: _Glyph) -> bool:
    height = max(previous.box[3] - previous.box[1], 1.0)
    gap = glyph.box[0] - previous.box[2]
    same_line = abs(glyph.box[1] - previous.box[1]) < 0.5 * height
    return not same_line or gap > WORD_GAP * height or gap < -height


def _run(word: list[_Glyph]) -> Iterator[TextRun]:
    if not word:
        return
    box = (
        int(min(g.box[0] for g in word)),
        int(min(g.box[1] for g in word)),
        math.ceil(max(g.box[2] for g in word)),
        math.ceil(max(g.box[3] for g in word)),
    )
    yield TextRun("".join(g.char for g in word), 1.0, box)
