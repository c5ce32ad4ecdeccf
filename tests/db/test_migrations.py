"""Migrations: the only way the schema is made. Upgrade from empty, downgrade cleanly, and
the models never drift from what the migrations build."""

from __future__ import annotations

import json
import warnings
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, select, text
from sqlalchemy.engine import Connection

from ocr_gateway.db import migrate
from ocr_gateway.db.engine import Database
from ocr_gateway.db.models import Base, Job, Template
from ocr_gateway.db.types import utcnow
from ocr_gateway.processing import duplicates
from ocr_gateway.processing.builtin_templates import GENERIC_INVOICE_TEMPLATE
from ocr_gateway.processing.corrections import lowest_confidence
from ocr_gateway.settings import Settings
from tests.conftest import BACKENDS, create_postgres_database, drop_postgres_database

TABLES = {
    "alembic_version",
    "templates",
    "job_groups",
    "jobs",
    "pages",
    "api_keys",
    "webhook_deliveries",
    "documents",
    "field_corrections",
}


@pytest.fixture(params=BACKENDS)
async def empty(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Database]:
    if request.param == "sqlite":
        url = f"sqlite+aiosqlite:///{tmp_path / 'empty.db'}"
    else:
        url = await create_postgres_database()
    database = Database(Settings(database_url=url))
    yield database
    await database.dispose()
    if request.param == "postgresql":
        await drop_postgres_database(url)


def _tables(connection: Connection) -> set[str]:
    return set(inspect(connection).get_table_names())


EXPRESSION_INDEXES = {"ix_jobs_lowest_confidence_sort"}  # 0009


def _diff(connection: Connection) -> list[Any]:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    if connection.dialect.name != "sqlite":
        return list(compare_metadata(context, Base.metadata))
    # SQLAlchemy does not reflect SQLite's expression indexes (it warns and skips them):
    # they show as missing, and ``test_the_expression_indexes_exist`` checks them instead.
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "Skipped unsupported reflection of expression-based")
        warnings.filterwarnings("ignore", "autogenerate skipping metadata-specified expression")
        diff = _without_inline_foreign_keys(list(compare_metadata(context, Base.metadata)))
    return [
        entry
        for entry in diff
        if not (entry[0] == "add_index" and entry[1].name in EXPRESSION_INDEXES)
    ]


def _index_sql(connection: Connection, name: str) -> str | None:
    if connection.dialect.name == "sqlite":
        query = "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = :n"
    else:
        query = "SELECT indexdef FROM pg_indexes WHERE indexname = :n"
    return connection.execute(text(query), {"n": name}).scalar()


def _without_inline_foreign_keys(diff: list[Any]) -> list[Any]:
    """SQLite adds a column with its foreign key only inline (``ALTER TABLE ADD COLUMN ...
    CONSTRAINT name REFERENCES``, 0006), and SQLAlchemy reflects an inline foreign key
    without its name and ON DELETE: the same key then shows as removed and added. Only such
    pairs are dropped; ``test_0006_...`` checks what the key does."""

    def signature(fk: Any) -> tuple[Any, ...]:
        return (fk.table.name, tuple(fk.column_keys), fk.referred_table.name)

    added = {signature(fk) for op, fk in diff if op == "add_fk"}
    reflected = {signature(fk) for op, fk in diff if op == "remove_fk" and fk.name is None}
    inline = added & reflected
    return [
        entry
        for entry in diff
        if not (entry[0] in ("add_fk", "remove_fk") and signature(entry[1]) in inline)
    ]


async def test_upgrade_from_empty_creates_every_table(empty: Database) -> None:
    await migrate.upgrade(empty.engine)
    async with empty.engine.connect() as connection:
        assert await connection.run_sync(_tables) == TABLES


async def test_models_match_the_migrations(empty: Database) -> None:
    await migrate.upgrade(empty.engine)
    async with empty.engine.connect() as connection:
        assert await connection.run_sync(_diff) == []


async def test_the_expression_indexes_exist(empty: Database) -> None:
    await migrate.upgrade(empty.engine)
    async with empty.engine.connect() as connection:
        sql = await connection.run_sync(_index_sql, "ix_jobs_lowest_confidence_sort")
    assert sql is not None
    assert "coalesce(lowest_confidence, 2.0)" in sql.lower().replace(
        "(2.0)::double precision", "2.0"
    )


