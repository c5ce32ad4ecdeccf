"""Factories and small helpers the API tests share, beyond those in ``tests.api.graphql``.

Processing state (page status, OCR results) is written only by the workers; tests that need
a processed or failed page write it straight into the database with ``set_columns``, as a
worker would, through the test's own (rolled back) connection.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import httpx
from sqlalchemy import update

from ocr_gateway.db.engine import Database
from ocr_gateway.db.models import Base
from tests.api.graphql import gql

UNKNOWN_ID = "60f7b1b3e4b0e8b3f8b3f8b4"

TEMPLATE_FIELDS = (
    "id name description languages active builtin createdAt updatedAt"
    " fields { name type regex labels required region { x y width height } }"
    " options { dateFormats decimalSeparator defaultCurrency }"
)


async def create_template(client: httpx.AsyncClient, **fields: Any) -> dict[str, Any]:
    data = {
        "name": "Acme invoices",
        "fields": [{"name": "total", "type": "amount", "labels": ["total"]}],
        **fields,
    }
    result = await gql(
        client,
        f"mutation($i: CreateTemplateInput!) {{ createTemplate(input: $i) {{ {TEMPLATE_FIELDS} }} }}",
        i=data,
    )
    return result["createTemplate"]


async def total(client: httpx.AsyncClient, list_name: str) -> int:
    """How many rows a root list (``jobGroups``, ``jobs``, ``pages``, ``templates``) holds."""
    result = await gql(client, f"{{ {list_name} {{ totalCount }} }}")
    count: int = result[list_name]["totalCount"]
    return count


def problem_fields(error: dict[str, Any]) -> list[str]:
    """The fields a BAD_USER_INPUT error names, in order."""
    return [problem["field"] for problem in error["extensions"].get("fields", [])]


def ids(items: list[dict[str, Any]]) -> list[str]:
    return [item["id"] for item in items]


def parse_time(value: str) -> datetime:
    return datetime.fromisoformat(value)


async def set_columns(db: Database, model: type[Base], id: str, **values: Any) -> None:
    """Write columns of one row directly, as a worker (or the clock) would."""
    column: Any = model.id  # type: ignore[attr-defined]
    async with db.sessionmaker() as session:
        await session.execute(update(model).where(column == id).values(**values))
        await session.commit()
