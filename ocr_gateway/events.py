"""Status events: pages, jobs and groups changing status, delivered to subscriptions.

    emit(session, event)    inside the transaction that changes the status
        PostgreSQL: pg_notify on channel ``ocr_gateway_events`` (sent by the server at
                    commit, never for a rolled-back change) -> every API process's
                    listener connection -> its in-process hub
        SQLite:     kept on the session and handed to this process's hub after commit
                    (the embedded OCR processes forward theirs to the app, see
                    ``processing.local``)
    Hub.subscribe()         an async iterator of events for one subscription

After the listener connection drops and comes back, subscribers receive ``RESYNC``: they
re-read the current state, since events sent meanwhile were lost.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import asdict, dataclass
from typing import Any, Literal

from sqlalchemy import event as sa_event
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from ocr_gateway.aio import cancel_and_wait

log = logging.getLogger("ocr_gateway.events")
CHANNEL = "ocr_gateway_events"
LISTENER_NAME = "ocr_gateway_listener"
SESSION_KEY = "ocr_gateway_events"
MAX_QUEUED = 10_000


@dataclass(frozen=True)
class StatusEvent:
    kind: Literal["page", "job", "group"]
    id: str
    status: str
    job_id: str | None = None
    group_id: str | None = None

    def to_json(self) -> str:
        return json.dumps(asdict(self), separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> StatusEvent:
        return cls(**json.loads(text))


class Resync:
    """Events may have been lost: re-read the current state."""


RESYNC = Resync()
Message = StatusEvent | Resync


class Hub:
    """Fan-out of events to the subscriptions of this process."""

    def __init__(self) -> None:
        self._queues: set[asyncio.Queue[Message]] = set()

    def publish(self, message: Message) -> None:
        for queue in list(self._queues):
            if queue.full():  # a subscriber too slow to keep up gets a resync instead
                with contextlib.suppress(asyncio.QueueEmpty):
                    while True:
                        queue.get_nowait()
                queue.put_nowait(RESYNC)
            else:
                queue.put_nowait(message)

    @asynccontextmanager
    async def subscribe(self) -> AsyncIterator[asyncio.Queue[Message]]:
        queue: asyncio.Queue[Message] = asyncio.Queue(maxsize=MAX_QUEUED)
        self._queues.add(queue)
        try:
            yield queue
        finally:
            self._queues.discard(queue)

    async def start(self) -> None:
        LOCAL_HUBS.add(self)

    async def stop(self) -> None:
        LOCAL_HUBS.discard(self)


class PostgresHub(Hub):
    """A hub fed by one dedicated LISTEN connection, reconnected when it drops."""

    def __init__(self, dsn: str, *, retry_s: float = 1.0, check_s: float = 5.0) -> None:
        super().__init__()
        self.dsn = dsn
        self.retry_s = retry_s
        self.check_s = check_s
        self._task: asyncio.Task[None] | None = None
        self.connected = asyncio.Event()

    async def start(self) -> None:
        self._task = asyncio.create_task(self._listen_forever(), name="event-listener")

    async def stop(self) -> None:
        if self._task is not None:
            await cancel_and_wait(self._task)

    async def _listen_forever(self) -> None:
        first = True
        while True:
            try:
                await self._listen(resync=not first)
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                log.warning("event listener connection lost (%s); reconnecting", exc)
            first = False
            self.connected.clear()
            await asyncio.sleep(self.retry_s)

    async def _listen(self, *, resync: bool) -> None:
        import asyncpg

        connection = await asyncpg.connect(
            self.dsn, server_settings={"application_name": LISTENER_NAME}
        )
        try:
            await connection.add_listener(CHANNEL, self._on_notify)
            self.connected.set()
            if resync:
                self.publish(RESYNC)
            while True:  # notice a dead connection even when nothing is sent
                await asyncio.sleep(self.check_s)
                # Generous: a loaded server is slow, not dead; a dead one fails fast.
                await connection.fetchval("SELECT 1", timeout=3 * self.check_s)
        finally:
            with contextlib.suppress(Exception):
                await connection.close(timeout=1)

    def _on_notify(self, _connection: Any, _pid: int, _channel: str, payload: str) -> None:
        try:
            self.publish(StatusEvent.from_json(payload))
        except (ValueError, TypeError):
            log.warning("ignored a malformed event: %r", payload[:200])


# Hubs of this process that take SQLite events after commit.
LOCAL_HUBS: set[Hub] = set()
# Where a process that has no hub sends its events (the embedded OCR processes).
FORWARD: list[Callable[[StatusEvent], None]] = []


async def emit(session: AsyncSession, event: StatusEvent) -> None:
    """Announce a status change as part of the session's current transaction."""
    if session.get_bind().dialect.name == "postgresql":
        await session.execute(select(func.pg_notify(CHANNEL, event.to_json())))
    else:
        session.sync_session.info.setdefault(SESSION_KEY, []).append(event)


@sa_event.listens_for(Session, "after_commit")
def _deliver_after_commit(session: Session) -> None:
    if session.in_nested_transaction():
        return  # a SAVEPOINT released: nothing is committed yet
    events: list[StatusEvent] = session.info.pop(SESSION_KEY, [])
    for event in events:
        for hub in list(LOCAL_HUBS):
            hub.publish(event)
        for forward in FORWARD:
            forward(event)


@sa_event.listens_for(Session, "after_rollback")
def _drop_after_rollback(session: Session) -> None:
    session.info.pop(SESSION_KEY, None)
