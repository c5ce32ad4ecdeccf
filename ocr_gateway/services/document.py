"""Jobs from documents: fetch a PDF or an image once, store it, make a job with a page per
PDF page (an image makes one page), in one unit of work.

Order, so that a bad document changes nothing:

1. ``fetch_document``: check ``documentUrl`` and fetch it through every guard of the page
   fetcher (schemes, addresses, redirects, size, time), then inspect it
   (``processing.document``: encrypted, broken, zero-page, over-long or unsupported content
   is refused). Runs before any write, outside the request's transaction. Bytes already in
   hand (a local file of ``ocr-gateway import``) enter at ``read_document``, its second half.
2. ``create_job_from_document``: the job (``services.job`` checks name, group, template),
   the document (stored once per sha256: a second job from the same bytes reuses the row),
   and its pages (``pageUrl`` = the document's URL with ``#page=N``), all in the caller's
   unit of work: if anything fails, nothing is kept.

Why the bytes live in the database (``documents.data``) and not under the media root: the
workers that read the pages run on other machines on PostgreSQL (``ocr-gateway worker``), and
the database is what they all share; the documents are bounded by ``fetch_max_bytes``.
"""

from __future__ import annotations

import asyncio
import urllib.parse
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from ocr_gateway.db.models import Document, Job, Page
from ocr_gateway.db.types import utcnow
from ocr_gateway.enums import PageStatus
from ocr_gateway.errors import Conflict, InvalidInput
from ocr_gateway.ids import new_id
from ocr_gateway.processing import lifecycle
from ocr_gateway.processing.document import (
    DocumentInfo,
    DocumentRejected,
    inspect_document,
    page_url_of,
)
from ocr_gateway.processing.fetch import FetchError, fetch_bytes
from ocr_gateway.processing.pipeline import fetch_policy
from ocr_gateway.services import job as job_service
from ocr_gateway.services.validation import Checks
from ocr_gateway.settings import Settings

FIELD = "documentUrl"
MESSAGES = {
    "pdf_encrypted": "the PDF is encrypted (it needs a password to open); send it unprotected",
    "pdf_broken": "is not a readable PDF document (damaged or truncated)",
    "pdf_empty": "the PDF has no pages",
}


@dataclass(frozen=True, slots=True)
class FetchedDocument:
    url: str
    data: bytes
    info: DocumentInfo


async def fetch_document(settings: Settings, document_url: Any) -> FetchedDocument:
    """The document at ``document_url``, fetched and inspected; raises ``InvalidInput`` on
    ``documentUrl`` with what was wrong (see the module docstring)."""
    checks = Checks()
    checks.absolute_uri(FIELD, document_url)
    checks.raise_if_any()
    # Each error is raised outside its ``except``: a cause chain ending in an OSError (a
    # refused connection, Pillow's UnidentifiedImageError) would read as a database outage.
    problem: str | None = None
    try:
        fetched = await fetch_bytes(document_url, policy=fetch_policy(settings))
    except FetchError as exc:
        problem = f"could not be fetched: {_fetch_message(exc)}"
    if problem is not None:
        raise InvalidInput.single(FIELD, problem)
    return await read_document(settings, document_url, fetched.data)


async def read_document(
    settings: Settings, url: str, data: bytes, *, field: str = FIELD
) -> FetchedDocument:
    """``data`` (the bytes at ``url``, already in hand) inspected as a document; raises
    ``InvalidInput`` on ``field``. ``fetch_document`` ends here after its fetch; the bulk
    import (``ocr_gateway.bulk_import``) reads local files itself and starts here, so no
    fetch guard is loosened for it (``url`` is then only the label the pages carry)."""
    problem: str | None = None
    if len(data) > settings.fetch_max_bytes:
        problem = f"is {len(data)} bytes, more than the limit of {settings.fetch_max_bytes}"
    else:
        try:
            info = await asyncio.to_thread(inspect_document, data, settings)
        except DocumentRejected as exc:
            problem = MESSAGES.get(exc.code, exc.message)
    if problem is not None:  # raised outside the ``except`` (see ``fetch_document``)
        raise InvalidInput.single(field, problem)
    return FetchedDocument(url, data, info)


def _fetch_message(exc: FetchError) -> str:
    if exc.code == "not_an_image":  # the fetcher's word for text/html, JSON …
        return exc.message.replace("not an image", "not a PDF or an image")
    return exc.message


async def create_job_from_document(
    session: AsyncSession, document: FetchedDocument, data: dict[str, Any]
) -> tuple[Job, list[Page]]:
    """The job, its stored document and its pages (see the module docstring)."""
    job_data = {k: v for k, v in data.items() if k in job_service.COLUMNS}
    job_data.setdefault("name", _file_name(document.url))
    job_data.setdefault("sourceFileName", _file_name(document.url))
    job = await job_service.create_job(session, job_data)
    stored = await _stored(session, document)
    pages = [
        Page(
            job_id=job.id,
            page_number=number,
            page_url=page_url_of(document.url, number, document.info),
            document_id=stored.id,
            status=PageStatus.pending.value,
            image_properties={},
            annotations=[],
            metadata_={},
            attempts=0,
        )
        for number in range(1, document.info.page_count + 1)
    ]
    session.add_all(pages)
    await session.flush()
    await lifecycle.settle(session, job_ids=[job.id])
    return job, pages


async def _stored(session: AsyncSession, document: FetchedDocument) -> Document:
    """The document's row, inserted unless a row with its sha256 exists, held FOR SHARE until
    the transaction ends. Concurrent requests storing the same new bytes wait for each other
    (``ON CONFLICT DO NOTHING``) instead of failing; a concurrent delete of the document's last
    page (``writes.drop_unused_documents``) either ends first, and the row is stored anew, or
    waits for this job's pages and leaves the row."""
    info = document.info
    dialect = session.get_bind().dialect.name
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    values = {
        "id": new_id(),
        "sha256": info.sha256,
        "content_type": info.content_type,
        "byte_size": info.byte_size,
        "page_count": info.page_count,
        "source_url": document.url[:4096],
        "data": document.data,
        "created_at": utcnow(),
    }
    held = select(Document).where(Document.sha256 == info.sha256).with_for_update(read=True)
    for _ in range(3):  # a row deleted between the insert and the select is stored again
        await session.execute(
            insert(Document).values(values).on_conflict_do_nothing(index_elements=["sha256"])
        )
        found = await session.scalar(held)
        if found is not None:
            return found
    raise Conflict("the same document is being stored and deleted by other requests; try again")


def _file_name(url: str) -> str:
    path = urllib.parse.urlsplit(url.split("#", 1)[0]).path
    name = urllib.parse.unquote(path.rsplit("/", 1)[-1]).strip()
    return (name or "document")[:255]
