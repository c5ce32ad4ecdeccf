"""The procrastinate side of the page queue (PostgreSQL).

One task, ``ocr.process_page``, deferred with the page id as both its queueing lock (at
most one waiting job per page) and its lock (never two running at once for a page).
The task finds its database, OCR engine and settings in its ``JobContext``
(``WorkerContext``, handed over by ``processing.worker``), not in a process global.
Transient failures are retried with exponential backoff; jobs of a worker that stopped
sending heartbeats (killed, machine lost) are retried by the other workers' recovery loop.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import procrastinate
from procrastinate.exceptions import AlreadyEnqueued

from ocr_gateway.enums import PRIORITY_RANK, PageStatus, Priority
from ocr_gateway.settings import Settings

log = logging.getLogger("ocr_gateway.processing")
TASK_NAME = "ocr.process_page"
QUEUE = "ocr"
CONTEXT_KEY = "ocr_gateway"


@dataclass(frozen=True)
class WorkerContext:
    """What the task needs in a worker process, handed to procrastinate by
    ``processing.worker`` (``run_worker_async(additional_context=...)``) and passed to each
    job in its ``JobContext``."""

    db: Any
    engine: Any
    settings: Settings

    def as_additional_context(self) -> dict[str, Any]:
        return {CONTEXT_KEY: self}


def build_app(settings: Settings) -> procrastinate.App:
    from ocr_gateway.processing.pipeline import TransientPageError

    connector = procrastinate.PsycopgConnector(conninfo=settings.postgres_conninfo)
    app = procrastinate.App(connector=connector)
    retry = procrastinate.RetryStrategy(
        max_attempts=settings.max_attempts,
        exponential_wait=settings.retry_base_s,
        retry_exceptions={TransientPageError},
    )

    @app.task(name=TASK_NAME, queue=QUEUE, retry=retry, pass_context=True)
    async def process_page(context: procrastinate.JobContext, page_id: str) -> str:
        from ocr_gateway.processing import pipeline

        worker = context.additional_context.get(CONTEXT_KEY)
        if not isinstance(worker, WorkerContext):
            raise RuntimeError("ocr.process_page runs in `ocr-gateway worker` processes only")
        status = await pipeline.process_page(
            worker.db,
            worker.engine,
            page_id,
            policy=pipeline.fetch_policy(worker.settings),
            # "processing": the attempt of a worker that died; its retry takes over.
            from_statuses=(PageStatus.queued.value, PageStatus.processing.value),
            max_attempts=worker.settings.max_attempts,
        )
        return status.value if status else "skipped"

    return app


class ProcrastinateQueue:
    def __init__(self, settings: Settings) -> None:
        self.app = build_app(settings)

    async def start(self) -> None:
        await self.app.open_async()

    async def stop(self) -> None:
        await self.app.close_async()

    async def enqueue(self, page_ids: Sequence[str], priority: Priority = Priority.medium) -> None:
        await defer_pages(self.app, page_ids, priority)


async def defer_pages(
    app: procrastinate.App, page_ids: Sequence[str], priority: Priority = Priority.medium
) -> int:
    """Defer a job per page; pages that already have a waiting job are skipped."""
    deferred = 0
    for page_id in page_ids:
        try:
            await app.configure_task(
                TASK_NAME, queueing_lock=page_id, lock=page_id, priority=PRIORITY_RANK[priority]
            ).defer_async(page_id=page_id)
            deferred += 1
        except AlreadyEnqueued:
            pass
    return deferred


async def apply_schema(settings: Settings) -> bool:
    """Create procrastinate's tables on first migrate; True when it did."""
    import psycopg

    async with await psycopg.AsyncConnection.connect(settings.postgres_conninfo) as connection:
        cursor = await connection.execute("SELECT to_regclass('procrastinate_jobs')")
        row = await cursor.fetchone()
        if row is not None and row[0] is not None:
            return False
    app = build_app(settings)
    async with app.open_async():
        await app.schema_manager.apply_schema_async()
    return True
