"""A page's result that the database cannot store fails the page with a code, never leaves it
``processing``; a NUL character (which PostgreSQL's text and jsonb refuse) is stored as U+FFFD
on every backend; a write PostgreSQL rolled back for a deadlock is made again."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import undefer

from ocr_gateway.db import availability
from ocr_gateway.db.engine import Database
from ocr_gateway.db.models import Page
from ocr_gateway.enums import PageStatus
from ocr_gateway.processing import pipeline
from ocr_gateway.processing.fetch import FetchPolicy
from tests.notifications.factories import create_group, create_job, webhook


async def queued_page(db: Database) -> str:
    group_id = await create_group(db, webhook("https://hooks.example.com/ocr"))
    job_id = await create_job(db, group_id, ["queued"])
    async with db.sessionmaker() as session:
        page_id = await session.scalar(select(Page.id).where(Page.job_id == job_id))
    assert page_id is not None
    return page_id


async def process_with(
    db: Database, monkeypatch: pytest.MonkeyPatch, columns: dict[str, Any]
) -> tuple[PageStatus | None, Page]:
    async def run(*_: object) -> dict[str, Any]:
        return columns

    monkeypatch.setattr(pipeline, "run", run)
    page_id = await queued_page(db)
    status = await pipeline.process_page(
        db,
        engine=None,  # type: ignore[arg-type]  # run() is replaced: no OCR here
        page_id=page_id,
        policy=FetchPolicy(),
        from_statuses=["queued"],
        max_attempts=3,
    )
    async with db.sessionmaker() as session:
        page = await session.get(Page, page_id, options=[undefer("*")])
    assert page is not None
    return status, page


async def test_nul_characters_are_stored_as_replacement_characters(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    vendor = {"value": "ACME\x00 GmbH", "confidence": float("nan")}
    fields = {"fields": {"vendorName": vendor}, "errors": []}
    columns = {
        "ocr_text": "INVOICE\x00 42",
        "ocr_words": [{"text": "\x00", "confidence": 1.0, "box": [0, 0, 1, 1]}],
        "extracted_fields": fields,
    }
    status, page = await process_with(db, monkeypatch, columns)
    assert status is PageStatus.processed
    assert page.status == "processed"
    assert page.ocr_text == "INVOICE\ufffd 42"
    assert page.ocr_words == [{"text": "\ufffd", "confidence": 1.0, "box": [0, 0, 1, 1]}]
    stored = page.extracted_fields["fields"]["vendorName"]
    assert stored == {"value": "ACME\ufffd GmbH", "confidence": None}


async def test_a_result_that_cannot_be_stored_fails_the_page_with_a_code(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    unstorable = {"ocr_text": "INVOICE", "extracted_fields": {"fields": {}, "x": {1, 2}}}
    status, page = await process_with(db, monkeypatch, unstorable)
    assert status is PageStatus.failed
    assert page.status == "failed"
    assert page.error is not None
    assert page.error["code"] == "result_unstorable"
    assert page.error["transient"] is False
    assert page.ocr_text is None  # nothing of the refused result was written


class RolledBack(Exception):
    """What the asyncpg driver raises for a deadlock PostgreSQL detected."""

    sqlstate = "40P01"


def deadlock() -> DBAPIError:
    return DBAPIError("UPDATE pages ...", None, RolledBack("deadlock detected"))


async def test_a_write_rolled_back_by_a_deadlock_is_made_again(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = pipeline.complete
    calls: list[str] = []

    async def deadlocked_once(database: Database, page_id: str, columns: dict[str, Any]) -> bool:
        calls.append(page_id)
        if len(calls) == 1:
            raise deadlock()
        return await real(database, page_id, columns)

    monkeypatch.setattr(pipeline, "complete", deadlocked_once)
    status, page = await process_with(db, monkeypatch, {"ocr_text": "INVOICE 42"})
    assert (status, page.status, page.ocr_text) == (PageStatus.processed, "processed", "INVOICE 42")
    assert len(calls) == 2


async def test_a_write_that_keeps_deadlocking_is_not_called_unstorable(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def always(*_: object) -> bool:
        raise deadlock()

    monkeypatch.setattr(pipeline, "complete", always)
    with pytest.raises(DBAPIError):  # the worker's retry (or restart) takes the page again
        await process_with(db, monkeypatch, {"ocr_text": "INVOICE 42"})


def test_only_class_40_errors_count_as_rolled_back_by_concurrency() -> None:
    assert availability.is_rolled_back_by_concurrency(deadlock())
    unique = DBAPIError("INSERT ...", None, type("Unique", (Exception,), {"sqlstate": "23505"})())
    assert not availability.is_rolled_back_by_concurrency(unique)
    assert not availability.is_rolled_back_by_concurrency(ValueError("NaN"))
