"""Schema changes go through Alembic only, on both backends; this module runs them.

After the schema is at head, the built-in templates (owned by the code, read-only through
the API) are written so they match the running release.
"""

from __future__ import annotations

from importlib.resources import files

from alembic import command
from alembic.config import Config
from sqlalchemy import Table, select
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

from ocr_gateway.db.models import Template
from ocr_gateway.db.types import utcnow
from ocr_gateway.processing.builtin_templates import GENERIC_INVOICE_TEMPLATE
from ocr_gateway.settings import Settings

BUILTIN_TEMPLATES = (GENERIC_INVOICE_TEMPLATE,)


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(files("ocr_gateway.db") / "migrations"))
    return config


def _run(connection: Connection, revision: str, *, down: bool) -> None:
    config = alembic_config()
    config.attributes["connection"] = connection
    if down:
        command.downgrade(config, revision)
    else:
        command.upgrade(config, revision)


async def upgrade(engine: AsyncEngine, revision: str = "head") -> None:
    async with engine.begin() as connection:
        await connection.run_sync(_run, revision, down=False)
        await connection.run_sync(_sync_builtin_templates)


async def upgrade_all(engine: AsyncEngine, settings: Settings) -> None:
    """What ``ocr-gateway migrate`` does: our schema, then procrastinate's on PostgreSQL."""
    await upgrade(engine)
    if not settings.is_sqlite:
        from ocr_gateway.processing.tasks import apply_schema

        await apply_schema(settings)


async def downgrade(engine: AsyncEngine, revision: str = "base") -> None:
    async with engine.begin() as connection:
        await connection.run_sync(_run, revision, down=True)


def _sync_builtin_templates(connection: Connection) -> None:
    existing = set(connection.execute(select(Template.id).where(Template.builtin)).scalars())
    table = Template.__table__
    assert isinstance(table, Table)
    now = utcnow()
    for spec in BUILTIN_TEMPLATES:
        values = {
            "name": spec["name"],
            "description": spec["description"],
            "languages": spec["languages"],
            "fields": spec["fields"],
            "options": spec["options"],
            "active": True,
            "builtin": True,
            "updated_at": now,
        }
        if spec["id"] in existing:
            connection.execute(table.update().where(table.c.id == spec["id"]).values(values))
        else:
            connection.execute(table.insert().values(id=spec["id"], created_at=now, **values))
