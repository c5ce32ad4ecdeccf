"""The page queue: one ``enqueue`` interface, two engines behind it.

- PostgreSQL: procrastinate on the same database (``processing.tasks``), run by any number
  of ``ocr-gateway worker`` processes on any number of machines.
- SQLite (the embedded default): a pool of OCR processes run by the app itself
  (``processing.local``); the queue is the pages table, so queued work survives a restart.

Both honour the job's priority (its own, which defaults to its group's): procrastinate jobs
are deferred with it (a higher number is fetched first), the embedded queue orders the
pages table by it. ``hand_over`` enqueues the most urgent pages first.

Enqueueing happens after the request commits. If the process dies in between, the page is
``queued`` with no job: the workers' sweeper finds such pages and queues them again.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from ocr_gateway.enums import Priority


@dataclass(frozen=True, slots=True)
class QueuedPage:
    """A page just queued, with the priority of its job."""

    id: str
    priority: Priority


class PageQueue(Protocol):
    async def enqueue(
        self, page_ids: Sequence[str], priority: Priority = Priority.medium
    ) -> None: ...

    async def start(self) -> None: ...

    async def stop(self) -> None: ...


class DeferredQueue:
    """No worker in this process: pages stay ``queued`` for whoever runs the queue."""

    async def enqueue(self, page_ids: Sequence[str], priority: Priority = Priority.medium) -> None:
        del page_ids, priority

    async def start(self) -> None:
        pass

    async def stop(self) -> None:
        pass


async def hand_over(queue: PageQueue, pages: Sequence[QueuedPage]) -> None:
    """Enqueue the pages, most urgent first, each with its job's priority."""
    by_priority: dict[Priority, list[str]] = defaultdict(list)
    for page in pages:
        by_priority[page.priority].append(page.id)
    for priority in sorted(by_priority, key=lambda p: p.rank, reverse=True):
        await queue.enqueue(by_priority[priority], priority=priority)
