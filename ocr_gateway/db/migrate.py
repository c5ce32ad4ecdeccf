"""Schema changes go through Alembic only, on both backends; this module runs them.

After the schema is at head, the built-in templates (owned by the code, read-only through
the API) are written so they match the running release. ``schema_state`` tells whether a
database is at the revision this release needs: ``serve`` and ``worker`` refuse to start
otherwise, and /healthz reports it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import Table, inspect, select, text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

from ocr_gateway.db.engine import reading
from ocr_gateway.db.models import Template
from ocr_gateway.db.types import utcnow
from ocr_gateway.processing.builtin_templates import GENERIC_INVOICE_TEMPLATE
from ocr_gateway.settings import Settings

BUILTIN_TEMPLATES = (GENERIC_INVOICE_TEMPLATE,)
VERSION_TABLE = "alembic_version"


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


@lru_cache(maxsize=1)
def known_revisions() -> tuple[str, ...]:
    """This release's revisions, head first."""
    script = ScriptDirectory.from_config(alembic_config())
    return tuple(r.revision for r in script.walk_revisions())


@dataclass(frozen=True)
class SchemaState:
    current: str | None  # the database's revision (None: never migrated)
    head: str  # the revision this release needs
    queue_ready: bool = True  # PostgreSQL: procrastinate's tables exist

    @property
    def ready(self) -> bool:
        return self.current == self.head and self.queue_ready

    def problem(self) -> str | None:
        """What is wrong, in words naming the fix; None when ready."""
        if self.current is None:
            return "the database has no schema yet: run `ocr-gateway migrate`"
        if self.current not in known_revisions():
            return (
                f"the database schema is at revision {self.current}, newer than this release "
                f"knows (it needs {self.head}): upgrade ocr-gateway"
            )
        if self.current != self.head:
            return (
                f"the database schema is at revision {self.current}, this release needs "
                f"{self.head}: run `ocr-gateway migrate`"
            )
        if not self.queue_ready:
            return "the job queue's tables are missing: run `ocr-gateway migrate`"
        return None


async def schema_state(engine: AsyncEngine, *, queue: bool = False) -> SchemaState:
    """The database's revision against this release's; with ``queue``, also whether
    procrastinate's tables exist on PostgreSQL. Reads only; raises when unreachable."""
    async with reading(engine).connect() as connection:
        current = await connection.run_sync(_current_revision)
        queue_ready = True
        if queue and connection.dialect.name == "postgresql":
            table = await connection.scalar(text("SELECT to_regclass('procrastinate_jobs')"))
            queue_ready = table is not None
    return SchemaState(current, known_revisions()[0], queue_ready)


def _current_revision(connection: Connection) -> str | None:
    # Read directly rather than through Alembic's MigrationContext, which logs its setup:
    # every command checks this, and only `migrate` should talk about migrations.
    if not inspect(connection).has_table(VERSION_TABLE):
        return None
    revision = connection.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalar()
    return None if revision is None else str(revision)
