"""Read-only statements straight through asyncpg, for prepared queries (``schema.prepared``).

SQLAlchemy's pool pings every connection it hands out (``pool_pre_ping``: a round trip)
and rolls it back when it comes back; a prepared query is one SELECT in autocommit, so
it needs neither. These connections are asyncpg's own: no ping, no transaction, no reset,
and asyncpg's per-connection statement cache prepares each SQL text once. A connection
that fails or is interrupted (a timeout) is closed, never reused; the caller falls back to
the full pipeline, which reports the failure (503 when the database is unavailable).
"""

from __future__ import annotations

import asyncio
import weakref
from typing import Any

import asyncpg

from ocr_gateway.settings import Settings

CONNECT_TIMEOUT_S = 5.0


class DirectReads:
    def __init__(self, settings: Settings) -> None:
        self.dsn = settings.postgres_conninfo
        self.server_settings = {"application_name": "ocr-gateway-reads"}
        if settings.statement_timeout_ms:
            self.server_settings["statement_timeout"] = str(settings.statement_timeout_ms)
        self.size = settings.db_pool_size
        self._slots = asyncio.Semaphore(self.size)
        self._idle: list[Any] = []
        self._closed = False

    async def fetchval(self, sql: str, params: tuple[Any, ...]) -> Any:
        async with self._slots:
            connection = self._idle.pop() if self._idle else await self._connect()
            try:
                value = await connection.fetchval(sql, *params)
            except BaseException:
                connection.terminate()
                raise
            if self._closed:
                await connection.close()
            else:
                self._idle.append(connection)
            return value

    async def _connect(self) -> Any:
        return await asyncpg.connect(
            self.dsn, server_settings=self.server_settings, timeout=CONNECT_TIMEOUT_S
        )

    async def close(self) -> None:
        self._closed = True
        idle, self._idle = self._idle, []
        for connection in idle:
            connection.terminate()


_BY_ENGINE: weakref.WeakKeyDictionary[Any, DirectReads] = weakref.WeakKeyDictionary()


def direct_reads(engine: Any, settings: Settings) -> DirectReads:
    """The direct connections of ``engine``'s database (made on first use)."""
    found = _BY_ENGINE.get(engine)
    if found is None:
        found = _BY_ENGINE[engine] = DirectReads(settings)
    return found


async def close_direct_reads(engine: Any) -> None:
    found = _BY_ENGINE.pop(engine, None)
    if found is not None:
        await found.close()
