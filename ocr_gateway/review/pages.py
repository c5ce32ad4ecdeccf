"""What ``GET /review/pages/{pageId}/image`` answers: the page's image, from its stored
document or from its ``pageUrl`` through every guard of the page fetcher, rendered
(``review.images``) and cached.

The client names a page id, never a URL: the server fetches only what a page already points
at, under the same policy (schemes, addresses, redirects, size, pixels, time) as the OCR.

    stored document (createJobFromDocument)   ETag known from the document's sha256 before
                                              anything is read or rendered; cached for as
                                              long as the LRU keeps it (content-addressed)
    pageUrl (PDF or image)                    fetched through ``processing.fetch``; cached
                                              for ``review_image_url_ttl_s`` (the URL's
                                              content may change)

Errors are ``PageImageError`` with the HTTP status to answer: 404 ``NOT_FOUND`` (no such
page), 422 ``FETCH_REFUSED`` (the policy refuses the page's URL: a private address, a
scheme, a path outside the media root), 422 ``UNUSABLE_IMAGE`` (not an image or a readable
PDF, too many bytes or pixels), 502 ``FETCH_FAILED`` (the page's server answered an error,
timed out or could not be reached; ``transient`` says whether to try again).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass

import pypdfium2 as pdfium

from ocr_gateway.db.engine import Database
from ocr_gateway.db.page_image import PageImageSource, document_data, page_image_source
from ocr_gateway.ids import is_valid_id
from ocr_gateway.outbound.errors import (
    FetchError,
    FetchRefusedError,
    NotAnImageError,
    TooLargeError,
)
from ocr_gateway.processing.document import pdf_page_index
from ocr_gateway.processing.fetch import fetch_bytes
from ocr_gateway.processing.pdf import PdfError, is_pdf
from ocr_gateway.processing.pipeline import fetch_policy
from ocr_gateway.review.images import (
    ImageCache,
    RenderedImage,
    document_etag,
    render_image,
    render_pdf_page,
)
from ocr_gateway.settings import Settings

# Rendering is CPU-bound and PDFium holds a process-wide lock: a few at a time is enough.
CONCURRENT_RENDERS = 2


class PageImageError(Exception):
    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        reason: str | None = None,
        transient: bool = False,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.reason = reason  # the fetcher's or PDF reader's machine-readable code
        self.transient = transient


@dataclass(frozen=True, slots=True)
class Answer:
    """An image to send, or (``image`` None) a 304: the client's copy is current."""

    image: RenderedImage | None
    etag: str


class PageImages:
    def __init__(self, database: Database, settings: Settings) -> None:
        self.database = database
        self.settings = settings
        self.policy = fetch_policy(settings)
        self.max_side = settings.review_image_max_side
        self.cache = ImageCache(settings.review_image_cache_bytes)
        self._renders = asyncio.Semaphore(CONCURRENT_RENDERS)
        self._making: dict[Hashable, asyncio.Future[RenderedImage]] = {}

    async def answer(self, page_id: str, if_none_match: str | None) -> Answer:
        """The page's image, or a 304 when ``if_none_match`` names it; ``PageImageError``."""
        source = await self._source(page_id)
        index = pdf_page_index(source.page_url, source.page_number)
        if source.document_id is not None and source.document_sha256 is not None:
            etag = document_etag(source.document_sha256, index, self.max_side)
            if _matches(if_none_match, etag):
                return Answer(None, etag)
            key: Hashable = ("document", source.document_sha256, index, self.max_side)
            image = self.cache.get(key) or await self._once(
                key, lambda: self._from_document(source, index, etag, key)
            )
        else:
            key = ("url", source.page_url, source.page_number, self.max_side)
            image = self.cache.get(key) or await self._once(
                key, lambda: self._from_url(source, index, key)
            )
        if _matches(if_none_match, image.etag):
            return Answer(None, image.etag)
        return Answer(image, image.etag)

    async def _once(
        self, key: Hashable, make: Callable[[], Awaitable[RenderedImage]]
    ) -> RenderedImage:
        """``make()``, run once for every request that wants ``key`` meanwhile (a page
        opened by several reviewers at once is rendered or fetched once). Shielded: a
        request that goes away does not cancel the others' image."""
        making = self._making.get(key)
        if making is None:
            making = asyncio.ensure_future(make())
            self._making[key] = making
            making.add_done_callback(lambda _done: self._making.pop(key, None))
        return await asyncio.shield(making)

    async def _source(self, page_id: str) -> PageImageSource:
        source = None
        if is_valid_id(page_id):
            async with self.database.read_sessionmaker() as session:
                source = await page_image_source(session, page_id)
        if source is None:
            raise PageImageError(404, "NOT_FOUND", f"no page with id {page_id!r}")
        return source

    async def _from_document(
        self, source: PageImageSource, index: int, etag: str, key: Hashable
    ) -> RenderedImage:
        assert source.document_id is not None
        async with self.database.read_sessionmaker() as session:
            data = await document_data(session, source.document_id)
        if data is None:
            raise PageImageError(404, "NOT_FOUND", "the page's document is no longer stored")
        image = await self._render(data, index, source.page_url, etag)
        self.cache.put(key, image)
        return image

    async def _from_url(self, source: PageImageSource, index: int, key: Hashable) -> RenderedImage:
        try:
            fetched = await fetch_bytes(source.page_url, policy=self.policy)
        except FetchError as exc:
            raise _fetch_failure(exc) from None
        image = await self._render(fetched.data, index, fetched.url, None)
        self.cache.put(key, image, ttl_s=self.settings.review_image_url_ttl_s)
        return image

    async def _render(self, data: bytes, index: int, url: str, etag: str | None) -> RenderedImage:
        async with self._renders:
            try:
                if is_pdf(data):
                    return await asyncio.to_thread(
                        render_pdf_page,
                        data,
                        index,
                        max_side=self.max_side,
                        max_pages=self.settings.pdf_max_pages,
                        etag=etag,
                    )
                return await asyncio.to_thread(
                    render_image, data, max_side=self.max_side, policy=self.policy, url=url
                )
            except FetchError as exc:  # decoding: not an image, too many pixels
                raise _fetch_failure(exc) from None
            except PdfError as exc:
                raise PageImageError(422, "UNUSABLE_IMAGE", exc.message, reason=exc.code) from None
            except pdfium.PdfiumError:
                message = "the PDF page could not be rendered"
                raise PageImageError(422, "UNUSABLE_IMAGE", message, reason="pdf_broken") from None


def _fetch_failure(exc: FetchError) -> PageImageError:
    if isinstance(exc, FetchRefusedError):
        message = f"the page's URL is refused: {exc.message}"
        return PageImageError(422, "FETCH_REFUSED", message, reason=exc.code)
    if isinstance(exc, NotAnImageError | TooLargeError):
        return PageImageError(422, "UNUSABLE_IMAGE", exc.message, reason=exc.code)
    message = f"the page image could not be fetched: {exc.message}"
    return PageImageError(502, "FETCH_FAILED", message, reason=exc.code, transient=exc.transient)


def _matches(if_none_match: str | None, etag: str) -> bool:
    if not if_none_match:
        return False
    tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
    return etag in tags or "*" in tags
