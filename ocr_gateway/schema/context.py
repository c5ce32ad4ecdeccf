"""The per-request context: one database session, used by one task at a time.

graphql-core resolves sibling fields concurrently and an ``AsyncSession`` must never be
used by two tasks at once, so every use goes through ``Context.session()``, which holds a
lock. Never await a DataLoader inside ``session()``: the loader's batch needs the lock.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING

from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.fastapi import BaseContext

from ocr_gateway.auth import AuthFailure, Principal
from ocr_gateway.db.engine import Database
from ocr_gateway.events import Hub
from ocr_gateway.processing.queue import DeferredQueue, PageQueue
from ocr_gateway.settings import Settings

log = logging.getLogger("ocr_gateway.graphql")

if TYPE_CHECKING:
    from ocr_gateway.schema.loaders import Loaders


class Context(BaseContext):
    def __init__(
        self,
        db: Database,
        settings: Settings,
        queue: PageQueue | None = None,
        hub: Hub | None = None,
    ) -> None:
        super().__init__()
        self.db = db
        self.settings = settings
        self.queue: PageQueue = queue or DeferredQueue()
        self.hub = hub or Hub()
        # Who is calling: set from X-API-Key (HTTP) or the connection_init payload (WS).
        self.principal: Principal | AuthFailure | None = None
        self.connection_params: dict[str, object] | None = None
        # Set before execution when the operation is a mutation (``extensions.UnitOfWork``).
        self.writes = False
        # Set by the REST shim to learn every problem of a body: nothing is committed.
        self.dry_run = False
        # (query text, operation name) once admitted (``schema.admission``).
        self.prepare_as: tuple[str, str | None] | None = None
        self._after_commit: list[Callable[[], Awaitable[None]]] = []
        self._session: AsyncSession | None = None
        self._lock = asyncio.Lock()
        from ocr_gateway.schema.loaders import Loaders

        self.loaders: Loaders = Loaders(self)

    @asynccontextmanager
    async def session(self) -> AsyncIterator[AsyncSession]:
        async with self._lock:
            if self._session is None:
                # SQLite: a mutation's transaction takes the write lock when it begins.
                factory = self.db.sessionmaker if self.writes else self.db.read_sessionmaker
                self._session = factory()
            yield self._session

    @asynccontextmanager
    async def unit(self) -> AsyncIterator[AsyncSession]:
        """A mutation's share of the request's unit of work.

        A SAVEPOINT, so a failed mutation leaves the session usable; the request commits
        only if every mutation succeeded (``extensions.UnitOfWork``).
        """
        async with self.session() as session, session.begin_nested():
            yield session
        self.loaders.clear()

    def after_commit(self, action: Callable[[], Awaitable[None]]) -> None:
        """Run ``action`` once the request's changes are committed (never if rolled back)."""
        self._after_commit.append(action)

    async def finish(self, *, commit: bool) -> None:
        """End the request's transaction: commit it whole or roll it back whole."""
        async with self._lock:
            session, self._session = self._session, None
            actions, self._after_commit = self._after_commit, []
            self.loaders.clear()  # what they cached belongs to the session ending here
            if session is None:
                return
            try:
                if commit:
                    await session.commit()
                else:
                    actions = []
                    await _quietly(session.rollback)
            finally:
                await _quietly(session.close)
        for action in actions:
            try:
                await action()
            except Exception:
                # Committed already; the workers' sweeper picks up what this missed.
                log.exception("after-commit action failed")


async def _quietly(end: Callable[[], Awaitable[None]]) -> None:
    """Roll back or close a session whose connection may be dead (the database went away):
    there is nothing left to undo then, and the request already has its answer."""
    try:
        await end()
    except Exception as exc:
        log.warning("ending the request's session failed (%s)", exc)
