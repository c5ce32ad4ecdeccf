"""The page queue: one ``enqueue`` interface, two engines behind it.

- PostgreSQL: procrastinate on the same database (``processing.tasks``), run by any number
  of ``ocr-gateway worker`` processes on any number of machines.
- SQLite (the embedded default): a pool of OCR processes run by the app itself
  (``processing.local``); the queue is the pages table, so queued work survives a restart.

Enqueueing happens after the request commits. If the process dies in between, the page is
``queued`` with no job: the workers' sweeper finds such pages and queues them again.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol


class PageQueue(Protocol):
    async def enqueue(self, page_ids: Sequence[str]) -> None: ...

    async def start(self) -> None: ...

    async def stop(self) -> None: ...


class DeferredQueue:
    """No worker in this process: pages stay ``queued`` for whoever runs the queue."""

    async def enqueue(self, page_ids: Sequence[str]) -> None:
        del page_ids

    async def start(self) -> None:
        pass

    async def stop(self) -> None:
        pass
