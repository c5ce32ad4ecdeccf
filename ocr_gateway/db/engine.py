"""Engines and sessions for both backends.

SQLite (the embedded default) gets foreign keys, WAL and a busy timeout on every
connection, and SQLAlchemy's documented ``do_connect``/``do_begin`` hooks so that the
driver leaves transactions to SQLAlchemy: without them SAVEPOINTs (used by the tests'
rollback-per-test and by nested units of work) silently do nothing.
PostgreSQL connections carry ``statement_timeout`` so no query can run unbounded.
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
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=30000")  # OCR processes write too
        cursor.close()
        install_sqlite_functions(dbapi_connection)  # what compiled reads call (db.compiler)

    @event.listens_for(engine.sync_engine, "begin")
    def do_begin(connection: Connection) -> None:
        connection.exec_driver_sql("BEGIN")


def create_sessionmaker(bind: Any) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(bind, expire_on_commit=False, autoflush=False)


class Database:
    """The engine and session factory of one process."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.engine = create_engine(settings)
        self.sessionmaker = create_sessionmaker(self.engine)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    async def ping(self) -> None:
        async with self.engine.connect() as connection:
            await connection.exec_driver_sql("SELECT 1")

    async def dispose(self) -> None:
        await self.engine.dispose()