async def test_0009_downgrade_drops_the_sort_index(empty: Database) -> None:
    await migrate.upgrade(empty.engine)
    await migrate.downgrade(empty.engine, "0008")
    async with empty.engine.connect() as connection:
        assert await connection.run_sync(_index_sql, "ix_jobs_lowest_confidence_sort") is None
    await migrate.upgrade(empty.engine)


async def test_first_migrate_writes_the_builtin_template(empty: Database) -> None:
    await migrate.upgrade(empty.engine)
    await migrate.upgrade(empty.engine)  # idempotent
    async with empty.sessionmaker() as session:
        templates = list(await session.scalars(select(Template)))
    assert [t.id for t in templates] == [GENERIC_INVOICE_TEMPLATE["id"]]
    assert templates[0].builtin
    names = {f["name"] for f in templates[0].fields}
    assert names >= {
        "invoiceNumber",
        "invoiceDate",
        "dueDate",
        "total",
        "subtotal",
        "tax",
        "currency",
        "vendorName",
    }


async def test_downgrade_removes_everything(empty: Database) -> None:
    await migrate.upgrade(empty.engine)
    await migrate.downgrade(empty.engine)
    async with empty.engine.connect() as connection:
        assert await connection.run_sync(_tables) == {"alembic_version"}
    await migrate.upgrade(empty.engine)  # and back up again
    async with empty.engine.connect() as connection:
        assert await connection.run_sync(_tables) == TABLES


async def test_0005_flags_the_jobs_whose_invoice_data_needs_review(empty: Database) -> None:
    await migrate.upgrade(empty.engine, "0004")
    flagged = {"total": {"normalizedValue": "1.00", "needsReview": True}}
    clean = {"total": {"normalizedValue": "2.00", "needsReview": False}}
    async with empty.engine.begin() as connection:
        template = GENERIC_INVOICE_TEMPLATE["id"]
        for job_id, data in (("a" * 24, flagged), ("b" * 24, clean), ("c" * 24, {})):
            await connection.execute(
                text(
                    "INSERT INTO jobs (id, created_at, updated_at, template_id, name, status,"
                    " priority, invoice_data, metadata) VALUES (:id, :now, :now, :template,"
                    " 'job', 'completed', 'medium', :data, '{}')"
                ),
                {"id": job_id, "now": utcnow(), "template": template, "data": json.dumps(data)},
            )
    await migrate.upgrade(empty.engine)
    async with empty.sessionmaker() as session:
        rows = await session.execute(select(Job.id, Job.needs_review).order_by(Job.id))
        assert [tuple(row) for row in rows] == [
            ("a" * 24, True),
            ("b" * 24, False),
            ("c" * 24, False),
        ]


async def test_0006_a_deleted_job_leaves_no_flag_pointing_at_it(empty: Database) -> None:
    """The foreign key itself (ON DELETE SET NULL), whatever deletes the earlier job."""
    await migrate.upgrade(empty.engine)
    template = GENERIC_INVOICE_TEMPLATE["id"]
    async with empty.engine.begin() as connection:
        for job_id, duplicate_of in (("a" * 24, None), ("b" * 24, "a" * 24)):
            await connection.execute(
                text(
                    "INSERT INTO jobs (id, created_at, updated_at, template_id, name, status,"
                    " priority, invoice_data, metadata, possible_duplicate_of) VALUES (:id,"
                    " :now, :now, :template, 'job', 'completed', 'medium', '{}', '{}', :dup)"
                ),
                {"id": job_id, "now": utcnow(), "template": template, "dup": duplicate_of},
            )
        await connection.execute(text("DELETE FROM jobs WHERE id = :id"), {"id": "a" * 24})
    async with empty.sessionmaker() as session:
        assert await session.scalar(select(Job.possible_duplicate_of)) is None


async def job_columns(database: Database) -> set[str]:
    """The names of the ``jobs`` table's columns as the database has them."""

    def columns(connection: Connection) -> set[str]:
        return {c["name"] for c in inspect(connection).get_columns("jobs")}

    async with database.engine.connect() as connection:
        return await connection.run_sync(columns)


