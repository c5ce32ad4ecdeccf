"""Pages: one image of a job, and what OCR read off it.

The processing state (status, OCR text, words, fields, timings …) is written by the workers
only. Changing a processed page's ``pageUrl`` resets it to ``pending`` (old results no
longer describe the image); changing the image of a page that is queued or being processed
is refused.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from ocr_gateway.db import writes
from ocr_gateway.db.models import Job, Page
from ocr_gateway.enums import PageStatus
from ocr_gateway.errors import Conflict
from ocr_gateway.processing import lifecycle
from ocr_gateway.services.common import apply, flush, get_or_404
from ocr_gateway.services.validation import Checks

MAX_PAGE_NUMBER = 100_000
COLUMNS = {
    "job": "job_id",
    "pageNumber": "page_number",
    "pageUrl": "page_url",
    "pageType": "page_type",
    "imageProperties": "image_properties",
    "annotations": "annotations",
    "metadata": "metadata_",
}
RESULT_COLUMNS = (
    "text_source",
    "ocr_text",
    "ocr_lines",
    "ocr_words",
    "mean_confidence",
    "extracted_fields",
    "engine",
    "engine_version",
    "timings",
    "error",
    "processed_at",
    "started_at",
    "queued_at",
)


NOT_NULL = ("job", "pageNumber", "pageUrl", "imageProperties", "annotations", "metadata")


async def _check(session: AsyncSession, data: dict[str, Any], *, creating: bool) -> None:
    checks = Checks()
    checks.not_null(data, NOT_NULL)
    data = {k: v for k, v in data.items() if v is not None or k not in NOT_NULL}
    job_given = creating or "job" in data
    if (
        job_given
        and checks.id("job", data.get("job"))
        and not await writes.exists_by_id(session, Job, data["job"])
    ):
        checks.fail("job", f"no job with id {data['job']!r}")
    if creating or "pageNumber" in data:
        checks.integer("pageNumber", data.get("pageNumber"), minimum=1, maximum=MAX_PAGE_NUMBER)
    if creating or "pageUrl" in data:
        checks.absolute_uri("pageUrl", data.get("pageUrl"))
    for field in ("imageProperties", "metadata"):
        if data.get(field) is not None:
            checks.json_object(field, data[field])
    if data.get("annotations") is not None:
        checks.json_object_list("annotations", data["annotations"], max_items=1000)
    checks.raise_if_any()


async def _check_number_free(session: AsyncSession, page: Page) -> None:
    if await writes.page_number_taken(
        session, job_id=page.job_id, page_number=page.page_number, except_id=page.id
    ):
        raise Conflict(
            f"job {page.job_id!r} already has a page number {page.page_number}",
            field="pageNumber",
        )


async def create_page(session: AsyncSession, data: dict[str, Any]) -> Page:
    await _check(session, data, creating=True)
    page = Page(
        status=PageStatus.pending.value,
        image_properties={},
        annotations=[],
        metadata_={},
        attempts=0,
    )
    apply(page, {k: v for k, v in data.items() if v is not None}, COLUMNS)
    await _check_number_free(session, page)
    session.add(page)
    await flush(session, "this job already has a page with that number")
    await lifecycle.settle(session, job_ids=[page.job_id])
    return page


async def update_page(session: AsyncSession, id: str, data: dict[str, Any]) -> Page:
    page = await get_or_404(session, Page, "Page", id)
    await _check(session, data, creating=False)
    old_job = page.job_id
    image_changed = "pageUrl" in data and data["pageUrl"] != page.page_url
    if image_changed and page.status in (PageStatus.queued.value, PageStatus.processing.value):
        raise Conflict(f"page is {page.status}; change its image once processing ends")
    apply(page, data, COLUMNS)
    old_document = page.document_id
    if image_changed:
        lifecycle.reset(page, RESULT_COLUMNS)
        page.document_id = None  # the new pageUrl is fetched, not the stored document
    await _check_number_free(session, page)
    await flush(session, "this job already has a page with that number")
    if image_changed:
        await writes.drop_unused_documents(session, [old_document])
    if image_changed:
        await lifecycle.announce(session, page.id, page.status)
    await lifecycle.settle(session, job_ids=[old_job, page.job_id])
    return page


async def delete_page(session: AsyncSession, id: str) -> Page:
    """Delete the page; its job (and group) settle as if it had been processed: a delete
    that leaves them done assembles the invoice and sends the webhook (``lifecycle``)."""
    page = await get_or_404(session, Page, "Page", id)
    await session.delete(page)
    await session.flush()
    await writes.drop_unused_documents(session, [page.document_id])
    await lifecycle.settle(session, job_ids=[page.job_id])
    return page
