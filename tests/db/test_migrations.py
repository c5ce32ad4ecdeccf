"""Migrations: the only way the schema is made. Upgrade from empty, downgrade cleanly, and
the models never drift from what the migrations build."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
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
from ocr_gateway.processing.builtin_templates import GENERIC_INVOICE_TEMPLATE
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


def _diff(connection: Connection) -> list[Any]:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return list(compare_metadata(context, Base.metadata))


async def test_upgrade_from_empty_creates_every_table(empty: Database) -> None:
    await migrate.upgrade(empty.engine)
    async with empty.engine.connect() as connection:
        assert await connection.run_sync(_tables) == TABLES


async def test_models_match_the_migrations(empty: Database) -> None:
    await migrate.upgrade(empty.engine)
    async with empty.engine.connect() as connection:
        assert await connection.run_sync(_diff) == []


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
