"""Where a page's text comes from, in order: an e-invoice embedded in its PDF, the PDF's text
layer, OCR of the rendered page (or of the image).

``read_page_text(work, engine, policy)`` gets the page's bytes (the stored document of a
page made by ``createJobFromDocument``, else its ``pageUrl`` through every fetch guard) and:

- a **PDF** page (``pageNumber``, or ``#page=N`` in the URL, selects it): its text layer when
  it is usable (``text_quality``: no OCR engine is touched, so none is loaded), else the page
  rendered at ``DocumentLimits.render_dpi`` (under ``max_pixels``) and OCRed. The document's
  first page also reads an embedded CII/UBL e-invoice (``einvoice``), whose fields then
  stand beside the printed ones;
- an **image**: decoded under the pixel limit and OCRed.

The page records ``textSource``: ``embedded_xml`` when its fields came from an e-invoice,
else ``pdf_text`` or ``ocr``; ``extractedFields.printedTextSource`` keeps how the printed
text itself was read. Failures are ``FetchError`` (permanent ones: ``pdf_*``,
``not_an_image`` …), as for a page image.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from PIL import Image
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from ocr_gateway.db.models import Document
from ocr_gateway.enums import TextSource
from ocr_gateway.processing.document import pdf_page_index
from ocr_gateway.processing.einvoice import (
    EInvoiceError,
    EmbeddedInvoice,
    find_embedded,
    reconcile,
)
from ocr_gateway.processing.engine import OcrEngine
from ocr_gateway.processing.extraction import ExtractionResult
from ocr_gateway.processing.fetch import (
    DocumentLimits,
    FetchPolicy,
    NotAnImageError,
    ResourceError,
    decode_bytes,
    fetch_bytes,
)
from ocr_gateway.processing.pdf import DEFAULT_DPI, PdfError, is_pdf, open_pdf
from ocr_gateway.processing.result import OcrResult

if TYPE_CHECKING:
    from ocr_gateway.processing.pipeline import PageWork

CREDIT_NOTE = "credit_note"  # the warning a credit note's page carries (``extraction``)

log = logging.getLogger("ocr_gateway.processing")


@dataclass
class PageText:
    result: OcrResult
    printed_source: TextSource  # pdf_text | ocr
    properties: dict[str, Any]
    engine: OcrEngine | None = None  # the engine that read it, None when none did
    embedded: EmbeddedInvoice | None = None
    embedded_error: str | None = None
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def source(self) -> TextSource:
        return TextSource.embedded_xml if self.embedded else self.printed_source


@dataclass
class _PdfPage:
    text: OcrResult | None
    image: Image.Image | None
    properties: dict[str, Any]
    embedded: EmbeddedInvoice | None
    embedded_error: str | None


class DocumentBytes:
    """The last documents' bytes this process read, up to ``max_bytes`` in all, so that the
    pages of one many-page document do not each read the whole document from the database.
    A stored document never changes (a row per content; a new id for new bytes), so an entry
    is never stale, only evicted, least recently used first."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._entries: OrderedDict[str, bytes] = OrderedDict()
        self._size = 0

    def get(self, document_id: str) -> bytes | None:
        data = self._entries.get(document_id)
        if data is not None:
            self._entries.move_to_end(document_id)
        return data

    def put(self, document_id: str, data: bytes) -> None:
        if len(data) > self.max_bytes or document_id in self._entries:
            return
        self._entries[document_id] = data
        self._size += len(data)
        while self._size > self.max_bytes:
            _, evicted = self._entries.popitem(last=False)
            self._size -= len(evicted)


RECENT_DOCUMENTS = DocumentBytes(max_bytes=64 * 1024 * 1024)


async def document_bytes(session: AsyncSession, document_id: str | None) -> bytes | None:
    """The stored bytes of the page's document (None for a page without one)."""
    if document_id is None:
        return None
    if (cached := RECENT_DOCUMENTS.get(document_id)) is not None:
        return cached
    data: bytes | None = await session.scalar(
        select(Document.data).where(Document.id == document_id)
    )
    if data is not None:
        RECENT_DOCUMENTS.put(document_id, data)
    return data


