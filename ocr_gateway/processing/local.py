"""The embedded page queue (SQLite): the app runs a small pool of OCR processes itself.

The queue is the pages table: ``queued`` pages are dispatched, most urgent job first, to
``local_workers`` spawned processes, each holding one OCR engine (``engine_factory``; the app
process itself never imports torch, easyocr or onnxruntime). Each child claims its page (``queued`` ->
``processing``) and writes the results to the same database. Pages left ``processing`` by
an OCR process that is gone (a stop, a kill) are queued again, at start and every
``SWEEP_S``; another live process's pages (``serve`` beside ``import --process``, ``serve
--workers N``) stay its own (``claimants``). Queued work survives a restart.

An OCR process that dies (killed, out of memory) breaks the pool: a new pool takes over and
the pages the dead one was reading go back to ``queued`` (the attempt counts), after a pause
that doubles with each crash in a row, so a page that kills every process it meets fails for
good at its last try (``lifecycle.claim``) instead of stopping the queue.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from ocr_gateway import events
from ocr_gateway.aio import cancel_and_wait, wait_until_set
from ocr_gateway.db.engine import Database
from ocr_gateway.db.models import Job, Page
from ocr_gateway.db.query import priority_rank
from ocr_gateway.enums import PageStatus, Priority
from ocr_gateway.processing import lifecycle
from ocr_gateway.settings import Settings

log = logging.getLogger("ocr_gateway.processing")
IDLE_POLL_S = 5.0
MAX_CRASH_PAUSE_S = 60.0
SWEEP_S = 30.0  # how often pages of OCR processes that are gone are queued again


@dataclass(frozen=True)
class ChildProgram:
    """What the OCR processes run: ``initializer(settings, event_sink)`` once per process,
    then ``process(page_id) -> (outcome, retry_after)`` per page. Module-level functions:
    spawned processes import them by name."""

    initializer: Callable[[dict[str, Any], Any], None]
    process: Callable[[str], tuple[str, float]]


class LocalQueue:
    def __init__(self, db: Database, settings: Settings, child: ChildProgram | None = None) -> None:
        self.db = db
        self.settings = settings
        self.size = settings.local_workers
        self.child = child or ChildProgram(_init_child, _process_in_child)
        self._crashes = 0  # in a row: reset by any page an OCR process finishes
        self._stopping = False
        self._paused_until = 0.0
        self._wake = asyncio.Event()
        self._in_flight: set[str] = set()
        self._not_before: dict[str, float] = {}
        self._pool: ProcessPoolExecutor | None = None
        self._task: asyncio.Task[None] | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._events: Any = None
        self._relay: threading.Thread | None = None

    async def start(self) -> None:
        await requeue_interrupted(self.db)
        context = multiprocessing.get_context("spawn")
        self._events = context.Queue()
        self._pool = self._new_pool()
        loop = asyncio.get_running_loop()
        self._relay = threading.Thread(
            target=_relay_events, args=(self._events, loop), name="ocr-events", daemon=True
        )
        self._relay.start()
        self._task = asyncio.create_task(self._dispatch_forever(), name="ocr-dispatcher")

    def _new_pool(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            max_workers=self.size,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=self.child.initializer,
            initargs=(self.settings.model_dump(mode="json"), self._events),
        )

    async def stop(self) -> None:
        self._stopping = True
        if self._task is not None:
            await cancel_and_wait(self._task)
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
        if self._events is not None:
            self._events.put(None)  # ends the relay thread

    async def enqueue(self, page_ids: Sequence[str], priority: Priority = Priority.medium) -> None:
        del page_ids, priority  # they are in the table already, ordered by their job's priority
        self._wake.set()

    async def _dispatch_forever(self) -> None:
        swept = time.monotonic()
        while not self._stopping:
            try:
                if time.monotonic() - swept >= SWEEP_S:
                    swept = time.monotonic()
                    await requeue_interrupted(self.db)
                await self._dispatch()
            except Exception:
                log.exception("dispatching queued pages failed")
            await wait_until_set(self._wake, IDLE_POLL_S)
            self._wake.clear()

    async def _dispatch(self) -> None:
        free = self.size - len(self._in_flight)
        now = time.monotonic()
        if free <= 0 or now < self._paused_until:
            return
        for page_id in await self.next_pages(free * 4):
            if free == 0:
                break
            if page_id in self._in_flight or self._not_before.get(page_id, 0) > now:
                continue
            free -= 1
            self._in_flight.add(page_id)
            task = asyncio.create_task(self._run(page_id))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def next_pages(self, limit: int) -> list[str]:
        """Queued page ids in dispatch order: most urgent job first, then oldest."""
        async with self.db.sessionmaker() as session:
            stmt = (
                select(Page.id)
                .join(Job, Page.job_id == Job.id)
                .where(Page.status == PageStatus.queued.value)
                .order_by(priority_rank(Job.priority).desc(), Page.queued_at, Page.page_number)
                .limit(limit)
            )
            return list(await session.scalars(stmt))

    async def _run(self, page_id: str) -> None:
        pool = self._pool
        assert pool is not None
        try:
            future = pool.submit(self.child.process, page_id)
            outcome, retry_after = await asyncio.wrap_future(future)
            self._crashes = 0
            if outcome == "retry":
                self._not_before[page_id] = time.monotonic() + retry_after
                asyncio.get_running_loop().call_later(retry_after, self._wake.set)
            else:
                self._not_before.pop(page_id, None)
        except BrokenProcessPool:
            await self._after_crash(pool, page_id)
        except Exception:
            log.exception("OCR process failed on page %s", page_id)
        finally:
            self._in_flight.discard(page_id)
            self._wake.set()

    async def _after_crash(self, pool: ProcessPoolExecutor, page_id: str) -> None:
        """An OCR process died: one new pool per broken one, a pause, the page queued again."""
        if pool is self._pool and not self._stopping:
            self._crashes += 1
            pause = min(MAX_CRASH_PAUSE_S, self.settings.retry_base_s * 2 ** (self._crashes - 1))
            log.error(
                "an OCR process died (crash %d in a row); new OCR processes in %.0f s",
                self._crashes,
                pause,
            )
            pool.shutdown(wait=False, cancel_futures=True)
            self._pool = self._new_pool()
            self._paused_until = time.monotonic() + pause
            asyncio.get_running_loop().call_later(pause, self._wake.set)
        try:
            async with self.db.sessionmaker() as session, session.begin():
                if await lifecycle.interrupted(session, page_id):
                    log.warning("page %s: its OCR process died; queued again", page_id)
        except Exception:  # the sweep queues it again (its claimant is gone)
            log.exception("page %s: its OCR process died; queueing it again failed", page_id)


async def requeue_interrupted(db: Database) -> int:
    """Pages left ``processing`` by an OCR process that is gone go back to ``queued``: at
    start (a stopped app), then every ``SWEEP_S`` (another app's process that died); the
    pages another live process on this database reads stay its own (``claimants``)."""
    async with db.sessionmaker() as session, session.begin():
        count = await lifecycle.requeue_interrupted(session)
    if count:
        log.warning("re-queued %d page(s) whose OCR process is gone", count)
    return count


def _relay_events(source: Any, loop: asyncio.AbstractEventLoop) -> None:
    """Hand the OCR processes' status events to this process's hubs (a thread)."""
    while (message := source.get()) is not None:
        event = events.StatusEvent.from_json(message)
        for hub in list(events.LOCAL_HUBS):
            loop.call_soon_threadsafe(hub.publish, event)


# ---------------------------------------------------------------- in the child processes

_child: dict[str, Any] = {}


def _init_child(settings: dict[str, Any], event_sink: Any) -> None:
    from ocr_gateway.processing.engine_factory import build_engine

    events.FORWARD.append(lambda event: event_sink.put(event.to_json()))
    loaded = Settings(**settings)
    _child["settings"] = loaded
    _child["loop"] = asyncio.new_event_loop()
    _child["db"] = Database(loaded)
    _child["engine"] = build_engine(loaded, processes=loaded.local_workers)


def _process_in_child(page_id: str) -> tuple[str, float]:
    from ocr_gateway.processing import pipeline

    settings: Settings = _child["settings"]
    loop: asyncio.AbstractEventLoop = _child["loop"]
    try:
        status = loop.run_until_complete(
            pipeline.process_page(
                _child["db"],
                _child["engine"],
                page_id,
                policy=pipeline.fetch_policy(settings),
                from_statuses=(PageStatus.queued.value,),
                max_attempts=settings.max_attempts,
            )
        )
    except pipeline.TransientPageError as exc:
        attempt = int(exc.error.get("attempt", 1))
        backoff = exc.retry_after or float(settings.retry_base_s ** (attempt + 1))
        return "retry", backoff
    return (status.value if status else "skipped"), 0.0
