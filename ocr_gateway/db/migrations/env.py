"""Alembic environment: runs on the connection handed over by ``ocr_gateway.db.migrate``."""

from __future__ import annotations

from alembic import context

from ocr_gateway.db.models import Base

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only reached by a bare `alembic` invocation
    raise RuntimeError("run migrations with `ocr-gateway migrate`")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
