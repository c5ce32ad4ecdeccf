"""Reads behind the review page's page images (``ocr_gateway.review``): what a page's image
is made from, and a stored document's bytes.

Two steps, so that a cached or unchanged image (an ``If-None-Match`` that still matches)
costs one small indexed read and never loads a document's bytes.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from ocr_gateway.db.models import Document, Page


@dataclass(frozen=True, slots=True)
class PageImageSource:
    page_id: str
    page_url: str
    page_number: int
    document_id: str | None  # a page made by createJobFromDocument reads its stored document
    document_sha256: str | None


async def page_image_source(session: AsyncSession, page_id: str) -> PageImageSource | None:
    """Where page ``page_id``'s image comes from, or None when there is no such page."""
    stmt = (
        select(Page.id, Page.page_url, Page.page_number, Page.document_id, Document.sha256)
        .outerjoin(Document, Document.id == Page.document_id)
        .where(Page.id == page_id)
    )
    row = (await session.execute(stmt)).first()
    if row is None:
        return None
    return PageImageSource(row[0], row[1], row[2], row[3], row[4])


async def document_data(session: AsyncSession, document_id: str) -> bytes | None:
    """The stored bytes of a document (None when it is gone)."""
    data: bytes | None = await session.scalar(
        select(Document.data).where(Document.id == document_id)
    )
    return data
