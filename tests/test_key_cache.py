"""API keys from the in-process cache: no round trip per request, revocation heard, last use
written off the request path."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import event, select

from ocr_gateway.auth import AuthFailure, Principal, Scope, create_key, revoke_key
from ocr_gateway.db import migrate
from ocr_gateway.db.engine import Database
from ocr_gateway.db.models import ApiKey
from ocr_gateway.key_cache import KeyCache
from ocr_gateway.settings import Settings
from tests.conftest import create_postgres_database, drop_postgres_database


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@contextmanager
def statements(db: Database) -> Iterator[list[str]]:
    seen: list[str] = []

    def record(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        if "api_keys" in statement:  # the tests' SAVEPOINTs are not the cache's doing
            seen.append(statement)

    event.listen(db.engine.sync_engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(db.engine.sync_engine, "before_cursor_execute", record)


def cache_for(db: Database, clock: Clock, **settings: object) -> KeyCache:
    return KeyCache(db, db.settings.model_copy(update=settings), clock=clock)


async def test_a_checked_key_costs_no_statement_until_its_ttl_ends(db: Database) -> None:
    _row, key = await create_key(db, "k", [Scope.read])
    clock = Clock()
    keys = cache_for(db, clock, api_key_cache_ttl_s=10)
    assert isinstance(await keys.authenticate(key), Principal)
    with statements(db) as seen:
        for _ in range(5):
            assert isinstance(await keys.authenticate(key), Principal)
        assert seen == []
        clock.now += 10
        assert isinstance(await keys.authenticate(key), Principal)
        assert any("api_keys" in s for s in seen)


async def test_a_revoked_key_is_refused_once_its_entry_expires(db: Database) -> None:
    row, key = await create_key(db, "k", [Scope.read])
    clock = Clock()
    keys = cache_for(db, clock, api_key_cache_ttl_s=10)
    assert isinstance(await keys.authenticate(key), Principal)
    await revoke_key(db, row.id)
    clock.now += 10.5
    assert await keys.authenticate(key) is AuthFailure.revoked


async def test_unknown_keys_are_not_remembered_and_the_cache_is_bounded(db: Database) -> None:
    keys = cache_for(db, Clock(), api_key_cache_size=2)
    created = [(await create_key(db, f"k{i}", [Scope.read]))[1] for i in range(3)]
    for key in created:
        await keys.authenticate(key)
    with statements(db) as seen:
        assert await keys.authenticate("ogw_000000000000_" + "x" * 43) is AuthFailure.unknown
        assert await keys.authenticate("ogw_000000000000_" + "x" * 43) is AuthFailure.unknown
        assert len(seen) == 2
        await keys.authenticate(created[2])  # kept: among the two most recent
        assert len(seen) == 2
        await keys.authenticate(created[0])  # pushed out by the third
        assert len(seen) == 3


async def test_last_use_is_written_later_in_one_go_and_never_backwards(db: Database) -> None:
    row, key = await create_key(db, "k", [Scope.read])
    keys = cache_for(db, Clock())
    with statements(db) as seen:
        await keys.authenticate(key)
        assert not any(s.lstrip().upper().startswith("UPDATE") for s in seen)
    await keys.record_use()
    async with db.sessionmaker() as session:
        first = await session.scalar(select(ApiKey.last_used_at).where(ApiKey.id == row.id))
    assert first is not None
    await keys.record_use()  # nothing new: nothing written
    async with db.sessionmaker() as session:
        assert await session.scalar(select(ApiKey.last_used_at).where(ApiKey.id == row.id)) == (
            first
        )


@pytest.mark.postgres
async def test_a_revocation_reaches_every_replica_at_once() -> None:
    url = await create_postgres_database()
    databases = [Database(Settings(database_url=url)) for _ in range(3)]
    replicas = [KeyCache(db, db.settings) for db in databases[1:]]
    try:
        await migrate.upgrade(databases[0].engine)
        row, key = await create_key(databases[0], "shared", [Scope.read])
        for replica in replicas:
            await replica.start()
            await asyncio.wait_for(replica.listening.wait(), 10)
            assert isinstance(await replica.authenticate(key), Principal)
        assert await revoke_key(databases[0], row.id)
        async with asyncio.timeout(5):
            while True:
                outcomes = [await replica.authenticate(key) for replica in replicas]
                if outcomes == [AuthFailure.revoked] * len(replicas):
                    break
                await asyncio.sleep(0.05)
    finally:
        for replica in replicas:
            await replica.stop()
        for database in databases:
            await database.dispose()
        await drop_postgres_database(url)