async def read_page_text(work: PageWork, engine: OcrEngine, policy: FetchPolicy) -> PageText:
    """The page's text and where it came from (see the module docstring)."""
    began = time.perf_counter()
    if work.document is not None:
        data, url = work.document, work.page_url
    else:
        fetched = await fetch_bytes(work.page_url, policy=policy)
        data, url = fetched.data, fetched.url
    fetched_at = time.perf_counter()
    timings = {"fetch": fetched_at - began}
    if is_pdf(data):
        index = pdf_page_index(work.page_url, work.page_number)
        pdf_page = await asyncio.to_thread(_read_pdf_page, data, index, policy, url)
        timings["pdf"] = time.perf_counter() - fetched_at
        if pdf_page.text is not None:
            return PageText(
                pdf_page.text,
                TextSource.pdf_text,
                pdf_page.properties,
                embedded=pdf_page.embedded,
                embedded_error=pdf_page.embedded_error,
                timings=timings,
            )
        assert pdf_page.image is not None
        result = await _ocr(engine, pdf_page.image, work.languages)
        return PageText(
            result,
            TextSource.ocr,
            pdf_page.properties,
            engine=engine,
            embedded=pdf_page.embedded,
            embedded_error=pdf_page.embedded_error,
            timings=timings,
        )
    image, properties = await asyncio.to_thread(decode_bytes, data, policy, url)
    timings["decode"] = time.perf_counter() - fetched_at
    result = await _ocr(engine, image, work.languages)
    return PageText(result, TextSource.ocr, properties.to_dict(), engine=engine, timings=timings)


async def _ocr(engine: OcrEngine, image: Image.Image, languages: list[str]) -> OcrResult:
    # OCR is CPU-bound: off the event loop, so heartbeats and other I/O carry on.
    return await asyncio.to_thread(engine.read, image, languages=languages)


def _read_pdf_page(data: bytes, index: int, policy: FetchPolicy, url: str) -> _PdfPage:
    limits = policy.documents
    try:
        with open_pdf(data, max_pages=limits.max_pages) as pdf:
            text = pdf.text(index, dpi=DEFAULT_DPI)
            image = None
            if text is None:
                image = pdf.render(index, dpi=limits.render_dpi, max_pixels=limits.max_pixels)
                size, dpi = image.size, limits.render_dpi
            else:
                size, dpi = (text.width, text.height), DEFAULT_DPI
            properties = _pdf_properties(data, index, pdf.page_count, size, dpi)
            embedded, error = _embedded(pdf.attachments() if index == 0 else [], limits)
    except PdfError as exc:
        cls = NotAnImageError if exc.code == "pdf_broken" else ResourceError
        raise cls(exc.message, code=exc.code, url=url) from exc
    return _PdfPage(text, image, properties, embedded, error)


def _embedded(
    attachments: list[tuple[str, bytes]], limits: DocumentLimits
) -> tuple[EmbeddedInvoice | None, str | None]:
    try:
        return find_embedded(attachments, max_bytes=limits.einvoice_max_bytes), None
    except EInvoiceError as exc:
        # The printed page still has its text: an unreadable XML costs its fields only.
        log.warning("embedded e-invoice not read: %s", exc)
        return None, str(exc)


def _pdf_properties(
    data: bytes, index: int, pages: int, size: tuple[int, int], dpi: int
) -> dict[str, Any]:
    return {
        "width": size[0],
        "height": size[1],
        "format": "PDF",
        "mode": "RGB",
        "dpi": [dpi, dpi],
        "bytes": len(data),
        "sha256": hashlib.sha256(data).hexdigest(),
        "pdfPage": index + 1,
        "pdfPageCount": pages,
    }


def extracted_fields(page: PageText, printed: ExtractionResult) -> dict[str, Any]:
    """What the page stores as ``extractedFields``: the printed extraction, with an embedded
    e-invoice's exact fields over it (``fields``) and the printed ones kept beside them."""
    stored = printed.to_dict()
    stored["printedTextSource"] = page.printed_source.value
    if page.embedded_error:
        stored["embeddedXmlError"] = page.embedded_error
    if page.embedded is None:
        return stored
    embedded = page.embedded.to_dict()
    fields, discrepancies = reconcile(embedded["fields"], stored["fields"])
    warnings = list(stored.get("warnings") or [])
    if page.embedded.credit_note and not any(w.get("code") == CREDIT_NOTE for w in warnings):
        message = "the embedded e-invoice is a credit note: its amounts are stated positive"
        warnings.append({"field": "total", "code": CREDIT_NOTE, "message": message})
    return {
        **stored,
        "warnings": warnings,
        "fields": fields,
        "printedFields": stored["fields"],
        "embedded": embedded,
        "discrepancies": discrepancies,
    }
