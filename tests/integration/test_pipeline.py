"""The whole pipeline for real: GraphQL processPage -> queue -> worker process -> OCR on a
rendered invoice served over HTTP -> results and invoice data in the database.

PostgreSQL with procrastinate and `ocr-gateway worker` processes (one of them SIGKILLed in
the middle of a page), and the embedded SQLite mode with the app's own OCR process.
"""

from __future__ import annotations

import asyncio
import io
import os
import signal
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import undefer

from ocr_gateway.app import create_app
from ocr_gateway.auth import HEADER, Scope, create_key
from ocr_gateway.db import migrate
from ocr_gateway.db.engine import Database
from ocr_gateway.db.models import Job, Page
from ocr_gateway.processing.local import LocalQueue
from ocr_gateway.processing.queue import DeferredQueue, PageQueue
from ocr_gateway.processing.tasks import ProcrastinateQueue, build_app
from ocr_gateway.processing.worker import recover_once
from ocr_gateway.settings import Settings
from tests.api.graphql import create_job, create_page, gql
from tests.conftest import create_postgres_database, drop_postgres_database
from tests.support.http_server import LocalHttpServer
from tests.support.invoices import sample_invoices

pytestmark = pytest.mark.slow
FAST_RECOVERY = {
    "OCR_GATEWAY_FETCH_ALLOW_LOOPBACK": "true",
    "OCR_GATEWAY_WORKER_HEARTBEAT_S": "1",
    "OCR_GATEWAY_STALLED_AFTER_S": "4",
    "OCR_GATEWAY_SWEEP_INTERVAL_S": "1",
}
PROCESS = "mutation($id: ID!) { processPage(id: $id) { status } }"
GENERIC_FIELDS = (
    "invoiceNumber",
    "invoiceDate",
    "dueDate",
    "subtotal",
    "tax",
    "total",
    "currency",
    "vendorName",
)


@pytest.fixture(scope="module")
def invoice(onnx_models_dir: Path) -> Iterator[tuple[str, dict[str, str]]]:
    """A rendered A4 invoice served over real HTTP on 127.0.0.1; (url, expected fields).
    The OCR processes find the ONNX exports in ``onnx_models_dir`` (the default folder)."""
    rendered = sample_invoices()[0]
    buffer = io.BytesIO()
    rendered.image.save(buffer, format="PNG")
    with LocalHttpServer() as server:
        server.add("/invoice-1.png", body=buffer.getvalue(), content_type="image/png")
        yield server.url("/invoice-1.png"), rendered.expected


def settings_for(url: str, **overrides: Any) -> Settings:
    knobs = {k.removeprefix("OCR_GATEWAY_").lower(): v for k, v in FAST_RECOVERY.items()}
    return Settings(database_url=url, **{**knobs, **overrides})


async def api(db: Database, queue: PageQueue) -> httpx.AsyncClient:
    app = create_app(db.settings, db=db, queue=queue)
    _row, key = await create_key(db, "pipeline", [Scope.admin])
    transport = httpx.ASGITransport(app=app)
    return httpx.AsyncClient(transport=transport, base_url="http://api", headers={HEADER: key})


async def wait_for_page(
    db: Database, page_id: str, statuses: tuple[str, ...], seconds: float
) -> Page:
    deadline = time.monotonic() + seconds
    while True:
        async with db.sessionmaker() as session:
            page = await session.get(Page, page_id)
        assert page is not None
        if page.status in statuses:
            return page
        assert time.monotonic() < deadline, f"page still {page.status} after {seconds} s"
        await asyncio.sleep(0.25)


async def assert_read_correctly(db: Database, page_id: str, expected: dict[str, str]) -> None:
    async with db.sessionmaker() as session:
        page = await session.get(Page, page_id, options=[undefer(Page.extracted_fields)])
        assert page is not None
        job = await session.get(Job, page.job_id)
    assert job is not None
    assert page.status == "processed", page.error
    assert page.ocr_text is not None
    assert expected["invoiceNumber"] in page.ocr_text
    found = {
        name: value["normalizedValue"] for name, value in page.extracted_fields["fields"].items()
    }
    assert {name: found.get(name) for name in GENERIC_FIELDS} == {
        name: expected[name] for name in GENERIC_FIELDS
    }
    assert page.engine == "easyocr-onnx"
    assert page.image_properties["width"] == 1240
    assert job.status == "completed"
    assert job.invoice_data["total"]["normalizedValue"] == expected["total"]


# ---------------------------------------------------------------- PostgreSQL + procrastinate


