"""Engines and sessions for both backends.

    Database.sessionmaker        sessions for work that may write
    Database.read_sessionmaker   sessions that only read (queries, lookups)

SQLite (the embedded default) gets foreign keys, WAL and a busy timeout on every
connection, and SQLAlchemy's documented ``do_connect``/``do_begin`` hooks so that the
driver leaves transactions to SQLAlchemy: without them SAVEPOINTs (used by the tests'
rollback-per-test and by nested units of work) silently do nothing.

SQLite allows one writer at a time. A transaction that begins as a reader (plain ``BEGIN``)
and then writes cannot wait for the write lock: when another connection wrote meanwhile,
SQLite answers "database is locked" at once, whatever the busy timeout. So transactions
from ``sessionmaker`` begin with ``BEGIN IMMEDIATE`` (they take the write lock first, and
wait up to ``SQLITE_BUSY_TIMEOUT_MS`` for it), and read-only ones with a plain ``BEGIN``
(in WAL mode readers never wait for writers). This is the remedy SQLite's documentation
gives for SQLITE_BUSY in a read-then-write transaction.

Read-only transactions read one snapshot on both backends (``reading``).

PostgreSQL connections carry ``statement_timeout`` so no query can run unbounded; both
session factories are the same there.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.pool import ConnectionPoolEntry

from ocr_gateway.db.compiler.json_sql import install_sqlite_functions
from ocr_gateway.settings import Settings

SQLITE_BUSY_TIMEOUT_MS = 30_000
BEGIN_MODE = "ocr_gateway_sqlite_begin"  # execution option: "IMMEDIATE" or "DEFERRED"


def create_engine(settings: Settings) -> AsyncEngine:
    if settings.is_sqlite:
        path = settings.sqlite_path()
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        engine = create_async_engine(settings.database_url, echo=settings.echo_sql)
        _install_sqlite_hooks(engine)
        return engine
    connect_args: dict[str, Any] = {}
    if settings.statement_timeout_ms:
        connect_args["server_settings"] = {"statement_timeout": str(settings.statement_timeout_ms)}
    return create_async_engine(
        settings.database_url,
        echo=settings.echo_sql,
        pool_size=settings.db_pool_size,
        max_overflow=settings.db_max_overflow,
        pool_pre_ping=True,
        connect_args=connect_args,
    )


def _install_sqlite_hooks(engine: AsyncEngine) -> None:
    @event.listens_for(engine.sync_engine, "connect")
    def do_connect(dbapi_connection: Any, _record: ConnectionPoolEntry) -> None:
        dbapi_connection.isolation_level = None  # SQLAlchemy emits BEGIN itself
        cursor = dbapi_connection.cursor()
        # First, so that what follows (switching to WAL takes a lock) waits too.
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")  # OCR processes write too
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()
        install_sqlite_functions(dbapi_connection)  # what compiled reads call (db.compiler)

    @event.listens_for(engine.sync_engine, "begin")
    def do_begin(connection: Connection) -> None:
        mode = connection.get_execution_options().get(BEGIN_MODE, "IMMEDIATE")
        connection.exec_driver_sql(f"BEGIN {mode}")


def reading(engine: AsyncEngine) -> AsyncEngine:
    """The engine for transactions that only read, each in one snapshot.

    A query's fields load in several statements (one per DataLoader batch); they must all
    see the same database, or a page listed by one statement can point at a job a delete
    committed before the next one ran. SQLite's WAL readers keep the snapshot of their
    first read until the transaction ends (a plain ``BEGIN``); PostgreSQL needs REPEATABLE
    READ for that (a read-only transaction there never fails to serialise).
    """
    if engine.dialect.name == "sqlite":
        return engine.execution_options(**{BEGIN_MODE: "DEFERRED"})
    return engine.execution_options(isolation_level="REPEATABLE READ")


def create_sessionmaker(bind: Any) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(bind, expire_on_commit=False, autoflush=False)


class Database:
    """The engine and session factory of one process."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.engine = create_engine(settings)
        self.sessionmaker = create_sessionmaker(self.engine)
        self.read_sessionmaker = create_sessionmaker(reading(self.engine))

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    async def ping(self) -> None:
        async with reading(self.engine).connect() as connection:
            await connection.exec_driver_sql("SELECT 1")

    async def dispose(self) -> None:
        await self.engine.dispose()
