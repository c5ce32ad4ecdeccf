"""An API client over a database of its own whose writes commit, with the hub its backend
uses: for tests of what happens at commit (PostgreSQL's NOTIFY), which the suite's shared
``db`` fixture, one transaction rolled back after each test, never reaches."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from ocr_gateway.app import create_app
from ocr_gateway.auth import HEADER, Scope, create_key
from ocr_gateway.db.engine import Database
from ocr_gateway.events import Hub, PostgresHub
from tests.conftest import RecordingQueue, committed_database


@dataclass(frozen=True)
class Committed:
    http: httpx.AsyncClient
    db: Database
    hub: Hub  # not started: start it once the state before the events is written


@asynccontextmanager
async def committed_api(backend: str, tmp_path: Path) -> AsyncIterator[Committed]:
    async with committed_database(backend, tmp_path) as database:
        _row, key = await create_key(database, "committed", [Scope.admin])
        app = create_app(database.settings, db=database, queue=RecordingQueue())
        postgres = backend == "postgresql"
        hub = PostgresHub(database.settings.postgres_conninfo) if postgres else Hub()
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app),
            base_url="http://testserver",
            headers={HEADER: key},
        ) as http:
            yield Committed(http, database, hub)


async def start_listening(hub: Hub) -> None:
    """Start ``hub`` and, on PostgreSQL, wait for its LISTEN connection: a NOTIFY sent before
    it listens is heard by nobody (under load the connection takes a moment)."""
    await hub.start()
    if isinstance(hub, PostgresHub):
        await asyncio.wait_for(hub.connected.wait(), timeout=30)
