"""Documents in: what a fetched file is (a PDF or an image), how many pages it makes, and
which PDF page a page URL names.

``inspect_document(data, settings)`` is what ``createJobFromDocument`` runs on the fetched
bytes before anything is written: a PDF is opened (``processing.pdf``; encrypted, broken,
zero-page and over-long PDFs are refused), an image is decoded under the pixel limit (it makes
one page); anything else is refused. Errors are ``DocumentRejected`` with a machine-readable
``code`` (``pdf_encrypted``, ``pdf_broken``, ``pdf_empty``, ``pdf_too_many_pages``,
``unsupported_content``, ``too_many_pixels``) and a message safe to show.

``pdf_page_index(page_url, page_number)`` is the PDF page a page reads: the URL's
``#page=N`` fragment when it has one (the PDF open-parameters convention), else its pageNumber.
"""

from __future__ import annotations

import hashlib
import re
import urllib.parse
from dataclasses import dataclass

from ocr_gateway.processing.decode import ImageRejected, decode_image
from ocr_gateway.processing.pdf import PdfError, is_pdf, open_pdf
from ocr_gateway.settings import Settings

PDF_TYPE = "application/pdf"
PAGE_FRAGMENT = re.compile(r"(?:^|&)page=(\d{1,6})(?:&|$)")


class DocumentRejected(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True, slots=True)
class DocumentInfo:
    content_type: str  # application/pdf, image/png …
    page_count: int
    sha256: str
    byte_size: int


def inspect_document(data: bytes, settings: Settings) -> DocumentInfo:
    """What ``data`` is and how many pages it makes; raises ``DocumentRejected``."""
    digest = hashlib.sha256(data).hexdigest()
    if is_pdf(data):
        try:
            with open_pdf(data, max_pages=settings.pdf_max_pages) as pdf:
                pages = pdf.page_count
        except PdfError as exc:
            raise DocumentRejected(exc.code, exc.message) from exc
        return DocumentInfo(PDF_TYPE, pages, digest, len(data))
    try:
        _image, properties = decode_image(data, max_pixels=settings.fetch_max_pixels)
    except ImageRejected as exc:
        if exc.code == "too_many_pixels":
            raise DocumentRejected(exc.code, str(exc)) from exc
        raise DocumentRejected(
            "unsupported_content", "the document is neither a PDF nor an image (PNG, JPEG, …)"
        ) from exc
    return DocumentInfo(f"image/{properties.format.lower()}", 1, digest, len(data))


def pdf_page_index(page_url: str, page_number: int) -> int:
    """0-based index of the PDF page a page reads (see the module docstring)."""
    fragment = urllib.parse.urlsplit(page_url).fragment
    match = PAGE_FRAGMENT.search(fragment)
    number = int(match.group(1)) if match else page_number
    return max(number, 1) - 1


def page_url_of(document_url: str, number: int, info: DocumentInfo) -> str:
    """The pageUrl of page ``number`` of a document: a PDF's URL with ``#page=N`` (any
    fragment it had is replaced), an image's URL as it is."""
    if info.content_type != PDF_TYPE:
        return document_url
    return f"{document_url.split('#', 1)[0]}#page={number}"
