"""``ocr-gateway worker``: OCR worker processes on procrastinate (PostgreSQL).

Each process loads its OCR engine (``engine_factory.build_engine``) once and runs one page at a time; ``--concurrency
N`` starts N such processes. Besides the procrastinate worker, each process runs a
recovery loop: jobs whose worker stopped sending heartbeats are retried, and ``queued``
pages that have no job (their enqueue was lost) get one.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import signal
from datetime import timedelta

from procrastinate.exceptions import UniqueViolation
from sqlalchemy import select, text

from ocr_gateway.aio import cancel_and_wait
from ocr_gateway.db.engine import Database
from ocr_gateway.db.models import Job, Page
from ocr_gateway.db.types import utcnow
from ocr_gateway.enums import PageStatus, Priority
from ocr_gateway.notifications.webhook import delivery_loop
from ocr_gateway.processing import tasks
from ocr_gateway.settings import Settings, get_settings

log = logging.getLogger("ocr_gateway.worker")


def run(concurrency: int) -> int:
    settings = get_settings()
    if settings.is_sqlite:
        log.error(
            "`ocr-gateway worker` needs PostgreSQL (DATABASE_URL); on SQLite the app "
            "processes pages itself (OCR_GATEWAY_LOCAL_WORKERS)"
        )
        return 2
    if concurrency <= 1:
        asyncio.run(serve(settings, processes=1))
        return 0
    context = multiprocessing.get_context("spawn")
    processes = [
        context.Process(target=_child, args=(concurrency,), name=f"ocr-worker-{i}")
        for i in range(concurrency)
    ]
    for process in processes:
        process.start()

    def stop_children(*_: object) -> None:
        for process in processes:
            process.terminate()

    signal.signal(signal.SIGTERM, stop_children)
    for process in processes:
        process.join()
    return max((p.exitcode or 0) for p in processes)


def _child(processes: int) -> None:
    logging.basicConfig(level=get_settings().log_level)
    asyncio.run(serve(get_settings(), processes=processes))


async def serve(settings: Settings, *, processes: int) -> None:
    """One worker process; ``processes`` of them share this machine's cores."""
    from ocr_gateway.processing.engine_factory import build_engine

    engine = build_engine(settings, processes=processes)
    seconds = await asyncio.to_thread(engine.load, ["en"])
    log.info("OCR engine %s %s loaded in %.1f s", engine.name, engine.version, seconds)
    db = Database(settings)
    context = tasks.WorkerContext(db=db, engine=engine, settings=settings)
    app = tasks.build_app(settings)
    async with app.open_async():
        recovery = asyncio.create_task(recover_forever(app, db, settings))
        stop_webhooks = asyncio.Event()
        webhooks = asyncio.create_task(delivery_loop(db, settings, stop_webhooks))
        try:
            await app.run_worker_async(
                queues=[tasks.QUEUE],
                concurrency=1,
                update_heartbeat_interval=settings.worker_heartbeat_s,
                stalled_worker_timeout=settings.stalled_after_s,
                install_signal_handlers=True,
                additional_context=context.as_additional_context(),
            )
        finally:
            stop_webhooks.set()
            await webhooks
            await cancel_and_wait(recovery)
            await db.dispose()


async def recover_forever(app: object, db: Database, settings: Settings) -> None:
    while True:
        try:
            await recover_once(app, db, settings)
        except Exception:
            log.exception("recovery pass failed")
        await asyncio.sleep(settings.sweep_interval_s)


async def recover_once(app: object, db: Database, settings: Settings) -> tuple[int, int]:
    """Retry stalled jobs; give orphaned queued pages a job. Returns (retried, requeued)."""
    manager = app.job_manager  # type: ignore[attr-defined]
    stalled = await manager.get_stalled_jobs(seconds_since_heartbeat=settings.stalled_after_s)
    for job in stalled:
        log.warning("retrying job %s of a stalled worker (%s)", job.id, job.task_kwargs)
        try:
            await manager.retry_job(job)
        except UniqueViolation:
            log.warning("job %s: its page has another waiting job already", job.id)
    cutoff = utcnow() - timedelta(seconds=settings.stalled_after_s)
    # A queued page with no waiting or running job lost its enqueue (a crash after commit).
    has_no_job = text(
        "NOT EXISTS (SELECT 1 FROM procrastinate_jobs j WHERE j.queueing_lock = pages.id"
        " AND j.status IN ('todo', 'doing'))"
    )
    orphaned = (
        select(Page.id, Job.priority)
        .join(Job, Page.job_id == Job.id)
        .where(Page.status == PageStatus.queued.value, Page.queued_at < cutoff, has_no_job)
    )
    async with db.sessionmaker() as session:
        orphans = [
            (page_id, Priority(priority)) for page_id, priority in await session.execute(orphaned)
        ]
    requeued = 0
    for priority in sorted({p for _id, p in orphans}, key=lambda p: p.rank, reverse=True):
        ids = [page_id for page_id, p in orphans if p is priority]
        requeued += await tasks.defer_pages(app, ids, priority)  # type: ignore[arg-type]
    return len(stalled), requeued
