"""One page through the pipeline, the same in every kind of worker:

    claim -> read the page's text -> extract the template's fields -> write the results

Reading the text (``text_source``) takes an embedded e-invoice, a PDF's text layer or OCR
of the rendered page or image, in that order; only OCR needs the engine.

``claim`` moves the page to ``processing`` (one more attempt) and reads what the OCR needs;
``complete`` writes the results only while the page is still ``processing``. Both are
transitions of the page lifecycle (``processing.lifecycle``), which re-derives the job's and
group's status, assembles a done job's invoice data, and records events and webhooks. A
page already ``processed`` is never claimed again, so a worker that dies after writing and
is retried changes nothing: a page is processed once, not lost and not duplicated.
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.exc import DBAPIError, StatementError

from ocr_gateway.db import availability
from ocr_gateway.db.engine import Database
from ocr_gateway.enums import PageStatus
from ocr_gateway.processing import claimants, lifecycle
from ocr_gateway.processing.engine import OcrEngine
from ocr_gateway.processing.extraction import extract_fields
from ocr_gateway.processing.fetch import DocumentLimits, FetchError, FetchPolicy
from ocr_gateway.processing.text_source import document_bytes, extracted_fields, read_page_text
from ocr_gateway.settings import Settings

log = logging.getLogger("ocr_gateway.processing")


class TransientPageError(Exception):
    """A failure worth another try later (network trouble, a 5xx …)."""

    def __init__(self, error: dict[str, Any], retry_after: float | None = None) -> None:
        super().__init__(error["message"])
        self.error = error
        self.retry_after = retry_after


@dataclass(frozen=True)
class PageWork:
    page_id: str
    page_url: str
    attempt: int
    languages: list[str]
    template: dict[str, Any]
    page_number: int = 1
    document: bytes | None = None  # the stored document the page was made from


@dataclass
class PageOutcome:
    status: PageStatus
    timings: dict[str, float] = field(default_factory=dict)


def fetch_policy(settings: Settings) -> FetchPolicy:
    return FetchPolicy(
        max_bytes=settings.fetch_max_bytes,
        max_pixels=settings.fetch_max_pixels,
        total_timeout=settings.fetch_timeout_s,
        allow_loopback=settings.fetch_allow_loopback,
        allow_private=settings.fetch_allow_private,
        allowed_networks=tuple(settings.fetch_allowed_networks),
        media_root=settings.media_root,
        documents=DocumentLimits(
            max_pages=settings.pdf_max_pages,
            max_pixels=settings.pdf_max_pixels,
            render_dpi=settings.pdf_render_dpi,
            einvoice_max_bytes=settings.einvoice_max_bytes,
        ),
    )


async def claim(
    db: Database, page_id: str, *, from_statuses: Sequence[str], max_attempts: int | None = None
) -> PageWork | None:
    """Start an attempt on the page, claimed by this process, or None when it is not (or no
    longer) to be processed (``lifecycle.claim``: also when its tries are used up)."""
    async with db.sessionmaker() as session, session.begin():
        claimed = await lifecycle.claim(
            session,
            page_id,
            from_statuses=from_statuses,
            max_attempts=max_attempts,
            claimant=claimants.this_process(),
        )
        if claimed is None:
            return None
        page, template = claimed
        return PageWork(
            page_id=page.id,
            page_url=page.page_url,
            attempt=page.attempts,
            languages=list(template.languages),
            template={"fields": template.fields, "options": template.options},
            page_number=page.page_number,
            document=await document_bytes(session, page.document_id),
        )


async def run(work: PageWork, engine: OcrEngine, policy: FetchPolicy) -> dict[str, Any]:
    """Read the text, extract; returns the columns to write. Raises TransientPageError for a
    failure worth retrying, FetchError (permanent) for one that is not."""
    began = time.perf_counter()
    try:
        page = await read_page_text(work, engine, policy)
    except FetchError as exc:
        error = {"code": exc.code, "message": exc.message, "transient": exc.transient}
        if exc.transient:
            raise TransientPageError(error, getattr(exc, "retry_after", None)) from exc
        raise
    read_at = time.perf_counter()
    extraction = extract_fields(page.result, work.template)
    done = time.perf_counter()
    timings = {
        **{k: round(v, 4) for k, v in page.timings.items()},
        **{k: round(v, 4) for k, v in page.result.timings.items()},
        "extract": round(done - read_at, 4),
        "total": round(done - began, 4),
    }
    as_dict = page.result.to_dict()
    return {
        "image_properties": page.properties,
        "text_source": page.source.value,
        "ocr_text": page.result.text,
        "ocr_lines": as_dict["lines"],
        "ocr_words": as_dict["words"],
        "mean_confidence": page.result.mean_confidence,
        "extracted_fields": extracted_fields(page, extraction),
        "engine": page.engine.name if page.engine else None,
        "engine_version": page.engine.version if page.engine else None,
        "timings": timings,
    }


async def complete(db: Database, page_id: str, columns: dict[str, Any]) -> bool:
    """Write the results of the attempt in progress; False if the page moved on meanwhile."""
    async with db.sessionmaker() as session, session.begin():
        return await lifecycle.complete(session, page_id, columns)


async def fail(db: Database, page_id: str, error: dict[str, Any], *, final: bool) -> None:
    """Record a failed attempt: ``failed`` when final, back to ``queued`` for a retry."""
    async with db.sessionmaker() as session, session.begin():
        await lifecycle.fail(session, page_id, error, final=final)


async def process_page(
    db: Database,
    engine: OcrEngine,
    page_id: str,
    *,
    policy: FetchPolicy,
    from_statuses: Sequence[str],
    max_attempts: int,
) -> PageStatus | None:
    """Claim, run and record one attempt. Raises TransientPageError when a retry is due
    (the page is back to ``queued``); returns the final status otherwise, or None when the
    page was not to be processed."""
    work = await claim(db, page_id, from_statuses=from_statuses, max_attempts=max_attempts)
    if work is None:
        return None
    try:
        columns = await run(work, engine, policy)
    except TransientPageError as exc:
        final = work.attempt >= max_attempts
        await fail(db, page_id, {**exc.error, "attempt": work.attempt}, final=final)
        if final:
            return PageStatus.failed
        raise
    except FetchError as exc:
        return await _failed_for_good(db, work, exc.code, exc.message)
    except Exception as exc:
        log.exception("page %s: OCR failed", page_id)
        return await _failed_for_good(db, work, "ocr_failed", f"OCR failed: {type(exc).__name__}")
    try:
        await _complete_retrying(db, page_id, storable(columns))
    except (StatementError, TypeError, ValueError) as exc:
        if availability.is_unavailable(exc) or availability.is_rolled_back_by_concurrency(exc):
            raise  # the database is away or busy: the page is re-queued when a worker starts
        log.exception("page %s: the result could not be stored", page_id)
        message = f"the page's result could not be stored: {type(exc).__name__}"
        return await _failed_for_good(db, work, "result_unstorable", message)
    return PageStatus.processed


async def _failed_for_good(db: Database, work: PageWork, code: str, message: str) -> PageStatus:
    error = {"code": code, "message": message, "transient": False, "attempt": work.attempt}
    await fail(db, work.page_id, error, final=True)
    return PageStatus.failed


async def _complete_retrying(
    db: Database, page_id: str, columns: dict[str, Any], *, tries: int = 4
) -> None:
    """``complete``, again when PostgreSQL rolled it back for a concurrent transaction (a
    deadlock between two jobs' duplicate-invoice updates, say): the OCR is not redone."""
    for attempt in range(1, tries + 1):
        try:
            await complete(db, page_id, columns)
            return
        except DBAPIError as exc:
            if attempt == tries or not availability.is_rolled_back_by_concurrency(exc):
                raise
            log.warning("page %s: writing the result was rolled back (%s); again", page_id, exc)
            await asyncio.sleep(0.05 * attempt)


def storable(value: Any) -> Any:
    """``value`` as every backend stores it: PostgreSQL's text and jsonb refuse NUL characters
    (U+FFFD instead, as for a lone surrogate) and JSON has no NaN or infinity (null instead)."""
    if isinstance(value, str):
        return value.replace("\x00", "\ufffd") if "\x00" in value else value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {storable(k): storable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [storable(v) for v in value]
    return value
