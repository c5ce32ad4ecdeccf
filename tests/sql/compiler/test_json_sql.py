"""The dialects write each value exactly as the executor does (on both backends)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import Float, column, literal, select, table, text

from ocr_gateway.db.engine import Database
from ocr_gateway.db.types import UtcDateTime
from ocr_gateway.sql.compiler.json_sql import JsonSql, percent_done, python_float

# (done, total): exact ties (1/32 -> 3.125), thirds, and ties whose float is not exact
# (4000 and 20000 pages: the float falls on one side, and Python rounds that side).
COUNTS = [(0, 0), (0, 5), (5, 5), (1, 3), (2, 3), (1, 8), (1, 32), (3, 32), (5, 32), (1, 16)]
COUNTS += [(1, 4000), (3, 4000), (7, 4000), (1, 20000), (3, 20000), (9999, 20000), (1, 7)]
FLOATS = [0.0, 1.0, 0.1, 0.30000000000000004, 0.8734619021415710449, 12.5, 1e-05, 123456.789]


async def scalar(db: Database, expression: Any, source: Any = None) -> Any:
    json_sql = JsonSql.of(db.dialect)
    stmt = select(json_sql.text(json_sql.object([("v", expression)])))
    if source is not None:
        stmt = stmt.select_from(source)
    async with db.sessionmaker() as session:
        return (await session.execute(stmt)).scalar_one()


@pytest.mark.parametrize(("done", "total"), COUNTS)
async def test_percent_done_rounds_as_python(db: Database, done: int, total: int) -> None:
    stats = select(
        literal(done).label("processed"), literal(0).label("failed"), literal(total).label("total")
    ).subquery("page_stats")
    written = await scalar(
        db,
        JsonSql.of(db.dialect).percent(
            "(page_stats.processed + page_stats.failed)", "page_stats.total"
        ),
        stats,
    )
    value = json.loads(written)["v"]
    assert value == percent_done(done, total)
    assert json.dumps(value) == python_float(percent_done(done, total))


@pytest.mark.parametrize("number", FLOATS)
async def test_floats_are_written_as_python_writes_them(db: Database, number: float) -> None:
    source = select(literal(number, Float).label("x")).subquery("numbers")
    written = await scalar(db, JsonSql.of(db.dialect).scalar(source.c.x, "float"), source)
    assert json.loads(written)["v"] == number
    assert isinstance(json.loads(written)["v"], float)


@pytest.mark.parametrize(
    "moment",
    [datetime(2023, 1, 10, tzinfo=UTC), datetime(2023, 1, 10, 12, 34, 56, 120000, tzinfo=UTC)],
)
async def test_timestamps_are_iso_8601_like_isoformat(db: Database, moment: datetime) -> None:
    async with db.sessionmaker() as session:
        await session.execute(text("CREATE TEMPORARY TABLE moments (at TIMESTAMP WITH TIME ZONE)"))
        bound = UtcDateTime().process_bind_param(moment, db.engine.dialect)
        await session.execute(text("INSERT INTO moments VALUES (:at)"), {"at": bound})
        moments = table("moments", column("at"))
        json_sql = JsonSql.of(db.dialect)
        stmt = select(json_sql.text(json_sql.object([("v", json_sql.timestamp(moments.c.at))])))
        written = (await session.execute(stmt.select_from(moments))).scalar_one()
        await session.rollback()
    assert json.loads(written)["v"] == moment.isoformat()