async def test_0006_downgrade_drops_the_duplicate_columns(empty: Database) -> None:
    await migrate.upgrade(empty.engine)
    await migrate.downgrade(empty.engine, "0005")
    found = await job_columns(empty)
    assert "needs_review" in found
    assert not found & {
        "possible_duplicate_of",
        "duplicate_key_number",
        "duplicate_key_amount",
        "duplicate_currency",
    }
    await migrate.upgrade(empty.engine)


async def insert_done_job(connection: Any, job_id: str, created_at: Any, data: Any) -> None:
    """A done job as a release before 0006 left it: invoice data, no duplicate keys."""
    await connection.execute(
        text(
            "INSERT INTO jobs (id, created_at, updated_at, completed_at, template_id, name,"
            " status, priority, invoice_data, metadata) VALUES (:id, :at, :at, :at, :template,"
            " 'job', 'completed', 'medium', :data, '{}')"
        ),
        {
            "id": job_id,
            "at": created_at,
            "template": GENERIC_INVOICE_TEMPLATE["id"],
            "data": json.dumps(data),
        },
    )


def invoice(number: str) -> dict[str, Any]:
    return {
        "vendorName": {"normalizedValue": "Northwind Traders GmbH"},
        "invoiceNumber": {"normalizedValue": number},
    }


async def test_jobs_done_before_0006_get_their_keys_and_flags_from_the_backfill(
    empty: Database,
) -> None:
    await migrate.upgrade(empty.engine, "0005")
    start = utcnow()
    async with empty.engine.begin() as connection:
        for n, (job_id, number) in enumerate(
            [("c" * 24, "NW-7"), ("a" * 24, "NW-7"), ("b" * 24, "NW-8"), ("d" * 24, "NW 7")]
        ):
            await insert_done_job(connection, job_id, start + timedelta(seconds=n), invoice(number))
    await migrate.upgrade(empty.engine)
    assert await duplicates.backfill(empty.sessionmaker, batch=2) == 4
    async with empty.sessionmaker() as session:
        rows = await session.execute(select(Job.id, Job.possible_duplicate_of).order_by(Job.id))
        flags = dict(tuple(row) for row in rows)
    # c is the earliest NW-7: a and d (the same number, spaced) point at it, b at nothing.
    assert flags == {"a" * 24: "c" * 24, "b" * 24: None, "c" * 24: None, "d" * 24: "c" * 24}
    assert await duplicates.backfill(empty.sessionmaker) == 0  # every job keyed already


BACKFILLED = {
    "a" * 24: {"total": {"confidence": 0.31}, "invoiceNumber": {"confidence": 0.93}},
    "b" * 24: {
        "total": {"confidence": 0.2, "method": "manual", "extracted": None},
        "vendorName": {"confidence": 0.75},
    },
    "c" * 24: {"currency": {"normalizedValue": "EUR"}},  # no confidence: 0
    "d" * 24: {},
}


async def test_0008_gives_jobs_done_before_it_their_lowest_confidence(empty: Database) -> None:
    await migrate.upgrade(empty.engine, "0007")
    async with empty.engine.begin() as connection:
        for job_id, data in BACKFILLED.items():
            await insert_done_job(connection, job_id, utcnow(), data)
    await migrate.upgrade(empty.engine)
    async with empty.sessionmaker() as session:
        rows = await session.execute(select(Job.id, Job.lowest_confidence).order_by(Job.id))
        found = dict(tuple(row) for row in rows)
    assert found == {"a" * 24: 0.31, "b" * 24: 0.75, "c" * 24: 0.0, "d" * 24: None}
    # The migration's copy of the rule agrees with the one the writers use.
    assert found == {job_id: lowest_confidence(data) for job_id, data in BACKFILLED.items()}


async def test_0008_downgrade_drops_the_column(empty: Database) -> None:
    await migrate.upgrade(empty.engine)
    await migrate.downgrade(empty.engine, "0007")
    assert "lowest_confidence" not in await job_columns(empty)
    await migrate.upgrade(empty.engine)
