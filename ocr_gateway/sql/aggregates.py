"""Aggregates of a list: how many rows match, how many per status, and the sum, average,
minimum and maximum of its numeric (and, for min/max, date-time) columns.

Aggregates take the list's filter and search and ignore its paging, like ``totalCount``.
Both executors use these expressions: the Strawberry executor reads them as a row
(``aggregate_row`` / ``aggregate_children``), the compiler writes them into the JSON.
Sums and averages are computed as double precision on both backends.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, Float, case, cast, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from ocr_gateway.db.query import ListArgs, ResourceSpec, where_clause
from ocr_gateway.resources import Resource
from ocr_gateway.resources.base import Column

NUMERIC = ("int", "float")
ORDERED = ("int", "float", "datetime")


def numeric(resource: Resource) -> dict[str, Column]:
    """GraphQL field -> column, for sum and avg."""
    return {name: c for name, c in resource.columns.items() if c.kind in NUMERIC}


def ordered(resource: Resource) -> dict[str, Column]:
    """GraphQL field -> column, for min and max."""
    return {name: c for name, c in resource.columns.items() if c.kind in ORDERED}


def statuses(resource: Resource) -> list[str] | None:
    status = resource.columns.get("status")
    if status is None or status.values is None:
        return None
    return [member.value for member in status.values]


def expression(table: Any, function: str, column: str) -> ColumnElement[Any]:
    """``function`` (count, sum, avg, min, max) of ``column`` over the list's rows."""
    if function in ("sum", "avg"):
        return cast(getattr(func, function)(table.c[column]), Float)
    aggregated: ColumnElement[Any] = getattr(func, function)(table.c[column])
    return aggregated


def status_count(table: Any, status: str) -> ColumnElement[int]:
    return func.count(case((table.c.status == status, 1)))


def _columns(resource: Resource, table: Any) -> list[Any]:
    columns: list[Any] = [func.count().label("count")]
    for status in statuses(resource) or ():
        columns.append(status_count(table, status).label(f"status:{status}"))
    for function, fields in (
        ("sum", numeric),
        ("avg", numeric),
        ("min", ordered),
        ("max", ordered),
    ):
        for name, column in fields(resource).items():
            columns.append(expression(table, function, column.name).label(f"{function}:{name}"))
    return columns


async def aggregate_row(
    session: AsyncSession, resource: Resource, spec: ResourceSpec, args: ListArgs
) -> dict[str, Any]:
    dialect = session.get_bind().dialect.name
    table = resource.table
    stmt = select(*_columns(resource, table)).select_from(table)
    row = (await session.execute(stmt.where(where_clause(spec, args, dialect)))).one()
    return dict(row._mapping)


async def aggregate_children(
    session: AsyncSession,
    resource: Resource,
    spec: ResourceSpec,
    args: ListArgs,
    parent: Any,
    parent_ids: Sequence[str],
    joins: Sequence[tuple[Any, Any]] = (),
) -> dict[str, dict[str, Any]]:
    """Per parent id: its children's aggregates (parents without children get none)."""
    dialect = session.get_bind().dialect.name
    table = resource.table
    stmt = select(parent.label("parent"), *_columns(resource, table)).select_from(table)
    for target, on in joins:
        stmt = stmt.join(target, on)
    stmt = stmt.where(parent.in_(parent_ids), where_clause(spec, args, dialect))
    found: dict[str, dict[str, Any]] = defaultdict(dict)
    for row in await session.execute(stmt.group_by(parent)):
        values = dict(row._mapping)
        found[values.pop("parent")] = values
    return found


def empty(resource: Resource) -> dict[str, Any]:
    """The aggregates of no rows."""
    values: dict[str, Any] = {"count": 0}
    values |= {f"status:{s}": 0 for s in statuses(resource) or ()}
    for function, fields in (
        ("sum", numeric),
        ("avg", numeric),
        ("min", ordered),
        ("max", ordered),
    ):
        values |= {f"{function}:{name}": None for name in fields(resource)}
    return values
