"""The duplicate lookups are indexed: finding a job's earlier match and the later jobs a
change concerns never scans the whole jobs table (both backends; SQLite reads the key
indexes, PostgreSQL may pick ``created_at``'s when its statistics say that is fewer rows)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import event, text
from sqlalchemy.ext.asyncio import AsyncSession

from ocr_gateway.db import duplicates
from ocr_gateway.db.engine import Database

NOW = datetime(2026, 3, 1, tzinfo=UTC)
JOB_ID = "a" * 24


async def earliest(session: AsyncSession) -> Any:
    return await duplicates.earlier_candidates(
        session, JOB_ID, NOW, number="v:acme|n:inv42", amount="v:acme|d:2026-03-01|t:5"
    )


async def later(session: AsyncSession) -> Any:
    return await duplicates.later_jobs(
        session, JOB_ID, NOW, keys=["v:acme|n:inv42"], pointing_at=JOB_ID
    )


async def plan(db: Database, lookup: Callable[[AsyncSession], Awaitable[Any]]) -> str:
    """The query plan of the statement ``lookup`` runs, as text."""
    async with db.sessionmaker() as session:
        connection = await session.connection()
        captured: list[tuple[str, Any]] = []

        def capture(_conn: Any, _cursor: Any, statement: str, params: Any, *_: Any) -> None:
            captured.append((statement, params))

        sync = connection.sync_connection
        assert sync is not None
        event.listen(sync, "before_cursor_execute", capture)
        try:
            await lookup(session)
        finally:
            event.remove(sync, "before_cursor_execute", capture)
        [(statement, params)] = captured
        if connection.dialect.name == "sqlite":
            rows = await connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", params)
            return "\n".join(str(row[-1]) for row in rows)
        # An empty table is cheapest to scan: ask whether the indexes can answer at all.
        await connection.execute(text("SET LOCAL enable_seqscan = off"))
        rows = await connection.exec_driver_sql(f"EXPLAIN {statement}", params)
        return "\n".join(str(row[0]) for row in rows)


@pytest.mark.parametrize("lookup", [earliest, later], ids=["earliest", "later"])
async def test_the_lookups_read_the_key_indexes(
    db: Database, lookup: Callable[[AsyncSession], Awaitable[Any]]
) -> None:
    shown = await plan(db, lookup)
    assert "SCAN jobs" not in shown, shown  # SQLite's full scan
    assert "Seq Scan" not in shown, shown  # PostgreSQL's, even when the only other way
    if db.engine.dialect.name == "sqlite":  # PostgreSQL picks by its statistics
        assert "ix_jobs_duplicate_key_number" in shown, shown
        assert "ix_jobs_duplicate_key_amount" in shown, shown