@pytest.fixture
async def postgres() -> AsyncIterator[Database]:
    url = await create_postgres_database()
    db = Database(settings_for(url))
    await migrate.upgrade_all(db.engine, db.settings)
    yield db
    await db.dispose()
    await drop_postgres_database(url)


def start_worker(db: Database) -> subprocess.Popen[bytes]:
    env = {**os.environ, **FAST_RECOVERY, "DATABASE_URL": db.settings.database_url}
    command = [sys.executable, "-m", "ocr_gateway.cli", "worker", "--concurrency", "1"]
    return subprocess.Popen(command, env=env, cwd=Path(__file__).resolve().parents[2])


@pytest.mark.postgres
async def test_a_worker_killed_mid_page_leaves_it_processed_exactly_once(
    postgres: Database, invoice: tuple[str, dict[str, str]]
) -> None:
    url, expected = invoice
    queue = ProcrastinateQueue(postgres.settings)
    await queue.start()
    async with await api(postgres, queue) as client:
        job = await create_job(client)
        page = await create_page(client, job["id"], pageUrl=url)
        assert (await gql(client, PROCESS, id=page["id"]))["processPage"]["status"] == "queued"
    await queue.stop()

    first = start_worker(postgres)
    try:
        await wait_for_page(postgres, page["id"], ("processing",), seconds=120)
        first.send_signal(signal.SIGKILL)  # mid-page: the OCR takes seconds
        first.wait(timeout=10)
        killed = await wait_for_page(postgres, page["id"], ("processing", "processed"), 1)
        assert killed.status == "processing"
    finally:
        first.kill()

    second = start_worker(postgres)
    try:
        done = await wait_for_page(postgres, page["id"], ("processed", "failed"), seconds=180)
    finally:
        second.terminate()
        second.wait(timeout=30)
    assert done.attempts == 2
    await assert_read_correctly(postgres, page["id"], expected)
    async with postgres.engine.connect() as connection:
        jobs = (
            await connection.execute(
                text("SELECT status, attempts FROM procrastinate_jobs WHERE queueing_lock = :page"),
                {"page": page["id"]},
            )
        ).all()
    # One job for the page: the killed attempt and its retry.
    assert [tuple(j) for j in jobs] == [("succeeded", 2)]


@pytest.mark.postgres
async def test_a_queued_page_whose_enqueue_was_lost_gets_a_job(postgres: Database) -> None:
    async with await api(postgres, DeferredQueue()) as client:  # enqueues nothing
        job = await create_job(client)
        page = await create_page(client, job["id"])
        await gql(client, PROCESS, id=page["id"])
    async with postgres.sessionmaker() as session:
        row = await session.get(Page, page["id"])
        assert row is not None
        row.queued_at = row.queued_at - timedelta(minutes=5)  # type: ignore[operator]
        await session.commit()
    app = build_app(postgres.settings)
    async with app.open_async():
        assert await recover_once(app, postgres, postgres.settings) == (0, 1)
        assert await recover_once(app, postgres, postgres.settings) == (0, 0)


# ---------------------------------------------------------------- SQLite, in-process pool


async def test_the_embedded_pool_processes_a_page(
    tmp_path: Path, invoice: tuple[str, dict[str, str]]
) -> None:
    url, expected = invoice
    db = Database(settings_for(f"sqlite+aiosqlite:///{tmp_path / 'local.db'}", local_workers=1))
    await migrate.upgrade_all(db.engine, db.settings)
    queue = LocalQueue(db, db.settings)
    await queue.start()
    try:
        async with await api(db, queue) as client:
            job = await create_job(client)
            page = await create_page(client, job["id"], pageUrl=url)
            await gql(client, PROCESS, id=page["id"])
        await wait_for_page(db, page["id"], ("processed", "failed"), seconds=180)
    finally:
        await queue.stop()
    await assert_read_correctly(db, page["id"], expected)
    await db.dispose()


async def test_pages_interrupted_by_a_stop_are_queued_again_at_start(tmp_path: Path) -> None:
    db = Database(settings_for(f"sqlite+aiosqlite:///{tmp_path / 'restart.db'}"))
    await migrate.upgrade_all(db.engine, db.settings)
    async with await api(db, LocalQueue(db, db.settings)) as client:
        job = await create_job(client)
        page = await create_page(client, job["id"])
    async with db.sessionmaker() as session:
        row = await session.scalar(select(Page).where(Page.id == page["id"]))
        assert row is not None
        row.status = "processing"
        await session.commit()
    from ocr_gateway.processing.local import requeue_interrupted

    assert await requeue_interrupted(db) == 1
    again = await wait_for_page(db, page["id"], ("queued",), seconds=1)
    assert again.status == "queued"
    await db.dispose()
