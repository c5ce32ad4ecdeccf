"""The embedded queue's faults. An OCR process that dies mid-page (killed, out of memory):
the page is read again by new OCR processes, the other pages go on, and a page that kills
every process it meets fails for good at its last try instead of stopping the queue. A
second app on the same database: it leaves the pages the first one reads alone."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest
from sqlalchemy import select

from ocr_gateway.db import migrate
from ocr_gateway.db.engine import Database
from ocr_gateway.db.models import Job, Page
from ocr_gateway.processing import lifecycle
from ocr_gateway.processing.builtin_templates import GENERIC_INVOICE_TEMPLATE
from ocr_gateway.processing.local import ChildProgram, LocalQueue
from ocr_gateway.settings import Settings
from tests.support import dying_ocr

pytestmark = pytest.mark.slow
DYING = ChildProgram(dying_ocr.initializer, dying_ocr.process)


async def _database(tmp_path: Path, **settings: object) -> Database:
    url = f"sqlite+aiosqlite:///{tmp_path / 'crash.db'}"
    db = Database(Settings(database_url=url, retry_base_s=0, **settings))
    await migrate.upgrade_all(db.engine, db.settings)
    return db


async def _queued_pages(db: Database, *urls: str) -> list[str]:
    async with db.sessionmaker() as session, session.begin():
        job = Job(name="crashes", template_id=str(GENERIC_INVOICE_TEMPLATE["id"]))
        session.add(job)
        await session.flush()
        pages = [
            Page(job_id=job.id, page_url=url, page_number=n, status="pending", attempts=0)
            for n, url in enumerate(urls, start=1)
        ]
        session.add_all(pages)
        await session.flush()
        await lifecycle.queue(session, pages)
        return [page.id for page in pages]


async def _settled(db: Database, page_ids: list[str], seconds: float) -> dict[str, Page]:
    deadline = time.monotonic() + seconds
    while True:
        async with db.sessionmaker() as session:
            rows = (await session.scalars(select(Page).where(Page.id.in_(page_ids)))).all()
        done = {row.id: row for row in rows if row.status in ("processed", "failed")}
        if len(done) == len(page_ids) or time.monotonic() > deadline:
            return done
        await asyncio.sleep(0.2)


async def test_a_page_that_kills_every_ocr_process_fails_for_good_and_the_rest_go_on(
    tmp_path: Path,
) -> None:
    db = await _database(tmp_path, local_workers=1, max_attempts=2)
    poison, *others = await _queued_pages(
        db,
        "https://example.test/die.png",
        "https://example.test/a.png",
        "https://example.test/b.png",
    )
    queue = LocalQueue(db, db.settings, child=DYING)
    await queue.start()
    try:
        done = await _settled(db, [poison, *others], seconds=120)
    finally:
        await queue.stop()
    assert sorted(done) == sorted([poison, *others]), "the queue stopped after a crash"
    assert done[poison].status == "failed"
    assert done[poison].error is not None
    assert done[poison].error["code"] == "ocr_process_died"
    assert done[poison].attempts == 2
    assert all(done[page].status == "processed" for page in others)
    await db.dispose()


async def test_a_second_app_on_the_database_leaves_the_first_ones_page_alone(
    tmp_path: Path,
) -> None:
    db = await _database(tmp_path, local_workers=1)
    (page_id,) = await _queued_pages(db, "https://example.test/slow.png")
    first = LocalQueue(db, db.settings, child=DYING)
    await first.start()
    second = LocalQueue(db, db.settings, child=DYING)
    try:
        deadline = time.monotonic() + 60
        while (await _page(db, page_id)).status != "processing":
            assert time.monotonic() < deadline, "the first app never claimed the page"
            await asyncio.sleep(0.05)
        await second.start()  # as `import --process` starting beside a running `serve`
        assert (await _page(db, page_id)).status == "processing"
        done = await _settled(db, [page_id], seconds=60)
    finally:
        await second.stop()
        await first.stop()
    assert done[page_id].status == "processed"
    assert done[page_id].attempts == 1, "the page was read twice"
    await db.dispose()


async def _page(db: Database, page_id: str) -> Page:
    async with db.sessionmaker() as session:
        page = await session.get(Page, page_id)
    assert page is not None
    return page
